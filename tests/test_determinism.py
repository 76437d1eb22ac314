"""Two runs of the suite run the same examples (issue 22: a fresh clone's CI failed on a map
hypothesis had just drawn for the first time).

Every hypothesis property and scene sweep is derandomized (its seed comes from its own code)
and reads no example database (tests/conftest.py), whatever differs between two runs: CI set
or not, one process or xdist's workers, the hash seed, the tests that ran before in the same
process (hypothesis also draws constants found in the source of the modules imported so far),
what an earlier run left in ``.hypothesis/``.  The test below runs properties and a scene's
sweep in two pytest processes that differ in all of that, logs every example each runs
(hypothesis' observability, ``JACVIZ_DRAW_LOG``) and compares.  New random cases are the
job of `make sweep` (tests/sweep.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
PROPERTIES = ["tests/test_properties.py::test_vectorized_equals_pointwise",
              "tests/test_costs.py::test_structure_is_sound_and_dense_equals_full_structure"]
SWEEP = "tests/test_layout.py::test_layout_sweep[local-linearity]"  # has kept examples
BEFORE = "tests/test_layout.py::test_kept_sweep_examples_are_accepted"  # imports every scene


def test_the_suite_profile_is_derandomized_and_reads_no_database():
    assert settings.default.derandomize is True
    assert settings.default.database is None


def run(cwd: Path, nodes, extra_env: dict, *args) -> dict[str, list]:
    """Run pytest on ``nodes`` in ``cwd``; every example each property ran, in order."""
    cwd.mkdir(parents=True, exist_ok=True)
    log = cwd / "draws.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONHASHSEED")}
    env.update(extra_env, JACVIZ_DRAW_LOG=str(log), JACVIZ_SWEEP_DRAWS="2")
    res = subprocess.run([sys.executable, "-m", "pytest", *[str(ROOT / n) for n in nodes],
                          "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"), "-q",
                          "-p", "no:cacheprovider", *args],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    draws: dict[str, list] = {}
    for line in log.read_text().splitlines():
        d = json.loads(line)
        draws.setdefault(d["property"].split("::")[-1], []).append(
            (d["example"], d["how"], d["status"]))
    return draws


def test_two_runs_run_the_same_examples(tmp_path):
    a = run(tmp_path / "a", [*PROPERTIES, SWEEP], {}, "-n", "0")
    b_cwd = tmp_path / "b"
    (b_cwd / ".hypothesis" / "examples").mkdir(parents=True)  # an earlier run's database
    b = run(b_cwd, [BEFORE, *PROPERTIES, SWEEP], {"CI": "true", "PYTHONHASHSEED": "4242"},
            "-n", "2")
    names = [n.split("::")[-1] for n in PROPERTIES] + ["layout_check"]  # the sweep's property
    assert sorted(a) == sorted(b) == sorted(names)
    for name in names:
        assert a[name] == b[name], f"{name}: the two runs drew different examples"
        assert sum(1 for _, how, st in a[name] if "generate" in how and st == "passed") >= 2
    # the scene's kept examples run first, every time
    kept = [ex for ex, how, _ in a["layout_check"] if how == "explicit example"]
    from sweeps.local_linearity import EXAMPLES

    assert len(kept) == len(EXAMPLES) == 7 and "-2*x - -2*x" in kept[1]
    assert not (tmp_path / "a" / ".hypothesis" / "examples").exists()  # nothing saved either
