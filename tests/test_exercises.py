"""Practice exercises (jacviz.core.exercises): answers checked against independent computations.

The generator computes its answers through the core (Chain.trace, Graph.path_sum,
chain_along_curve and the stage Jacobians multiplied together).  These tests
recompute every answer without that code path: the typed maps are parsed afresh,
composed here with sympy substitution, and

1. differentiated symbolically and evaluated exactly at the exact point, and
2. differentiated numerically by central differences of the composed numeric map.

They also check that answers are nice by the documented rule, that questions are
well formed and unique, that the lessons' own exercises come out for the first
seeds, that practice sets are reproducible, and that check_answer reads typed
answers without eval.
"""

import functools
import importlib
import json
import os
import pkgutil
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from jacviz import JacvizError
from jacviz.core import exercises as ex
from jacviz.core.parse import parse_expr, parse_map

ROOT = Path(__file__).resolve().parent.parent
KIND_NAMES = list(ex.KINDS)
REQUIRED_KINDS = {"jacobian-entry", "shape", "curve-dzdt", "composition", "path-sum",
                  "pushforward", "pullback", "network"}
SEEDS = st.integers(min_value=1, max_value=10 ** 9)
EXAMPLES = 16  # per kind and property test; the whole file runs in well under a minute


@functools.lru_cache(maxsize=None)
def make(kind, seed):
    return ex.generate(kind, seed)


# -- the niceness rule, written out again --------------------------------------------
def as_fraction(v) -> Fraction:
    assert isinstance(v, (int, float)) and not isinstance(v, bool), v
    return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)


def nice(v) -> bool:
    if isinstance(v, list):
        return len(v) > 0 and all(nice(a) for a in v)
    q = as_fraction(v)
    return q.denominator in (1, 2, 4, 5, 10) and abs(q.numerator) <= 99


def flat(answer) -> list:
    if isinstance(answer, list):
        return [v for a in answer for v in flat(a)]
    return [answer]


# -- independent computation ---------------------------------------------------------
def _np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def compose(texts):
    """Parse the typed maps afresh and compose them: (inputs, outputs in the inputs)."""
    ins, outs = parse_map(texts[0])
    cur = list(outs)
    for text in texts[1:]:
        ins2, outs2 = parse_map(text)
        assert len(ins2) == len(cur), "the typed maps do not compose"
        cur = [o.subs(dict(zip(ins2, cur)), simultaneous=True) for o in outs2]
    return ins, cur


def exact_point(values):
    return [sympy.Integer(v) if isinstance(v, int) else sympy.Rational(repr(v)) for v in values]


def exact_jacobian(ins, outs, point) -> sympy.Matrix:
    J = sympy.Matrix(len(outs), len(ins), lambda i, j: sympy.diff(outs[i], ins[j]))
    return J.subs(dict(zip(ins, point)), simultaneous=True).applyfunc(sympy.simplify)


def numeric_jacobian(ins, outs, point, h=1e-5) -> np.ndarray:
    fn = sympy.lambdify(list(ins), list(outs), modules=[{"sigmoid": _np_sigmoid}, "numpy"])
    x = np.asarray(point, dtype=float)
    J = np.zeros((len(outs), len(ins)))
    for j in range(len(ins)):
        e = np.zeros(len(ins))
        e[j] = h
        J[:, j] = (np.asarray(fn(*(x + e)), float) - np.asarray(fn(*(x - e)), float)) / (2 * h)
    return J


def same_exact(value, answer_number) -> bool:
    return sympy.simplify(value - sympy.Rational(repr(answer_number))) == 0


def answer_matrix(answer, rows, cols) -> list:
    """The answer as rows x cols, however the exercise writes it (number, list, nested)."""
    if rows * cols == 1:
        assert not isinstance(answer, list), answer
        return [[answer]]
    if isinstance(answer[0], list):
        return answer
    assert rows == 1 or cols == 1, (rows, cols, answer)
    return [answer] if rows == 1 else [[v] for v in answer]


def expected(e):
    """(exact matrix, numeric matrix) of the answer, computed independently."""
    p = e.parameters
    maps = list(p["maps"].values())
    if e.kind == "jacobian-entry":
        ins, outs = compose(maps)
        pt = exact_point(p["point"])
        J, N = exact_jacobian(ins, outs, pt), numeric_jacobian(ins, outs, p["point"])
        cells = [(i - 1, j - 1) for i, j in p["entries"]]
        return (sympy.Matrix([[J[i, j] for i, j in cells]]),
                np.array([[N[i, j] for i, j in cells]]))
    if e.kind == "curve-dzdt":
        f_text, r_text = p["maps"]["f"], p["maps"]["r"]
        t_exact = parse_expr(p["t"])
        assert abs(float(t_exact) - p["point"][0]) < 1e-12
        ins, outs = compose([r_text, f_text])  # z(t) = f(r(t))
        return exact_jacobian(ins, outs, [t_exact]), numeric_jacobian(ins, outs, p["point"])
    if e.kind in ("composition", "path-sum", "network"):
        ins, outs = compose(maps)
        pt = exact_point(p["point"])
        J, N = exact_jacobian(ins, outs, pt), numeric_jacobian(ins, outs, p["point"])
        if e.kind == "path-sum":
            i, j = p["output"] - 1, p["input"] - 1
            return sympy.Matrix([[J[i, j]]]), N[i:i + 1, j:j + 1]
        if e.kind == "network":  # the gradient: a column
            return J.T, N.T
        return J, N
    if e.kind == "pushforward":
        ins, outs = compose(maps)
        pt, dx = exact_point(p["point"]), exact_point(p["dx"])
        J = exact_jacobian(ins, outs, pt)
        fn = sympy.lambdify(list(ins), list(outs))
        x, d, h = np.asarray(p["point"], float), np.asarray(p["dx"], float), 1e-5
        directional = (np.asarray(fn(*(x + h * d)), float) - np.asarray(fn(*(x - h * d)), float)) / (2 * h)
        return (J * sympy.Matrix(dx)).applyfunc(sympy.simplify), directional.reshape(-1, 1)
    if e.kind == "pullback":
        ins, outs = compose(maps)
        pt = exact_point(p["point"])
        gbar = exact_point(p["gradient"]) if "gradient" in p else [sympy.Integer(1)]
        assert len(gbar) == len(outs)
        loss = sum(gv * o for gv, o in zip(gbar, outs))  # gbar . F(x): its gradient is J^T gbar
        return exact_jacobian(ins, [loss], pt).T, numeric_jacobian(ins, [loss], p["point"]).T
    raise AssertionError(f"no independent check for kind {e.kind}")


def check_against_independent(e):
    if e.kind == "shape":
        check_shape_independent(e)
        return
    exact, numeric = expected(e)
    got = answer_matrix(e.answer, exact.rows, exact.cols)
    for i in range(exact.rows):
        for j in range(exact.cols):
            a = got[i][j]
            assert same_exact(exact[i, j], a), (e.id, exact, e.answer)
            assert abs(numeric[i, j] - a) <= 1e-4 * max(1.0, abs(a)), (e.id, numeric, e.answer)


def check_shape_independent(e):
    g_ins, g_outs = parse_map(e.parameters["maps"]["g"])
    f_ins, f_outs = parse_map(e.parameters["maps"]["f"])
    rng = np.random.default_rng(0)
    Dg = numeric_jacobian(g_ins, g_outs, rng.uniform(0.2, 0.9, len(g_ins)))
    Df = numeric_jacobian(f_ins, f_outs, rng.uniform(0.2, 0.9, len(f_ins)))
    product = Df @ Dg  # f o g: must fit
    rows, cols = (int(v) for v in e.answer.split("x"))
    if e.parameters["ask"] == "product":
        assert product.shape == (rows, cols)
        with pytest.raises(ValueError):  # unique: the other order does not fit
            Dg @ Df
    else:
        assert e.parameters["ask"] == "gradient"
        assert product.shape[0] == 1  # scalar composition
        assert product.T.shape == (rows, cols) and cols == 1


# -- well formed ----------------------------------------------------------------------
def num_text(v) -> str:
    return str(v) if isinstance(v, int) else repr(v)


def check_well_formed(e):
    d = e.to_json()
    for key in ("id", "kind", "question", "question_tex", "parameters", "answer", "answer_tex",
                "steps", "steps_tex", "tolerance"):
        assert key in d, key
    assert d["kind"] == e.kind and d["id"] == f"{e.kind}-{e.seed}"
    assert json.loads(json.dumps(d, sort_keys=True)) == d  # plain JSON types only
    assert isinstance(d["question"], str) and "\n" not in d["question"]
    assert d["question_tex"].count("$") % 2 == 0 and "$" in d["question_tex"]
    assert d["steps"] and len(d["steps"]) == len(d["steps_tex"])
    assert all(isinstance(s, str) and s for s in d["steps"] + d["steps_tex"])
    assert d["answer_tex"] and isinstance(d["tolerance"], float) and d["tolerance"] >= 0
    p = d["parameters"]
    q = d["question"]
    assert p["maps"]
    for name, text in p["maps"].items():
        parse_map(text)  # re-parses with jacviz's parser
        rhs = text.split("->", 1)[1].strip()
        if name != "activation":
            assert rhs in q, (name, rhs, q)
    if e.kind == "network":
        assert p["activation"] in ("sigmoid", "square")
        assert ("sigmoid(a)" in q) if p["activation"] == "sigmoid" else ("a^2" in q)
        ins, outs = parse_map(p["maps"]["layer"])  # W and b are the typed layer
        W = sympy.Matrix(len(outs), len(ins), lambda i, j: sympy.diff(outs[i], ins[j]))
        assert W == sympy.Matrix(p["W"])
        assert [o.subs({s: 0 for s in ins}) for o in outs] == p["b"]
    if "point" in p:
        pt = p["point"]
        assert pt and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pt)
        if e.kind == "curve-dzdt":
            assert f"t = {p['t']}" in q
        elif len(pt) == 1:
            assert f"= {num_text(pt[0])}" in q
        else:
            assert "(" + ", ".join(num_text(v) for v in pt) + ")" in q
    else:
        assert e.kind == "shape"
    if "dx" in p:
        assert "dx = (" + ", ".join(num_text(v) for v in p["dx"]) + ")" in q
    if "gradient" in p:
        assert "(" + ", ".join(num_text(v) for v in p["gradient"]) + ")" in q
    if e.kind == "jacobian-entry":
        cells = [tuple(c) for c in p["entries"]]
        assert len(set(cells)) == len(cells)  # distinct entries: one answer each
        for i, j in cells:
            assert f"J_{i}{j}" in q
    if e.kind == "path-sum":  # a zero path (missing edge) and a path that counts
        g_ins, g_outs = parse_map(p["maps"]["g"])
        f_ins, f_outs = parse_map(p["maps"]["f"])
        i, j = p["output"] - 1, p["input"] - 1
        edges = [(sympy.diff(f_outs[i], f_ins[k]) != 0, sympy.diff(g_outs[k], g_ins[j]) != 0)
                 for k in range(len(g_outs))]
        assert any(not (a and b) for a, b in edges)
        assert any(a and b for a, b in edges)
        assert "missing edge" in q
    if e.kind == "shape":
        assert isinstance(e.answer, str) and ex.parse_shape(e.answer) is not None


# -- typed answers ------------------------------------------------------------------------
def frac_text(v) -> str:
    q = as_fraction(v)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def typed_forms(answer) -> list[str]:
    if isinstance(answer, str):
        r, c = answer.split("x")
        return [answer, f"{r} x {c}", f"{r}\u00d7{c}", f"({r}, {c})", f"{r} by {c}", f" {r}X{c} "]
    if not isinstance(answer, list):
        return [num_text(answer), frac_text(answer), f"({num_text(answer)})", f" {num_text(answer)} "]
    if isinstance(answer[0], list):
        rows = [", ".join(num_text(v) for v in row) for row in answer]
        return ["[" + ", ".join(f"[{r}]" for r in rows) + "]", "; ".join(rows), ", ".join(rows),
                "((" + "), (".join(rows) + "))"]
    items = [num_text(v) for v in answer]
    return [", ".join(items), "(" + ", ".join(items) + ")", "[" + ",".join(items) + "]",
            ", ".join(frac_text(v) for v in answer)]


def wrong_forms(answer) -> list[str]:
    out = ["", "abc", "__import__('os').system('true')", "1e999", "x + 1", "[[1, 2]"]
    if isinstance(answer, str):
        r, c = answer.split("x")
        out += [f"{int(r) + 1}x{c}", f"{r}x{int(c) + 1}"]
        if r != c:
            out.append(f"{c}x{r}")
        return out
    if not isinstance(answer, list):
        return out + [num_text(answer + 1), num_text(answer - 1), f"{num_text(answer)}, 0"]
    if isinstance(answer[0], list):
        if np.array(answer).T.tolist() != answer:
            out.append(str(np.array(answer).T.tolist()))
        out.append(", ".join(num_text(v) for v in flat(answer)[:-1]))
        out.append(str([[v + 1 for v in row] for row in answer]))
        return out
    out.append(", ".join(num_text(v) for v in answer[:-1]))
    out.append(", ".join(num_text(v) for v in answer + [1]))
    for k in range(len(answer)):
        bumped = list(answer)
        bumped[k] = bumped[k] + 1
        out.append(", ".join(num_text(v) for v in bumped))
    if answer[::-1] != answer:
        out.append(", ".join(num_text(v) for v in answer[::-1]))
    return out


def check_typing(e):
    for text in typed_forms(e.answer):
        assert ex.check_answer(e, text), (e.id, text)
    for text in wrong_forms(e.answer):
        assert not ex.check_answer(e, text), (e.id, text)


# == 1-3, 6: every kind over many seeds ==================================================
def test_the_kinds():
    assert REQUIRED_KINDS <= set(ex.KINDS)
    assert all(0 in seeds for seeds in ex.LESSON_SEEDS.values())


def test_every_kind_module_is_registered_once():
    """A kind is one module of the package (named as the kind, - as _) with a GENERATOR,
    and one line in the registry: a kind module left out of KINDS is caught here."""
    found = {}
    for info in pkgutil.iter_modules(ex.__path__):
        generator = getattr(importlib.import_module(f"{ex.__name__}.{info.name}"), "GENERATOR", None)
        if generator is not None:
            found[info.name] = generator
    assert sorted(found) == sorted(k.replace("-", "_") for k in REQUIRED_KINDS)
    assert {name: g.kind.replace("-", "_") for name, g in found.items()} == {n: n for n in found}
    assert all(ex.KINDS[g.kind] is g for g in found.values()) and len(ex.KINDS) == len(found)


def test_exact_numbers_are_written_through_fmt():
    """The exact layer writes fractions with fmt's frac_text/frac_tex and lays out tuples and
    matrices as fmt does for the captions' floats."""
    from jacviz.core import fmt
    from jacviz.core.exercises import exact

    assert [fmt.frac_text(Fraction(n, d)) for n, d in ((2, 1), (-1, 4), (3, 10), (99, 4), (1, 3), (-2, 3))] \
        == ["2", "-0.25", "0.3", "24.75", "1/3", "-2/3"]
    assert fmt.frac_tex(Fraction(-2, 3)) == r"-\frac{2}{3}" and fmt.frac_tex(Fraction(1, 20)) == "0.05"
    assert exact.text_of(sympy.Rational(-1, 4)) == "-0.25" and exact.text_of(sympy.sqrt(2) / 2) == "sqrt(2)/2"
    assert exact.tex_of(sympy.Rational(1, 3)) == r"\frac{1}{3}"
    assert exact.tex_of(sympy.sqrt(2) / 2) == r"\frac{\sqrt{2}}{2}"
    M = sympy.Matrix([[1, sympy.Rational(1, 2)], [0, -3]])
    assert exact.mat_text(M) == fmt.plain_mat([[1, 0.5], [0, -3]]) == "[[1, 0.5], [0, -3]]"
    assert exact.mat_text(M[0, :]) == fmt.plain_mat([[1, 0.5]]) == "[1, 0.5]"
    assert exact.vec_text([2, sympy.Rational(-3, 10)]) == fmt.plain_vec([2, -0.3]) == "(2, -0.3)"
    assert exact.vec_text([sympy.Integer(7)]) == fmt.plain_vec([7]) == "7"
    assert exact.point_tex([1, sympy.Rational(1, 3)]) == r"\left(1,\ \frac{1}{3}\right)"
    assert exact.mat_tex(M) == r"\begin{bmatrix} 1 & 0.5 \\ 0 & -3 \end{bmatrix}"


@pytest.mark.parametrize("kind", KIND_NAMES)
@settings(max_examples=EXAMPLES)
@given(seed=SEEDS)
def test_generated_exercise(kind, seed):
    e = make(kind, seed)
    assert e.kind == kind and e.seed == seed
    assert (e.source is None) == (seed not in ex.LESSON_SEEDS[kind])
    check_against_independent(e)  # (1)
    if kind != "shape":  # (2)
        assert nice(e.answer), e.answer
        assert ex.is_nice(e.answer)
        assert kind == "curve-dzdt" or any(v != 0 for v in flat(e.answer))
    check_well_formed(e)  # (3)
    check_typing(e)  # (6)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_lesson_seeds_are_well_formed(kind):
    for seed in ex.LESSON_SEEDS[kind]:
        e = make(kind, seed)
        assert e.source and "lesson" in e.source
        check_against_independent(e)
        if kind != "shape":
            assert nice(e.answer)
        check_well_formed(e)
        check_typing(e)


def test_the_rule_refuses_what_it_should():
    assert ex.is_nice([2, 1]) and ex.is_nice(0.3) and ex.is_nice(-24.75) and ex.is_nice([[1, 0.5]])
    assert not ex.is_nice(1 / 3) and not ex.is_nice(100) and not ex.is_nice(0.125)
    assert not ex.is_nice(0.1 + 0.2)  # 0.30000000000000004 is not what a student writes
    assert ex.nice_fraction(sympy.Rational(99, 4)) == Fraction(99, 4)
    assert ex.nice_fraction(sympy.sqrt(2)) is None


def test_both_shape_questions_occur():
    assert {make("shape", s).parameters["ask"] for s in range(2, 40)} == {"product", "gradient"}


# == 4: the lessons' own exercises ======================================================
LESSON = [
    ("jacobian-entry", 0, [2, 1]),
    ("shape", 0, "1x2"),
    ("shape", 1, "2x1"),
    ("curve-dzdt", 0, 0),
    ("composition", 0, 3),
    ("composition", 1, [10, 5]),
    ("path-sum", 0, 12),
    ("pushforward", 0, 0.3),
    ("pullback", 0, [8, 9]),
    ("pullback", 1, [4, 12]),
    ("network", 0, [0.5, 0.75]),
]


@pytest.mark.parametrize("kind,seed,answer", LESSON, ids=[f"{k}-{s}" for k, s, _ in LESSON])
def test_lesson_answers(kind, seed, answer):
    e = make(kind, seed)
    assert e.answer == answer and type(e.answer) is type(answer)
    assert e.source


def test_lesson_parameters():
    e = make("jacobian-entry", 0).parameters
    assert e == {"maps": {"F": "(x, y) -> (x^2 - y, x*y)"}, "point": [1, 2], "entries": [[1, 1], [2, 2]]}
    c = make("curve-dzdt", 0).parameters
    assert c["maps"] == {"f": "(x, y) -> x^2 + y^2", "r": "t -> (cos(t), sin(t))"} and c["t"] == "pi/4"
    s = make("composition", 0).parameters
    assert s == {"maps": {"g": "x -> (x, x^2)", "f": "(u, v) -> u + v"}, "point": [1]}
    p = make("path-sum", 0)
    assert p.parameters["maps"]["g"] == "(x1, x2, x3) -> (x1*x2, x3^2)"
    assert parse_map(p.parameters["maps"]["f"])[1][1] == parse_map("(u1, u2) -> u1*u2")[1][0]
    assert (p.parameters["point"], p.parameters["output"], p.parameters["input"]) == ([1, 2, 3], 2, 3)
    assert any("missing edge" in s for s in p.to_json()["steps"])
    w = make("pushforward", 0).parameters
    assert w["point"] == [1, 1] and w["dx"] == [0.1, 0.1]
    assert any("(0.3, 0)" in s for s in make("pushforward", 0).to_json()["steps"])  # du
    sh = make("shape", 0)
    assert "3x2" in " ".join(sh.to_json()["steps"]) and "1x3" in " ".join(sh.to_json()["steps"])
    diag = make("pullback", 1).parameters["maps"]["g"]
    ins, outs = parse_map(diag)
    J = sympy.Matrix(2, 2, lambda i, j: sympy.diff(outs[i], ins[j]))
    assert J.shape == (2, 2) and J == sympy.diag(J[0, 0], J[1, 1])  # 2x2 and diagonal
    net = make("network", 0)
    assert net.parameters["activation"] == "sigmoid"
    assert any("0.25" in s for s in net.to_json()["steps"])  # sigmoid'(0) = 1/4


# == 5: practice sets ===================================================================
def dump(exercises) -> str:
    return json.dumps([e.to_json() for e in exercises], sort_keys=True)


def test_practice_set_is_reproducible_and_seeded():
    a = ex.practice_set(None, 12, seed=7)
    b = ex.practice_set(None, 12, seed=7)
    assert dump(a) == dump(b)
    c = ex.practice_set(None, 12, seed=8)
    assert [e.question for e in a] != [e.question for e in c]
    assert {e.question for e in a}.isdisjoint({e.question for e in c})
    kinds = [e.kind for e in a]
    assert kinds == [KIND_NAMES[i % len(KIND_NAMES)] for i in range(12)]  # fixed order
    assert len({e.question for e in a}) == 12


def test_practice_set_seed_zero_starts_with_the_lessons():
    s = ex.practice_set(None, len(KIND_NAMES) + 3, seed=0)
    first = s[:len(KIND_NAMES)]
    assert [e.kind for e in first] == KIND_NAMES
    assert all(e.seed == 0 and e.source for e in first)
    assert dump(first) == dump([make(k, 0) for k in KIND_NAMES])


def test_practice_set_subsets_and_errors():
    s = ex.practice_set(["path-sum", "shape"], 5, seed=3)
    assert [e.kind for e in s] == ["path-sum", "shape", "path-sum", "shape", "path-sum"]
    assert ex.practice_set(["shape"], 0, seed=3) == []
    for bad in (dict(kinds=["nope"]), dict(kinds=[]), dict(count=-1), dict(count=2.5),
                dict(seed=-3), dict(seed="x")):
        args = dict(kinds=None, count=2, seed=0)
        args.update(bad)
        with pytest.raises(JacvizError):
            ex.practice_set(**args)


def test_unknown_kind_and_bad_seed():
    for kind, seed in (("nope", 0), ("Shape", 0), (None, 0), ("shape", -1), ("shape", 1.5),
                       ("shape", "3"), ("shape", True), ("shape", 2 ** 64)):
        with pytest.raises(JacvizError) as info:
            ex.generate(kind, seed)
        msg = str(info.value)
        assert "\n" not in msg
        assert all(k in msg for k in KIND_NAMES), msg


def test_no_global_random_state():
    state, np_state = random.getstate(), np.random.get_state()
    random.seed(1)
    np.random.seed(1)
    a = ex.generate("composition", 4242).to_json()
    random.seed(2)
    np.random.seed(2)
    b = ex.generate("composition", 4242).to_json()
    assert a == b
    random.setstate(state)
    np.random.set_state(np_state)
    before = random.getstate()
    ex.generate("pullback", 4243)
    assert random.getstate() == before


def test_same_exercises_in_a_fresh_process_without_manim():
    """Seeds do not depend on the process (hash randomization), and the module is core:
    importing it does not import manim."""
    code = ("import json, sys; from jacviz.core import exercises as ex; "
            "print(json.dumps([e.to_json() for e in ex.practice_set(None, 8, seed=11)], sort_keys=True)); "
            "print('manim' in sys.modules)")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout.splitlines()
    assert out[1] == "False"
    assert out[0] == dump(ex.practice_set(None, 8, seed=11))


def test_check_answer_reads_without_eval(monkeypatch):
    import builtins

    e = make("composition", 1)  # [10, 5]
    calls = []
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: calls.append(a))
    assert ex.check_answer(e, "10, 5") and ex.check_answer(e, "[20/2, 5]")
    assert not ex.check_answer(e, "5, 10") and not ex.check_answer(e, None)
    assert calls == []


def test_matrix_answers_are_typed_row_by_row():
    found = None
    for s in range(2, 200):
        e = make("composition", s)
        if isinstance(e.answer, list) and isinstance(e.answer[0], list):
            found = e
            break
    assert found is not None, "no matrix-valued composition among the first seeds"
    check_typing(found)


def test_curve_tolerance_accepts_rounding_only():
    e = make("curve-dzdt", 0)
    assert ex.check_answer(e, "0.004") and not ex.check_answer(e, "0.05")
