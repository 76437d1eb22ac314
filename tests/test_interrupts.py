"""Ctrl-C (SIGINT) and SIGTERM at every stage of a command, without timing.

Each test starts a jacviz command that reports the stages it reaches into a
FIFO (``JACVIZ_STAGE_LOG``), waits there for the stage it means to interrupt
(``JACVIZ_HOLD_AT`` holds the command at that stage until the signal comes, or
a stand-in ``latex`` blocks until it is killed), sends the signal, and checks
what must hold afterwards: exit status 130 or 143, exactly one line
``error: interrupted`` on stderr, no process of the command left running, no
temporary file (in the private ``$TMPDIR`` each command gets, nor beside its
output), the previous output byte-identical, no lock held.

Every signal is sent two ways: to the command's process only (``kill PID``),
and to its whole process group (``kill -- -PGID``), as a terminal sends Ctrl-C:
then latex, dvisvgm, the forked shards and every other child get it at the same
moment as the command.  Each command runs in a session of its own, so that its
group holds the command and its children only.

Every command starts with SIGINT *ignored*, as a non-interactive shell starts
a background job (``make test &``): that inherited setting is how an
interrupt used to be lost.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JACVIZ = str(Path(sys.executable).parent / "jacviz")
SIGNALS = [signal.SIGINT, signal.SIGTERM]
#: (signal, to the whole process group?): the process alone, then the group (a terminal's Ctrl-C)
HOW = [(sig, group) for group in (False, True) for sig in SIGNALS]
HOW_IDS = [signal.Signals(sig).name + ("-group" if group else "") for sig, group in HOW]
TINY = ["--resolution", "192,108", "--fps", "5", "--quiet"]
WAIT = 900  # seconds: a bound for a broken command, never a guess at how long a stage takes
STOP = 120  # seconds: a bound for stopping after the signal (a lost signal fails, not hangs)


class Command:
    """A jacviz command whose stages are read from a FIFO as they happen."""

    def __init__(self, args, cwd: Path, hold: str | None = None, path_prefix: Path | None = None,
                 program=(JACVIZ,)):
        self.cwd = Path(cwd)
        self.fifo = self.cwd / f".stages-{uuid.uuid4().hex[:8]}"
        os.mkfifo(self.fifo)
        # read-write: opening never blocks, and the reader never sees end-of-file
        self.fd = os.open(self.fifo, os.O_RDWR | os.O_NONBLOCK)
        self.token = uuid.uuid4().hex
        # a private TMPDIR: whatever the command (or a child) leaves in it is a leftover
        self.tmpdir = Path(tempfile.mkdtemp(prefix="jacviz-interrupt-tmp-"))
        env = dict(os.environ, JACVIZ_STAGE_LOG=str(self.fifo), JACVIZ_TEST_TOKEN=self.token,
                   TMPDIR=str(self.tmpdir))
        env.pop("JACVIZ_HOLD_AT", None)
        if hold:
            env["JACVIZ_HOLD_AT"] = hold
        if path_prefix:
            env["PATH"] = f"{path_prefix}{os.pathsep}{env['PATH']}"
        self.proc = subprocess.Popen(
            [*program, *args], cwd=self.cwd, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        self.buffer = b""
        self.stages: list[list[str]] = []

    def wait_for(self, name: str) -> list[str]:
        """Block until the command reports stage `name`; returns its words."""
        deadline = time.monotonic() + WAIT
        while True:
            for words in self.stages:
                if words[0] == name:
                    return words
            if self.proc.poll() is not None:
                out, err = self.proc.communicate()
                raise AssertionError(f"the command ended (status {self.proc.returncode}) before "
                                     f"stage {name!r}; stages: {self.stages}; stderr: {err[-2000:]}")
            left = deadline - time.monotonic()
            assert left > 0, f"no stage {name!r} within {WAIT} s; stages: {self.stages}"
            ready, _, _ = select.select([self.fd, self.proc.stdout], [], [], min(left, 5.0))
            if self.fd in ready:
                self.drain()

    def drain(self) -> None:
        """Read the stages reported so far (the FIFO is non-blocking)."""
        try:
            self.buffer += os.read(self.fd, 65536)
        except BlockingIOError:
            return
        *lines, self.buffer = self.buffer.split(b"\n")
        self.stages += [ln.decode().split() for ln in lines if ln.strip()]

    def interrupt(self, sig, group: bool = False) -> tuple[int, str, str]:
        """Send ``sig`` to the command, or to its whole process group (the command leads
        it: a session of its own), and wait for the command to end."""
        if group:
            os.killpg(self.proc.pid, sig)
        else:
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=STOP)
        except subprocess.TimeoutExpired:
            self.drain()  # every stage reached, for the message: where it hung
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError(f"{signal.Signals(sig).name} did not stop the command within "
                                 f"{STOP} s; stages: {self.stages}; stderr: {err[-2000:]}")
        finally:
            os.close(self.fd)
            self.fifo.unlink()
        return self.proc.returncode, out, err

    def temporary_files(self) -> list[str]:
        """What is left in the command's private TMPDIR (which is then removed)."""
        left = sorted(str(p.relative_to(self.tmpdir)) for p in self.tmpdir.rglob("*"))
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        return left

    def leftovers(self) -> list[int]:
        """Processes still running that this command started (they carry its token)."""
        alive = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                environ = Path(f"/proc/{entry}/environ").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except OSError:
                continue
            if self.token.encode() in environ and state != b"Z":
                alive.append(int(entry))
        return alive


def assert_stopped_cleanly(cmd: Command, sig, status, err):
    temporary = cmd.temporary_files()
    assert status == 128 + sig, (status, err)
    assert err == "error: interrupted\n", err  # one line, no traceback
    assert not cmd.leftovers(), f"processes left running: {cmd.leftovers()}"
    assert not temporary, f"temporary files left in TMPDIR: {temporary}"


def previous_outputs(folder: Path) -> dict[Path, bytes]:
    """A finished clip from an earlier render, with its captions and metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {folder / "clip.mp4": b"previous clip", folder / "clip.srt": b"previous captions",
             folder / "clip.json": b'{"previous": true}'}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def assert_previous_intact(folder: Path, files: dict[Path, bytes]):
    for path, data in files.items():
        assert path.read_bytes() == data, f"{path.name} changed"
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files), \
        f"temporary files left: {sorted(p.name for p in folder.iterdir())}"


def assert_no_lock_held(cwd: Path):
    for lock in (cwd / "media" / ".Tex.locks").glob("*.lock"):
        with open(lock, "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if anyone still holds it
            fcntl.flock(fh, fcntl.LOCK_UN)


# -- start-up -------------------------------------------------------------------------
@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
@pytest.mark.parametrize("args", [["render", "two-way"], ["check", "--map", "x -> x", "--at", "1"],
                                  ["list"]], ids=["render", "check", "list"])
def test_interrupt_at_startup(sig, group, args, tmp_path):
    cmd = Command(args, tmp_path, hold="startup")
    cmd.wait_for("startup")
    status, out, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert out == ""


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_during_imports(sig, group, tmp_path):
    """The signal lands while numpy and sympy are imported (the old traceback)."""
    cmd = Command(["render", "two-way", "--out", str(tmp_path / "out" / "clip.mp4"), *TINY],
                  tmp_path)
    cmd.wait_for("startup")  # handlers are in place; the heavy imports follow
    status, out, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)


# -- TeX compilation, cold cache --------------------------------------------------------
STAND_IN_LATEX = """#!/bin/sh
# a latex that reports itself and then runs until it is killed
echo "latex $$" >> "$JACVIZ_STAGE_LOG"
exec sleep 3600
"""


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_during_tex_compilation(sig, group, tmp_path):
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "latex").write_text(STAND_IN_LATEX)
    (stand_in / "latex").chmod(0o755)
    work = tmp_path / "work"  # an empty TeX cache: the first snippet compiles
    work.mkdir()
    out = work / "renders"
    files = previous_outputs(out)
    cmd = Command(["render", "two-way", "--out", str(out / "clip.mp4"), *TINY], work,
                  path_prefix=stand_in)
    latex_pid = int(cmd.wait_for("latex")[1])
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert not Path(f"/proc/{latex_pid}").exists() or \
        Path(f"/proc/{latex_pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0] == b"Z"
    assert_previous_intact(out, files)
    assert_no_lock_held(work)
    assert not list((work / "media" / "Tex").iterdir()), "half-made TeX output left in the cache"
    assert not list((work / "media").glob(".tex-*")), "a private TeX folder was left behind"


@pytest.fixture(scope="module")
def first_snippet(tmp_path_factory):
    """The first TeX snippet (in lock order) that two-way compiles, cold: a probe run is held
    where it starts compiling its batch of snippets, and stopped."""
    cwd = tmp_path_factory.mktemp("probe")
    cmd = Command(["render", "two-way", "--jobs", "1", *TINY], cwd, hold="tex-batch")
    names = cmd.wait_for("tex-batch")[2:]
    cmd.interrupt(signal.SIGTERM)
    cmd.temporary_files()
    return sorted(names)[0]


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_while_waiting_for_the_tex_lock(sig, group, first_snippet, tmp_path):
    locks = tmp_path / "media" / ".Tex.locks"
    locks.mkdir(parents=True)
    with open(locks / f"{first_snippet}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another render is compiling the same snippet
        cmd = Command(["render", "two-way", "--out", str(tmp_path / "out" / "clip.mp4"), *TINY],
                      tmp_path)
        while cmd.wait_for("tex-lock")[2] != first_snippet:  # waits for that snippet's lock
            cmd.stages.remove(next(w for w in cmd.stages if w[0] == "tex-lock"))
        status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert not (tmp_path / "out").exists()


# -- drawing frames, joining, committing -------------------------------------------------
@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A working folder whose TeX cache already holds jacobian-grid's snippets."""
    cwd = tmp_path_factory.mktemp("warm")
    res = subprocess.run([JACVIZ, "render", "jacobian-grid", "--format", "png",
                          "--resolution", "192,108", "--out", str(cwd / "warm.png"), "--quiet"],
                         cwd=cwd, capture_output=True, text=True, timeout=WAIT)
    assert res.returncode == 0, res.stderr
    (cwd / "warm.png").unlink()
    return cwd


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
@pytest.mark.parametrize("stage", ["frames", "join", "commit"])
@pytest.mark.parametrize("jobs", ["1", "2"], ids=["one-process", "shards"])
def test_interrupt_late_in_a_render(jobs, stage, sig, group, warm, tmp_path):
    """Drawing frames (in a shard's process, with --jobs 2), joining, committing."""
    out = tmp_path / "renders"
    files = previous_outputs(out)
    cmd = Command(["render", "jacobian-grid", "--out", str(out / "clip.mp4"), "--jobs", jobs,
                   *TINY], warm, hold=stage)
    words = cmd.wait_for(stage)
    if stage == "commit":  # the new files are written beside the old, under temporary names
        assert Path(words[2]).exists()
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert_previous_intact(out, files)
    assert_no_lock_held(warm)


# -- slides, gallery, bench -----------------------------------------------------------------
@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_manim_slides_convert(sig, group, warm, tmp_path):
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "index.html").write_text("previous deck")  # a deck jacviz made before
    (deck / ".jacviz-manifest.json").write_text('{"written_by": "jacviz", "files": ["index.html"]}')
    cmd = Command(["slides", "jacobian-grid", "--out", str(deck), "--quiet"], warm, hold="convert")
    child = int(cmd.wait_for("convert")[2])  # manim-slides runs while the command is held
    assert Path(f"/proc/{child}").exists()
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert (deck / "index.html").read_text() == "previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"], list(tmp_path.iterdir())
    assert not [p for p in (warm / "media").glob("slides-deck-*")]


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_gallery(sig, group, tmp_path):
    renders = tmp_path / "renders"
    res = subprocess.run([JACVIZ, "render", "jacobian-grid", "--out", str(renders / "a.mp4"),
                          "--resolution", "160,90", "--fps", "3", "--quiet"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=WAIT)
    assert res.returncode == 0, res.stderr
    (renders / "index.html").write_text("previous gallery")  # a gallery jacviz made before
    (renders / ".jacviz-gallery.json").write_text('{"written_by": "jacviz", "files": ["index.html"]}')
    before = sorted(p.name for p in renders.iterdir())
    cmd = Command(["gallery", "--renders", str(renders)], tmp_path, hold="poster")
    cmd.wait_for("poster")
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert (renders / "index.html").read_text() == "previous gallery"
    assert not [p for p in renders.rglob(".*tmp*")]
    assert set(before) <= {p.name for p in renders.iterdir()}


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_bench(sig, group, tmp_path):
    results = tmp_path / "results.json"
    results.write_text('{"previous": true}')
    cmd = Command(["bench", "--only", "core", "--quick", "--results", str(results)], tmp_path,
                  hold="bench-core")
    cmd.wait_for("bench-core")
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert results.read_text() == '{"previous": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_a_lesson_render(sig, group, warm, tmp_path):
    """Several clips from one queue of plans and shards (what `make render` runs)."""
    cwd = tmp_path / "lesson"
    shutil.copytree(warm / "media" / "Tex", cwd / "media" / "Tex")
    files = previous_outputs(cwd / "renders")
    cmd = Command(["render", "jacobian-grid", "two-way", "--jobs", "2", *TINY], cwd, hold="frames")
    cmd.wait_for("frames")
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert_previous_intact(cwd / "renders", files)
    assert not [p for p in (cwd / "media").rglob(".shards-*")]


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_preview(sig, group, warm, tmp_path):
    out = tmp_path / "board"
    out.mkdir()
    (out / "board.png").write_bytes(b"previous storyboard")
    cmd = Command(["preview", "jacobian-grid", "--out", str(out / "board.png")], warm, hold="tile")
    cmd.wait_for("tile")
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert (out / "board.png").read_bytes() == b"previous storyboard"
    assert sorted(p.name for p in out.iterdir()) == ["board.png"]


# -- make sweep (tests/sweep.py) ------------------------------------------------------------
@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_make_sweep(sig, group, warm, tmp_path):
    """Exploring a scene's layout sweep (rendering in the sweep's own process): it stops with
    the summary of what it ran so far."""
    cmd = Command(["--seconds", "3600", "--database", str(tmp_path / "db"),
                   str(ROOT / "tests" / "test_layout.py"), "-k", "test_layout_sweep and jacobian"],
                  warm, program=(sys.executable, str(ROOT / "tests" / "sweep.py")))
    assert cmd.wait_for("sweep")[2] == "tests/test_layout.py::test_layout_sweep[jacobian-grid]"
    status, out, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    lines = out.splitlines()
    assert lines[0].startswith("sweep: 3600 s over 1 scene sweeps and 0 properties")
    # what the signal broke in hypothesis' engine is no failure
    assert lines[-1].startswith("sweep: 1 targets, ") and \
        lines[-1].endswith(" s (interrupted); nothing failed"), out
