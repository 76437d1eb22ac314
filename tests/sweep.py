"""`make sweep`: new random cases for every property and scene sweep, for as long as given.

    .venv/bin/python tests/sweep.py [--seconds N] [--draws N] [-k EXPR] [TEST_FILE_OR_ID ...]

`make test` runs every hypothesis property and every scene's layout sweep on the
same examples in every run (tests/conftest.py: derandomized, no example
database), so CI never fails on a case nobody has seen.  This explores instead:
a fresh random seed, hypothesis' example database in ``.hypothesis/`` (a failure
found here is tried first the next time, until it passes), and batch after batch
of draws for the time given (``--seconds``, ``SWEEP_SECONDS``; default 300),
split over the targets: ``--scene-share`` (half) for the scenes' layout sweeps
(tests marked ``sweep``), the rest for the core properties (every other ``@given``
test).  Every target runs at least one batch.  The examples kept on a property
(``@example``, a scene's ``EXAMPLES``) are not run again here: `make test` runs them.

Each failure is printed as it is found, with hypothesis' falsifying example and
the command that shows it (``jacviz render ...`` for a scene, ``jacviz check ...``
for a chain); a summary ends the run.  Keep what it finds: a scene's draw goes
into ``EXAMPLES`` in ``tests/sweeps/<scene>.py``, a property's as an ``@example``.

Exit status: 0 if nothing failed, 1 if something did, 2 if the targets could not
be collected; Ctrl-C (SIGINT) or SIGTERM stops it cleanly (the summary so far,
``error: interrupted``, 130 or 143; no child process or temporary file left).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENE_MARK = "sweep"


def target_files() -> list[str]:
    """The test files that hold properties or sweeps (read as text: nothing imported)."""
    found = []
    for path in sorted(HERE.glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*@given\(", text, re.M) or f"@pytest.mark.{SCENE_MARK}" in text:
            found.append(str(path))
    return found


class Explorer:
    """A pytest plugin: runs only the properties and sweeps, each for its share of the time,
    on new random draws, and reports what fails."""

    def __init__(self, seconds: float, scene_share: float, out, database: Path):
        self.database = database
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.seconds = seconds
        self.scene_share = scene_share
        self.out = out
        self.weights: dict[str, float] = {}
        self.results: list[dict] = []  # per target: its id, batches, draws, seconds, failure
        self.current: dict | None = None
        self.errors: list[str] = []

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    # -- set-up ------------------------------------------------------------------------
    def pytest_configure(self, config):
        from hypothesis import Phase, settings
        from hypothesis.database import DirectoryBasedExampleDatabase
        from hypothesis.errors import InvalidArgument
        from hypothesis.internal.observability import add_observability_callback

        try:  # the suite's profile (tests/conftest.py), loaded before this hook runs
            parent = settings.get_profile("jacviz")
        except InvalidArgument:
            parent = settings.default
        # loaded before any test module is imported: every @settings(...) inherits it.  The
        # kept @examples are left to `make test` (they would run again in every batch).
        settings.register_profile("jacviz-explore", parent, derandomize=False,
                                  database=DirectoryBasedExampleDatabase(self.database),
                                  phases=[p for p in Phase if p is not Phase.explicit])
        settings.load_profile("jacviz-explore")
        add_observability_callback(self._count, all_threads=True)

    def _count(self, obs, thread=None) -> None:
        if self.current is not None and getattr(obs, "type", None) == "test_case":
            key = "draws" if obs.status in ("passed", "failed") else "refused"
            self.current[key] += 1

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(f"cannot collect {report.nodeid}: "
                               f"{report.longreprtext.strip().splitlines()[-1]}")

    @pytest.hookimpl(trylast=True)  # after -k has deselected what it does not match
    def pytest_collection_modifyitems(self, session, config, items):
        keep, drop = [], []
        for item in items:
            scene = item.get_closest_marker(SCENE_MARK) is not None
            # a @given test carries its handle (HypothesisHandle) as .hypothesis
            prop = hasattr(getattr(getattr(item, "obj", None), "hypothesis", None), "inner_test")
            (keep if scene or prop else drop).append(item)
            if scene or prop:
                self.weights[item.nodeid] = 1.0 if scene else -1.0  # sign: the group
        scenes = sum(1 for w in self.weights.values() if w > 0)
        props = len(self.weights) - scenes
        share = self.scene_share if scenes and props else 1.0 if scenes else 0.0
        for k, w in self.weights.items():
            self.weights[k] = share / scenes if w > 0 else (1 - share) / props
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep
        self.say(f"sweep: {self.seconds:g} s over {scenes} scene sweeps and {props} properties: "
                 f"new random draws, example database {_shown(self.database)}")

    # -- each target: batch after batch until its share of the time is spent ------------------
    @staticmethod
    def _tag(item) -> str:
        return f"{Path(item.path).name}::{item.name}"

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_call(self, item):
        from jacviz.core.signals import received, stage

        left = sum(w for k, w in self.weights.items()
                   if k not in {r["id"] for r in self.results}) or 1.0
        now = time.monotonic()
        until = now + max(0.0, self.deadline - now) * self.weights.get(item.nodeid, 0.0) / left
        self.current = {"id": item.nodeid, "tag": self._tag(item), "batches": 0, "draws": 0,
                        "refused": 0, "start": now, "failure": None,
                        "scene": item.get_closest_marker(SCENE_MARK) is not None}
        self.results.append(self.current)
        stage("sweep", item.nodeid)
        try:
            batch = time.monotonic()
            self.current["batches"] += 1
            result = yield  # the first batch
            last = time.monotonic() - batch
            # an interrupt raises once (a second is only remembered): should anything on the
            # way out have swallowed it (a finaliser, hypothesis' engine), no batch starts
            while received() is None and time.monotonic() + last <= until:
                batch = time.monotonic()
                self.current["batches"] += 1
                item.runtest()
                last = time.monotonic() - batch
            return result
        finally:
            self.current["seconds"] = time.monotonic() - self.current["start"]

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        from jacviz.core.signals import received

        report = yield
        r = self.current
        if report.failed and call.when == "call" and r is not None and r["id"] == item.nodeid \
                and received() is None:  # not what an interrupt broke (in hypothesis' engine)
            r["failure"] = describe(call.excinfo.value)
        return report

    def pytest_runtest_logreport(self, report):
        r = self.current
        if report.when != "call" or r is None or r["id"] != report.nodeid:
            return
        from jacviz.core.signals import received

        if report.failed and r["failure"] is None and received() is None:
            r["failure"] = [report.longreprtext.strip().splitlines()[-1]]
        counts = f"{r['batches']} batch{'es' if r['batches'] != 1 else ''}, {r['draws']} draws" + \
            (f" ({r['refused']} refused)" if r["refused"] else "") + f", {r['seconds']:.0f} s"
        if r["failure"]:
            self.say(f"FAIL  {r['tag']}  ({counts})")
            for line in r["failure"]:
                self.say(f"      {line}")
        else:
            self.say(f"{'ok   ' if received() is None else 'stop '} {r['tag']}  ({counts})")
        self.current = None

    def pytest_sessionfinish(self, session, exitstatus):
        from jacviz.core.signals import received

        for e in self.errors:
            self.say(f"error: {e}")
        failed = [r for r in self.results if r["failure"]]
        draws = sum(r["draws"] for r in self.results)
        took = time.monotonic() - self.start
        self.say(f"sweep: {len(self.results)} targets, {draws} draws in {took:.0f} s"
                 + (" (interrupted)" if received() is not None else "") + "; "
                 + (f"{len(failed)} failed:" if failed else "nothing failed"))
        for r in failed:
            self.say(f"  {r['tag']}")
            for line in r["failure"]:
                if line.startswith("shows it: "):
                    self.say(f"    {line}")
        if failed:
            self.say("keep each one: a scene's draw in EXAMPLES of tests/sweeps/<scene>.py, "
                     "a property's as an @example on it")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def describe(exc) -> list[str]:
    """The lines that say what failed: each error's message, then hypothesis' notes (the
    falsifying example) and ours (the command that shows it)."""
    errors = list(getattr(exc, "exceptions", None) or [exc])
    lines = []
    for e in errors:
        msg = str(e).strip().splitlines() or [""]
        lines.append(f"{type(e).__name__}: {msg[0]}")
        lines += [m for m in msg[1:] if m.strip()][:12]
        for note in getattr(e, "__notes__", []):
            lines += [ln for ln in str(note).splitlines() if ln.strip()]
    return lines


def main(argv=None) -> int:
    from jacviz.core import signals
    signals.install()  # Ctrl-C and SIGTERM raise, whatever was inherited (make sweep &)
    parser = argparse.ArgumentParser(prog="sweep", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("SWEEP_SECONDS") or 300),
                        help="how long to explore (default: SWEEP_SECONDS, else 300)")
    parser.add_argument("--draws", type=int, default=3,
                        help="draws per batch of a scene's layout sweep (default 3)")
    parser.add_argument("--scene-share", type=float, default=0.5,
                        help="the share of the time for the scenes' sweeps (default 0.5)")
    parser.add_argument("--database", type=Path, default=ROOT / ".hypothesis" / "examples",
                        help="hypothesis' example database (default: .hypothesis/examples)")
    parser.add_argument("-k", dest="keyword", help="only the targets matching (pytest -k)")
    parser.add_argument("targets", nargs="*", help="test files or ids (default: every file "
                                                   "with a property or a sweep)")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.draws < 1 or not 0 <= args.scene_share <= 1:
        print("error: --seconds must be > 0, --draws >= 1, --scene-share from 0 to 1",
              file=sys.stderr)
        return 2
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)  # past pytest's capture
    explorer = Explorer(args.seconds, args.scene_share, out, args.database.absolute())
    os.environ["JACVIZ_SWEEP_DRAWS"] = str(args.draws)
    pytest_args = [*(args.targets or target_files()), "--rootdir", str(ROOT),
                   "-c", str(ROOT / "pyproject.toml"), "-o", "addopts=", "-p", "no:terminal",
                   "-p", "no:cacheprovider", "-p", "no:xdist"]
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    try:
        status = pytest.main(pytest_args, plugins=[explorer])
    except KeyboardInterrupt:  # before pytest had its session
        status = pytest.ExitCode.INTERRUPTED
    finally:
        signals.kill_children()
    if signals.received() is not None:
        print("error: interrupted", file=sys.stderr)
        return signals.exit_status()
    if explorer.errors or status in (3, 4):
        return 2
    if status == 5 or not explorer.results:
        print("error: no property or sweep matches", file=sys.stderr)
        return 2
    return 1 if any(r["failure"] for r in explorer.results) else 0


if __name__ == "__main__":
    sys.exit(main())
