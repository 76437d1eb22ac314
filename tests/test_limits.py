"""Issue 22, part B: the limits jacviz states, each with its one-line error, and nothing
lost or crashing at them: config files (encoding, nesting, tables naming scenes), the
number of stages, the nesting of expressions, the size of numbers the scenes draw (and
the axes at that size), user text quoted in errors, and `jacviz doctor`'s optional parts."""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jacviz import Map, ParseError
from jacviz.core.errors import JacvizError, quote
from jacviz.core.fmt import nice_floor, nice_range
from jacviz.core.limits import DRAW_LIMIT, MAX_DEPTH, MAX_STAGES

BIN = Path(sys.executable).parent / "jacviz"
LINEAR = "(x1, x2) -> (x1 + 2*x2, x1 - x2)"


def run(*args, cwd=None, timeout=300):
    exe = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "jacviz"]
    return subprocess.run(exe + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def one_error_line(out) -> str:
    """The command failed as the house rules say: exit 2, one line `error: ...`, no
    traceback, nothing on stdout; returns the line."""
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr[-2000:]
    return lines[0]


# -- config files ------------------------------------------------------------------------
def test_config_that_is_not_utf8_names_the_file_and_the_byte(tmp_path):
    cfg = tmp_path / "latin1.toml"
    cfg.write_bytes("# caf\u00e9\npoint = [2, 1]\n".encode("latin-1"))
    line = one_error_line(run("preview", "two-way", "--config", cfg, cwd=tmp_path))
    assert line == (f"error: config file {str(cfg)!r} is not UTF-8 text: byte 5 is 0xe9; "
                    f"save it as UTF-8")
    assert not (tmp_path / "renders").exists()


def test_config_nested_100000_deep_is_refused_before_parsing(tmp_path):
    cfg = tmp_path / "deep.toml"
    cfg.write_text("point = " + "[" * 100_000 + "]" * 100_000 + "\n")
    for command in ("preview", "render", "interactive"):
        line = one_error_line(run(command, "two-way", "--config", cfg, cwd=tmp_path))
        assert line == (f"error: config file {str(cfg)!r} nests arrays or tables 100000 deep; "
                        f"the limit is 32")
    assert not (tmp_path / "renders").exists()


def test_config_nesting_scan_skips_strings_and_comments(tmp_path):
    from jacviz.studio.config import load_toml, toml_depth

    text = ('s = "[[[[ \\" [[[["\nt = \'[[[[\'\nu = """\n[[[[\n"""\n# [[[[[[\n'
            'v = [[1, 2], [3]]\n')
    assert toml_depth(text) == 2
    assert toml_depth(text + "w = [{a = {b = [1]}}]\n") == 4
    cfg = tmp_path / "ok.toml"
    cfg.write_text(text + "[two-way]\npoint = [2, 1]\n")
    assert load_toml(str(cfg))["two-way"] == {"point": [2, 1]}
    cfg.write_text("x = " + "[" * 32 + "]" * 32 + "\n")
    assert load_toml(str(cfg))["x"] is not None  # 32 deep is within the limit
    cfg.write_text("x = " + "[" * 33 + "]" * 33 + "\n")
    with pytest.raises(JacvizError, match="nests arrays or tables 33 deep; the limit is 32"):
        load_toml(str(cfg))


@pytest.mark.parametrize("table, hint", [("no-such-scene", "surface"),
                                         ("twoway", "two-way"), ("tiny_netwrk", "tiny-network")])
def test_config_table_that_names_no_scene_is_an_error(tmp_path, table, hint):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[{table}]\npoint = [2, 1]\n")
    line = one_error_line(run("preview", "two-way", "--config", cfg, cwd=tmp_path))
    assert line == (f"error: config file {str(cfg)!r}: table [{table}] names no scene; "
                    f"did you mean [{hint}]? (see: jacviz list)")


def test_config_table_spelled_as_the_cli_accepts_it_is_that_scene(tmp_path):
    """`jacviz render two_way` renders two-way; so [two_way] configures it."""
    from jacviz.studio import registry
    from jacviz.studio.config import load_toml
    from jacviz.studio.request import resolve_params

    assert registry.resolve_name("two_way") == "two-way"
    cfg = tmp_path / "c.toml"
    cfg.write_text('dx = [0.2, 0.1]\n[two_way]\npoint = [2, 1]\n[Composition]\npoint = [3, 4]\n')
    config = load_toml(str(cfg))
    assert resolve_params("two-way", {}, config).point == (2.0, 1.0)
    assert resolve_params("two-way", {}, config).dx == (0.2, 0.1)  # top-level keys still apply
    assert resolve_params("composition", {}, {"composition": config["composition"]}).point == \
        (3.0, 4.0)
    cfg.write_text("[two-way]\npoint = [1, 1]\n[two_way]\npoint = [2, 2]\n")
    with pytest.raises(JacvizError, match=r"tables \[two-way\] and \[two_way\] both name scene "
                                          r"two-way; keep one"):
        load_toml(str(cfg))


# -- stages ------------------------------------------------------------------------------
def test_too_many_stages_is_one_line_and_the_limit_works():
    line = one_error_line(run("check", *["--map", "(x) -> sin(x)"] * 350, "--at", "1"))
    assert line == f"error: a chain of 350 maps is too long; the limit is {MAX_STAGES} maps"
    out = run("check", *["--map", "(x1, x2) -> (sin(x1)*x2, x1 + cos(x2))"] * MAX_STAGES,
              "--at", "1,1", "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    assert '"spaces": 101' in out.stdout


def test_a_trace_of_a_long_chain_does_not_compose_it_symbolically():
    """The composed expressions nest as deep as the chain is long: only asked for."""
    from jacviz import Chain

    chain = Chain([Map("(x) -> sin(x)", name=f"f{k}") for k in range(MAX_STAGES)])
    tr = chain.trace([1.0])
    assert tr.jacobian.shape == (1, 1)
    assert tr.jacobian[0, 0] == pytest.approx(np.prod([math.cos(p[0]) for p in tr.points[:-1]]))
    assert "composed_symbolic" not in chain.__dict__


# -- nesting of expressions --------------------------------------------------------------
def test_nesting_deeper_than_the_limit_says_so():
    line = one_error_line(run("check", "--map", "x -> " + "(" * 201 + "x" + ")" * 201,
                              "--at", "1"))
    assert line == ("error: map f output is nested too deeply (201 levels of parentheses); "
                    f"the limit is {MAX_DEPTH} levels of parentheses, function calls, powers "
                    "and signs")
    for text, levels in (("x -> " + "-" * 250 + "x", 250), ("x -> " + "x^" * 300 + "2", 300),
                         ("x -> " + "sin(-" * 150 + "x" + ")" * 150, 300)):
        with pytest.raises(ParseError, match=rf"nested too deeply \({levels} levels\); the "
                                             rf"limit is {MAX_DEPTH}"):
            Map(text)


def test_nesting_at_the_limit_works_through_the_command_line():
    """sin(sin(...)) 200 deep: parsed, differentiated, compiled (sympy's generated code would
    nest past Python's 200 parentheses) and printed (past the default recursion limit)."""
    out = run("check", "--map", "x -> " + "sin(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
              "--at", "0.5", "--json")
    assert out.returncode == 0, out.stderr[-2000:]
    y = 0.5
    for _ in range(MAX_DEPTH):
        y = math.sin(y)
    import json

    assert json.loads(out.stdout)["points"][1] == [pytest.approx(y, rel=1e-12)]


def test_a_long_sum_is_one_level():
    """x+x+... with 4000 terms is as deep as x + x (it used to exhaust the recursion)."""
    assert Map("x -> " + "+".join(["x"] * 4000)).outputs[0] == 4000 * Map("x -> x").inputs[0]
    mp = Map("(x, y) -> " + " - ".join(f"{k}*x*y" for k in range(1, 900)) + " / 2")
    assert mp([1.0, 1.0])[0] == pytest.approx(1 - sum(range(2, 899)) - 899 / 2)


# -- numbers the scenes draw -------------------------------------------------------------
POINT_PARAMS = [("jacobian-grid", "point"), ("local-linearity", "point"),
                ("composition", "point"), ("path-sums", "point"), ("path-sums", "point2"),
                ("two-way", "point"), ("two-way", "dx"), ("tiny-network", "x"),
                ("modes", "point"), ("level-sets", "t_range")]


@pytest.mark.parametrize("scene, name", POINT_PARAMS)
@pytest.mark.parametrize("size", ["1e10", "1e15", "1e20", "1e200", "-1e10"])
def test_scenes_refuse_points_too_large_to_draw(scene, name, size):
    """Every scene that takes a point refuses one beyond the limit in validation, the step
    `jacviz preview`, `render` and `interactive` share."""
    from jacviz.studio.request import resolve_params

    with pytest.raises(JacvizError) as exc:
        resolve_params(scene, {name: f"{size},1"})
    shown = {"1e10": "1e+10", "1e15": "1e+15", "1e20": "1e+20", "1e200": "1e+200",
             "-1e10": "-1e+10"}[size]
    assert str(exc.value) == (f"parameter {name}: '{shown},1' is too large to draw (the scenes "
                              f"draw coordinates up to 1e6 in size); jacviz check handles any "
                              f"size")


@pytest.mark.parametrize("size", ["1e10", "1e15", "1e20", "1e200"])
def test_preview_of_a_huge_point_is_one_line_and_check_takes_it(size, tmp_path):
    line = one_error_line(run("preview", "two-way", "--set", f"point={size},1", cwd=tmp_path))
    assert "is too large to draw (the scenes draw coordinates up to 1e6 in size)" in line
    assert not (tmp_path / "renders").exists()
    out = run("check", "--map", LINEAR, "--map", "(u1, u2) -> u1 + u2", "--at", f"{size},1")
    assert out.returncode == 0, out.stderr
    assert "[ 2  1 ]" in out.stdout


def test_points_in_later_spaces_are_limited_too():
    """Two-way draws every space around its point: y0 = 1e12 is refused, naming it."""
    from jacviz.studio.request import resolve_params

    with pytest.raises(JacvizError) as exc:
        resolve_params("two-way", {"point": "1e6,1"})
    assert str(exc.value) == ("at point (1000000, 1), u0 in u-space is (1000002, 999999): too "
                              "large to draw (the scenes draw coordinates up to 1e6 in size); "
                              "jacviz check handles any size")
    with pytest.raises(JacvizError, match=r"at point \(1000, 1\), y0 in y-space is 1002000: too "
                                          r"large to draw"):
        resolve_params("two-way", {"point": "1000,1"})
    with pytest.raises(JacvizError, match=r"F\(x0\) is \(1e\+12, 1\): too large to draw"):
        resolve_params("local-linearity", {"point": "1e6,1", "f": "(x, y) -> (x^2, y)"})
    at_limit = resolve_params("two-way", {"point": "999990,1", "f": "(u1, u2) -> (u1 + u2)/2"})
    assert at_limit.built.tr.points[-1][0] == pytest.approx(999990.5)


def test_a_panel_at_the_limit_keeps_its_tick_labels_inside():
    """At 1e6 the tick labels are six digits wide: the axes shrink so that they stay in the
    panel, and the labels still say where the axes are."""
    from jacviz.kit import SpacePanel

    for dim, point in ((2, [999990.0, 1.0]), (2, [-999990.0, 999990.0]), (1, [999990.5])):
        p = SpacePanel(dim, ["u_1", "u_2"][:dim], point, width=3.2, height=2.2)
        assert p.tick_labels.get_left()[0] >= p.box.get_left()[0]
        assert p.tick_labels.get_right()[0] <= p.box.get_right()[0]
        assert np.all(p.lo <= np.asarray(point)[:2]) and np.all(np.asarray(point)[:2] <= p.hi)
    small = SpacePanel(2, ["u_1", "u_2"], [1.0, 2.0], width=3.2, height=2.2)
    assert small.axes.width == pytest.approx(3.2 - 0.6, abs=0.05) or \
        small.axes.height == pytest.approx(2.2 - 0.5, abs=0.05)  # as before: full size


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, derandomize=True, database=None)
@given(finite, finite, st.integers(1, 8))
def test_nice_range_covers_any_finite_span(lo, hi, ticks):
    a, b, step = nice_range(lo, hi, ticks)
    assert all(math.isfinite(v) for v in (a, b, step)) and step > 0
    slack = 1e-9 * step  # floating-point rounding, far below a pixel
    assert a <= min(lo, hi) + slack and b >= max(lo, hi) - slack
    assert nice_floor(abs(hi) + abs(lo) / 2) > 0


@pytest.mark.parametrize("lo, hi", [(1e10, 1e10), (1e15, 1e15 + 1), (1e20, 1e20), (1e200, 1e200),
                                    (-1.7e308, 1.7e308), (1.7e308, 1.7e308), (5e-324, 1e-300),
                                    (1e20 - 1, 1e20 + 1)])
def test_nice_range_at_the_old_math_domain_errors(lo, hi):
    a, b, step = nice_range(lo, hi)
    assert a <= lo and b >= hi and a < b and 0 < step < math.inf


# -- user text in errors -----------------------------------------------------------------
def test_quote_cuts_long_text_and_says_how_long():
    assert quote("x + 1") == "'x + 1'"
    long = "(x) -> " + "x + " * 2498 + "x"
    assert quote(long) == repr(long[:80] + "…") + " (10 000 characters)"
    assert quote("a\nb") == "'a\\nb'"


@pytest.mark.parametrize("args", [
    ["check", "--map", "(x) -> x + " + "x + " * 2400 + "x !", "--at", "1"],
    ["check", "--map", "x -> x", "--at", "1 + " * 2400 + "1 !"],
    ["check", "--map", "x -> x", "--at", "pi" * 3000],
    ["preview", "two-way", "--set", "point=" + "(" * 150 + "1" + ")" * 150 + "," + "z" * 5000],
    ["preview", "two-way", "--set", "dx" * 5000],
    ["preview", "two-way", "--set", "zz" * 5000 + "=1"],
    ["preview", "two" * 3000],
    ["render", "two-way", "--resolution", "9" * 5000],
])
def test_long_user_text_is_cut_in_error_lines(args, tmp_path):
    line = one_error_line(run(*args, cwd=tmp_path))
    assert len(line) < 400, line
    assert "…" in line and "characters)" in line, line


def test_long_config_values_are_cut(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'point = "{"q" * 9000}"\n')
    line = one_error_line(run("preview", "two-way", "--config", cfg, cwd=tmp_path))
    assert len(line) < 400 and "…' (9 000 characters)" in line, line


# -- jacviz doctor -----------------------------------------------------------------------
def _doctor_without(monkeypatch, capsys, *absent):
    from importlib import metadata

    from jacviz import doctor

    real = metadata.version

    def version(name):
        if name in absent:
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(doctor.metadata, "version", version)
    status = doctor.doctor()
    return status, capsys.readouterr().out


def test_doctor_core_only_reports_the_extras_as_optional(monkeypatch, capsys):
    status, out = _doctor_without(monkeypatch, capsys, "manim", "av", "manim-slides",
                                  "distributed")
    assert status == 0, out
    assert "MISSING" not in out
    assert "  optional  manim        not installed (render: see below)" in out
    assert "  optional  dask         not installed (cluster: see below)" in out
    assert ("optional, render (manim, av, manim-slides not installed): adds rendering: clips, "
            "previews, live pages, slides, gallery, practice sets; install: pip install "
            "'jacviz[render]'") in out
    assert "optional, cluster (dask not installed): adds rendering on a Dask cluster" in out
    assert out.rstrip().endswith("every required part found (optional parts above)")


def test_doctor_requires_what_an_installed_extra_needs(monkeypatch, capsys):
    status, out = _doctor_without(monkeypatch, capsys, "av")  # manim there, PyAV not
    assert status == 1
    assert "  MISSING   av           fix: pip install 'jacviz[render]'" in out
    assert out.rstrip().endswith("1 required part missing")
    status, out = _doctor_without(monkeypatch, capsys, "sympy", "manim")
    assert status == 1 and "  MISSING   sympy" in out and "  optional  manim" in out
