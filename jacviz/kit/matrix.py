"""A Jacobian matrix on screen, and a block for a matrix too large to read."""

from __future__ import annotations

import numpy as np
import sympy
from manim import DOWN, LEFT, RIGHT, UP, MathTex, Rectangle, SurroundingRectangle, VGroup, VMobject

from ..fmt import tex_expr, tex_num
from . import style
from .tex import overlay

#: above this many rows or columns a matrix is shown as a labelled block at 480p
MAX_READABLE = 4


def _bracket(height: float, side: int, arm: float, color, stroke_width: float) -> VMobject:
    """A square bracket drawn as lines: side -1 is '[', +1 is ']'."""
    b = VMobject(stroke_color=color, stroke_width=stroke_width)
    h = height / 2
    a = -side * arm  # the arms point inward
    b.set_points_as_corners([[a, h, 0], [0, h, 0], [0, -h, 0], [a, -h, 0]])
    return b


class JacobianMatrix(VGroup):
    """A matrix of TeX entries, each column as wide as its widest entry.

    Rows are outputs and columns are inputs (numerator layout).  Build it from
    TeX strings, or with :meth:`numeric` (numbers, written like the captions)
    or :meth:`symbolic` (a sympy Matrix).  ``row_labels`` (outputs, left) and
    ``col_labels`` (inputs, on top) are TeX strings in ``label_color``.  A 1x1
    matrix shows as its entry alone, no brackets, unless ``scalar=False``.

    Parts: :meth:`entry` (i, j), :meth:`row` i, :meth:`column` j,
    ``entries`` (a VGroup of rows), ``brackets``, ``row_label_group``,
    ``col_label_group``; :meth:`highlight_entry`, :meth:`highlight_row` and
    :meth:`highlight_column` return declared overlays to add or Create.

    Examples
    --------
    .. code-block:: python

        class JacobianMatrixExample(Scene):
            def construct(self):
                F = Map("(x, y) -> (x^2 - y, x*y)")
                J = JacobianMatrix.symbolic(F.jacobian_symbolic, row_labels=["F_1", "F_2"],
                                            col_labels=["x", "y"])
                N = JacobianMatrix.numeric(F.jacobian([1, 2]), color=style.POINT)
                self.add(VGroup(J, N).arrange(RIGHT, buff=1), N.highlight_entry(0, 0))
    """

    def __init__(self, cells, *, color=style.INK, entry_color=None, font_size=style.BODY,
                 row_labels=None, col_labels=None, label_color=style.MUTED, col_gap=None,
                 row_gap=None, scalar: bool = True):
        super().__init__()
        cells = [[str(c) for c in row] for row in cells]
        self.m, self.n = len(cells), len(cells[0])
        self.font_size = font_size
        k = font_size / style.BODY
        col_gap = 0.55 * k if col_gap is None else col_gap
        row_gap = 0.32 * k if row_gap is None else row_gap
        grid = [[MathTex(c, font_size=font_size, color=entry_color or color) for c in row]
                for row in cells]
        widths = [max(grid[i][j].width for i in range(self.m)) for j in range(self.n)]
        heights = [max(max(grid[i][j].height for j in range(self.n)), 0.3 * k)
                   for i in range(self.m)]
        y = 0.0
        for i in range(self.m):
            y -= heights[i] / 2 if i == 0 else (heights[i - 1] / 2 + row_gap + heights[i] / 2)
            x = 0.0
            for j in range(self.n):
                x += widths[j] / 2 if j == 0 else (widths[j - 1] / 2 + col_gap + widths[j] / 2)
                grid[i][j].move_to([x, y, 0])
        self.entries = VGroup(*[VGroup(*row) for row in grid])
        self.entries.move_to([0, 0, 0])
        self.is_scalar = scalar and self.m == 1 and self.n == 1
        if self.is_scalar:
            self.brackets = VGroup()
        else:
            pad = 0.12 * k
            height = self.entries.height + 2 * pad
            lb = _bracket(height, -1, 0.12 * k, color, 2.5 * k)
            rb = _bracket(height, 1, 0.12 * k, color, 2.5 * k)
            lb.next_to(self.entries, LEFT, buff=0.18 * k)
            rb.next_to(self.entries, RIGHT, buff=0.18 * k)
            self.brackets = VGroup(lb, rb)
        self.add(self.entries, self.brackets)
        self.row_label_group = VGroup()
        self.col_label_group = VGroup()
        if row_labels is not None:
            for i, text in enumerate(row_labels):
                lab = MathTex(text, font_size=font_size * 0.8, color=label_color)
                lab.next_to(self.body(), LEFT, buff=0.25 * k).set_y(self.row(i).get_center()[1])
                self.row_label_group.add(lab)
            right = min(lab.get_right()[0] for lab in self.row_label_group)
            for lab in self.row_label_group:
                lab.shift((right - lab.get_right()[0]) * RIGHT)
            self.add(self.row_label_group)
        if col_labels is not None:
            for j, text in enumerate(col_labels):
                lab = MathTex(text, font_size=font_size * 0.8, color=label_color)
                lab.next_to(self.body(), UP, buff=0.18 * k).set_x(self.column(j).get_center()[0])
                self.col_label_group.add(lab)
            bottom = max(lab.get_bottom()[1] for lab in self.col_label_group)
            for lab in self.col_label_group:
                lab.shift((bottom - lab.get_bottom()[1]) * UP)
            self.add(self.col_label_group)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def numeric(cls, A, digits: int = 3, **kw) -> "JacobianMatrix":
        """Numbers, written as the captions write them (integers plain, else 3 digits)."""
        A = np.atleast_2d(np.asarray(A, dtype=float))
        return cls([[tex_num(v, digits) for v in row] for row in A], **kw)

    @classmethod
    def symbolic(cls, M, **kw) -> "JacobianMatrix":
        """A sympy Matrix (or a list of lists of expressions), in LaTeX."""
        rows = M.tolist() if isinstance(M, sympy.MatrixBase) else M
        return cls([[tex_expr(e) for e in row] for row in rows], **kw)

    @classmethod
    def column_vector(cls, v, **kw) -> "JacobianMatrix":
        """A column of numbers (a 1-vector shows as its number)."""
        return cls.numeric(np.asarray(v, dtype=float).reshape(-1, 1), **kw)

    # -- parts ---------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        return (self.m, self.n)

    def entry(self, i: int, j: int):
        return self.entries[i][j]

    def row(self, i: int) -> VGroup:
        return self.entries[i]

    def column(self, j: int) -> VGroup:
        return VGroup(*[self.entries[i][j] for i in range(self.m)])

    def body(self) -> VGroup:
        """Entries and brackets, without the labels."""
        return VGroup(self.entries, self.brackets)

    def get_entries(self) -> VGroup:
        return VGroup(*[e for row in self.entries for e in row])

    # -- highlights (declared overlays) ----------------------------------------------------
    def _box(self, mob, color, buff):
        return overlay(SurroundingRectangle(mob, color=color, buff=buff, stroke_width=4))

    def highlight_entry(self, i: int, j: int, color=style.HIGHLIGHT):
        return self._box(self.entry(i, j), color, 0.08)

    def highlight_row(self, i: int, color=style.HIGHLIGHT):
        return self._box(self.row(i), color, 0.08)

    def highlight_column(self, j: int, color=style.HIGHLIGHT):
        return self._box(self.column(j), color, 0.08)


class MatrixBlock(VGroup):
    """A matrix too large to read at 480p: a labelled block with its shape, e.g. 3 x 5.

    ``MatrixBlock(rows, cols, label)``; the block's proportions follow the
    shape (within limits) so that a product of blocks reads like the matrices.

    Examples
    --------
    .. code-block:: python

        class MatrixBlockExample(Scene):
            def construct(self):
                self.add(MatrixBlock(3, 5, r"Df_2", color=style.INK))
    """

    def __init__(self, rows: int, cols: int, label: str = "", *, color=style.INK,
                 font_size=style.SMALL, unit: float = 0.32):
        super().__init__()
        self.m, self.n = rows, cols
        w = unit * min(max(cols, 1), 8) + 0.3
        h = unit * min(max(rows, 1), 8) + 0.3
        self.box = Rectangle(width=w, height=h, stroke_color=color, stroke_width=2.5,
                             fill_color=style.PANEL, fill_opacity=1)
        self.shape_label = MathTex(rf"{rows}\times {cols}", font_size=font_size, color=style.MUTED)
        self.name = MathTex(label, font_size=font_size, color=color) if label else None
        inner = VGroup(*([self.name] if label else []), self.shape_label).arrange(DOWN, buff=0.08)
        style.fit(inner, w - 0.15, h - 0.1)
        inner.move_to(self.box)
        self.add(self.box, inner)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.m, self.n)


def readable(shape) -> bool:
    """Whether a matrix of this shape is shown entry by entry at 480p."""
    return max(shape) <= MAX_READABLE


def matrix_or_block(A=None, *, symbolic=None, label: str = "", **kw):
    """A JacobianMatrix when it is readable, else a MatrixBlock with its shape."""
    M = symbolic if symbolic is not None else np.atleast_2d(np.asarray(A, dtype=float))
    shape = M.shape
    if not readable(shape):
        return MatrixBlock(shape[0], shape[1], label, color=kw.get("color", style.INK))
    if symbolic is not None:
        return JacobianMatrix.symbolic(symbolic, **kw)
    return JacobianMatrix.numeric(M, **kw)
