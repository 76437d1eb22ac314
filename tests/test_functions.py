"""The functions lecturers type beyond the first nine: asin acos atan atan2 sinh cosh,
log with a base, min and max, relu.  For each: the value against numpy, the symbolic
Jacobian against finite differences, the refusal outside the domain and at a kink (one
line, exit status 2 from ``jacviz check``), the pages' JavaScript in headless Chromium
against numpy, the practice sets' reader (Python and the deck's JavaScript), networks
with relu; and variable names written as Greek letters in TeX."""

from __future__ import annotations

import json
import subprocess
import sys

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacviz import Chain, Map, NumericError, ParseError, self_check
from jacviz.core import exercises as ex
from jacviz.core import jsgen
from jacviz.core.fmt import tex_expr
from jacviz.core.maps import _mp_fn, finite_difference_jacobian
from jacviz.core.network import Network
from jacviz.core.parse import FUNCTIONS, parse_expr, parse_number, relu, symbol
from jacviz.core.texnames import latex, tex_name

from browser import launch

X, Y = symbol("x"), symbol("y")

# -- every new function: (map, numpy's value, points inside the domain, away from kinks) -----
FUNCS = {
    "asin": ("x -> asin(x)", lambda x: np.arcsin(x), [[-0.9], [-0.3], [0.2], [0.75]]),
    "acos": ("x -> acos(x)", lambda x: np.arccos(x), [[-0.9], [-0.3], [0.2], [0.75]]),
    "atan": ("x -> atan(x)", lambda x: np.arctan(x), [[-3.0], [-0.5], [0.4], [2.0]]),
    "sinh": ("x -> sinh(x)", lambda x: np.sinh(x), [[-3.0], [-0.5], [0.4], [2.0]]),
    "cosh": ("x -> cosh(x)", lambda x: np.cosh(x), [[-3.0], [-0.5], [0.4], [2.0]]),
    "relu": ("x -> relu(x)", lambda x: np.maximum(x, 0), [[-2.0], [-0.5], [0.3], [1.7]]),
    "atan2": ("(y, x) -> atan2(y, x)", lambda y, x: np.arctan2(y, x),
              [[1.0, 2.0], [-0.5, 0.3], [2.0, -1.0], [-1.0, -0.5]]),
    "log base": ("(x, b) -> log(x, b)", lambda x, b: np.log(x) / np.log(b),
                 [[8.0, 2.0], [0.3, 10.0], [5.0, 0.5], [1.5, 3.0]]),
    "min": ("(x, y) -> min(x, y)", lambda x, y: np.minimum(x, y),
            [[1.0, 2.0], [-0.5, -1.5], [3.0, 0.2], [0.1, 0.4]]),
    "max": ("(x, y) -> max(x, y)", lambda x, y: np.maximum(x, y),
            [[1.0, 2.0], [-0.5, -1.5], [3.0, 0.2], [0.1, 0.4]]),
    "max of 3": ("(x, y, z) -> max(x, y, 2*z)", lambda x, y, z: np.maximum(np.maximum(x, y), 2 * z),
                 [[1.0, 2.0, 0.5], [-0.5, -1.5, 1.0], [3.0, 0.2, -1.0]]),
    "min of 3": ("(x, y, z) -> min(x*y, y, z)", lambda x, y, z: np.minimum(np.minimum(x * y, y), z),
                 [[1.5, 2.0, 0.5], [-0.5, -1.5, 1.0], [3.0, 0.2, -1.0]]),
}
NEW = ["asin", "acos", "atan", "atan2", "sinh", "cosh", "min", "max", "relu"]


def test_the_parser_lists_every_new_function():
    assert set(NEW) <= set(FUNCTIONS)
    assert parse_expr("log(8, 2)") == 3 and parse_expr("max(1, 5, 2)") == 5
    assert parse_expr("min(x, y)", ["x", "y"]) == sympy.Min(X, Y)
    assert parse_expr("relu(x)", ["x"]) == relu(X) and parse_expr("relu(-2)") == 0
    assert parse_expr("atan2(y, x)", ["x", "y"]) == sympy.atan2(Y, X)


@pytest.mark.parametrize("name", list(FUNCS))
def test_value_and_jacobian(name):
    """The value equals numpy's; the symbolic Jacobian equals central differences and
    passes the self-check (one-sided quotients in high precision)."""
    text, ref, pts = FUNCS[name]
    mp = Map(text)
    pts = np.array(pts, dtype=float)
    np.testing.assert_allclose(mp(pts)[:, 0], ref(*pts.T), rtol=1e-13, atol=1e-15)
    for p in pts:
        np.testing.assert_allclose(mp.jacobian(p), finite_difference_jacobian(mp, p),
                                   rtol=1e-7, atol=1e-9)
        assert self_check(mp, p).max_rel_error < 1e-6


def test_derivatives_are_the_textbook_ones():
    J = Map("(x, y) -> (asin(x), acos(x), atan(x), sinh(x), cosh(x), atan2(y, x), log(x, 2))")
    d = [sympy.simplify(e) for e in J.jacobian_symbolic]
    assert d[0] == 1 / sympy.sqrt(1 - X**2) and d[2] == -1 / sympy.sqrt(1 - X**2)
    assert d[4] == 1 / (X**2 + 1) and d[6] == sympy.cosh(X) and d[8] == sympy.sinh(X)
    assert d[10] == -Y / (X**2 + Y**2) and d[11] == X / (X**2 + Y**2)
    assert sympy.simplify(d[12] - 1 / (X * sympy.log(2))) == 0
    # the step: 1 on one side of the kink, 0 on the other
    K = Map("(x, y) -> (max(x, y), min(x, y), relu(x))")
    np.testing.assert_array_equal(K.jacobian([2.0, 1.0]), [[1, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(K.jacobian([-2.0, 1.0]), [[0, 1], [1, 0], [0, 0]])


# -- refusals: one line, exit status 2 --------------------------------------------------------
_RUNNER = r"""
import contextlib, io, json, sys
from jacviz.cli import main
out = []
for argv in json.load(sys.stdin):
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        status = main(argv)
    out.append({"status": status, "stdout": o.getvalue(), "stderr": e.getvalue()})
print(json.dumps(out))
"""


def run_checks(cases):
    """``jacviz check --map M --at X`` for each (map, point), in one process."""
    argv = [["check", *[a for m in maps.split("; ") for a in ("--map", m)], "--at", at]
            for maps, at in cases]
    res = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(argv),
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout)


REFUSED = [  # (map, point, what the one line says)
    ("x -> asin(x)", "2", "asin(x) needs an argument in [-1, 1]; at the point it is 2"),
    ("x -> acos(x/2)", "-3", "acos(x/2) needs an argument in [-1, 1]; at the point it is -1.5"),
    ("x -> log(x, 2)", "-1", "log(x) needs a positive argument; at the point it is -1"),
    ("(x, b) -> log(x, b)", "2,-2", "log(b) needs a positive argument; at the point it is -2"),
    ("(x, b) -> log(x, b)", "2,1", "log(b) is 0 in a denominator"),
    ("x -> sqrt(x - 1)", "0", "sqrt(x - 1) needs an argument >= 0; at the point it is -1"),
    ("(y, x) -> atan2(y, x)", "0,0", "atan2(y, x) is not defined where both arguments are 0"),
    ("x -> asin(x)", "1", "asin(x) has no derivative where its argument is 1"),
    ("x -> sqrt(x)", "0", "sqrt(x) has no derivative where x = 0"),
    # kinks: the quotients from the two sides differ, and the kink is named
    ("(x, y) -> max(x, y)", "1,1", "max(x, y) has a kink where its two largest arguments are equal"),
    ("(x, y) -> min(x, y, 2)", "2,3", "min(2, x, y) has a kink where its two smallest arguments"),
    ("x -> relu(x - 1)", "1", "relu(x - 1) has a kink where its argument is 0"),
    ("x -> abs(x)", "0", "abs(x) has a kink where its argument is 0"),
    ("(y, x) -> atan2(y, x)", "0,-1", "atan2(y, x) jumps by 2 pi where y = 0 and x < 0"),
    ("x -> (x, x^2); (u, v) -> max(u, v) + relu(v - u)", "1",
     "stage 2 (map f): Jacobian entry (1,1)"),
]


def test_refusals_are_one_line_with_exit_status_2():
    results = run_checks([(m, at) for m, at, _ in REFUSED])
    for (m, at, says), r in zip(REFUSED, results):
        assert r["status"] == 2, (m, at, r)
        assert r["stdout"] == "", (m, at, r["stdout"])
        lines = r["stderr"].splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (m, at, r["stderr"])
        assert says in lines[0], (m, at, lines[0])
        assert "Traceback" not in r["stderr"]
    # the same maps pass a point inside the domain, away from the kinks
    fine = run_checks([("x -> asin(x)", "0.5"), ("(x, y) -> max(x, y)", "1,2"),
                       ("x -> relu(x - 1)", "2"), ("(y, x) -> atan2(y, x)", "1,-1"),
                       ("(x, b) -> log(x, b)", "8,2")])
    assert [r["status"] for r in fine] == [0] * 5, fine
    assert "duality:" in fine[4]["stdout"] and fine[4]["stderr"] == ""


@pytest.mark.parametrize("text,says", [
    ("x -> asin(2)", "asin needs an argument in [-1, 1]; here it is 2"),
    ("x -> x + acos(-1.5)", "acos needs an argument in [-1, 1]; here it is -1.5"),
    ("x -> log(0)", "log needs a positive argument; here it is 0"),
    ("x -> log(8, 1)", "the base of log must be positive and not 1; here it is 1"),
    ("x -> log(8, -2)", "the base of log must be positive and not 1; here it is -2"),
    ("x -> atan2(0, 0)", "atan2 is not defined where both arguments are 0"),
    ("x -> max(x)", "max takes two or more arguments"),
    ("x -> min()", "min takes two or more arguments"),
    ("x -> atan2(x)", "atan2 takes exactly two arguments"),
    ("x -> log(x, 2, 3)", "log takes one or two arguments"),
    ("x -> relu(x, 1)", "relu takes exactly one argument"),
    ("x -> cos(sinh(1000000))", "more than 10000 digits"),
    ("(max, y) -> y", "reserved"),
])
def test_the_parser_refuses_with_the_domain(text, says):
    with pytest.raises(ParseError) as exc:
        Map(text)
    assert says in str(exc.value) and "\n" not in str(exc.value)


# -- a property: random compositions inside the domains ---------------------------------------
# each piece maps the reals into its next argument's domain: asin and acos take a tanh,
# log a positive argument (1 + u^2) to a base in (0, 1) or (1, oo)
PIECES = ["asin(tanh({}))", "acos(0.9*tanh({}))", "atan({})", "sinh({}/3)", "cosh({}/3)",
          "log(1 + ({})^2, 3)", "log(2 + sin({}), 0.5)", "relu({})", "atan2({}, 2 + cos({}))",
          "max({}, 0.5*{} + 1)", "min({}, 1 - {})", "max({}, -{}, 0.25)"]


@st.composite
def composed(draw):
    def expr(depth):
        if depth == 0:
            return draw(st.sampled_from(["x", "y", "x*y", "x - y", "0.5*x + 1"]))
        piece = draw(st.sampled_from(PIECES))
        return piece.format(*[expr(depth - 1) for _ in range(piece.count("{}"))])

    outs = [expr(draw(st.integers(1, 3))) for _ in range(draw(st.integers(1, 2)))]
    p = draw(st.lists(st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3)),
                      min_size=2, max_size=2))
    return "(x, y) -> (" + ", ".join(outs) + ")", np.array(p)


def central_differences(mp: Map, p, h=mpmath.mpf("1e-20")) -> np.ndarray:
    """Central differences in 60 digits: the step is far below any distance to a kink
    that a point with three decimals can have, unless it is on one."""
    value = _mp_fn(mp, "value")
    J = np.zeros((mp.m, mp.n))
    with mpmath.workdps(60):
        X = [mpmath.mpf(float(v)) for v in p]
        for j in range(mp.n):
            up, down = list(X), list(X)
            up[j] += h
            down[j] -= h
            J[:, j] = [float((a - b) / (2 * h)) for a, b in zip(value(*up), value(*down))]
    return J


@settings(max_examples=40)
@given(composed())
def test_symbolic_jacobian_equals_finite_differences(case):
    text, p = case
    mp = Map(text)
    try:
        self_check(mp, p)
    except NumericError as exc:  # a kink drawn exactly (relu(0), max with equal arguments)
        assert "has a kink where" in str(exc), str(exc)
        return
    np.testing.assert_allclose(mp.jacobian(p), central_differences(mp, p), rtol=1e-9, atol=1e-12)


# -- the pages' JavaScript, in headless Chromium ----------------------------------------------
JS_MAPS = [
    ("(x, y, z) -> (asin(x/2), acos(y/3), atan(x*y), atan2(y, x), sinh(x), cosh(y), "
     "log(abs(x) + 1, 2), log(x*x + 1, z*z + 2), min(x, y), max(x, y, z), relu(x - y), "
     "min(x*y, z, 0.5) + relu(relu(z)))",
     [[0.5, -1.2, 0.3], [-1.5, 2.5, 1.0], [1.9, 0.4, -2.0], [-0.3, -0.7, 0.0], [2.0, 2.9, 1.5],
      [1.0, 1.0, 1.0], [-1.0, 0.0, 0.5],
      [3.0, 4.0, 0.1]]),  # asin(1.5), acos(4/3): NaN, as numpy
    ("(th, r) -> (r*cos(th), r*sin(th), atan2(r*sin(th), r*cos(th)))",
     [[0.3, 2.0], [2.5, 0.5], [-2.0, 1.5], [0.0, 0.0]]),
]


def test_javascript_matches_numpy_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    maps = [Map(t) for t, _ in JS_MAPS]
    data = ", ".join(jsgen.to_js_object(jsgen.compile_map(mp)) for mp in maps)
    page_file = tmp_path / "functions.html"
    page_file.write_text("<!doctype html><meta charset='utf-8'><title>jsgen</title>\n<script>\n"
                         f"{jsgen.prelude()}\nconst MAPS = [{data}];\n</script>\n",
                         encoding="utf-8")
    errors = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_file.resolve().as_uri())
        got = page.evaluate("""(points) => MAPS.map((m, k) => points[k].map(
            (p) => [m.value(p), m.jacobian(p)].map((a) => JSON.stringify(a,
                (key, v) => (typeof v === 'number' && !Number.isFinite(v)) ? String(v) : v))))""",
                            [pts for _, pts in JS_MAPS])
        browser.close()
    assert not errors, errors

    def decode(text):
        return np.array(json.loads(text.replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
                                   .replace('"-Infinity"', "-Infinity")), dtype=float)

    for mp, (_, pts), rows in zip(maps, JS_MAPS, got):
        for p, (value, jac) in zip(pts, rows):
            with np.errstate(all="ignore"):
                np.testing.assert_allclose(decode(value), mp(p), rtol=1e-12, atol=1e-14,
                                           err_msg=f"{mp.text} value at {p}")
                np.testing.assert_allclose(decode(jac), mp.jacobian(p), rtol=1e-12, atol=1e-14,
                                           err_msg=f"{mp.text} Jacobian at {p}")
    # the checks above must have compared real numbers, NaN where numpy has NaN
    v = decode(got[0][7][0])
    assert np.isnan(v[0]) and np.isnan(v[1]) and v[4] == pytest.approx(np.sinh(3.0))
    assert decode(got[0][5][1])[9].tolist() == [0.5, 0.5, 0.5]  # a tie: sympy's H(0) = 1/2


# -- the practice sets: typed answers ---------------------------------------------------------
def _forms(a: float) -> tuple[list[str], list[str]]:
    right = [f"max({a}, {a} - 1)", f"min({a}, {a} + 1, {a} + 2)", f"{a} + asin(0) + atan(0)",
             f"{a} + atan2(0, 1)", f"cosh(0)*{a} + sinh(0)", f"{a} + log(8, 2) - 3",
             f"relu({a}) - relu(-({a}))", f"{a} + acos(1)"]
    wrong = [f"max({a} + 1, {a})", f"{a} + log(4, 2)", f"{a} + cosh(1)", f"max({a})",
             f"{a} + atan2(0, 0)", f"{a} + asin(2)", f"{a} + log(2, 1)"]
    return right, wrong


def test_typed_answers_may_use_the_new_functions(tmp_path):
    """check_answer (Python) and the deck's reader (JavaScript, in node) agree on answers
    typed with the new functions: the right ones are right, the wrong and undefined wrong."""
    from jacviz.studio.practice_deck import CHECKER

    cases, want = [], []
    for kind in ("jacobian-entry", "pullback", "pushforward"):
        e = ex.generate(kind, 1)
        a = e.answer if not isinstance(e.answer, list) else e.answer[0]
        right, wrong = _forms(a)
        if isinstance(e.answer, list):  # a vector: the new forms in its first entry
            rest = ", ".join(str(v) for v in e.answer[1:])
            right, wrong = [f"{t}, {rest}" for t in right], [f"{t}, {rest}" for t in wrong]
        for t in right:
            assert ex.check_answer(e, t), (e.id, t)
        for t in wrong:
            assert not ex.check_answer(e, t), (e.id, t)
        cases += [{"ex": {"answer": e.answer, "tolerance": e.tolerance}, "typed": t}
                  for t in right + wrong]
        want += [True] * len(right) + [False] * len(wrong)
    script = tmp_path / "reader.js"
    script.write_text(CHECKER + "\nconst cases = " + json.dumps(cases) + ";\n"
                      "console.log(JSON.stringify(cases.map(c => JV.check(c.ex, c.typed))));\n")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == want
    assert parse_number("atan2(1, 1)*4") == pytest.approx(np.pi)


# -- networks ---------------------------------------------------------------------------------
def test_relu_network_backprop_matches_the_chain():
    net = Network.from_sizes([2, 3, 2, 1], ["relu", "tanh"], seed=1)
    x = np.array([1.0, -0.5])
    fp = net.forward(x)
    assert np.array_equal(fp.values[2], np.maximum(fp.values[1], 0))
    assert (fp.values[1] < 0).any() and (fp.values[1] > 0).any()  # both sides of the kink
    sweep = net.backward(fp)
    chain = net.chain()
    np.testing.assert_allclose(sweep.grads[0], chain.jacobian(x)[0], rtol=1e-12)
    np.testing.assert_allclose(chain.jacobian(x), finite_difference_jacobian(
        Map.from_exprs(chain.maps[0].inputs, chain.composed_symbolic[-1]), x), rtol=1e-8)
    assert self_check(chain, x).max_rel_error < 1e-6
    assert r"\mathbf{1}_{h^{(1)} > 0}" in sweep.steps[3].tex
    assert r"\operatorname{relu}" in net.definition_tex()


def test_relu_network_at_its_kink_is_refused():
    net = Network.one_hidden([[1.0, 1.0], [1.0, -1.0]], [0.0, 0.5], [1.0, 1.0], "relu")
    with pytest.raises(NumericError, match="relu\\(a1\\) has a kink where its argument is 0"):
        self_check(net.chain(), [1.0, -1.0])  # a1 = 1 - 1 + 0 = 0


# -- TeX ----------------------------------------------------------------------------------------
def test_tex_of_the_functions():
    tex = [tex_expr(e) for e in Map("(x, y) -> (asin(x), acos(x), atan(x), relu(x), min(x, y), "
                                    "max(x, y), atan2(y, x), sinh(x))").outputs]
    assert tex[0] == r"\arcsin{\left(x \right)}" and tex[1] == r"\arccos{\left(x \right)}"
    assert tex[2] == r"\arctan{\left(x \right)}"
    assert tex[3] == r"\operatorname{relu}\left(x\right)"
    assert tex[4] == r"\min\left(x, y\right)" and tex[5] == r"\max\left(x, y\right)"
    assert tex[6] == r"\operatorname{atan2}{\left(y, x \right)}" and tex[7] == r"\sinh{\left(x \right)}"
    # the step in a derivative is an indicator, not sympy's theta (which reads as a variable)
    jac = latex(Map("(x, y) -> max(x, y)").jacobian_symbolic)
    assert r"\mathbf{1}_{x > y}" in jac and r"\mathbf{1}_{y > x}" in jac and r"\theta" not in jac


@pytest.mark.parametrize("name,tex", [
    ("th", r"\theta"), ("th1", r"\theta_{1}"), ("th_0", r"\theta_{0}"), ("theta", r"\theta"),
    ("Th", r"\Theta"), ("phi", r"\phi"), ("alpha", r"\alpha"), ("beta2", r"\beta_{2}"),
    ("gamma", r"\gamma"), ("delta", r"\delta"), ("sigma", r"\sigma"), ("mu", r"\mu"),
    ("lam", r"\lambda"), ("Lambda", r"\Lambda"), ("rho", r"\rho"), ("tau", r"\tau"),
    ("omega", r"\omega"), ("Omega", r"\Omega"), ("psi", r"\psi"), ("eta", r"\eta"),
    ("kappa", r"\kappa"), ("nu", r"\nu"), ("xi", r"\xi"), ("epsilon", r"\epsilon"),
    ("eps", r"\epsilon"), ("t", "t"), ("x", "x"), ("x1", "x_{1}"), ("z_0", "z_{0}"),
    ("thx", "thx"), ("the", "the"), ("path", "path")])
def test_greek_names(name, tex):
    assert tex_name(name) == tex


def test_greek_names_everywhere_names_become_tex():
    """The screen (tex_expr), the kit's labels and space names, the pages' TeX, the
    exercises: one function, so th is theta in all of them."""
    from jacviz.kit import space_tex
    from jacviz.kit import tex_name as kit_tex_name

    mp = Map("(th, r) -> (r*cos(th), r*sin(th))")
    assert tex_expr(mp.outputs[0]) == r"r \cos{\left(\theta \right)}"
    assert tex_expr(mp.inputs[0]) == r"\theta"
    assert kit_tex_name("th") == r"\theta" and kit_tex_name("t") == "t"
    assert space_tex(["th1", "th2"]) == r"\theta" and space_tex(["th", "r"]) == \
        r"\left(\theta,\, r\right)"
    page = jsgen.compile_map(mp)
    assert page["output_tex"][1] == r"r \sin{\left(\theta \right)}"
    assert r"\theta" in page["jacobian_tex"]
    chain = Chain([Map("(lam, t) -> (lam*t, t)"), Map("(u, v) -> u + v")])
    assert [space_tex(s) for s in chain.space_names] == [r"\left(\lambda,\, t\right)",
                                                         r"\left(u,\, v\right)", "y"]


def test_greek_names_are_read_by_their_names():
    from jacviz.core.spoken import say_name

    assert say_name("th1") == "theta one" and say_name("lam") == "lambda"
    assert say_name("t") == "t" and say_name("the") == "the"


def test_captions_and_pages_write_the_functions_as_typed():
    from jacviz.core.fmt import plain_expr

    mp = Map("(x, y) -> (max(x, y) + abs(x), min(x, y, 1), log(x, 2), relu(y))")
    assert [plain_expr(o) for o in mp.outputs] == [
        "abs(x) + max(x, y)", "min(1, x, y)", "log(x)/log(2)", "relu(y)"]
    assert plain_expr(mp.jacobian_symbolic[0, 1]) == "step(-x + y)"  # 1 where y > x
