"""§6, §9 The two-way animation through a chain of 2 to 6 maps, one panel per space.

A small arrow dx at x0 is pushed forward by the Jacobians, inner map first, its true
curved image beside the linear prediction in every space; a gradient at the output is
pulled back by the transposes, outer map first; the pairing <grad, d> is the same number
in every space.  Every number comes from ``jacviz.Chain.trace``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Circumscribe, Create, Dot, FadeIn, FadeOut,
                   GrowArrow, Indicate, ReplacementTransform, SurroundingRectangle,
                   TransformFromCopy, VGroup, Write)

from jacviz import Chain, JacvizError, Trace, self_check
from jacviz.core.fmt import (coincide, compare, dot_terms, fmt_num, plain_vec, plural, tex_num,
                             tex_tuple, tex_vec, tex_vec_factored)
from jacviz.core.maps import image_gaps
from jacviz.core.spoken import join_words, say_compare, say_int, say_name, say_num, say_vec
from jacviz.kit import (ColoredTex, JacobianMatrix, JacvizScene, SceneParams, SpacePanel,
                        matrix_or_block, param, style, tex_name)
from jacviz.kit.layout import roles
from jacviz.kit.layout.base import _box, edges, gap, px, texts
from jacviz.kit.layout.reading import CONTACT_GAP, line_height_px
from jacviz.kit.layout.timing import needed_seconds
from jacviz.kit.panel import (Bands, fit_grid, map_links, panel_grid, projection_pair,
                              two_digits)

FWD, BWD, PT, INK, HL, MUTED = (style.FORWARD, style.BACKWARD, style.POINT, style.INK,
                                style.HIGHLIGHT, style.MUTED)


FREE = "zwsrqpabcehjkmn"  # letters for spaces without a stem of their own (then z_k)


def space_names(chain):
    """(TeX, plain) name of every space: the stem of its coordinates' names (x1, x2 -> x).
    A space with no common stem, or with one another space shares, or with one that is
    also a coordinate's name elsewhere (an input named y beside an output space y), takes
    a letter no space and no coordinate uses; z_k only when every such letter is taken.
    So no two things on screen share a name: the space, its point s_0, its arrow ds."""
    coords = [set(names) for names in chain.space_names]
    stems = []
    for names in chain.space_names:
        s = {re.sub(r"[_0-9]+$", "", nm) for nm in names}
        stems.append(s.pop() if len(s) == 1 and "" not in s else None)
    taken = set().union(*coords) | {s for s in stems if s} | {"d", "f", "D", "T", "s", "grad"}
    taken |= {mp.name for mp in chain.maps}
    out = []
    for k, s in enumerate(stems):
        elsewhere = set().union(*(c for j, c in enumerate(coords) if j != k))
        if s and stems.count(s) == 1 and s not in elsewhere and s not in ("d", "s", "T"):
            out.append((tex_name(s), s))
            continue
        free = next((c for c in FREE if c not in taken), None)
        if free is None:
            out.append((f"z_{{{k}}}", f"z{k}"))
        else:
            taken.add(free)
            out.append((free, free))
    return out


@dataclass(frozen=True, eq=False)
class TwoWayNumbers:
    """What the two-way scene draws: the chain's trace and the spaces' names; ``gaps``: in
    every space the true image's end minus the prediction's, in high precision (0 where
    the two are equal in exact arithmetic; None where it is not a finite real)."""

    chain: Chain
    tr: Trace
    K: int
    dims: tuple
    names: list[tuple[str, str]]
    maps: list[tuple[str, str]]
    gaps: list

    def coincide(self, k: int) -> bool:
        """Whether the true image and the prediction end at the same point of space k."""
        gap = self.gaps[k]
        if gap is None:  # not computable in high precision: floating-point error, then
            return coincide(self.tr.images[k][-1], self.tr.linear[k][-1])
        return not np.any(gap)

    def image_vs_prediction(self, k: int, style: str = "plain"):
        """The true image's end and the prediction's in space k, printed by the comparison
        rule (jacviz.core.fmt.compare): alike when they coincide, else with the digits that
        tell them apart, or with the gap stated."""
        a, b, same = self.tr.images[k][-1], self.tr.linear[k][-1], self.coincide(k)
        by = None if same or self.gaps[k] is None else float(np.max(np.abs(self.gaps[k])))
        if style == "spoken":
            return say_compare(a, b, same, by=by)
        return compare(a, b, same, by=by, tex=style == "tex")

    @property
    def pairings_agree(self) -> bool:
        """The pairing is the same number in every space (it is, in exact arithmetic)."""
        pair = self.tr.pairings
        return all(coincide(v, pair[0]) for v in pair)

    @property
    def pairings_shown(self) -> list[float]:
        """The pairings as shown: all one number when they agree (printed alike)."""
        pair = self.tr.pairings
        return [pair[0]] * len(pair) if self.pairings_agree else list(pair)


@dataclass(frozen=True)
class TwoWayParams(SceneParams):
    g: str = param("(x1, x2) -> (x1 + 2*x2, x1 - x2)", "the inner map g: x -> u", kind="map")
    f: str = param("(u1, u2) -> u1*u2 + u1", "the outer map f: u -> y", kind="map")
    maps: tuple = param((), "2 to 6 maps, inner first, split by ';' (or g and f)", kind="maps")
    point: tuple = param((1.0, 1.0), "the point x0 (default 1 per input)", kind="vector")
    dx: tuple = param((0.1, 0.1), "the small arrow dx at x0 (default 0.1 per input)", kind="vector")
    grad: tuple = param("", "the gradient at the output (default all ones)", kind="vector")

    def _vector(self, name: str, n: int, fill: float, first: str) -> np.ndarray:
        value = getattr(self, name)
        if not self.given(name) and len(value) != n:
            return np.full(n, fill)  # the default, for a chain with another input dimension
        self.need_length(name, value, n, f"one number per input of {first}")
        return np.asarray(value, dtype=float)

    def build(self):
        chain = self.chain_of(at=None)
        first = chain.maps[0].name
        x0, dx = self._vector("point", chain.n, 1.0, first), self._vector("dx", chain.n, 0.1, first)
        if self.grad != "":  # the default "" is all ones
            self.need_length("grad", self.grad, chain.m, "one number per output of the last map")
        gbar = np.ones(chain.m) if self.grad == "" else np.asarray(self.grad, dtype=float)
        if not np.all(np.isfinite(np.concatenate([x0, dx, gbar]))):
            raise JacvizError("parameters point, dx and grad must be finite numbers")
        self_check(chain, x0)
        tr = chain.trace(x0, dx, gbar, samples=61)
        names = space_names(chain)
        given = f"at point {plain_vec(x0, 8)}"
        for what, vecs in (("{0}0 in {0}-space", tr.points), ("the arrow d{0}", tr.pushforward),
                           ("the gradient grad_{0}", tr.pullback)):
            for (_, nm), v in zip(names, vecs):  # every space is drawn around its point
                self.need_drawable(what.format(nm), v, given)
        return TwoWayNumbers(chain=chain, tr=tr, K=len(chain), dims=chain.dims, names=names,
                               maps=[(tex_name(mp.name), mp.name) for mp in chain.maps],
                               gaps=image_gaps(chain, x0, dx))


class TwoWay(JacvizScene):
    Params = TwoWayParams
    EXAMPLE = {"maps": "(x1, x2) -> (x1 + x2, x1 - x2, x1*x2); (u1, u2, u3) -> u1 + u2*u3; "
                       "(v) -> (cos(v), sin(v)); (w1, w2) -> w1*w2",
               "point": "1,0.5", "dx": "0.1,0.05"}

    def construct(self):
        self.show_spaces()
        self.push_forward()
        self.true_image()
        self.pull_back()
        self.duality()

    # -- names ------------------------------------------------------------------------
    def d(self, k, plain=False):
        return "d" + self.n.names[k][plain]

    def g(self, k, plain=False):
        nm = self.n.names[k]
        return f"grad_{nm[1]}" if plain else rf"\mathrm{{grad}}_{{{nm[0]}}}"

    def comp(self, k):
        """TeX of the maps from the input to space k: f_1, f_2 o f_1, f_k o ... o f_1."""
        F = [m[0] for m in self.n.maps[:k]]
        return F[0] if k == 1 else rf"{F[1]}\circ {F[0]}" if k == 2 else \
            rf"{F[-1]}\circ\cdots\circ {F[0]}"

    @staticmethod
    def reading(*mobs) -> float:
        """Seconds the texts in ``mobs`` need to be read (the layout check's reading time:
        1 s + 0.25 s a word), the longest of them, and a little more."""
        return max((needed_seconds(t) for t in texts(list(mobs))), default=0.0) + 0.1

    def at(self, k, plain=False):
        return f"{self.n.names[k][1]}0" if plain else f"{{{self.n.names[k][0]}}}_0"

    # -- beat 1 -------------------------------------------------------------------------
    def show_spaces(self):
        n, tr = self.n, self.n.tr
        spaces = ", ".join(f"{nm[1]} in R^{d}" for nm, d in zip(n.names, n.dims))
        values = ", ".join(f"{self.at(k, True)} = {plain_vec(p)}" for k, p in enumerate(tr.points))
        self.beat("spaces", f"{plural(n.K + 1, 'space').capitalize()}: {spaces}, joined by the "
                  f"maps {', '.join(m[1] for m in n.maps)}. At the point: {values}.",
                  say=say_spaces(self))
        comp = r"\circ ".join(m[0] for m in reversed(n.maps)) if n.K <= 3 else \
            rf"{n.maps[-1][0]}\circ\cdots\circ {n.maps[0][0]}"
        self.head = style.title(rf"Two ways through ${comp}$: push forward, pull back")
        self.head.scale(0.85).to_edge(LEFT, buff=style.MARGIN).set_y(style.TITLE_Y)
        self.layout()
        self.play(FadeIn(self.head), *[FadeIn(p) for p in self.panels], run_time=1.2)
        self.play(*[FadeIn(p.dot_mob, scale=0.5) for p in self.panels], FadeIn(self.feet),
                  *[GrowArrow(a) if isinstance(a, Arrow) else Write(a)
                    for link in self.links for a in link], run_time=1.0)
        for i, page in enumerate(self.defs):  # the maps, in pages when they are many
            self.play(FadeIn(page), *([FadeOut(self.defs[i - 1])] if i else []), run_time=0.8)
            self.wait(max(1.5, self.reading(page)))

    def layout(self):
        """Panels, map arrows, every arrow, curve and label, the bands below.  Each space is
        drawn with its own scales, one for its arrow d and its true image, one for its
        gradient (each arrow's label says its scale), and a 3-D space is projected on the
        two coordinates that keep most of both arrows (its title says which)."""
        n, tr = self.n, self.n.tr
        self.grid = grid = panel_grid(n.K + 1, style.CONTENT_TOP, (-0.25, -2.15))
        self.panels, self.feet = [], VGroup()
        for k, (d, (nm, _)) in enumerate(zip(n.dims, n.names)):
            coords = [tex_name(c) for c in n.chain.space_names[k]]
            drawn = projection_pair([tr.pushforward[k], tr.pullback[k]]) if d == 3 else (0, 1)
            onto = (rf"\ \text{{on}}\ {coords[drawn[0]]},{coords[drawn[1]]}" if d == 3 else "")
            p = SpacePanel(d, coords, tr.points[k], width=grid.width, height=grid.height,
                           center=grid.centers[k], title_height=grid.head - 0.14, drawn=drawn,
                           centred=0.3,
                           title=rf"{nm}\text{{-space}}\ \ \mathbb{{R}}^{{{d}}}" + onto)
            p.dot_mob = p.dot(radius=0.05).set_z_index(0)  # under the arrows, never on them
            self.panels.append(p)
            self.feet.add(self.foot(k, *[ColoredTex((f"{self.at(k)} = {v}", PT)) for v in (
                tex_vec(tr.points[k]), tex_vec_factored(tr.points[k])) if v]))
        self.links = map_links(self.panels, [m[0] for m in n.maps], grid)
        # each space its own scales: one for its arrow d and the arrow's true image (the
        # image cut at the window's edge when it would leave the arrow too short), one for
        # its gradient
        cover = [tr.images[k] - tr.points[k] for k in range(n.K + 1)]
        self.M, self.S, self.scales = [], [], []
        notes = {}  # (tex, colour) -> a scale's piece: built once, copied for every place tried
        for k, p in enumerate(self.panels):  # the note of its scales in the corner it blocks least
            def scales(avoid=()):
                return (p.own_scale(tr.pushforward[k], cover[k] if k else None, avoid=avoid),
                        p.own_scale(tr.pullback[k], kind="backward", avoid=avoid))

            def shown(ms):  # the arrows' lengths on screen at these scales, up to 40 px
                return min([40.0] + [px(np.linalg.norm(np.subtract(*p.arrow_ends(v, m, kind))))
                                     for v, m, kind in ((tr.pushforward[k], ms[0], "forward"),
                                                        (tr.pullback[k], ms[1], "backward"))
                                     if np.any(p._drawn(v))])

            first, best = scales(), None
            dot = p.to_screen(p.p)
            marks = [_grown(t, 0.0) for t in texts([p.tick_labels, p.title])]
            places = (CORNERS if p.space_dim > 1 else CORNERS_1D) + ("head",)

            def parts(ms, corner):  # the note as placed: one piece, or each scale apart
                pair = self.scale_note(p, ms, corner, cache=notes)
                return [VGroup(*pair)] if isinstance(corner, str) else [VGroup(m) for m in pair]

            def evaluate(corner, i):
                pieces, fault = parts(first, corner), 0.0
                places = every = [corner] if isinstance(corner, str) else list(corner)
                if "head" in places:  # beside the title, which must stay readable
                    room = max(p.box.width - pieces[places.index("head")].width - 0.2, 0.5)
                    fault += 200 * (line_height_px(p.title) * min(1, room / p.title.width) < 12.2)
                    if corner == "head":
                        return scales(), fault
                    i = 1 - places.index("head")
                    pieces, places = [pieces[i]], [places[i]]
                for note in pieces:
                    near, by = _grown(note, 0.07), _grown(note, 0.1)
                    fault += 200 * (by[0] <= dot[0] <= by[2] and by[1] <= dot[1] <= by[3])  # on
                    # the point (the dot's radius and a little more)
                    fault += 200 * (any(_meet(near, m) for m in marks) or not _inside(note, p.box))
                if len(pieces) == 2:  # apart: in two places, not touching
                    fault += 200 * _meet(_grown(pieces[0], 0.1), _grown(pieces[1], 0.0))

                def clear(note):  # the box arrows keep out of: grown less near the point
                    box = _grown(note, 0.0)
                    return _grown(note, min(NOTE_CLEAR, max(gap(box, (*dot[:2], *dot[:2])) -
                                                            0.02, 0.0)))

                ms = scales([clear(note) for note in pieces])
                ms = list(scales([clear(note) for note, c in zip(parts(ms, corner), every)
                                  if c != "head"]))
                # an arrow that starts beside the note is not kept out of it, and an
                # arrowhead is wider than its line: each arrow drawn shorter until its head
                # keeps clear of the note as drawn (the layout check's contact rule)
                for j, (v, kind) in enumerate(((tr.pushforward[k], "forward"),
                                               (tr.pullback[k], "backward"))):
                    for _ in range(12):
                        if not _tips_touch(p, [(v, ms[j], kind)],
                                           VGroup(*self.scale_note(p, ms, corner,
                                                                   cache=notes))):
                            break
                        ms[j] = two_digits(0.8 * ms[j])
                return tuple(ms), fault

            def consider(corner, i):
                nonlocal best
                ms, fault = evaluate(corner, i)
                length = shown(ms)
                score = length - 100 * (length < 20.5) - fault - 0.1 * i
                if best is None or score > best[0]:
                    best = (score, ms, corner)

            for i, corner in enumerate(places):  # the least bad place: every fault costs
                consider(corner, i)
            if best[0] < 20.5:  # no place for both: each scale in a corner of its own
                singles = SINGLE if p.space_dim > 1 else SINGLE_1D
                for i, pair in enumerate((a, b) for a in singles for b in singles if a != b):
                    consider(pair, len(places) + i)
            _, (m, sc), corner = best
            self.M.append(m), self.S.append(sc)
            self.scales.append(self.scale_note(p, (m, sc), corner, final=True, cache=notes))
        self.fwd, self.bwd, self.curves, self.flab, self.blab = [], [], VGroup(), [], []
        size = style.TINY if grid.width < 3.4 else style.SMALL
        for k, p in enumerate(self.panels):
            ends = [p.arrow_ends(tr.pushforward[k], self.M[k]),
                    p.arrow_ends(tr.pullback[k], self.S[k], "backward")]
            self.fwd.append(arrow_of(tr.pushforward[k], ends[0], FWD).set_z_index(3))
            self.bwd.append(arrow_of(tr.pullback[k], ends[1], BWD, stroke_width=5).set_z_index(1))
            stuff = [p.axes, p.tick_labels, p.dot_mob, self.fwd[k], self.bwd[k]]
            if k > 0:  # wide and under the arrow: where the two coincide the curve is a halo
                cur = p.curve(tr.images[k], kind="forward", scale=self.M[k],
                              clip=True).set_z_index(2)
                stuff.append(VGroup(cur, Dot(cur.get_end(), radius=0.06, color=HL).set_z_index(2)))
                self.curves.add(stuff[-1])
            zero = [r"\ =\ 0" if not np.any(v) else "" for v in (tr.pushforward[k], tr.pullback[k])]
            labels = p.place_labels([ColoredTex((self.d(k) + zero[0], FWD), font_size=size),
                                     ColoredTex((self.g(k) + zero[1], BWD), font_size=size)], ends,
                                    stuff + list(self.scales[k]), tips=True)
            self.flab.append(labels[0]), self.blab.append(labels[1])
        top = min(f.get_bottom()[1] for f in self.feet) - 0.08
        self.bands = Bands(top, style.content_bottom(), 1.5 if max(n.dims) == 3 else 1.1)
        c = self.bands.count  # the band of each kind of row, when there are 3, 2 or 1
        self.band_of = dict(forward=0, image=min(c - 1, 1), backward=min(c - 1, 1),
                            duality=2 if c == 3 else 0)
        self.defs = self.definitions(top, style.content_bottom())

    @staticmethod
    def scale_note(p, scales, corner, final=False, cache=None):
        """A panel's own scales, [x M] for its arrow d (orange) and [x S] for its gradient
        (blue), in a corner: top right of the box, or inside the axes (clear of the tick
        labels, which are left of and below them) at their top left or bottom right; side
        by side or stacked; beside the title ("head"); or, for a pair of corners, each
        scale in its own (a crowded panel, where the arrows leave no corner for both).
        ``cache``: a dict in which each scale's piece is built once (the layout tries many
        places for the same notes): moved about while measuring, copied when ``final``."""
        pair = [TwoWay._note_piece(rf"[\times{tex_scale(m)}]", col, cache, fresh=final)
                for m, col in zip(scales, (FWD, BWD))]
        if not isinstance(corner, str):  # each scale in a corner of its own
            for m, c in zip(pair, corner):
                TwoWay._put_note(p, VGroup(m), c, final)
            return pair
        stacked = corner.endswith("stacked")  # one under the other: narrower, for a crowded panel
        corner = corner.replace(" stacked", "")
        note = VGroup(*pair).arrange(DOWN, buff=0.08, aligned_edge=LEFT if "left" in corner else
                                     RIGHT) if stacked else VGroup(*pair).arrange(RIGHT, buff=0.1)
        TwoWay._put_note(p, note, corner, final)
        return pair

    @staticmethod
    def _note_piece(tex, col, cache=None, fresh=True):
        """One scale of a note, on the panel's own colour (the axes' lines do not run
        through it).  With ``cache``, built once: a ``fresh`` piece is a copy, else the one
        piece the layout moves about to measure, put back where it was built each time
        (its points only: placing a note moves nothing else)."""
        key = (tex, col)
        if cache is None or key not in cache:
            m = roles.label(ColoredTex((tex, col), font_size=style.TINY))
            m.add_to_back(SurroundingRectangle(m, buff=0.03, stroke_width=0, fill_opacity=1,
                                               fill_color=style.PANEL))
            if cache is None:
                return m
            cache[key] = (m, m.copy())  # as built, and the one to measure with
        built, moved = cache[key]
        if fresh:
            return built.copy()
        for mob, orig in zip(moved.get_family(), built.get_family()):
            mob.points = orig.points.copy()
        return moved

    @staticmethod
    def _put_note(p, note, corner, final=False):
        """A scale note put in a corner of panel p (see :meth:`scale_note`)."""
        if corner == "head":  # no corner is free: beside the title, above the box
            note.next_to(p.box, UP, buff=0.1).align_to(p.box, RIGHT)
            if final:
                style.fit(p.title, max(p.box.width - note.width - 0.2, 0.5))
                p.title.next_to(p.box, UP, buff=0.1).align_to(p.box, LEFT)
                note.set_y(p.title.get_y())
        elif corner == "bottom":  # a number line's: under the line, between its end labels
            note.move_to(p.box).align_to(p.box, DOWN).shift(UP * 0.07)
        elif corner == "top right":
            note.align_to(p.box, UP + RIGHT).shift(DOWN * 0.1 + LEFT * 0.12)
        elif corner == "top left":
            note.align_to(p.axes, UP + LEFT).shift(RIGHT * 0.08)
            note.set_y(min(note.get_y(), p.box.get_top()[1] - 0.08 - note.height / 2))
        elif corner == "box top left":  # a number line's top left (top right's mirror)
            note.align_to(p.box, UP + LEFT).shift(DOWN * 0.1 + RIGHT * 0.12)
        elif corner == "bottom left":  # inside the axes, above and right of the tick labels
            note.align_to(p.axes, DOWN + LEFT).shift(UP * 0.05 + RIGHT * 0.08)
        else:
            note.align_to(p.axes, DOWN + RIGHT).shift(UP * 0.05)
        if corner in ("top left", "bottom left", "bottom right"):  # inside the axes: moved in,
            # a little at a time, while it comes near a tick label (the layout check's contact)
            inward = (RIGHT if "left" in corner else 0 * RIGHT) + (UP if "bottom" in corner
                                                                   else 0 * UP)
            marks = [_grown(t, 0.0) for t in texts([p.tick_labels])]
            for _ in range(4):
                if not any(_meet(_grown(note, 0.08), m) for m in marks):
                    break
                note.shift(0.04 * inward)

    def foot(self, k, *mobs):
        """The first of ``mobs`` (the same thing written more and more briefly) that stays
        readable when fitted under panel k (else the last, fitted)."""
        w, h = self.grid.width + self.grid.gap - 0.2, self.grid.foot - 0.1
        mob = next((m for m in mobs if readable_in(m, w, h)), mobs[-1])
        style.fit(mob, w, h)
        return mob.move_to(self.grid.foot_center(k))

    def definitions(self, top, bottom):
        """The maps, with their symbolic Jacobians where these read well; in pages shown
        one after another where all of them at once would be shrunk below a readable size."""
        def cells(with_jacobian, maps):
            out = []
            for F, mp in maps:
                ins = ", ".join(tex_name(s) for s in mp.input_names)
                row = [ColoredTex(rf"{F}({ins}) = {tex_tuple(mp.outputs)}")]
                if with_jacobian:
                    row += [ColoredTex(rf",\quad D{F} ="),
                            JacobianMatrix.symbolic(mp.jacobian_symbolic, font_size=style.SMALL)]
                out.append(VGroup(*row).arrange(RIGHT, buff=0.15))
            return out

        maps = [(F, mp) for (F, _), mp in zip(self.n.maps, self.n.chain.maps)]
        for with_jacobian in ((True, False) if not self.grid.wrapped else (False,)):
            group, scale = fit_grid(cells(with_jacobian, maps), top, bottom)
            if scale >= 0.85:
                return [group]
        pages = [maps]
        while scale < READABLE and max(len(pg) for pg in pages) > 1:  # halve the longest
            i = max(range(len(pages)), key=lambda j: len(pages[j]))
            half = (len(pages[i]) + 1) // 2
            pages[i:i + 1] = [pages[i][:half], pages[i][half:]]
            scale = min(fit_grid(cells(False, pg), top, bottom)[1] for pg in pages)
        return [fit_grid(cells(False, pg), top, bottom)[0] for pg in pages]

    def equation(self, kind, k):
        """Stage k forward (d_{k+1} = Df_k d_k) or backward (grad_k = Df_k^T grad_{k+1})."""
        tr, F, col, fwd = self.n.tr, self.n.maps[k][0], style.KIND_COLOR[kind], kind == "forward"
        A, vecs, a, b = (tr.jacobians[k], tr.pushforward, k, k + 1) if fwd else \
            (tr.jacobians[k].T, tr.pullback, k + 1, k)
        name, vec = self.d if fwd else self.g, [JacobianMatrix.column_vector(
            v, color=col, font_size=style.SMALL) for v in (vecs[a], vecs[b])]
        J = rf" = D{F}({self.at(k)})" + ("" if fwd else "^{T}") + r"\,"
        return VGroup(ColoredTex((name(b), col), (J, INK), (name(a), col), ("=", INK)),
                      matrix_or_block(A, label=f"D{F}", font_size=style.SMALL), vec[0],
                      ColoredTex("="), vec[1]).arrange(RIGHT, buff=0.15)

    def note(self, line, *parts):
        """The scale notes beside the title: line 0 perturbations, line 1 gradients."""
        new = ColoredTex(*parts, font_size=style.TINY)
        style.fit(new, style.frame_width() / 2 - style.MARGIN - self.head.get_right()[0] - 0.3)
        new.to_corner(UP + RIGHT, buff=style.MARGIN).shift(DOWN * 0.32 * line)
        old = getattr(self, "notes", {}).get(line)
        self.notes = {**getattr(self, "notes", {}), line: new}
        return [FadeIn(new)] + ([FadeOut(old)] if old else [])

    def fwd_names(self):
        K = self.n.K
        return ",\\ ".join(self.d(k) for k in range(K + 1)) if K <= 2 else \
            rf"{self.d(0)},\ \dots,\ {self.d(K)}"

    # -- beat 2 -------------------------------------------------------------------------
    def push_forward(self):
        n, push = self.n, self.n.tr.pushforward
        steps = ", ".join(f"{self.d(k + 1, True)} = D{n.maps[k][1]}({self.at(k, True)}) "
                          f"{self.d(k, True)} = {plain_vec(push[k + 1])}" for k in range(n.K))
        self.beat("push-forward", f"Push {self.d(0, True)} = {plain_vec(push[0])} forward, inner "
                  f"map first: {steps}. Each space draws its arrow at its own scale, k times "
                  f"its length, shown in its panel as [x k].", say=say_push(self))
        self.play(FadeOut(self.defs[-1]), *self.note(0, (self.fwd_names(), FWD), (
            r"\ \text{drawn}\ [\times k]:\ k\text{ times longer}", FWD)),
                  *[FadeIn(sc[0]) for sc in self.scales], run_time=0.6)
        self.sweep("forward")

    def sweep(self, kind):
        """Stage by stage (forward inner map first, backward outer first): the map flashes,
        its equation shows, the arrow moves on to the next space."""
        fwd, K = kind == "forward", self.n.K
        arrows, labels = (self.fwd, self.flab) if fwd else (self.bwd, self.blab)
        a = arrows[0 if fwd else K]
        self.play(GrowArrow(a) if isinstance(a, Arrow) else FadeIn(a),
                  FadeIn(labels[0 if fwd else K]), run_time=0.8)
        for k in (range(K) if fwd else reversed(range(K))):
            src, dst = (k, k + 1) if fwd else (k + 1, k)
            self.play(Indicate(self.links[k], color=style.KIND_COLOR[kind]), *self.bands.step(
                self.band_of[kind], self.equation(kind, k), k, kind, "left" if fwd else "right"))
            self.play(TransformFromCopy(arrows[src], arrows[dst]), FadeIn(labels[dst]))
            step = self.bands.held[self.band_of[kind]][1]  # on screen since the last play
            self.wait(max(0.0, self.reading(*[m for _, m in step]) - 1.0))
        self.wait(1.5)

    # -- beat 3 -------------------------------------------------------------------------
    def true_image(self):
        n = self.n
        same = [n.coincide(k) for k in range(n.K + 1)]
        said = []
        for k in range(1, n.K + 1):
            c = n.image_vs_prediction(k)
            said.append(f"in {n.names[k][1]}-space the curve and the arrow coincide, both ending "
                        f"at {c.a}" if c.equal else f"in {n.names[k][1]}-space the curve ends at "
                        f"{c.a}, the arrow at {c.b}" + (f" ({c.note})" if c.note else ""))
        self.beat("true-image", "The true image of the arrow, the curve traced as s goes from 0 "
                  "to 1, beside the linear prediction: " + "; ".join(said) + ".",
                  say=say_image(self, same))
        x = f"{self.at(0)} + {self.d(0)}"
        self.compared = {k: n.image_vs_prediction(k, "tex") for k in (n.K - 1, n.K)}  # as
        # drawn (tests read it)

        def comparison(size):
            rows = VGroup(*[ColoredTex(
                (rf"{self.comp(k)}({x}) = {c.a}", HL), (rf"\ {c.sign}\ ", INK),
                (rf"{self.at(k)} + {self.d(k)} = {c.b}", FWD),
                (r"\ \ \text{coincide}" if c.equal else rf"\ \ {c.note}" if c.note else "",
                 MUTED), font_size=size) for k, c in self.compared.items()])
            rows.arrange(RIGHT, buff=0.6)
            if rows.width > style.safe_width() / 0.9:  # too long for one line: one under another
                rows.arrange(DOWN, buff=0.12)
            return rows

        imgs = [self.comp(k) + rf"({self.at(0)} + s\,{self.d(0)})" for k in (1, n.K)]
        legends = [ColoredTex((r"\text{curve: the true image }s\mapsto " + imgs[0] + (
            r",\ " if n.K == 2 else r",\dots,") + imgs[1] + r",\ 0\le s\le 1", HL),
                              (r"\qquad \text{arrow: the linear prediction}", FWD),
                              font_size=style.TINY),
                   ColoredTex((r"\text{curve: the true image of }" + self.d(0), HL),
                              (r"\qquad \text{arrow: the linear prediction}", FWD),
                              font_size=style.TINY)]  # where the first would be shrunk
        b = self.band_of["image"]
        # the first that stays readable in its band: the long legend, the short one, the
        # short one with smaller rows
        legend, rows = next(((lg, rw) for lg, rw in (
            (legends[0], comparison(style.SMALL)), (legends[1], comparison(style.SMALL)),
            (legends[1], comparison(style.TINY))) if readable_in(
            VGroup(lg.copy(), rw.copy()).arrange(DOWN), self.bands.width, self.bands.height)),
            (legends[1], comparison(style.TINY)))
        self.play(*[Create(c) for c in self.curves], *self.note(
            0, (self.fwd_names(), FWD), (r"\text{ and their true images}", HL),
            (r"\ \text{drawn}\ [\times k]", FWD)), run_time=1.5)
        self.play(*self.bands.put(b, VGroup(legend, rows).arrange(DOWN)))
        self.wait(max(2.0, self.reading(legend, rows)))

    # -- beat 4 -------------------------------------------------------------------------
    def pull_back(self):
        n, pull = self.n, self.n.tr.pullback
        steps = ", ".join(f"{self.g(k, True)} = D{n.maps[k][1]}({self.at(k, True)})^T "
                          f"{self.g(k + 1, True)} = {plain_vec(pull[k])}"
                          for k in reversed(range(n.K)))
        self.beat("pull-back", f"Pull the gradient {self.g(n.K, True)} = {plain_vec(pull[-1])} "
                  f"back with the transposes, outer map first: {steps}. Each space draws its "
                  f"gradient at its own scale, shown in its panel as [x k].", say=say_pull(self))
        self.play(*self.bands.clear(self.band_of["backward"], "backward"),
                  *self.note(1, (r"\text{gradients drawn }[\times k]", BWD)),
                  *[FadeIn(sc[1]) for sc in self.scales],
                  *[c.animate.set_opacity(0.4) for c in self.curves], run_time=0.6)
        self.sweep("backward")

    # -- beat 5 -------------------------------------------------------------------------
    def duality(self):
        n, tr = self.n, self.n.tr
        pair, ok = n.pairings_shown, n.pairings_agree  # agreeing pairings print alike

        def terms(k, tex=False):
            g, d = tr.pullback[k], tr.pushforward[k]
            return "" if len(g) == 1 else dot_terms(g, d, tex_num if tex else fmt_num) + " = "

        def pairing(k, sums=False, size=style.SMALL):
            return ColoredTex(r"\langle ", (self.g(k), BWD), r",\ ", (self.d(k), FWD), r"\rangle = "
                              + (terms(k, True) if sums else ""), (tex_num(pair[k]), HL),
                              font_size=size)

        said = [f"<{self.g(k, True)}, {self.d(k, True)}> = {terms(k)}{fmt_num(pair[k])}"
                for k in ((2, 0) if n.K == 2 else range(n.K + 1))]
        self.beat("duality", "The two ways agree: " + " and ".join(said) + "." if n.K == 2 else
                  "The pairing <grad, d> is the same in every space: " + ", ".join(said) + ".",
                  say=say_duality(self))
        row = VGroup(pairing(n.K, True, style.BODY), ColoredTex(
            (r"=" if ok else r"\approx", HL), font_size=style.TITLE), pairing(0, True, style.BODY))
        pairs = VGroup(*[self.foot(k, pairing(k)) for k in range(n.K + 1)])
        self.play(*[ReplacementTransform(a, b) for a, b in zip(self.feet, pairs)],
                  *[Indicate(a, color=FWD) for a in self.fwd], run_time=1.2)
        self.play(*self.bands.put(self.band_of["duality"], row.arrange(RIGHT, buff=0.5)))
        self.play(Circumscribe(VGroup(row, pairs), color=HL), run_time=1.2)
        self.wait(2.0)


CORNERS = ("top right", "top left", "bottom right", "top right stacked", "top left stacked",
           "bottom right stacked", "bottom left", "bottom left stacked")
CORNERS_1D = ("bottom", "top right", "top left", "top right stacked",
              "top left stacked", "box top left", "box top left stacked")  # a number line's
SINGLE = ("top right", "top left", "bottom right", "bottom left", "head")  # one scale's
SINGLE_1D = ("bottom", "top right", "box top left", "head")
NOTE_CLEAR = 0.12  # how far arrows keep from a scale note (their heads: the contact rule)
READABLE = 0.8  # the least scale of a text at style.SMALL: 12 px high at 854x480


def tex_scale(m: float) -> str:
    """A panel's scale for TeX: 15, 0.65, 2.9 . 10^6 (two digits, short)."""
    if m != 0 and not 1e-3 <= abs(m) < 1e4:
        mant, ex = f"{m:.1e}".split("e")
        return rf"{mant.rstrip('0').rstrip('.')}\cdot 10^{{{int(ex)}}}"
    return tex_num(m)


def arrow_of(vec, ends, color, **kw):
    """A vector's arrow, the subject of its beat; a vector that is exactly 0 has none: a
    dot marks the point (not an arrow: the label says "= 0")."""
    if np.any(np.asarray(vec) != 0):
        return roles.subject(style.arrow(*ends, color, **kw))
    return roles.decoration(style.arrow(ends[0], ends[0], color))


def readable_in(mob, width, height) -> bool:
    """Whether every content text of ``mob`` stays 12 px high (the layout check's rule)
    when ``mob`` is fitted into width x height."""
    s = min(1.0, width / max(mob.width, 1e-6), height / max(mob.height, 1e-6))
    return all((line_height_px(t) or 99.0) * s >= 12.0 for t in texts([mob]))


def _tips_touch(p, arrows, note) -> bool:
    """Whether an arrowhead of ``arrows`` ((vector, scale, kind) drawn in panel p, as
    :func:`arrow_of` draws them) comes closer to a text of ``note`` than labels keep from
    arrowheads (the layout check's contact rule)."""
    boxes = [_box(t) for t in texts([note])]
    for vec, m, kind in arrows:
        if not np.any(np.asarray(vec) != 0):
            continue  # no arrow: a dot
        arr = arrow_of(vec, p.arrow_ends(vec, m, kind), style.KIND_COLOR[kind],
                       **({"stroke_width": 5} if kind == "backward" else {}))
        if getattr(arr, "tip", None) is None:
            continue
        tip = _box(arr.tip)
        if any(gap(b, tip) < CONTACT_GAP + 0.01 for b in boxes):
            return True
    return False


def _meet(a, b) -> bool:
    """Whether two boxes (x0, y0, x1, y1) intersect."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(mob, box) -> bool:
    (x0, y0, x1, y1), (bx0, by0, bx1, by1) = edges(mob), edges(box)
    return x0 >= bx0 + 0.03 and x1 <= bx1 - 0.03 and y0 >= by0 + 0.03 and y1 <= by1 - 0.03


def _grown(mob, by: float) -> tuple:
    """A mobject's screen box (x0, y0, x1, y1), grown by ``by`` on every side."""
    x0, y0, x1, y1 = edges(mob)
    return x0 - by, y0 - by, x1 + by, y1 + by


# -- narration: what each beat says, read from the trace -----------------------------------
def _sp(scene, k) -> str:
    return say_name(scene.n.names[k][1])


def say_spaces(scene) -> str:
    n, tr = scene.n, scene.n.tr
    return (f"We have multiplied Jacobians. Now we follow {say_int(n.K + 1)} spaces, joined by "
            f"{say_int(n.K)} maps, both ways. The point {say_name(scene.at(0, True))} is "
            f"{say_vec(tr.points[0])}, and it lands at {say_vec(tr.points[-1])} at the end.")


def say_push(scene) -> str:
    n, push = scene.n, scene.n.tr.pushforward
    return (f"In orange, going forward: the small arrow {say_name(scene.d(0, True))}, "
            f"{say_vec(push[0])}, is pushed through the maps, inner map first. "
            f"Each Jacobian, at its own point, carries it to the next space. "
            f"In {_sp(scene, n.K)}-space it arrives as {say_vec(push[-1])}.")


def say_image(scene, same) -> str:
    n = scene.n
    if all(same[1:]):
        return ("The curve is the arrow's true image under the maps, and the arrow is the "
                "linear prediction. Here the curve and the arrow coincide: the curve ends "
                "exactly where the arrow does, and for this arrow the prediction is exact.")
    k = max(k for k in range(1, n.K + 1) if not same[k])  # the last space where they differ
    c = n.image_vs_prediction(k, "spoken")
    where = (f"the curve and the arrow both end at {c.a}; {c.note}" if c.note else
             f"the curve ends at {c.a}, the arrow at {c.b}")
    return (f"The curve is the arrow's true image, and the arrow is the linear prediction. "
            f"In {_sp(scene, k)}-space {where}. That gap is what approximately means.")


def say_pull(scene) -> str:
    n, pull = scene.n, scene.n.tr.pullback
    return (f"In blue, coming back: the gradient {say_vec(pull[-1])} at the output is pulled "
            f"back by the transposes, outer map first. In {_sp(scene, 0)}-space it becomes "
            f"grad {_sp(scene, 0)}, {say_vec(pull[0])}. Transposes, in the reverse order: "
            f"that is backprop.")


def say_duality(scene) -> str:
    n = scene.n
    spoken = [say_num(p) for p in n.pairings_shown]
    if n.pairings_agree:
        every = (f"It is {spoken[0]} in the first space, and {spoken[0]} again in the last" if
                 n.K == 2 else f"In all {say_int(n.K + 1)} spaces it is {spoken[0]}")
    else:
        every = f"The pairings read {join_words(spoken)}"
    return (f"Pair each gradient with its arrow in the same space. {every}: the same number in "
            f"every space. Pushing forward and pulling back are two views of one derivative.")
