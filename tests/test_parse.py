"""The whitelist parser: what it accepts, what it rejects, and that it never executes."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sympy

from jacviz import Map, ParseError, parse_expr, parse_vector
from jacviz.core.parse import parse_map, relu, sigmoid, symbol

t, x, u1, u2 = symbol("t"), symbol("x"), symbol("u1"), symbol("u2")


def test_parentheses_optional_for_one_input_or_one_output():
    ins, outs = parse_map("t -> (cos(t), sin(t))")
    assert ins == (t,) and outs == (sympy.cos(t), sympy.sin(t))
    ins, outs = parse_map("(u1, u2) -> u1 + u2**2")
    assert ins == (u1, u2) and outs == (u1 + u2**2,)


def test_caret_is_power_and_constants():
    (out,) = parse_map("x -> x^2 + pi + e")[1]
    assert out == x**2 + sympy.pi + sympy.E


@pytest.mark.parametrize("name,fn", [("sin", sympy.sin), ("cos", sympy.cos), ("tan", sympy.tan),
                                     ("exp", sympy.exp), ("log", sympy.log), ("sqrt", sympy.sqrt),
                                     ("tanh", sympy.tanh), ("abs", sympy.Abs), ("sigmoid", sigmoid),
                                     ("asin", sympy.asin), ("acos", sympy.acos), ("atan", sympy.atan),
                                     ("sinh", sympy.sinh), ("cosh", sympy.cosh), ("relu", relu)])
def test_every_listed_function(name, fn):
    (out,) = parse_map(f"x -> {name}(x + 1)")[1]
    assert out == fn(x + 1)


def test_numeric_values_of_functions():
    m = Map("x -> (sigmoid(x), abs(x), sqrt(x), log(x), tanh(x))")
    np.testing.assert_allclose(m([2.0]), [1 / (1 + np.exp(-2)), 2, np.sqrt(2), np.log(2), np.tanh(2)])
    np.testing.assert_allclose(m.jacobian([2.0])[:, 0],
                               [np.exp(-2) / (1 + np.exp(-2)) ** 2, 1, 0.5 / np.sqrt(2), 0.5, 1 - np.tanh(2) ** 2])


REJECT = [
    ("x -> y", "unknown name 'y'"),
    ("x -> x.real", "attribute access"),
    ("x -> x[0]", "subscripts"),
    ("x -> (lambda: 1)()", "only the listed functions"),
    ("x -> lambda: 1", "lambdas"),
    ("x -> 'abc'", "strings"),
    ("x -> foo(x)", "unknown function 'foo'"),
    ("x -> __import__('os').system('echo')", "attribute access"),
    ("x -> __import__('os')", "unknown function '__import__'"),
    ("(x, x) -> x", "repeated"),
    ("x -> ()", "empty output"),
    ("x -> ", "empty output"),
    ("x -> sin(x, y=1)", "keyword arguments"),
    ("x -> sin(x=1)", "keyword arguments"),
    ("x -> x**9**9**9", "exponent"),
    ("x -> 9**9**9**9", "exponent"),
    ("x -> (10**500)**500", "digits"),
    ("x -> cos(exp(1000^3 * 0.001))", "more than 10000 digits"),  # was minutes in sympy's cos
    ("x -> x * exp(exp(10.5))", "more than 10000 digits"),
    ("x -> 1" + "0" * 200, "integer literal"),
    ("x -> x" + " + x" * 2600, "limit is 10000"),
    ("x -> [x]", "lists"),
    ("x -> x if x else 1", "conditional"),
    ("x -> x < 1", "comparisons"),
    ("x -> x // 2", "//"),
    ("x -> x @ x", "@"),
    ("x -> sin", "without an argument"),
    ("(sin, y) -> y", "reserved"),
    ("(1, y) -> y", "is not a name"),
    ("x -> x -> x", "exactly one '->'"),
    ("x + y", "exactly one '->'"),
    ("x -> (x,", "not a valid expression"),
    ("x -> {x: 1}", "dicts"),
    ("x -> 1/0", "division by zero"),
    ("x -> x ** 1e400", "not finite"),
    ("x -> True", "not a number"),
    ("x -> 1j", "complex numbers are not allowed"),
    ("x -> f'{x}'", "strings"),
    ("x -> (y := 1)", "assignments"),
    ("x -> sin(*x)", "starred"),
]


@pytest.mark.parametrize("text,fragment", REJECT)
def test_rejections_name_the_piece(text, fragment):
    with pytest.raises(ParseError) as exc:
        Map(text)
    msg = str(exc.value)
    assert fragment in msg
    assert "\n" not in msg and len(msg) < 400


def test_deep_nesting_is_rejected_not_crashing():
    with pytest.raises(ParseError):
        Map("x -> " + "(" * 3000 + "x" + ")" * 3000)
    with pytest.raises(ParseError):
        Map("x -> " + "-" * 9000 + "x")


def test_bombs_are_rejected_quickly_in_a_subprocess():
    """Exponent and integer bombs must be refused, not computed (a hang fails this test)."""
    code = textwrap.dedent("""
        from jacviz import Map, ParseError
        for text in ["x -> x**9**9**9", "x -> 9**9**9**9", "x -> 2**2**2**2**2**2",
                     "x -> (9**999)**999", "x -> 10**999*10**999*10**999*10**999*10**999*10**999*10**999*10**999*10**999*10**999*10**999"]:
            try:
                Map(text)
            except ParseError as e:
                print("rejected", e)
            else:
                print("accepted", text)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = out.stdout.splitlines()
    assert len(lines) == 5, out.stderr
    assert all(line.startswith("rejected") for line in lines), lines


def test_hostile_text_executes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    hostile = [
        f"x -> __import__('os').system('touch {marker}')",
        f"x -> open('{marker}', 'w')",
        f"x -> exec(\"open('{marker}','w')\")",
        f"x -> eval(\"open('{marker}','w')\")",
        f"x -> ().__class__.__bases__[0].__subclasses__()",
        f"x -> [c for c in ().__class__.__base__.__subclasses__()]",
    ]
    for text in hostile:
        with pytest.raises(ParseError):
            Map(text)
        with pytest.raises(ParseError):
            parse_expr(text.split("->", 1)[1], ["x"])
        with pytest.raises(ParseError):
            parse_vector(text.split("->", 1)[1])
    assert not marker.exists()


def test_vectors_and_numbers():
    assert parse_vector("1,2") == (1.0, 2.0)
    assert parse_vector("(0.5, pi/2)") == pytest.approx((0.5, np.pi / 2))
    assert parse_vector("[-1, 2^3]") == (-1.0, 8.0)
    with pytest.raises(ParseError, match="expected 2"):
        parse_vector("1,2,3", length=2)
    with pytest.raises(ParseError, match="empty"):
        parse_vector("")
    with pytest.raises(ParseError, match="unknown name 'x'"):
        parse_vector("x, 1")


def test_sigmoid_display_and_derivative():
    s = sigmoid(x)
    assert sympy.latex(s) == r"\sigma\left(x\right)"
    assert sympy.diff(s, x) == s * (1 - s)
    assert float(sigmoid(sympy.Integer(0))) == 0.5


@pytest.mark.parametrize("text", ["x -> sqrt(-1)*x", "x -> log(0)*x", "x -> (-3)^(1/3)*x",
                                  "(x, y) -> sin(-3)^y", "x -> (x - x + (-2))^(1/3)"])
def test_values_that_are_not_real_are_refused(text):
    with pytest.raises(ParseError, match="not .*real"):
        parse_map(text)
