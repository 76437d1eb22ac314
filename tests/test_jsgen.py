"""jacviz.core.jsgen: maps and Jacobians compiled to JavaScript, run in node, checked against numpy.

Every node run is batched: one ``node`` process evaluates many maps at many points.
"""

import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from jacviz import Chain, JacvizError, Map, NumericError, ParseError
from jacviz.core import jsgen
from jacviz.core.jsgen import JsCode, JsgenError
from jacviz.core.parse import sigmoid, symbol

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node (Node.js) is not installed")

RTOL = 1e-9
ATOL = 1e-12  # for values that cancel to about 0 (the two evaluation orders round differently)
FUNCTIONS = ["sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "abs",
             "asin", "acos", "atan", "sinh", "cosh", "relu"]
_counter = itertools.count()


# -- running JavaScript ----------------------------------------------------------------------

_ENCODE = """
function jv_enc(x) {  /* JSON cannot carry NaN or Infinity: spell them */
  if (Array.isArray(x)) { return x.map(jv_enc); }
  if (typeof x === "string") { return x; }
  if (typeof x !== "number") { return {unexpected: typeof x}; }
  if (Number.isNaN(x)) { return {special: "NaN"}; }
  if (x === Infinity) { return {special: "Infinity"}; }
  if (x === -Infinity) { return {special: "-Infinity"}; }
  return x;
}
"""


@pytest.fixture(scope="module")
def js_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("jsgen")


def run_node(js_dir, body: str):
    """Run prelude + body in one node process; body sets ``OUT``; returns it decoded."""
    path = js_dir / f"case{next(_counter)}.js"
    tail = "\nprocess.stdout.write(JSON.stringify(jv_enc(OUT)));\n"
    path.write_text(jsgen.prelude() + _ENCODE + body + tail)
    res = subprocess.run([NODE, str(path)], capture_output=True, encoding="utf-8", timeout=60)
    assert res.returncode == 0, res.stderr[-2000:]
    return _decode(json.loads(res.stdout))


def _decode(x):
    if isinstance(x, list):
        return [_decode(v) for v in x]
    if isinstance(x, dict):
        assert "special" in x, f"JavaScript returned a {x.get('unexpected')}, not a number"
        return {"NaN": np.nan, "Infinity": np.inf, "-Infinity": -np.inf}[x["special"]]
    return x


def points_literal(points) -> str:
    """A JS array of points; NaN and Infinity allowed (JSON has neither)."""
    return "[" + ", ".join("[" + ", ".join(jsgen.float_literal(float(c)) for c in p) + "]"
                           for p in points) + "]"


def evaluate_maps(js_dir, cases):
    """cases: list of (compiled map, points); returns per case (values, jacobians) from node."""
    items = ", ".join(f"{{f: {jsgen.to_js_object(c)}, points: {points_literal(pts)}}}" for c, pts in cases)
    body = (f"const CASES = [{items}];\n"
            "const OUT = CASES.map(c => c.points.map(p => [c.f.value(p), c.f.jacobian(p)]));")
    out = run_node(js_dir, body)
    return [([np.array(r[0], dtype=float) for r in rows], [np.array(r[1], dtype=float) for r in rows])
            for rows in out]


def assert_close(js, ref, what):
    js, ref = np.asarray(js, dtype=float), np.asarray(ref, dtype=float)
    assert js.shape == ref.shape, f"{what}: shape {js.shape} != {ref.shape}"
    ok = np.isclose(js, ref, rtol=RTOL, atol=ATOL, equal_nan=True)  # inf only matches inf
    assert ok.all(), f"{what}: JavaScript {js[~ok]} != numpy {ref[~ok]}"


def check_against_numpy(js_dir, cases):
    """Compile every map, run all in one node process, compare with Map(x), Map.jacobian(x)."""
    compiled = [(jsgen.compile_map(mp), pts) for mp, pts in cases]
    results = evaluate_maps(js_dir, compiled)
    for (mp, pts), (vals, jacs) in zip(cases, results):
        with np.errstate(all="ignore"):
            for p, v, J in zip(pts, vals, jacs):
                assert_close(v, mp(p), f"{mp.text} value at {list(p)}")
                assert_close(J, mp.jacobian(p), f"{mp.text} Jacobian at {list(p)}")


# -- random maps -----------------------------------------------------------------------------


def expr_strategy(names):
    """Expressions in every allowed function, the four operations and powers."""
    leaves = st.one_of(
        st.sampled_from(names),
        st.integers(-3, 3).map(str),
        st.sampled_from(["0.5", "1.5", "-0.25", "pi/4", "pi/2", "pi", "e", "1/3", "2.5e-3"]),
    )

    def extend(children):
        exponents = st.sampled_from(["2", "3", "-1", "-2", "(1/2)", "(1/3)", "1.5", "(-1/2)"])
        return st.one_of(
            st.tuples(children, children).map(lambda p: f"({p[0]} + {p[1]})"),
            st.tuples(children, children).map(lambda p: f"({p[0]} - {p[1]})"),
            st.tuples(children, children).map(lambda p: f"({p[0]} * {p[1]})"),
            st.tuples(children, children).map(lambda p: f"({p[0]} / {p[1]})"),
            st.tuples(children, exponents).map(lambda p: f"({p[0]})^{p[1]}"),
            st.tuples(children, children).map(lambda p: f"({p[0]})^({p[1]})"),
            st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda p: f"{p[0]}({p[1]})"),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def _real(mp: Map) -> bool:
    """Whether sympy kept the map and its Jacobian real.

    sqrt(-3) makes I, which jsgen refuses (tested below); numpy turns a constant such as
    (-3)^(1/3) or (-2)^e into a complex number (a constant sympy cannot prove real), where
    jsgen gives NaN (as numpy does for a variable)."""
    exprs = list(mp.outputs) + list(mp.jacobian_symbolic)
    if any(e.has(sympy.I, sympy.zoo) for e in exprs):
        return False
    return not any(s.is_number and s.is_extended_real is not True
                   for e in exprs for s in sympy.preorder_traversal(e))


class Case:
    """A map and points, with a short repr for hypothesis' reports."""

    def __init__(self, mp, pts):
        self.mp, self.pts = mp, pts

    def __repr__(self):
        return f"Case({self.mp.text!r}, {[list(p) for p in self.pts]!r})"


@st.composite
def maps(draw, prefix="x", max_dim=3):
    n, m = draw(st.integers(1, max_dim)), draw(st.integers(1, max_dim))
    names = [f"{prefix}{i + 1}" for i in range(n)]
    outs = [draw(expr_strategy(names)) for _ in range(m)]
    text = "(" + ", ".join(names) + ") -> (" + ", ".join(outs) + ")"
    try:
        mp = Map(text)
    except ParseError:  # x / (1 - 1) and the like
        return None
    return mp if _real(mp) else None


coords = st.one_of(st.floats(-3, 3), st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.0]))


@st.composite
def map_cases(draw):
    mp = draw(maps())
    if mp is None:
        return None
    pts = draw(st.lists(st.lists(coords, min_size=mp.n, max_size=mp.n), min_size=1, max_size=5))
    pts = [p for p in np.array(pts, dtype=float) if _comparable(mp, p)]
    return Case(mp, pts) if pts else None


def _comparable(mp: Map, p, absolute: float = 0.0) -> bool:
    """Whether JavaScript and numpy must agree to RTOL at p.

    - numpy's sigmoid, 0.5 * (1 + tanh(x/2)), loses relative accuracy below about x = -15
      (sigmoid(-40) comes out 0); jsgen's does not (tested against mpmath below).  Points
      where a sigmoid's argument is beyond +-15 are left out.
    - A map numpy cannot evaluate (an integer too large for a float) is left out.
    - Two correct float evaluations round differently (V8's pow, sin, ... are not glibc's), so
      where the map is ill-conditioned (log((u)^-3)^1.5 at u = 1 - 2e-11 moves by 1e-6 when
      u moves by one ulp) they differ by more than RTOL: points where numpy's own values move
      by more than 1e-10 when p moves by 1e-14 of itself (plus ``absolute``) are left out.
    """
    args = sorted({s.args[0] for e in list(mp.outputs) + list(mp.jacobian_symbolic)
                   for s in e.atoms(sigmoid)}, key=sympy.default_sort_key)

    def both(q):
        return np.concatenate([mp(q).ravel(), mp.jacobian(q).ravel()])

    with np.errstate(all="ignore"):
        try:
            base = both(p)
            vals = Map.from_exprs(mp.inputs, args)(p) if args else np.zeros(0)
            signs = [np.ones(len(p)), (-1.0) ** np.arange(len(p))]
            moved = [both(p + s * (1e-14 * np.abs(p) + absolute)) for s in signs + [-s for s in signs]]
        except (NumericError, TypeError):  # a constant too large, or complex, for numpy
            return False
    stable = all(np.allclose(m, base, rtol=1e-10, atol=1e-13, equal_nan=True) for m in moved)
    return stable and not np.any(np.abs(vals) > 15)


# no shrinking: each try runs node; a failure names its map and point anyway
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


@settings(max_examples=25, phases=NO_SHRINK)
@given(st.lists(map_cases(), min_size=8, max_size=8))
def test_random_maps_match_numpy(js_dir, cases):
    check_against_numpy(js_dir, [(c.mp, c.pts) for c in cases if c is not None])


@st.composite
def chains(draw):
    k = draw(st.integers(1, 3))
    dims = draw(st.lists(st.integers(1, 3), min_size=k + 1, max_size=k + 1))
    texts = []
    for i, prefix in zip(range(k), ["x", "u", "w"]):
        names = [f"{prefix}{j + 1}" for j in range(dims[i])]
        outs = [draw(expr_strategy(names)) for _ in range(dims[i + 1])]
        texts.append("(" + ", ".join(names) + ") -> (" + ", ".join(outs) + ")")
    try:
        chain = Chain.from_texts(texts)
    except ParseError:
        return None
    if not all(_real(mp) for mp in chain.maps):
        return None
    x0 = np.array(draw(st.lists(st.floats(-2, 2), min_size=dims[0], max_size=dims[0])))
    with np.errstate(all="ignore"):
        pts = chain.forward_points(x0)
    # a later stage's point is computed, so JavaScript's may differ from numpy's near 0 too
    stages = enumerate(zip(chain.maps, pts))
    if not all(_comparable(mp, p, 0.0 if k == 0 else 1e-16) for k, (mp, p) in stages):
        return None
    return chain, x0


@settings(max_examples=12, phases=NO_SHRINK)
@given(st.lists(chains(), min_size=6, max_size=6))
def test_random_chains_match_numpy(js_dir, cases):
    cases = [c for c in cases if c is not None]
    items = ", ".join(f"{{c: {jsgen.to_js_object(jsgen.compile_chain(ch))}, x: {points_literal([x0])}[0]}}"
                      for ch, x0 in cases)
    out = run_node(js_dir, f"const CASES = [{items}];\nconst OUT = CASES.map(k => {{\n"
                           "  const r = jacviz_chain(k.c.stages, k.x);\n"
                           "  return [r.points, r.jacobians, r.jacobian];\n});")
    for (chain, x0), (points, jacs, total) in zip(cases, out):
        with np.errstate(all="ignore"):
            ref_pts = chain.forward_points(x0)
            for k, mp in enumerate(chain.maps):
                assert_close(points[k + 1], ref_pts[k + 1], f"{chain} point {k + 1}")
                assert_close(jacs[k], mp.jacobian(ref_pts[k]), f"{chain} stage {k + 1} Jacobian")
            assert_close(total, chain.jacobian(x0), f"{chain} total Jacobian")


def test_compile_chain_data():
    chain = Chain.from_texts(["t -> (cos(t), sin(t))", "(u, v) -> u*v"])
    c = jsgen.compile_chain(chain)
    assert (c["n"], c["m"], c["dims"]) == (1, 1, [1, 2, 1])
    assert c["space_names"] == [["t"], ["u", "v"], ["y"]] and c["output_names"] == ["y"]
    assert [s["name"] for s in c["stages"]] == ["g", "f"]
    assert c["stages"][1]["output_tex"] == ["u v"]
    assert jsgen.compile_chain(chain.maps)["dims"] == [1, 2, 1]


# -- every function, and the edge cases ------------------------------------------------------

SPECIAL = [-800.0, -40.0, -3.0, -1.0, -0.5, -0.0, 0.0, 1e-300, 0.5, 1.0, 3.0, 40.0, 800.0,
           np.inf, -np.inf, np.nan]


def test_every_function_and_constant(js_dir):
    all_fns = Map("x -> (" + ", ".join(f"{f}(x)" for f in FUNCTIONS if f != "sigmoid") + ", pi*x + e)")
    powers = Map("x -> (x^2, x^3, x^(-1), x^(-2), x^(1/2), x^(-1/2), x^(1/3), x^1.5, x^0.5, (-2)^3*x)")
    symbolic_power = Map("(x, y) -> x^y")
    pow_pts = [[b, e] for b in (-2.0, -1.0, 0.0, 0.5, 1.0, 2.0, np.inf, np.nan)
               for e in (-np.inf, -1.5, -1.0, 0.0, 0.5, 2.0, 3.0, np.inf, np.nan)]
    cases = [(all_fns, [[x] for x in SPECIAL]), (powers, [[x] for x in SPECIAL]),
             (symbolic_power, pow_pts)]
    check_against_numpy(js_dir, cases)
    (vals, jacs), = evaluate_maps(js_dir, [(jsgen.compile_map(powers), [[-2.0], [-8.0], [4.0]])])
    assert vals[0][1] == -8.0 and vals[0][9] == 16.0  # (-2)^3 = -8; the constant (-2)^3 = -8
    assert np.isnan(vals[1][6])  # (-8)^(1/3) is NaN, as in numpy
    assert vals[2][4] == 2.0 and vals[2][8] == 2.0  # 4^(1/2), 4^0.5


def _sigmoid_exact(x: float) -> float:
    with mpmath.workdps(50):
        return float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))


def test_sigmoid_is_accurate_at_large_arguments(js_dir):
    mp = Map("x -> sigmoid(x)")
    xs = [-800.0, -708.0, -700.0, -40.0, -15.0, -1.0, 0.0, 1.0, 15.0, 40.0, 700.0, 800.0]
    (vals, jacs), = evaluate_maps(js_dir, [(jsgen.compile_map(mp), [[x] for x in xs])])
    for x, v, J in zip(xs, vals, jacs):
        s = _sigmoid_exact(x)
        assert np.isclose(v[0], s, rtol=1e-14, atol=0), (x, v[0], s)  # relative, even at 1e-305
        assert np.isfinite(J[0, 0]) and J[0, 0] >= 0
    assert vals[0][0] == 0.0 and vals[-1][0] == 1.0 and jacs[0][0, 0] == 0.0 and jacs[-1][0, 0] == 0.0
    assert (vals[2][0] > 0) and (vals[3][0] > 0)  # numpy's sigmoid gives 0 at -700 and at -40
    (nan_vals, _), = evaluate_maps(js_dir, [(jsgen.compile_map(mp), [[np.nan]])])
    assert np.isnan(nan_vals[0][0])


def test_abs_and_sign_at_zero(js_dir):
    mp = Map("(x, y) -> (abs(x), abs(x*y) + abs(y - 1), sqrt(x^2))")
    assert any(isinstance(e, sympy.sign) for e in sympy.preorder_traversal(mp.jacobian_symbolic[0, 0]))
    pts = [[0.0, 0.0], [-0.0, 1.0], [0.0, 2.0], [-3.0, 1.0], [2.0, -1.0]]
    check_against_numpy(js_dir, [(mp, pts)])
    (vals, jacs), = evaluate_maps(js_dir, [(jsgen.compile_map(mp), pts)])
    assert vals[0][0] == 0.0 and jacs[0][0, 0] == 0.0  # |0| = 0, sign(0) = 0, as numpy
    assert jacs[1][1, 1] == 0.0 and jacs[3][0, 0] == -1.0 and jacs[4][0, 0] == 1.0


DERIVATIVE_NODES = [  # maps sympy writes, or differentiates, with nodes beyond the nine functions
    ("x -> tan(x + pi/2)", {sympy.cot}),
    ("x -> abs(x^1.5)", {sympy.re, sympy.im}),
    ("x -> abs(sqrt(x))", {sympy.atan2}),
    ("x -> abs(cos(0.5^log(x)))", {sympy.sinh, sympy.cosh, sympy.re, sympy.im}),
    ("x -> tan(abs(sigmoid(x^x)))", {sympy.arg}),
    ("x -> tan((1 - 1)^x)", {type(sympy.nan)}),
]


@pytest.mark.parametrize("text,nodes", DERIVATIVE_NODES, ids=[t for t, _ in DERIVATIVE_NODES])
def test_nodes_from_differentiation(js_dir, text, nodes):
    mp = Map(text)
    seen = {type(n) for e in mp.jacobian_symbolic for n in sympy.preorder_traversal(e)}
    assert nodes <= seen and sympy.Derivative not in seen
    check_against_numpy(js_dir, [(mp, [[x] for x in (-2.0, -0.5, 0.0, 0.3, 0.7, 1.0, 2.5)])])


# -- numbers ---------------------------------------------------------------------------------

NUMBERS = [
    sympy.Integer(0), sympy.Integer(-7), sympy.Integer(2**53), sympy.Integer(2**53 + 1),
    sympy.Integer(10**99), sympy.Integer(-(10**100 - 1)), sympy.Integer(9**500),
    sympy.Rational(1, 3), sympy.Rational(-2, 7), sympy.Rational(10**400 + 1, 10**399),
    sympy.Rational(-(10**60), 3**80), sympy.Float("0.1"), sympy.Float(repr(1 / 3)), sympy.Float("1e-300"),
    sympy.Float("5e-324"), sympy.Float("-2.5e+300"), sympy.Float("1e-5"), sympy.Float("123.0"),
]
_NUMBER_RE = re.compile(r"^\(?-?(\d+(\.\d+)?(e[+-]?\d+)?(/\d+)?|Infinity)\)?$")


def test_number_literals_round_trip(js_dir):
    literals = [jsgen.js_number(v) for v in NUMBERS]
    for lit in literals:
        assert _NUMBER_RE.match(lit), lit
    assert jsgen.js_number(sympy.Integer(10**99)) == "1e+99"
    assert jsgen.js_number(sympy.Integer(-7)) == "(-7)"
    assert jsgen.js_number(sympy.Integer(9**500)) == "Infinity"  # beyond the double range
    out = run_node(js_dir, "const OUT = [" + ", ".join(literals) + "];")
    for v, lit, got in zip(NUMBERS, literals, out):
        want = float(v)
        assert got == want and np.signbit(got) == np.signbit(want), (v, lit, got)


def test_hundred_digit_literal_through_the_parser(js_dir):
    mp = Map("x -> (x*" + "9" * 100 + ", x - 0.1, x*(-3)^3)")
    (vals, _), = evaluate_maps(js_dir, [(jsgen.compile_map(mp), [[1.0], [-2.0]])])
    assert vals[0].tolist() == [float(int("9" * 100)), 1.0 - 0.1, -27.0]
    check_against_numpy(js_dir, [(mp, [[1.0], [-2.0], [0.5]])])


# -- hostile names and data ------------------------------------------------------------------

HOSTILE = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype", "Math",
           "alert", "window", "document", "eval", "Function", "Object", "this", "self", "globalThis",
           "require", "process", "v", "t0", "t1", "NaN", "Infinity", "undefined", "jacviz_sigmoid",
           "jacviz_pow", "new", "function", "var", "let", "const", "__defineGetter__", "x1"]
_EXPR = "(sin({0})*{1} + {2}^2 - sigmoid({3})/(1 + {4}^2), exp({5})*{0}, abs({1} - {3})*log(1 + {2}^2))"
_CODE_WORDS = {"function", "return", "const", "v", "NaN", "Infinity", "jacviz_sigmoid", "jacviz_pow"}


def _hostile_maps():
    for k in range(0, len(HOSTILE), 6):
        names = HOSTILE[k:k + 6]
        names += [f"pad{i}" for i in range(6 - len(names))]
        yield names, Map("(" + ", ".join(names) + ") -> " + _EXPR.format(*names))


def test_hostile_input_names_are_inert(js_dir):
    cases = []
    for names, mp in _hostile_maps():
        # stand-ins that sort like the names, so sympy orders the terms the same way
        rank = {name: k for k, name in enumerate(sorted(names))}
        stand_in = [f"a{rank[name]:02d}" for name in names]
        plain = Map("(" + ", ".join(stand_in) + ") -> " + _EXPR.format(*stand_in))
        c, c_plain = jsgen.compile_map(mp), jsgen.compile_map(plain)
        for key in ("value", "jacobian"):
            assert c[key] == c_plain[key]  # byte for byte: the names never reach the code
            words = set(re.findall(r"(?<![.\w$])[A-Za-z_$][\w$]*", c[key])) - {"Math"}
            assert words <= _CODE_WORDS | {f"t{i}" for i in range(100)}, words
            for name in names:
                if name not in _CODE_WORDS | {"Math", "t0", "t1"}:
                    assert not re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", c[key])
        pts = np.random.default_rng(len(cases)).uniform(-2, 2, size=(4, 6))
        cases.append((mp, pts))
    check_against_numpy(js_dir, cases)
    # the names themselves travel as data and come back unchanged
    compiled = [jsgen.compile_map(mp) for mp, _ in cases]
    out = run_node(js_dir, "const OUT = [" + ", ".join(jsgen.to_js_object(c) for c in compiled) +
                   "].map(c => JSON.stringify([c.input_names, c.output_tex, c.jacobian_tex]));")
    for c, text in zip(compiled, out):
        assert json.loads(text) == [c["input_names"], c["output_tex"], c["jacobian_tex"]]


SCRIPT_DATA = {
    "close": "</script><script>alert(1)</script>",
    "upper": "</SCRIPT >",
    "comment": "<!-- <script>",
    "separators": "a\u2028b\u2029c",
    "amp": "&amp; & &lt;",
    "quotes": "\"'`\\ ${x}",
    "unicode": "σ(x) → ∂y/∂x \U0001f600",
    "</script>": ["</script>", 1, 2.5, None, True],
}


def test_json_for_script_cannot_close_the_element(js_dir):
    out = jsgen.to_json_for_script(SCRIPT_DATA)
    assert out.isascii()
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out
    assert json.loads(out) == SCRIPT_DATA
    page = f"<script>const DATA = {out};</script>"
    assert page.lower().count("</script") == 1
    back = run_node(js_dir, f"const DATA = {out};\nconst OUT = [JSON.stringify(DATA), "
                            f"JSON.stringify(JSON.parse({json.dumps(out)}))];")
    assert json.loads(back[0]) == SCRIPT_DATA and json.loads(back[1]) == SCRIPT_DATA


def test_compiled_map_with_script_in_its_name_embeds_safely(js_dir):
    mp = Map("(x, y) -> (x*y, sigmoid(x))", name="</script><img src=x onerror=alert(1)>")
    src = jsgen.to_js_object(jsgen.compile_map(mp))
    assert "<" not in src and ">" not in src and "</script" not in src.lower()
    assert "<" not in jsgen.prelude()
    out = run_node(js_dir, f"const M = {src};\nconst OUT = [M.name.length, M.value([0, 2])];")
    assert out[0] == len(mp.name) and out[1] == [0.0, 0.5]


def test_data_that_is_not_json_is_refused():
    for bad in ({"x": float("nan")}, [float("inf")], {1: 2}, {"f": object()}):
        with pytest.raises(JsgenError):
            jsgen.to_js_object(bad)
    numpy_data = {"a": np.array([1.0, 2.0]), "b": np.int64(3)}
    assert jsgen.to_json_for_script(numpy_data) == '{"a": [1.0, 2.0], "b": 3}'


@pytest.mark.parametrize("src", [
    "alert(1)", "function (v) { return [v.constructor]; }", "function (v) { return ['x']; }",
    "function (v) { return [x]; }", "function (v) { return [Math.random()]; }",
    "function (v) { return [v[0]</script>]; }", "function (v) { return [`${v}`]; }",
])
def test_forged_code_is_refused(src):
    with pytest.raises(JsgenError):
        jsgen.check_code(src)
    with pytest.raises(JsgenError):
        jsgen.to_js_object({"value": JsCode(src)})


# -- what is not supported -------------------------------------------------------------------

X = symbol("x")
F = sympy.Function("f")
UNSUPPORTED = [
    F(X), sympy.Derivative(F(X), X), sympy.I * X, sympy.zoo * X, sympy.gamma(X), sympy.floor(X),
    sympy.Piecewise((X, X > 0), (0, True)), sympy.Integral(X**2, (X, 0, 1)) * X, sympy.GoldenRatio * X,
    symbol("z") * X, sympy.asinh(X), sympy.Heaviside(X, 0), sympy.erf(X), sympy.conjugate(X**0.5),
    sympy.Subs(F(X), X, 1), sympy.exp_polar(X),
]


@pytest.mark.parametrize("expr", UNSUPPORTED, ids=[sympy.sstr(e) for e in UNSUPPORTED])
def test_unsupported_nodes_raise(expr):
    mp = Map.from_exprs([X], [expr])
    with pytest.raises(JsgenError) as exc:
        jsgen.value_function(mp)
    assert isinstance(exc.value, JacvizError)
    assert "cannot translate" in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize("text", ["x -> sqrt(-1)*x", "x -> (x, log(0)*x)", "(x, y) -> (x, sin(-3)^y + x)"])
def test_the_parser_refuses_values_that_are_not_real(text):
    with pytest.raises(JacvizError, match="not .*real"):
        Map(text, name="g")


@pytest.mark.parametrize("exprs,where", [([sympy.sqrt(-1) * X], "output 1"),
                                         ([X, sympy.log(0) * X], "output 2")])
def test_complex_values_that_reach_the_compiler_raise(exprs, where):
    with pytest.raises(JsgenError, match="not a real number") as exc:
        jsgen.compile_map(Map.from_exprs([X], exprs, name="g"))
    assert str(exc.value).startswith(f"map g, {where}: cannot translate")


def test_core_module_imports_no_manim():
    code = "import sys, jacviz.core.jsgen; assert 'manim' not in sys.modules, 'manim imported'"
    root = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(root))
    assert res.returncode == 0, res.stderr
