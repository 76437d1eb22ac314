"""A Jacobian matrix on screen, and a block for a matrix too large to read."""

from __future__ import annotations

import numpy as np
import sympy
from manim import (DOWN, LEFT, RIGHT, UP, Line, MathTex, Rectangle, SurroundingRectangle, VGroup,
                   VMobject)

from ..core.fmt import tex_expr, tex_num
from . import style
from .colored_tex import ColoredTex, overlay

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

    Parts: :meth:`entry` (i, j), :meth:`row` i, :meth:`column` j, and as ManimCE's
    ``Matrix`` names them :meth:`get_entries`, :meth:`get_rows`, :meth:`get_columns`,
    :meth:`get_brackets`; ``entries`` (a VGroup of rows), ``brackets``, ``row_label_group``,
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

    def get_rows(self) -> VGroup:
        return VGroup(*[self.row(i) for i in range(self.m)])

    def get_columns(self) -> VGroup:
        return VGroup(*[self.column(j) for j in range(self.n)])

    def get_brackets(self) -> VGroup:
        return self.brackets

    # -- highlights (declared overlays) ----------------------------------------------------
    def _box(self, mob, color, buff):
        return overlay(SurroundingRectangle(mob, color=color, buff=buff, stroke_width=4))

    def highlight_entry(self, i: int, j: int, color=style.HIGHLIGHT):
        return self._box(self.entry(i, j), color, 0.08)

    def highlight_row(self, i: int, color=style.HIGHLIGHT):
        return self._box(self.row(i), color, 0.08)

    def highlight_column(self, j: int, color=style.HIGHLIGHT):
        return self._box(self.column(j), color, 0.08)


class MatrixToFill(VGroup):
    """A numeric Jacobian shown empty, to be filled in: its brackets, a muted "?" in
    every entry's place and a label above (the scene's mobject is just these three).

    The filled matrix, ``matrix``, is laid out in place but not added: its rows and
    columns are the targets that the blanks give way to.  Parts: ``matrix``,
    ``label``, :meth:`blank` (i, j), :meth:`blank_row` i, :meth:`blank_column` j,
    :meth:`get_blanks`.  ``width`` and ``height`` bound the matrix, centred at ``at``.
    """

    def __init__(self, A, *, color, label: str, at, width: float, height: float,
                 font_size=style.SMALL, label_buff: float = style.LABEL_BUFF):
        M = JacobianMatrix.numeric(A, color=color, font_size=font_size)
        natural = M.width
        style.fit(M, width, height).move_to(at)
        self.matrix = M
        self.blanks = VGroup(*[VGroup(*[
            style.math("?", style.MUTED, font_size).scale(M.width / natural).move_to(M.entry(i, j))
            for j in range(M.n)]) for i in range(M.m)])
        self.label = style.math(label, color, font_size).next_to(M, UP, buff=label_buff)
        super().__init__(self.label, M.brackets, VGroup(*[b for row in self.blanks for b in row]))

    def blank(self, i: int, j: int):
        return self.blanks[i][j]

    def blank_row(self, i: int) -> VGroup:
        return VGroup(*self.blanks[i])

    def blank_column(self, j: int) -> VGroup:
        return VGroup(*[row[j] for row in self.blanks])

    def get_blanks(self) -> VGroup:
        return VGroup(*[b for row in self.blanks for b in row])


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
        self.shape_label = MathTex(rf"{rows}\times {cols}", font_size=font_size, color=style.MUTED)
        self.name = MathTex(label, font_size=font_size, color=color) if label else None
        inner = VGroup(*([self.name] if label else []), self.shape_label).arrange(DOWN, buff=0.08)
        # proportions follow the shape, but the box grows to keep its text legible
        w = max(unit * min(max(cols, 1), 8) + 0.3, inner.width + 0.3)
        h = max(unit * min(max(rows, 1), 8) + 0.3, inner.height + 0.2)
        self.box = Rectangle(width=w, height=h, stroke_color=color, stroke_width=2.5,
                             fill_color=style.PANEL, fill_opacity=1)
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


def legible_matrix(symbolic=None, numeric=None, *, label: str = "", width: float = 6.0,
                   height: float = 3.0, font_size=style.SMALL, max_chars: int = 40, **kw):
    """The most informative form of a matrix that reads in ``width`` x ``height``.

    Tries, in order: the ``symbolic`` entries (a sympy Matrix; skipped when an
    entry's TeX is longer than ``max_chars``), the ``numeric`` entries, each at
    ``font_size`` and then at ``style.TINY``; else a :class:`MatrixBlock` with
    its shape and ``label``.  A matrix larger than 4 rows or columns is always a
    block.  The result's ``kind`` says which: "symbolic", "numeric" or "block".

    Examples
    --------
    .. code-block:: python

        class LegibleMatrixExample(Scene):
            def construct(self):
                chain = Chain.from_texts(["(x1, x2) -> (sin(x1*x2), x1 + x2)",
                                          "(u1, u2) -> (tanh(u1*u2)^2, u1 - u2)"])
                _, P = chain.product_symbolic()
                wide = legible_matrix(P, chain.jacobian([1, 2]), label="Dh", width=3)
                small = legible_matrix(chain.maps[0].jacobian_symbolic, width=3)
                self.add(VGroup(small, wide).arrange(RIGHT, buff=1))
    """
    source = symbolic if symbolic is not None else numeric
    shape = (source.shape if hasattr(source, "shape") else np.atleast_2d(source).shape)[:2]
    shape = (shape[0], shape[1] if len(shape) > 1 else 1)
    sizes = sorted({font_size, min(font_size, style.SMALL), style.TINY}, reverse=True)
    if readable(shape):
        tries = []
        if symbolic is not None:
            cells = [[tex_expr(e) for e in row] for row in symbolic.tolist()]
            if max(len(c) for row in cells for c in row) <= max_chars:
                tries.append(("symbolic", lambda fs: JacobianMatrix(cells, font_size=fs, **kw)))
        if numeric is not None:
            tries.append(("numeric",
                          lambda fs: JacobianMatrix.numeric(numeric, font_size=fs, **kw)))
        for kind, make in tries:
            for fs in sizes:
                mob = make(fs)
                if mob.width <= width and mob.height <= height:
                    mob.kind = kind
                    return mob
    block = MatrixBlock(shape[0], shape[1], label, color=kw.get("color", style.INK),
                        font_size=min(font_size, style.SMALL))
    style.fit(block, width, height)
    block.kind = "block"
    return block


class MatrixProduct(VGroup):
    """``lhs  A B C = R``: matrices (or blocks, or any mobjects) side by side, a name
    under each, wrapped onto several lines when one line would be wider than ``width``.

    ``factors`` are mobjects; ``labels`` (optional) TeX names set under them in
    MUTED; ``result`` (optional) follows an "=", with ``result_label`` under it;
    ``lhs`` (optional) leads the first line.  Continuation lines are indented.
    Parts: ``factors``, ``labels`` (a list, None where a factor has no label),
    ``result``, ``equals``, ``dots`` (set between factors without brackets, such
    as 1x1 matrices shown as scalars), ``lines`` (one VGroup per line).

    Examples
    --------
    .. code-block:: python

        class MatrixProductExample(Scene):
            def construct(self):
                mats = [JacobianMatrix.numeric(np.full((2, 2), k)) for k in range(1, 6)]
                prod = MatrixProduct(mats, JacobianMatrix.numeric(np.eye(2)), width=8,
                                     labels=[f"J_{k}" for k in range(5, 0, -1)],
                                     result_label="J", lhs=MathTex("J ="))
                self.add(prod)
    """

    def __init__(self, factors, result=None, *, labels=None, result_label=None, lhs=None,
                 width: float | None = None, gap: float = 0.12, line_gap: float = 0.35,
                 indent: float = 0.6, font_size=style.SMALL, label_size=style.TINY):
        super().__init__()
        self.factors = VGroup(*factors)
        self.result = result
        labels = list(labels) if labels is not None else [None] * len(factors)
        self.labels = [MathTex(t, font_size=label_size, color=style.MUTED) if t else None
                       for t in labels]
        self.equals = MathTex("=", font_size=font_size, color=style.INK) if result is not None \
            else None
        units = [(lhs, None)] if lhs is not None else []
        self.dots = VGroup()  # between factors written without brackets (scalars): a dot
        for k, (mob, lab) in enumerate(zip(factors, self.labels)):
            if k and (getattr(mob, "is_scalar", False) or getattr(factors[k - 1], "is_scalar",
                                                                   False)):
                self.dots.add(MathTex(r"\cdot", font_size=font_size, color=style.INK))
                units.append((self.dots[-1], None))
            units.append((mob, lab))
        if result is not None:
            rlab = MathTex(result_label, font_size=label_size, color=style.MUTED) \
                if result_label else None
            self.labels.append(rlab)
            units += [(self.equals, None), (result, rlab)]
        width = style.safe_width() if width is None else width
        widths = [max(mob.width, lab.width if lab is not None else 0.0) for mob, lab in units]
        lines, cur, x = [], [], 0.0
        for k, (mob, lab) in enumerate(units):
            w = widths[k]
            need = w + (gap + widths[k + 1] if mob is self.equals else 0.0)  # "= R" stay together
            start = indent if lines else 0.0
            if cur and start + x + gap + need > width and mob is not result:
                lines.append(cur)
                cur, x = [], 0.0
            x += (gap if cur else 0.0) + w
            cur.append((mob, lab, w))
        lines.append(cur)
        self.lines = VGroup()
        for n, line in enumerate(lines):
            x = indent if n else 0.0
            row = VGroup()
            for mob, lab, w in line:
                mob.move_to([x + w / 2, 0, 0])
                row.add(mob)
                x += w + gap
            low = min(m.get_bottom()[1] for m, _, _ in line)
            for mob, lab, _ in line:
                if lab is not None:
                    lab.move_to([mob.get_x(), low - 0.12 - lab.height / 2, 0])
                    row.add(lab)
            self.lines.add(row)
        self.lines.arrange(DOWN, buff=line_gap, aligned_edge=LEFT)
        for n, row in enumerate(self.lines):
            if n:
                row.shift(RIGHT * indent)
        self.add(self.lines)
        style.fit(self, width)


def composite_tex(names) -> str:
    """The composite of maps named in TeX, outer first: f\\circ g, f_3\\circ f_2\\circ f_1,
    f_6\\circ\\cdots\\circ f_1 (more than three maps)."""
    names = list(names)
    return r"\circ ".join(names) if len(names) <= 3 else rf"{names[0]}\circ\cdots\circ {names[-1]}"


def shape_letters(k: int) -> list[str]:
    """Letters for the dimensions of a chain of k maps: n, m, p for two, else n_0 .. n_k."""
    return ["n", "m", "p"] if k == 2 else [f"n_{{{i}}}" for i in range(k + 1)]


class ShapeTable(VGroup):
    """A chain's shapes, one row per map: its name, input and output spaces, its
    Jacobian and that Jacobian's shape (``m x n = 2 x 3``: outputs by inputs), then
    the composite's row below a rule.  Built from a :class:`jacviz.Chain`; spaces
    are named from the maps' input names (``x`` for x1, x2).

    Examples
    --------
    .. code-block:: python

        class ShapeTableExample(Scene):
            def construct(self):
                chain = Chain.from_texts(["(x1, x2) -> (x1*x2, x1, x2)", "(u1, u2, u3) -> u1 + u3"])
                self.add(ShapeTable(chain))
    """

    def __init__(self, chain, *, names=None, font_size=style.SMALL, row_gap: float = 0.55,
                 col_gap: float = 0.5):
        from .compgraph import space_tex, tex_name

        super().__init__()
        k, d = len(chain.maps), chain.dims
        names = names or [tex_name(mp.name) for mp in chain.maps]
        sp, L = [space_tex(s) for s in chain.space_names], shape_letters(k)
        comp = composite_tex(names[::-1])
        cells = [[r"\text{map}", r"\text{input}", r"\text{output}", r"\text{Jacobian}",
                  r"\text{shape}"]]
        for i, nm in enumerate(names + [comp]):
            a, b = (i, i + 1) if i < k else (0, k)
            cells.append([nm, rf"{sp[a]}\in\mathbb{{R}}^{{{d[a]}}}",
                          rf"{sp[b]}\in\mathbb{{R}}^{{{d[b]}}}", rf"D{nm}" if i < k else
                          rf"D({comp})", rf"{L[b]}\times {L[a]} = {d[b]}\times {d[a]}"])
        self.cells = [[MathTex(c, font_size=font_size, color=style.MUTED if r == 0 else style.INK)
                       for c in row] for r, row in enumerate(cells)]
        for row in self.cells[1:]:
            row[-1].set_color(style.HIGHLIGHT)
        widths = [max(r[c].width for r in self.cells) for c in range(len(cells[0]))]
        xs = np.cumsum([0.0] + [w + col_gap for w in widths[:-1]])
        last = len(self.cells) - 1
        for r, row in enumerate(self.cells):
            for c, m in enumerate(row):
                m.move_to([xs[c] + widths[c] / 2, -row_gap * r - (0.12 if r == last else 0), 0])
        right = xs[-1] + widths[-1]
        self.rules = VGroup(*[Line([-0.15, y, 0], [right + 0.15, y, 0], color=style.MUTED,
                                   stroke_width=1.5)
                              for y in (-row_gap / 2, -row_gap * last + row_gap / 2 - 0.06)])
        self.add(VGroup(*[m for row in self.cells for m in row]), self.rules)
        self.center()

    def row(self, i: int) -> VGroup:
        """Row i: 0 is the header, 1..k the maps, k+1 the composite."""
        return VGroup(*self.cells[i])


class ShapeProduct(VGroup):
    """Jacobian shapes multiplied in a given order: ``(1 x 2)(2 x 3) -> 1 x 3``.

    ``dims`` are a chain's dimensions ``[n_0, ..., n_k]``; ``order`` the stages
    (0 = the first map) from left to right; ``names`` TeX names of the stages'
    Jacobians, set above their factors.  Where neighbouring inner sizes agree
    they are marked in HIGHLIGHT and joined by an arc (they cancel); where they
    differ, in WARN.  If every pair agrees and the order applies each map after
    the one before it, the result follows (``-> p x n`` and a tick), else a cross.
    Parts: :meth:`factor` k (from the left), :meth:`rows_of` k and :meth:`cols_of` k (its
    sizes), :meth:`get_factors`; ``line`` (the ColoredTex), ``names``, ``arcs``, ``result``;
    ``fits`` and ``mismatches`` (pairs of sizes that differ).

    Examples
    --------
    .. code-block:: python

        class ShapeProductExample(Scene):
            def construct(self):
                good = ShapeProduct([2, 3, 1], [1, 0], ["Df", "Dg"])
                bad = ShapeProduct([2, 3, 1], [0, 1], ["Dg", "Df"])
                self.add(VGroup(good, bad).arrange(DOWN, buff=0.8))
    """

    def __init__(self, dims, order, names, *, font_size=style.TITLE):
        from manim import ArcBetweenPoints

        super().__init__()
        parts = []
        for s in order:  # each factor is the parts ( rows \times cols )
            parts += [("(", style.INK), (str(dims[s + 1]), style.INK), (r"\times", style.INK),
                      (str(dims[s]), style.INK), (")", style.INK)]
        self.line = ColoredTex(*parts, font_size=font_size)
        self.names = VGroup(*[MathTex(nm, font_size=font_size * 0.85, color=style.INK).next_to(
            self.factor(k), UP, buff=0.2) for k, nm in enumerate(names)])
        self.arcs, self.mismatches = VGroup(), []
        for k, (a, b) in enumerate(zip(order, order[1:])):
            left, right = self.cols_of(k), self.rows_of(k + 1)
            if dims[a] == dims[b + 1]:
                VGroup(left, right).set_color(style.HIGHLIGHT)
                self.arcs.add(overlay(ArcBetweenPoints(
                    left.get_bottom() + 0.08 * DOWN, right.get_bottom() + 0.08 * DOWN,
                    angle=np.pi * 0.8, color=style.HIGHLIGHT, stroke_width=3)))
            else:
                VGroup(left, right).set_color(style.WARN)
                self.mismatches.append((dims[a], dims[b + 1]))
        self.fits = not self.mismatches and list(order) == list(range(len(order)))[::-1]
        if self.fits:
            shape = rf"{dims[order[0] + 1]}\times {dims[order[-1]]}"
            self.result = ColoredTex((r"\to", style.INK), (shape, style.POINT),
                                     (r"\ \checkmark", style.POINT), font_size=font_size)
        else:
            self.result = style.xmark()
        self.result.next_to(self.line, RIGHT, buff=0.3)
        self.add(self.names, self.line, self.arcs, self.result)

    # -- parts (the k-th factor from the left) -------------------------------------------
    _PARTS = 5  # "(", rows, "\times", cols, ")"

    def factor(self, k: int) -> VGroup:
        """The k-th factor, ``(rows x cols)``."""
        return VGroup(*self.line[self._PARTS * k:self._PARTS * (k + 1)])

    def rows_of(self, k: int):
        """The k-th factor's number of rows (its map's output size)."""
        return self.line[self._PARTS * k + 1]

    def cols_of(self, k: int):
        """The k-th factor's number of columns (its map's input size)."""
        return self.line[self._PARTS * k + 3]

    def get_factors(self) -> VGroup:
        return VGroup(*[self.factor(k) for k in range(len(self.line) // self._PARTS)])
