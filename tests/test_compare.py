"""The comparison rule (issue 24): numbers shown as different are printed visibly different.

``jacviz.core.fmt.compare`` (and ``distinct``, ``tex_distinct``, ``spoken.say_compare``):
different numbers print with the fewest digits (3 to 8) that tell them apart, else alike
with the difference stated; equal numbers print the same.  Then the two-way scene's
true-image beat, on screen, in its caption and in its narration: a small dx on a
nonlinear map shows sides that differ; a linear map shows that they coincide.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jacviz.core import fmt
from jacviz.core.fmt import (COMPARE_MOST, Comparison, Differs, coincide, compare, distinct,
                             fmt_num, sci_text, tex_distinct)
from jacviz.core.maps import Chain, image_gaps
from jacviz.core.spoken import say_compare, say_differs
from jacviz.studio.request import resolve_params
from jacviz.studio.script import narrate

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
nearby = st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)


def _nums(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?", text)]


# -- the formatter -----------------------------------------------------------------------------
def test_the_issue_case_prints_apart():
    # the sides of issue 24 read alike at 3 digits; the rule prints them with 4
    assert fmt_num(1.4312) == fmt_num(1.4339) == "1.43"
    assert distinct(1.4312, 1.4339) == ("1.431", "1.434")
    assert distinct([-1.0312, -1.4701], [-1.03, -1.47]) == ("(-1.031, -1.47)", "(-1.03, -1.47)")
    assert tex_distinct([-1.0312, -1.4701], [-1.03, -1.47]) == (r"\left(-1.031,\, -1.47\right)",
                                                                r"\left(-1.03,\, -1.47\right)")
    assert distinct(0.5, 0.25) == ("0.5", "0.25")  # already apart: the usual digits


def test_beyond_eight_digits_the_difference_is_stated():
    d = distinct(1.0, 1.0 + 3.2e-9)
    assert isinstance(d, Differs) and d.a == d.b == "1" and d.by == pytest.approx(3.2e-9)
    assert d.text() == "differs by 3.2 × 10⁻⁹"
    assert d.tex() == r"\text{differs by }3.2\times 10^{-9}"
    c = compare(2.5, 2.5 + 4e-12, equal=False)
    assert (c.sign, c.a, c.b, c.note) == ("≈", "2.5", "2.5", "differs by 4 × 10⁻¹²")
    assert compare(2.5, 2.5 + 4e-12, equal=False, tex=True).sign == r"\approx"
    s = say_compare(2.5, 2.5 + 4e-12, equal=False)
    assert s.a == s.b == "two point five"
    assert s.note.startswith("they differ by about four times ten to the minus twelve")
    # the sides on either side of a rounding boundary: not shown apart by rounding alone
    d = distinct(0.1235 - 1e-12, 0.1235 + 1e-12)
    assert isinstance(d, Differs) and d.a == d.b and d.by == pytest.approx(2e-12)


def test_equal_numbers_print_the_same():
    c = compare([0.1235 - 1e-13, 2.0], [0.1235 + 1e-13, 2.0])  # equal up to rounding error
    assert c.equal and c.a == c.b and c.sign == "=" and c.note == ""
    assert compare(1 / 3, 1 / 3 + 1e-7, equal=True).b == "0.333"  # shown equal: alike
    assert not coincide(1.0, 1.0 + 1e-7) and coincide(1e6, 1e6 + 1e-4)


@given(finite, finite, st.integers(1, 3))
@example(1.4345, 1.435, 1)
@example(0.12349999999999, 0.12350000000001, 1)
@example(2.0, 2.0 + 1e-8, 1)
@example(-0.0, 1e-13, 1)
def test_different_numbers_print_differently_or_state_the_difference(a, b, n):
    a, b = [a] * n, [b] + [a] * (n - 1)  # a scalar, or vectors that differ in one component
    for style in ("plain", "tex", "spoken"):
        c = say_compare(a, b, equal=False) if style == "spoken" else \
            compare(a, b, equal=False, tex=style == "tex")
        if c.a == c.b:  # alike: only when 8 digits cannot tell them apart, and then stated
            assert c.by is not None and c.by == pytest.approx(abs(a[0] - b[0]), abs=0)
            assert c.note and c.sign in ("≈", r"\approx")
            if style == "plain" and a[0] != 0:
                assert fmt_num(a[0], COMPARE_MOST) == fmt_num(b[0], COMPARE_MOST) or \
                    abs(a[0] - b[0]) < 0.5 * 10 ** (math.floor(math.log10(max(abs(a[0]),
                                                                        abs(b[0])))) - 7)
        else:
            assert c.by is None and c.sign in ("≠", r"\ne") and not c.note
        if style == "plain" and c.a != c.b:  # the printed sides say truly which is which
            shown_a, shown_b = _nums(c.a), _nums(c.b)
            assert len(shown_a) == len(shown_b) == n
            assert shown_a[0] != shown_b[0]
            assert (shown_a[0] < shown_b[0]) == (a[0] < b[0])


@given(finite, nearby, st.booleans())
def test_numbers_within_rounding_print_the_same_and_few_digits_suffice(a, rel, vector):
    b = a * (1 + rel * 1e-7)  # within the floating-point tolerance when rel is tiny
    va, vb = ([a, 1.0], [b, 1.0]) if vector else (a, b)
    c = compare(va, vb)
    assert c.equal == coincide(va, vb)
    if c.equal:
        assert c.a == c.b and c.digits == 3
    p = fmt.digits_apart(va, vb)
    if p is not None:  # the fewest: one digit fewer prints them alike (or is below 3)
        assert p == 3 or fmt_num(a, p - 1) == fmt_num(b, p - 1) or \
            abs(a - b) < 0.5 * fmt._unit(a, b, p - 1)


def test_sci_text_forms():
    assert sci_text(3.2e-9) == "3.2 × 10⁻⁹" and sci_text(1.25e-12) == "1.2 × 10⁻¹²"
    assert sci_text(0.0042) == "0.0042" and sci_text(2.5e7) == "2.5 × 10⁷"
    assert say_differs(3.2e-9) == "they differ by three point two times ten to the minus nine"
    assert say_differs(3.21e-9) == "they differ by about three point two times ten to the minus nine"


def test_column_digits():
    assert fmt.column_digits([0.8, 0.4, 0.2]) == 3
    assert fmt.column_digits([0.12341, 0.12346, 0.05]) == 5  # neighbours shown apart
    assert fmt.column_digits([1.0, 1.0 + 1e-13]) == 3  # equal up to rounding: not forced apart


# -- the true image against the prediction, in high precision ---------------------------------
def test_image_gaps_are_exact_zero_for_an_affine_map_and_real_otherwise():
    lin = Chain.from_texts(["(x1, x2) -> (0.1*x1 + 2*x2, x1 - x2/3)", "(u1, u2) -> 3*u1 - u2"])
    assert all(not np.any(g) for g in image_gaps(lin, [0.7, -1.3], [0.1, 0.3]))
    bent = Chain.from_texts(["(x1, x2) -> (x1 + 2*x2, x1 - x2)", "(u1, u2) -> u1*u2 + u1"])
    gaps = image_gaps(bent, [-2, 0.5], [0.01, 0.02])
    assert not np.any(gaps[1])  # g is linear
    # f(u + du) - f(u) - Df du = du1 du2 = 0.05 * (-0.01), exactly (from the float64 inputs)
    assert gaps[2][0] == pytest.approx(0.05 * -0.01, rel=1e-12)
    tiny = image_gaps(bent, [-2, 0.5], [1e-9, 2e-9])[2][0]  # far below float64's rounding of y
    assert tiny == pytest.approx(5e-9 * -1e-9, rel=1e-9)


# -- the two-way scene ---------------------------------------------------------------------------
_RUNS: dict = {}


def two_way(**sets):
    key = tuple(sorted(sets.items()))
    if key not in _RUNS:
        _RUNS[key] = narrate("two-way", resolve_params("two-way", sets))
    return _RUNS[key]


def beat(sc, name):
    return dict(sc.beats)[name], dict(sc.narration)[name]


SMALL = [{"point": "-2,0.5", "dx": "0.01,0.02"},  # the held-out case of issue 24
         {"point": "0.7,-1.3", "dx": "0.003,-0.001"},
         {"maps": "(x1, x2) -> (x1*x2, x1 + x2^2); (u1, u2) -> (sin(u1), u1*u2)",
          "point": "1.5,0.25", "dx": "0.002,0.001"}]


@pytest.mark.parametrize("sets", SMALL, ids=["issue", "other-point", "two-outputs"])
def test_a_small_dx_on_a_nonlinear_map_shows_sides_that_differ(sets):
    sc = two_way(**sets)
    n = sc.n
    tr = n.tr
    K = n.K
    assert not n.coincide(K)
    # the built numbers: the last space's image and prediction differ, and so do the sides
    c = sc.compared[K]
    assert not c.equal and c.sign == r"\ne" and c.a != c.b
    plain = n.image_vs_prediction(K)
    assert plain.a != plain.b
    assert agrees(plain.a, tr.images[K][-1]) and agrees(plain.b, tr.linear[K][-1])
    three = [[fmt_num(x) for x in v[K][-1]] for v in (tr.images, tr.linear)]
    if sets is SMALL[0]:  # at 3 digits 1.43 and 1.44: apart only by rounding (0.0005 apart)
        assert three == [["1.43"], ["1.44"]] and (plain.a, plain.b) == ("1.434", "1.435")
    else:  # at the usual 3 digits the sides read alike: the rule is what tells them apart
        assert three[0] == three[1]
    caption, spoken = beat(sc, "true-image")
    assert f"the curve ends at {plain.a}, the arrow at {plain.b}" in caption
    words = n.image_vs_prediction(K, "spoken")
    assert words.a != words.b
    assert f"the curve ends at {words.a}, the arrow at {words.b}" in spoken
    assert "coincide" not in spoken and not re.search(r"\d", spoken)  # words, not digits


def agrees(text: str, values) -> bool:
    """The text shows each value to the digits it prints (within half a unit of the last)."""
    shown = re.findall(r"-?\d+(?:\.\d+)?", text)
    values = np.ravel(values)
    if len(shown) != len(values):
        return False
    for s, v in zip(shown, values):
        last = len(s.split(".")[1]) if "." in s else 0
        if abs(float(s) - v) > 0.5 * 10 ** -last * (1 + 1e-9):
            return False
    return True


def test_a_tinier_dx_states_the_difference():
    sc = two_way(point="-2,0.5", dx="1e-6,2e-6")
    K = sc.n.K
    c = sc.compared[K]
    assert c.a == c.b and c.sign == r"\approx" and c.note == r"\text{differs by }5\times 10^{-12}"
    caption, spoken = beat(sc, "true-image")
    assert "(differs by 5 × 10⁻¹²)" in caption
    assert "both end at about one point five; they differ by five times ten to the minus " \
        "twelve" in spoken
    assert "≠" not in caption


def test_a_linear_map_shows_that_image_and_prediction_coincide():
    sc = two_way(f="(u1, u2) -> 2*u1 - 0.3*u2", point="0.7,-1.3", dx="0.1,0.3")
    n = sc.n
    assert all(n.coincide(k) for k in range(n.K + 1))
    for k, c in sc.compared.items():
        assert c.equal and c.sign == "=" and c.a == c.b
    caption, spoken = beat(sc, "true-image")
    assert caption.count("coincide") == n.K and "≠" not in caption
    assert "coincide" in spoken and "gap" not in spoken


def test_the_defaults_coincide_along_their_arrow():
    # the default f is not linear, but along the default arrow u2 stays 0: f is exact there
    sc = two_way()
    assert [sc.n.coincide(k) for k in (1, 2)] == [True, True]
    caption, spoken = beat(sc, "true-image")
    assert "in u-space the curve and the arrow coincide, both ending at (3.3, 0)" in caption
    assert "coincide" in spoken


def test_pairings_shown_equal_print_alike():
    sc = two_way(point="-2,0.5", dx="0.01,0.02")
    n = sc.n
    assert n.pairings_agree and len(set(n.pairings_shown)) == 1
    caption, spoken = beat(sc, "duality")
    shown = [part.rsplit("= ", 1)[1].rstrip(".") for part in caption.split(" and ")]
    assert shown == ["-0.065", "-0.065"]
    assert spoken.count("minus zero point zero six five") == 2


# -- local-linearity's error table -----------------------------------------------------------
def test_error_table_rows_read_apart_down_each_column():
    sets = {"steps": "0.2,0.1999,0.1"}  # two steps close together: their rows nearly alike
    sc = narrate("local-linearity", resolve_params("local-linearity", sets))
    hs, err, ratio, _ = sc.n.table
    assert fmt_num(ratio[0]) == fmt_num(ratio[1])  # at the usual 3 digits they read alike
    caption = dict(sc.beats)["error-table"]
    shown = re.search(r"error/h goes (.*), towards 0", caption).group(1).split(", ")
    assert len(shown) == 3 and shown[0] != shown[1] and shown[1] != shown[2]
    assert all(abs(float(s) - r) <= 0.5 * fmt._unit(r, r, len(s.lstrip("-0.")))
               for s, r in zip(shown, ratio))
    steps = re.search(r"as h goes (.*), error/h", caption).group(1).split(", ")
    assert steps == ["0.2", "0.1999", "0.1"]  # 0.2 and 0.2 at the usual 3 digits
    linear = narrate("local-linearity", resolve_params("local-linearity",
                                                       {"f": "(x, y) -> (2*x + y, x - y)"}))
    said = dict(linear.narration)["error-table"]
    assert "zero at every step" in said and "falls from" not in said


def test_fmt_plain_writes_no_exponent_between_a_millionth_and_a_billion():
    from jacviz.core.fmt import fmt_plain

    cases = {12345.6: "12300", 999.7: "1000", -21234.5: "-21200", 0.00012345: "0.000123",
             -0.0000456: "-0.0000456", 1.5: "1.5", 7: "7", 0.0: "0", 2.5e9 + 0.5: "2.5e+09",
             1.5e-7: "1.5e-07"}
    for v, text in cases.items():
        assert fmt_plain(v) == text, v
        if "e" not in text:  # the same number to three significant digits
            assert float(text) == pytest.approx(v, rel=5e-3, abs=1e-12)


def test_live_numbers_draw_large_values_without_an_exponent():
    from jacviz.kit.readout import live_number

    num = live_number(21234.5)
    assert num.get_value() == pytest.approx(21234.5)
    assert num._get_num_string(21234.5) == "21200"
    assert len(num.submobjects) == 5  # five digit glyphs, no "e", "+" or "0" of an exponent
