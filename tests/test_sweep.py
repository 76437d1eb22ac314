"""`make sweep` (tests/sweep.py): new random cases, each failure with the command that shows
it, a summary, exit status 1.  Run here on planted properties, for seconds; Ctrl-C is
tested with the other interrupts (tests/test_interrupts.py)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWEEP = ROOT / "tests" / "sweep.py"

PLANTED = '''
import json, os

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st


@settings(max_examples=20)
@given(st.integers(0, 1000))
def test_planted_failure(n):
    note(f"shows it: jacviz check --map 'x -> x' --at {n}")
    assert n < 500, f"{n} is too big"


@settings(max_examples=20)
@given(st.lists(st.floats(-10, 10), min_size=3, max_size=3))
def test_planted_pass(v):
    with open(os.environ["DRAWN"], "a") as fh:
        fh.write(json.dumps(v) + "\\n")


@pytest.mark.sweep
def test_a_planted_scene_sweep():
    pass  # a scene's sweep: its share of the time, at least one batch


def test_not_a_property():
    raise AssertionError("a plain test is not explored")
'''

CONFTEST = '''
from hypothesis import settings

settings.register_profile("jacviz", derandomize=True, database=None, deadline=None)
settings.load_profile("jacviz")
'''


def sweep(folder: Path, name: str, *args):
    folder.mkdir(exist_ok=True)
    (folder / "conftest.py").write_text(CONFTEST)
    (folder / "test_planted.py").write_text(PLANTED)
    drawn = folder / f"{name}.jsonl"
    env = {"DRAWN": str(drawn), "PATH": "/usr/bin:/bin", "HOME": str(folder)}
    res = subprocess.run([sys.executable, str(SWEEP), "--seconds", "2", "--database",
                          str(folder / f"db-{name}"), str(folder / "test_planted.py"), *args],
                         cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    return res, [json.loads(ln) for ln in drawn.read_text().splitlines()] if drawn.exists() else []


def test_sweep_reports_each_failure_with_its_command(tmp_path):
    res, drawn = sweep(tmp_path, "first")
    assert res.returncode == 1, res.stdout + res.stderr
    assert res.stderr == ""
    out = res.stdout.splitlines()
    assert out[0].startswith("sweep: 2 s over 1 scene sweeps and 2 properties")
    fail = out.index(next(ln for ln in out
                          if ln.startswith("FAIL  test_planted.py::test_planted_failure")))
    report = "\n".join(out[fail:])
    assert "AssertionError: 500 is too big" in report  # shrunk to the smallest failing draw
    assert "shows it: jacviz check --map 'x -> x' --at 500" in report
    assert any(ln.startswith("ok    test_planted.py::test_planted_pass") for ln in out)
    assert any(ln.startswith("ok    test_planted.py::test_a_planted_scene_sweep") for ln in out)
    assert not any("test_not_a_property" in ln for ln in out)
    summary = out[out.index(next(ln for ln in out if ln.startswith("sweep: 3 targets"))):]
    assert summary[0].endswith("1 failed:")
    assert summary[1:3] == ["  test_planted.py::test_planted_failure",
                            "    shows it: jacviz check --map 'x -> x' --at 500"]
    assert any((tmp_path / "db-first").rglob("*")), "the failure is not in the example database"
    assert len(drawn) >= 20  # at least one batch of the passing property


def test_sweep_draws_new_cases_each_run(tmp_path):
    """Unlike the suite (tests/test_determinism.py), two sweeps draw different examples."""
    (tmp_path / "a").mkdir()
    _, one = sweep(tmp_path / "a", "one", "-k", "planted_pass")
    _, two = sweep(tmp_path / "a", "two", "-k", "planted_pass")
    assert len(one) >= 20 and len(two) >= 20
    assert one != two


def test_sweep_without_targets_is_an_error(tmp_path):
    res, _ = sweep(tmp_path, "none", "-k", "no_such_property")
    assert res.returncode == 2 and res.stderr == "error: no property or sweep matches\n"
