"""The command line, through subprocess: JSON keys, the text report, exit codes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "jacviz"
G = "(x1, x2) -> (x1**2 + x2, x1*x2)"
F = "(u1, u2) -> u1 + u2**2"


def run(*args, cwd=None):
    exe = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "jacviz"]
    return subprocess.run(exe + list(args), capture_output=True, text=True, timeout=120, cwd=cwd)


def test_console_script_installed():
    assert BIN.exists() or shutil.which("jacviz")


def test_check_json_worked_example():
    out = run("check", "--map", G, "--map", F, "--at", "1,2", "--dx", "0.1,0.1", "--grad", "1", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"spaces", "points", "jacobians", "jacobians_symbolic", "jacobian",
                         "pushforward", "pullback", "duality"}
    assert data["spaces"] == 3
    assert data["points"] == [[1, 2], [3, 2], [7]]
    assert data["jacobians"] == [[[2, 1], [2, 1]], [[1, 4]]]
    assert data["jacobians_symbolic"] == [[["2*x1", "1"], ["x2", "x1"]], [["1", "2*u2"]]]
    assert data["jacobian"] == [[10, 5]]
    assert data["pushforward"][0] == [0.1, 0.1]
    assert data["pushforward"][1] == pytest.approx([0.3, 0.3])
    assert data["pushforward"][2] == pytest.approx([1.5])
    assert data["pullback"] == [[10, 5], [1, 4], [1]]
    assert data["duality"]["forward"] == pytest.approx(1.5)
    assert data["duality"]["backward"] == pytest.approx(1.5)


def test_check_defaults_dx_first_axis_grad_ones():
    out = run("check", "--map", "(x, y) -> (x^2 - y, x*y)", "--at", "1,2", "--json")
    data = json.loads(out.stdout)
    assert data["spaces"] == 2
    assert data["jacobian"] == [[2, -1], [2, 1]]
    assert data["pushforward"][0] == [1, 0]
    assert data["pushforward"][1] == [2, 2]
    assert data["pullback"][-1] == [1, 1]
    assert data["pullback"][0] == [4, 0]


def test_check_text_report():
    out = run("check", "--map", G, "--map", F, "--at", "1,2")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Dg is 2 x 2" in text and "Df is 1 x 2" in text
    assert "2*x1" in text and "2*u2" in text
    assert "[ 10  5 ]" in text
    assert "total Jacobian D(f o g) is 1 x 2" in text
    assert "(equal)" in text


BAD = [
    (["check", "--map", "x -> y", "--at", "1"], "unknown name 'y'"),
    (["check", "--map", G, "--at", "1,2,3"], "--at has 3 numbers; expected 2"),
    (["check", "--map", G, "--map", F, "--at", "1,2", "--grad", "1,1"], "--grad has 2 numbers; expected 1"),
    (["check", "--map", G, "--map", "(a, b, c) -> a", "--at", "1,2"], "the shapes do not fit"),
    (["check", "--map", "x -> log(x)", "--at", "0"], "not finite"),
    (["check", "--at", "1"], "give at least one --map"),
    (["check", "--map", G], "--at"),
    (["check", "--map", "x -> __import__('os').system('true')", "--at", "1"], "attribute access"),
    (["check", "--map", "x -> x**9**9**9", "--at", "1"], "exponent"),
    (["check", "--map", G, "--at", "a,b"], "unknown name"),
    (["nonsense"], "invalid choice"),
    (["check", "--at", "1", "--map", "x -> x", "--bogus"], "unrecognized arguments"),
]


@pytest.mark.parametrize("args,fragment", BAD)
def test_bad_input_one_line_exit_2(args, fragment):
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in out.stderr


def test_doctor_lists_every_dependency():
    out = run("doctor")
    for name in ("python", "cairo", "pango", "latex", "dvisvgm", "manim"):
        assert name in out.stdout
    assert out.returncode in (0, 1)
    assert (out.returncode == 0) == ("MISSING" not in out.stdout)


def test_negative_numbers_as_typed():
    """--at -1.2,0.5: a value that starts with '-' is a value, for every option that takes one."""
    out = run("check", "--map", G, "--map", F, "--at", "-1.2,0.5", "--dx", "-0.1,0.1",
              "--grad", "-2", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["points"][0] == [-1.2, 0.5]
    assert data["pushforward"][0] == [-0.1, 0.1]
    assert data["pullback"][-1] == [-2]
    # the same through the = form, and with parentheses
    same = run("check", "--map", G, "--map", F, "--at=-1.2,0.5", "--dx", "(-0.1, 0.1)", "--grad", "-2", "--json")
    assert json.loads(same.stdout) == data
    # an option name after an option is still an option: a missing value is named
    out = run("check", "--map", G, "--at", "--json")
    assert out.returncode == 2 and "argument --at: expected one argument" in out.stderr


@pytest.mark.parametrize("args,fragment", [
    (["--resolution", "-320,180"], "--resolution"),
    (["--fps", "-5"], "--fps -5 is out of range"),
    (["--set", "point=-1,-2", "--fps", "-1"], "--fps -1 is out of range"),
])
def test_negative_render_options_reach_their_own_check(args, fragment, tmp_path):
    out = run("render", "two-way", *args, "--out", str(tmp_path / "x.mp4"))
    assert out.returncode == 2, out.stderr
    assert fragment in out.stderr and "expected one argument" not in out.stderr
    assert not (tmp_path / "x.mp4").exists()


def test_the_cli_offers_the_studio_s_formats():
    from jacviz.cli import RENDER_FORMATS
    from jacviz.studio.request import RENDER_FORMATS as STUDIO

    assert RENDER_FORMATS == STUDIO


@pytest.mark.parametrize("args", [["params", "two-way"], ["list"],
                                  ["check", "--map", "(x, y) -> (x*y, x + y)", "--at", "1,2"]])
def test_a_reader_that_went_away_is_no_error(args):
    """`jacviz params two-way | head -1`, when head has gone before jacviz writes: the pipe's
    reading end is closed before jacviz starts, so its first write fails.  jacviz stops
    quietly (status 141, as for SIGPIPE), never a BrokenPipeError traceback."""
    import os

    r, w = os.pipe()
    os.close(r)  # the reader is gone
    try:
        proc = subprocess.run([sys.executable, "-m", "jacviz", *args], stdout=w,
                              stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(w)
    assert (proc.returncode, proc.stderr.decode()) == (141, "")


def test_bench_only_offers_every_part_of_the_bench():
    import argparse

    from jacviz.cli import build_parser
    from jacviz.studio.bench import PARTS

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    only = next(a for a in sub.choices["bench"]._actions if a.dest == "only")
    assert list(only.choices) == list(PARTS)
