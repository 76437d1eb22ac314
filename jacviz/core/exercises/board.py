"""The worked-answer boards: what the practice clip draws for each step.

A :class:`Step` is one worked step as caption text, as LaTeX, and as one row of
the board: plain data (dicts of strings and numbers, no manim), parts in
reading order, each made by one function here:

- ``tx(tex, role)``: ``{"tex": TeX, "role": r}``; consecutive tex parts form one line;
- ``mx(M, role)``: ``{"matrix": rows of TeX cells, "role": r}``, with optional
  ``rows``/``cols`` (labels) and ``highlight`` ([i, j] cells); ``col(vals, role)``
  is a column vector as a one-column matrix;
- ``blk(rows, cols, label, role)``: ``{"block": [rows, cols], "label": TeX,
  "role": r}``, a matrix drawn by its shape;
- ``{"mark": "cross"}``: what does not compose;
- ``{"path": k}``: highlight path k of the figure's graph.

Roles: ink, forward (perturbations), backward (gradients), point (points and
values), highlight (what is asked), warn (zero paths, shape mismatches), muted.
``scenes/practice.py`` draws these rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from ..texnames import latex
from .exact import tex_of


@dataclass(frozen=True)
class Step:
    """One worked step, as caption text and as LaTeX, and its row on the board.

    ``board`` is what the practice clip draws for the step (plain data, see the
    module docstring): one row of parts in reading order.
    """

    text: str
    tex: str
    board: tuple = field(default=(), compare=False)


def step(text: str, tex: str, *board: dict) -> Step:
    return Step(text, tex, tuple(board))


def tx(tex: str, role: str = "ink") -> dict:
    return {"tex": tex, "role": role}


def mx(M, role: str = "ink", symbolic: bool = False, **extra) -> dict:
    M = sympy.Matrix(M)
    cell = latex if symbolic else tex_of
    return {"matrix": [[cell(v) for v in M.row(i)] for i in range(M.rows)], "role": role, **extra}


def col(vals, role: str) -> dict:
    return mx(sympy.Matrix(list(vals)), role)


def blk(rows: int, cols: int, label: str, role: str = "ink") -> dict:
    return {"block": [rows, cols], "label": label, "role": role}
