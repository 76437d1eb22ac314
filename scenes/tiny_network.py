"""§7 and §9: a tiny network, and a deeper one -- backprop is repeated pullback.

The lesson's network ``a = W x + b``, ``h = sigmoid(a)``, ``l = c^T h`` is the
default (parameters W, b, c).  ``sizes`` (with ``seed`` or ``weights``) and
``activations`` make a deeper one: ``a(k) = W(k) h(k-1) + b(k)``, ``h(k) =
act_k(a(k))``, ``l = c^T h(L)``.  The core (:class:`jacviz.Network`) stores the
forward pass, pulls the gradient back by vector-Jacobian products that reuse it,
and counts the multiply-adds of that sweep and of forming the full Jacobian by
matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, LaggedStart, MobjectTable, Tex, VGroup

from jacviz import Chain, Graph, JacvizError, Network, self_check
from jacviz.core.costs import ProductCost
from jacviz.core.network import BackwardSweep, ForwardPass, parse_activations
from jacviz.core.fmt import compare
from jacviz.core.spoken import join_words, say_compare, say_int, say_num, say_shape, say_vec
from jacviz.kit import (ChainStrip, ColoredTex, ComputationGraph, JacobianMatrix, JacvizScene,
                        SceneParams, dot_terms, fmt_num, param, plain_vec, plural, style,
                        tex_factor, tex_num, tex_vec)
from jacviz.kit.strip import ARROW_GAP

MAX_INPUTS, MAX_HIDDEN_LAYERS = 3, 3
LESSON_X, LESSON_DX = (1.0, 0.5, -0.5), (0.1, 0.0, 0.0)  # defaults, cut to the input size


@dataclass(frozen=True, eq=False)
class TinyNetworkNumbers:
    """What the tiny-network scene draws: the forward pass, the sweeps and the graph."""

    net: Network
    chain: Chain
    fp: ForwardPass
    x: np.ndarray
    push: list
    sweep: BackwardSweep
    pairing: float
    jacobians: list
    route: ProductCost
    graph: Graph
    names: list[str]
    plain: list[str]


@dataclass(frozen=True)
class TinyNetworkParams(SceneParams):
    W: tuple = param((1.0, -1.0, 0.5, 2.0, -1.0, 0.5),
                     "weights of the one hidden layer, row by row (one row per entry of b, "
                     "one column per entry of x)", kind="vector")
    b: tuple = param((0.0, 0.5, -0.5), "biases of the one hidden layer (its size, 1-4)",
                     kind="vector")
    c: tuple = param((1.0, -2.0, 0.5), "loss weights, l = c^T h (one per hidden unit)",
                     kind="vector")
    x: tuple = param((1.0, 0.5), "the input point x (1-3 numbers; left out: 1,0.5,-0.5 cut "
                     "to the input size)", kind="vector")
    dx: tuple = param((0.1, 0.0), "the input perturbation dx pushed forward (left out: 0.1 "
                      "along x1)", kind="vector")
    sizes: tuple = param((2, 3, 1), "layer sizes, input first and 1 (the loss) last, e.g. "
                         "2,3,3,1: 1-3 inputs, 1-3 hidden layers of 1-3 units; set it (or seed, "
                         "weights) to draw a network instead of W, b, c", kind="ints")
    activations: str = param("sigmoid", "one activation per hidden layer, sigmoid, tanh or relu "
                             "(e.g. tanh,sigmoid), or one for all", kind="text")
    seed: int = param(0, "the seed the weights are drawn from (-1, -0.5, 0.5, 1; biases "
                      "-0.5, 0, 0.5) when sizes is set and weights is not", kind="int")
    weights: tuple = param((), "the weights instead of a seed: each layer's weights row by "
                           "row, then its biases (none for the loss)", kind="vector")

    def build(self):
        drawn = [k for k in ("sizes", "seed", "weights") if self.given(k)]
        lesson = [k for k in ("W", "b", "c") if self.given(k)]
        if drawn and lesson:
            raise JacvizError(f"give the network either as W, b, c or as sizes with seed or "
                              f"weights, not both ({' and '.join(lesson + drawn)} were set)")
        sizes = list(self.sizes)
        if not drawn:
            if not 1 <= len(self.b) <= 4:
                raise JacvizError(f"parameter b has {len(self.b)} numbers; the hidden layer has "
                                  f"1 to 4 units (one bias each)")
            if len(self.W) != len(self.b) * len(self.x):
                raise JacvizError(f"parameter W has {len(self.W)} numbers; expected "
                                  f"{len(self.b)}*{len(self.x)} = {len(self.b) * len(self.x)} "
                                  f"(one row per entry of b, one column per entry of x)")
            self.need_length("c", self.c, len(self.b), "one loss weight per hidden unit, like b")
            sizes = [len(self.x), len(self.b), 1]
        if len(sizes) < 3 or sizes[-1] != 1 or len(sizes) > MAX_HIDDEN_LAYERS + 2:
            raise JacvizError(f"parameter sizes {','.join(map(str, sizes))}: the input size, 1 to "
                              f"{MAX_HIDDEN_LAYERS} hidden sizes, then 1 (the loss), e.g. 2,3,3,1")
        if not 1 <= sizes[0] <= MAX_INPUTS or (drawn and not all(1 <= s <= 3 for s in sizes[1:-1])):
            raise JacvizError(f"parameter sizes {','.join(map(str, sizes))}: this scene draws 1 "
                              f"to {MAX_INPUTS} inputs and 1 to 3 units per hidden layer")
        acts = parse_activations(self.activations, len(sizes) - 2)
        if drawn:
            net = Network.from_sizes(sizes, acts, self.seed, self.weights or None)
        else:
            net = Network.one_hidden(self.W, self.b, self.c, acts[0])
        n = sizes[0]
        x = self.x if self.given("x") or n == 2 else LESSON_X[:n]
        dx = self.dx if self.given("dx") or n == 2 else LESSON_DX[:n]
        self.need_length("x", x, n, "one number per input")
        self.need_length("dx", dx, n, "one number per input, like x")
        chain = net.chain()
        self_check(chain, x)
        fp = net.forward(x)
        push, sweep = net.pushforward(fp, dx), net.backward(fp)
        return TinyNetworkNumbers(net=net, chain=chain, fp=fp, x=np.asarray(x, dtype=float),
                               push=push, sweep=sweep, pairing=net.pairings(push, sweep)[0],
                               jacobians=net.local_jacobians(fp), route=net.full_jacobian_route(),
                               graph=Graph(chain, x), names=net.space_tex(), plain=net.space_names())


def _cell(tex, color=style.INK, size=style.TINY):
    return style.math(tex, color=color, font_size=size)


class TinyNetwork(JacvizScene):
    Params = TinyNetworkParams
    EXAMPLE = {"sizes": "2,3,3,1", "activations": "tanh,sigmoid", "seed": "3", "x": "1,-0.5",
               "dx": "0,0.1"}

    def construct(self):
        self.show_network()
        self.edge_table()
        self.push_forward()
        self.pull_back()
        self.duality()
        self.backward_sweep()
        self.costs()

    # -- beats -----------------------------------------------------------------------------
    def show_network(self):
        n, p = self.n, self.n.plain
        vals = ", ".join(f"{nm} = {plain_vec(v)}" for nm, v in zip(p, n.fp.values))
        self.beat("network", f"The network, {len(n.net.layers)} layers of sizes "
                             f"{','.join(map(str, n.net.sizes))}. Forward pass at x = "
                             f"{plain_vec(n.x)}, every a and h stored: {vals}.", say=say_network(n))
        self.set_title(r"Backprop is repeated pullback" if n.net.depth == 1 else
                       rf"A network of {len(n.net.layers)} layers: backprop is repeated pullback")
        self.definition = style.math(n.net.definition_tex(), font_size=style.SMALL)
        style.fit(self.definition, style.safe_width(), 0.5).move_to([0, 2.75, 0])
        self.graph = ComputationGraph(n.graph, left=-6.6, right=6.6, top=1.35,
                                      bottom=style.CONTENT_BOTTOM,
                                      labels="none")
        self.xs = [self.graph.layer(k).get_x() for k in range(len(n.names))]
        self.strip = ChainStrip(n.names, n.net.stage_tex(), xs=self.xs).shift(1.85 * UP)
        self.play(FadeIn(self.definition), FadeIn(self.strip), run_time=0.8)
        self.play(FadeIn(self.graph.edge_group),
                  LaggedStart(*[FadeIn(self.graph.layer(k), shift=0.2 * RIGHT)
                                for k in range(len(n.names))], lag_ratio=0.3), run_time=2)
        self.wait(1)

    def edge_table(self):
        n = self.n
        defs, shapes = n.net.stage_definitions(), [J.shape for J in n.jacobians]
        rows = "; ".join(f"{n.plain[k]} to {n.plain[k + 1]}: {J.shape[0]}x{J.shape[1]}"
                         for k, J in enumerate(n.jacobians))
        self.beat("edge-table", f"Every stage has a local Jacobian: {rows}. An activation's is "
                                f"diagonal: each h_i depends on a_i alone.", say=say_edges(n))
        self.clear_except(self.title_mob)
        size = style.SMALL if len(shapes) <= 3 else style.TINY
        cells = [[Tex(t, font_size=style.SMALL, color=style.MUTED)
                  for t in ("stage", "local Jacobian", "shape", "value")]]
        for k, (J, (m, nn)) in enumerate(zip(n.jacobians, shapes)):
            if k % 2:  # an activation: its Jacobian is diagonal
                value = _cell(rf"\mathrm{{Diag}}{tex_vec(np.diag(J))}" if m > 1 else tex_num(J[0, 0]),
                              size=size)
            else:
                value = JacobianMatrix.numeric(J, font_size=size, row_gap=0.1)
            cells.append([_cell(rf"{n.names[k]} \to {n.names[k + 1]}", size=size),
                          _cell(defs[k], size=size), _cell(rf"{m}\times {nn}", style.HIGHLIGHT, size),
                          value])
        self.table = MobjectTable(cells, h_buff=0.45, v_buff=0.16,
                                  line_config={"stroke_width": 1, "color": style.MUTED})
        style.place_in_band(self.table, 2.95, style.content_bottom())
        self.play(FadeIn(self.table), run_time=1.2)
        self.wait(1.5)

    def _row(self, vectors, labels, color, top):
        """A vector under every space, room left for the arrows between them; numbers in
        2 significant digits where 3 would not fit at a readable size."""
        room = self.strip.column_width() - ARROW_GAP
        for digits in (3, 2):
            mobs = [VGroup(_cell(lab, color, style.SMALL),
                           JacobianMatrix.column_vector(v, digits=digits, color=color,
                                                        font_size=style.TINY))
                    .arrange(DOWN, buff=0.12) for lab, v in zip(labels, vectors)]
            if max(m.width for m in mobs) <= room:
                break
        return VGroup(*self.strip.place_row(mobs, top, gap=ARROW_GAP))

    def push_forward(self):
        n, push = self.n, self.n.push
        steps = ", ".join(f"d{n.plain[k]} = {plain_vec(v)}" for k, v in enumerate(push))
        self.beat("forward", f"Push dx forward by the local Jacobians, inner first: {steps}.",
                  say=say_forward(n))
        self.clear_except(self.title_mob)
        self.strip.shift((2.5 - self.strip.space(0).get_y()) * UP)
        self.fwd = self._row(push, [f"d{nm}" for nm in n.names], style.FORWARD,
                             self.strip.get_bottom()[1] - 0.25)
        self.fwd_arrows = self.strip.row_arrows(self.fwd, "forward")
        self.play(FadeIn(self.strip), FadeIn(self.fwd[0]), run_time=0.6)
        for k in range(len(push) - 1):
            self.play(self.strip.flow(k, "forward", run_time=0.4), FadeIn(self.fwd_arrows[k]),
                      FadeIn(self.fwd[k + 1], shift=0.2 * RIGHT), run_time=0.4)
        self.wait(1)

    def pull_back(self):
        n, g = self.n, self.n.sweep.grads
        steps = ", ".join(f"grad_{n.plain[k]} = {plain_vec(v)}" for k, v in enumerate(g))
        self.beat("backward", f"Pull the gradient back from dl/dl = 1 by the transposes, outer "
                              f"first: {steps}.", say=say_backward(n))
        labels = [rf"\nabla_{{{nm}}} l" for nm in n.names[:-1]] + [r"\partial l/\partial l"]
        self.bwd = self._row(g, labels, style.BACKWARD, self.fwd.get_bottom()[1] - 0.3)
        self.bwd_arrows = self.strip.row_arrows(self.bwd, "backward", n.net.stage_transposes(),
                                                y=self.bwd.get_center()[1] - 0.05)
        self.play(FadeIn(self.bwd[-1]), run_time=0.5)
        for k in reversed(range(len(g) - 1)):
            self.play(self.strip.flow(k, "backward", run_time=0.4), FadeIn(self.bwd_arrows[k]),
                      FadeIn(self.bwd[k], shift=0.2 * LEFT), run_time=0.4)
        self.wait(1)

    def duality(self):
        n = self.n
        dx, gx, dl = n.push[0], n.sweep.grads[0], n.push[-1][0]
        # shown as equal: printed alike (the comparison rule, jacviz.core.fmt.compare)
        c, ct = compare(dl, n.pairing), compare(dl, n.pairing, tex=True)
        self.beat("duality", f"Both ways agree: dl = {c.a} and <grad_x l, dx> = "
                             f"{dot_terms(gx, dx)} = {c.b}. grad_x l transposed is "
                             f"the whole 1x{len(dx)} Jacobian.", say=say_duality(n, dl))
        product = r"\,".join(reversed(n.net.stage_tex()))
        terms = " + ".join(rf"{tex_factor(a)}\cdot {tex_factor(b)}" for a, b in zip(gx, dx))
        line = VGroup(ColoredTex(("dl", style.FORWARD), rf" = {product}\,", ("dx", style.FORWARD),
                                 " = ", (ct.a, style.FORWARD), font_size=style.SMALL),
                      ColoredTex(r"\langle ", (r"\nabla_x l", style.BACKWARD), ", ",
                                 ("dx", style.FORWARD), rf"\rangle = {terms} = ",
                                 (ct.b, style.BACKWARD), font_size=style.SMALL))
        line.arrange(DOWN, buff=0.25)
        top = VGroup(self.bwd, self.bwd_arrows).get_bottom()[1] - 0.2
        style.place_in_band(line, top, style.content_bottom())
        self.play(FadeIn(line, shift=0.2 * UP), run_time=0.8)
        self.wait(1.5)

    def _list(self, head, lines, total, color):
        """A heading, one line per product with its multiply-adds (right-aligned), a total."""
        body = VGroup(*[m for t, c in lines for m in (_cell(t, size=style.SMALL),
                                                      _cell(c, color, style.SMALL))])
        body.arrange_in_grid(len(lines), 2, col_alignments="lr", buff=(0.5, 0.2))
        block = VGroup(Tex(head, font_size=style.SMALL, color=color), body,
                       Tex(total, font_size=style.SMALL, color=color))
        block.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        return style.fit(block, 6.4, self.strip.get_bottom()[1] - style.content_bottom() - 1.3)

    def backward_sweep(self):
        sw = self.n.sweep
        self.beat("sweep", f"The backward sweep is {plural(len(sw.steps), 'vector-Jacobian product')}"
                           f" that reuse the stored forward pass: "
                           + "; ".join(f"{s.text} ({s.madds})" for s in sw.steps)
                           + f". {sw.multiply_adds} multiply-adds; it never holds more than "
                             f"{plural(sw.largest, 'number')} and never forms a Jacobian.",
                             say=say_sweep(self.n))
        self.clear_except(self.title_mob, self.strip)
        self.sweep = self._list(r"Backward sweep: vectors only",
                                [(s.tex, str(s.madds)) for s in sw.steps],
                                rf"{sw.multiply_adds} multiply-adds; vectors of at most "
                                rf"{sw.largest}", style.BACKWARD)
        self.sweep.next_to(self.strip, DOWN, buff=0.45).set_x(-3.45)
        self.play(FadeIn(self.sweep, shift=0.2 * DOWN), run_time=1.2)
        self.wait(1.5)

    def costs(self):
        n, route, sw = self.n, self.n.route, self.n.sweep
        names = n.net.stage_tex()
        big = max((s.shape for s in route.steps), key=lambda sh: sh[0] * sh[1])
        self.beat("costs", f"Forming the full Jacobian first, by matrix products from the input "
                           f"side, every local Jacobian a full matrix: "
                           + ", ".join(f"({s.shape_outer[0]}x{s.shape_outer[1]})"
                                       f"({s.shape_inner[0]}x{s.shape_inner[1]}) {s.mults}"
                                       for s in route.steps)
                           + f": {route.mults} multiply-adds against the sweep's "
                             f"{sw.multiply_adds}, building {big[0]}x{big[1]} matrices on the way.",
                             say=say_costs(n, route))
        lines = [(rf"{names[s.outer[0]]}:\ ({s.shape_outer[0]}\times {s.shape_outer[1]})"
                  rf"({s.shape_inner[0]}\times {s.shape_inner[1]})", str(s.mults))
                 for s in route.steps]
        block = self._list(r"Full Jacobian first: matrices", lines,
                           rf"{route.mults} multiply-adds; builds ${big[0]}\times {big[1]}$ "
                           rf"matrices", style.INK)
        block.align_to(self.sweep, UP).set_x(3.45)
        verdict = ColoredTex(r"\nabla_x l:\ ", (f"{sw.multiply_adds}", style.BACKWARD),
                             r"\text{ multiply-adds backward, }", (f"{route.mults}", style.INK),
                             r"\text{ by forming the Jacobian first}", font_size=style.BODY)
        style.place_in_band(verdict, min(block.get_bottom()[1], self.sweep.get_bottom()[1]) - 0.2,
                            style.content_bottom())
        self.play(FadeIn(block, shift=0.2 * DOWN), run_time=1.2)
        self.play(FadeIn(verdict), run_time=0.8)
        self.wait(2)


# -- narration: what each beat says, read from the core's numbers --------------------------
def say_network(n) -> str:
    sizes = join_words(say_int(s) for s in n.net.sizes)
    return (f"Now a tiny network, with layers of sizes {sizes}. The forward pass runs at x "
            f"equals {say_vec(n.x)}, and every value on the way is stored. "
            f"Backprop will reuse them.")


def say_edges(n) -> str:
    shapes = join_words(say_shape(*J.shape) for J in n.jacobians)
    return (f"Every stage has its local Jacobian, with shapes {shapes}. "
            f"An activation's Jacobian is diagonal: each h i depends on a i alone.")


def say_forward(n) -> str:
    return (f"In orange, going forward: the small change d x, {say_vec(n.push[0])}, is pushed "
            f"through the local Jacobians, inner stage first. "
            f"At the loss it arrives as {say_vec(n.push[-1])}.")


def say_backward(n) -> str:
    return (f"In blue, coming back: start from one at the loss, and pull it back by the "
            f"transposes, outer stage first. At the input it arrives as the gradient "
            f"{say_vec(n.sweep.grads[0])}.")


def say_duality(n, dl) -> str:
    c = say_compare(dl, n.pairing)  # shown as equal: read alike
    return (f"Both ways agree. Forward, the change in the loss is {c.a}. Backward, the "
            f"gradient paired with d x gives {c.b}. The gradient, transposed, is "
            f"the whole one-row Jacobian.")


def say_sweep(n) -> str:
    sw = n.sweep
    return (f"The backward sweep is {say_int(len(sw.steps))} vector-Jacobian products that "
            f"reuse the stored forward pass. It costs {say_num(sw.multiply_adds)} multiply-adds, "
            f"and never forms a Jacobian.")


def say_costs(n, route) -> str:
    return (f"Forming the full Jacobian first, by matrix products, costs "
            f"{say_num(route.mults)} multiply-adds; the backward sweep took "
            f"{say_num(n.sweep.multiply_adds)}. A vector-Jacobian product never builds the "
            f"full matrix.")
