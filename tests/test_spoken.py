"""Numbers and symbols for a voice: the table of cases of jacviz.core.spoken."""

import math

import numpy as np
import pytest

from jacviz.core.errors import JacvizError
from jacviz.core.spoken import (estimate_timing, join_words, say_entry, say_int, say_matrix, say_name,
                           say_num, say_shape, say_vec, sentence, sentences, speech_seconds,
                           word_count)

NUMBERS = [
    # (value, kwargs, spoken)
    (-1.5, {}, "minus one point five"),
    (0, {}, "zero"),
    (-0.0, {}, "zero"),
    (7, {}, "seven"),
    (7.0, {}, "seven"),
    (-12, {}, "minus twelve"),
    (21, {}, "twenty-one"),
    (100, {}, "one hundred"),
    (1205, {}, "one thousand two hundred and five"),
    (3_000_000, {}, "three million"),
    (0.3, {}, "zero point three"),
    (0.1 + 0.2, {}, "zero point three"),          # float noise is not rounding
    (0.05, {}, "zero point zero five"),
    (0.0712, {}, "about zero point zero seven one"),
    (0.0712, {"digits": 1}, "about zero point zero seven"),
    (0.731, {}, "about zero point seven three"),
    (0.731, {"digits": 3}, "zero point seven three one"),
    (10.5, {}, "about ten"),                       # 2 significant digits, half to even
    (10.5, {"digits": 3}, "ten point five"),
    (1234.5, {}, "about one thousand two hundred"),
    (2.5, {}, "two point five"),                   # as the screen writes it
    (2.5, {"fractions": True}, "two and a half"),
    (-1.5, {"fractions": True}, "minus one and a half"),
    (0.5, {"fractions": True}, "one half"),
    (0.25, {"fractions": True}, "one quarter"),
    (-0.75, {"fractions": True}, "minus three quarters"),
    (2.25, {"fractions": True}, "two and a quarter"),
    (0.1 + 0.4, {"fractions": True}, "one half"),  # 0.1 + 0.4 is exactly 0.5 in floats
    (0.3, {"fractions": True}, "zero point three"),  # not a quarter: decimals
    (1 / 3, {"fractions": True}, "about zero point three three"),  # thirds are never exact
    (3e-9, {}, "three times ten to the minus nine"),
    (2.9979e-9, {}, "about three times ten to the minus nine"),
    (-0.000123, {}, "about minus one point two times ten to the minus four"),
    (1.5e7, {}, "fifteen million"),              # short words: in words
    (1.5e12, {}, "one point five times ten to the twelve"),
    (299_790_000, {}, "about three times ten to the eight"),
    (1e15, {}, "one times ten to the fifteen"),
    (0.0712, {"about": False}, "zero point zero seven one"),
    (math.inf, {}, "infinity"),
    (-math.inf, {}, "minus infinity"),
    (math.nan, {}, "not a number"),
]


@pytest.mark.parametrize("value,kwargs,words", NUMBERS, ids=[f"{v}-{k}" for v, k, _ in NUMBERS])
def test_say_num(value, kwargs, words):
    assert say_num(value, **kwargs) == words


def test_say_num_accepts_numpy_scalars():
    assert say_num(np.float64(-1.5)) == "minus one point five"
    assert say_num(np.int64(3)) == "three"


def test_say_num_refuses_no_digits():
    with pytest.raises(JacvizError, match="digits"):
        say_num(0.5, digits=0)


@pytest.mark.parametrize("n,words", [(0, "zero"), (13, "thirteen"), (40, "forty"),
                                     (99, "ninety-nine"), (101, "one hundred and one"),
                                     (1000, "one thousand"), (1001, "one thousand and one"),
                                     (20_017, "twenty thousand and seventeen"),
                                     (2_000_300, "two million three hundred"),
                                     (-4, "minus four")])
def test_say_int(n, words):
    assert say_int(n) == words


def test_vectors_and_matrices():
    assert say_vec([0.3, 0]) == "zero point three and zero"
    assert say_vec(np.array([10.0, 5.0])) == "ten and five"
    assert say_vec([1, 2, 3]) == "one, two and three"
    assert say_vec([1.5]) == "one point five"
    # one "about" for the vector when any entry was rounded
    assert say_vec([0.3123, 1]) == "about zero point three one and one"
    assert say_vec([0.5, -0.25], fractions=True) == "one half and minus one quarter"
    assert say_matrix([[2, -1], [2, 1]]) == "row one: two and minus one; row two: two and one"
    assert say_matrix(np.array([[10.0, 5.0]])) == "ten and five"
    assert say_entry(0, 1) == "the entry in row one, column two"
    assert say_entry(1, 1, 1.0) == "the entry in row two, column two is one"
    assert say_entry(0, 1, -1.5) == "the entry in row one, column two is minus one point five"
    assert say_shape(2, 3) == "two by three"
    assert join_words(["a"]) == "a" and join_words([]) == ""
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


NAMES = [
    ("x1", "x one"), ("x_1", "x one"), ("x0", "x zero"), ("x_0", "x zero"), ("u2", "u two"),
    ("x12", "x twelve"), ("dx", "d x"), ("dx1", "d x one"), ("du", "d u"), ("dy_2", "d y two"),
    ("grad f", "grad f"), ("∇f", "grad f"), ("grad_x", "grad x"), ("grad_u", "grad u"),
    ("Dg", "the Jacobian of g"), ("Df", "the Jacobian of f"),
    ("Dg(x0)", "the Jacobian of g at x zero"),
    ("Dg(x0)^T", "the transpose of the Jacobian of g at x zero"),
    ("Dgᵀ", "the transpose of the Jacobian of g"),
    ("Df(u)^T grad_y", "the transpose of the Jacobian of f at u grad y"),
    ("J^T", "J transpose"), ("W^T", "W transpose"),
    ("f o g", "f after g"), ("f∘g", "f after g"), ("D(f o g)", "the Jacobian of f after g"),
    ("dz/dt", "d z over d t"), ("r'(t)", "r prime of t"), ("f(x)", "f of x"),
    ("<grad_x, dx>", "the pairing of grad x with d x"),
    ("x1^2 + x2", "x one squared plus x two"), ("x^3", "x cubed"),
    ("(x1, x2)", "x one, x two"), ("a", "ay"), ("theta", "theta"), ("θ", "theta"),
]


@pytest.mark.parametrize("name,words", NAMES, ids=[n for n, _ in NAMES])
def test_say_name(name, words):
    assert say_name(name) == words


def test_say_name_refuses_what_it_cannot_read():
    with pytest.raises(JacvizError, match="cannot read the symbol"):
        say_name("x @ y")


def test_sentences_split_at_sentence_ends_only():
    text = ("The arrow at x zero is pushed, e.g. through g.  Its image is 1.5 units long!\n"
            "Is it? Yes. 3 maps follow.")
    assert sentences(text) == ["The arrow at x zero is pushed, e.g. through g.",
                               "Its image is 1.5 units long!", "Is it?", "Yes.",
                               "3 maps follow."]
    assert sentences("  ") == []
    assert sentence(say_entry(0, 1, -1.5)) == "The entry in row one, column two is minus one point five."
    assert sentence("is it", "zero?") == "Is it zero?" and sentence("  ") == ""
    assert sentences("no full stop") == ["no full stop"]


def test_speech_timing_at_150_words_a_minute():
    assert word_count("twenty-one is one word, x one two") == 7
    assert speech_seconds("one two three four five") == pytest.approx(2.0)
    timing = estimate_timing("One two three four five. Six seven eight nine ten.")
    assert timing == [(0.0, 2.0, "One two three four five."),
                      (pytest.approx(2.4), pytest.approx(4.4), "Six seven eight nine ten.")]
    assert estimate_timing("") == []
