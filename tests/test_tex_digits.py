"""Numbers without TeX (issue 20, item 2): a snippet that differs from one compiled before only
in its digits is set from the digits' glyphs, compiled once, and looks exactly as LaTeX sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jacviz.engine import tex_cache

JACVIZ = str(Path(sys.executable).parent / "jacviz")

#: (a number's snippet, another of the same shape compiled first): the kinds the scenes write
CASES = [
    ("1.4", "7.7"),
    ("-2.5", "-9.1"),
    (r"J_{11} = 1.4", r"J_{11} = 3.3"),
    (r"x = \left(9,\, 1\right)", r"x = \left(2,\, 5\right)"),
    (r"[\times0.31]", r"[\times0.77]"),
    (r"\langle g,\ dx \rangle = 0.37 - 0.25 = 0.12", r"\langle g,\ dx \rangle = 0.48 - 0.36 = 0.12"),
    (r"\frac{13}{7} + \sqrt{2}", r"\frac{58}{9} + \sqrt{3}"),
    (r"x_{1}^{2} + 3.25", r"x_{8}^{4} + 6.75"),  # TeX sets the superscript before the subscript
    (r"\begin{bmatrix} 1.5 & -2 \\ 0.25 & 7 \end{bmatrix}",
     r"\begin{bmatrix} 4.5 & -6 \\ 0.75 & 3 \end{bmatrix}"),
    (r"\text{step }0.25,\ \mathbb{R}^{3}", r"\text{step }0.45,\ \mathbb{R}^{2}"),
    (r"\mathbf{4.2}", r"\mathbf{6.9}"),
    ("123456789012.5", "987654321098.7"),  # more than ten digits
    (r"{x}_0 = \left(0.7,\, 1.3\right)", r"{x}_0 = \left(2.9,\, 4.6\right)"),
]
#: the same for text (Tex): words, digits, and math inside $...$
TEXT_CASES = [
    (r"step 0.25 of 13 beats, $x_{1}^{2} = 4.5$", r"step 0.75 of 96 beats, $x_{3}^{8} = 2.5$"),
    (r"\textbf{1.5} times longer", r"\textbf{8.5} times longer"),
]


def _points(mob) -> list[np.ndarray]:
    return [m.points for m in mob.family_members_with_points()]


def test_shape_numbers_each_digit_and_keeps_what_is_not_typeset():
    special = r"\special{dvisvgm:raw <g id='unique001'>}"
    assert tex_cache.digit_shape(special + r"x = 9.25" + special) == \
        special + r"x = 0.12" + special  # the group ids' digits are not the number's
    assert tex_cache.digit_shape("0") is None  # its own shape
    assert tex_cache.digit_shape(r"\hspace{2pt} 1") is None  # a dimension: compiled as it is
    assert tex_cache.digit_shape(r"\color[rgb]{0.1,0.2,0.3} 1") is None
    assert tex_cache.digit_shape(r"a \\[2pt] 1") is None
    assert tex_cache.digit_shape(r"\begin{array}{cc} 1 & 2 \end{array}") is None
    assert tex_cache.digit_shape("x") is None


def test_numbers_set_from_glyphs_look_exactly_as_latex_sets_them(tmp_path, monkeypatch):
    from manim import MathTex, Tex, tempconfig

    from jacviz.core import signals

    tex_cache.install()  # as the kit does on import
    log = tmp_path / "stages.log"
    monkeypatch.setenv("JACVIZ_STAGE_LOG", str(log))
    made = {}
    for folder, glyphs in (("glyphs", True), ("latex", False)):
        if not glyphs:  # the same snippets, each compiled by LaTeX
            monkeypatch.setattr(tex_cache, "digit_shape", lambda expression: None)
        with tempconfig({"tex_dir": str(tmp_path / folder / "Tex")}):
            for number, first, kind in [(*c, MathTex) for c in CASES] + \
                    [(*c, Tex) for c in TEXT_CASES]:
                if glyphs:
                    kind(first)  # its shape compiled
                    log.write_text("")
                made.setdefault(number, []).append(kind(number))
                stages = [line.split()[0] for line in log.read_text().splitlines()]
                if glyphs:
                    assert "tex-digits" in stages and "tex" not in stages, (number, stages)
                log.write_text("")
    assert signals.received() is None
    for number, (glyphs, latex) in made.items():
        a, b = _points(glyphs), _points(latex)
        assert len(a) == len(b) and len(a) > 0, number
        for p, q in zip(a, b):
            assert p.shape == q.shape and np.allclose(p, q, atol=1e-9), number


def test_a_number_only_change_compiles_no_tex(tmp_path):
    """A storyboard with a new point whose numbers have the digits' places of numbers drawn
    before: not one latex or dvisvgm run."""
    def preview(point, log):
        res = subprocess.run([JACVIZ, "preview", "jacobian-grid", "--set", f"point={point}",
                              "--out", "board.png"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=900,
                             env=dict(os.environ, JACVIZ_STAGE_LOG=str(log)))
        assert res.returncode == 0, res.stderr
        return [line.split()[0] for line in log.read_text().splitlines()]

    first = preview("0.7,1.3", tmp_path / "first.log")
    assert "tex-batch" in first  # the map, the shapes and the digits compiled
    tex = sorted((tmp_path / "media" / "Tex").glob("*.svg"))
    again = preview("0.8,1.6", tmp_path / "again.log")
    assert not {"tex", "tex-batch"} & set(again), again
    assert "tex-digits" in again
    made = sorted(set((tmp_path / "media" / "Tex").glob("*.svg")) - set(tex))
    assert made  # the new numbers' SVGs, set from glyphs
