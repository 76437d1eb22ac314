"""Small feed-forward networks as chains of maps, and backprop as repeated pullback.

``Network`` builds the lesson's network (LESSON.md §7) and deeper ones::

    x -> a = W x + b -> h = act(a) -> l = c^T h                  (one hidden layer)
    x -> a(1) = W(1) x + b(1) -> h(1) -> a(2) -> h(2) -> ... -> l = c^T h(L)

as a :class:`jacviz.Chain` of jacviz maps (built from sympy expressions, not
text), so that every number a scene shows comes from the same core as every
other scene.  The forward pass stores every ``a`` and ``h``; the backward
sweep is a chain of vector-Jacobian products that reuses them (an
activation's derivative from its stored output: ``h (1 - h)`` for the
sigmoid, ``1 - h^2`` for tanh, ``1 where h > 0, else 0`` for relu) and never forms a Jacobian.  Multiply-adds are
counted both for that sweep and for forming the full Jacobian by matrix
products (:func:`jacviz.core.costs.product_cost`).

Names.  One hidden layer keeps the lesson's names: spaces ``x, a, h, l`` with
coordinates ``x1, x2``, ``a1, a2, a3``, ``h1, h2, h3`` and local Jacobians
``W``, ``Diag(s'(a))``, ``c^T``.  A deeper network numbers its layers with a
superscript in parentheses: spaces ``a^(k), h^(k)`` (TeX ``a^{(k)}``), unit
``i`` of layer ``k`` is ``a^(k)_i`` (TeX ``a^{(k)}_{i}``), weights ``W^(k)``,
``b^(k)`` and the activation's Jacobian ``D^(k) = Diag(s'(a^(k)))``; the last
layer is always the readout ``l = c^T h``.  Plain text (captions) writes the
layer as a digit: ``a1``, ``h2``, ``W3``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from .errors import JacvizError
from .fmt import fmt_num, tex_num
from .maps import Chain, Map
from .parse import relu, sigmoid, symbol

ACTIVATIONS = ("sigmoid", "tanh", "relu")
#: TeX of an activation and of its derivative
ACT_TEX = {"sigmoid": (r"\sigma", r"\sigma'"), "tanh": (r"\tanh", r"\tanh'"),
           "relu": (r"\operatorname{relu}", r"\operatorname{relu}'")}
#: the weights from_sizes draws from a seed (never 0: every edge of the network exists)
WEIGHT_CHOICES = (-1.0, -0.5, 0.5, 1.0)
BIAS_CHOICES = (-0.5, 0.0, 0.5)


def _act_expr(name: str, a):
    return {"sigmoid": sigmoid, "tanh": sympy.tanh, "relu": relu}[name](a)


def _act_derivative_from_output(name: str, h: np.ndarray) -> np.ndarray:
    """sigma'(a) = h (1 - h); tanh'(a) = 1 - h^2; relu'(a) = 1 where h > 0, else 0: from
    the stored outputs, no re-evaluation.  (relu has a kink at a = 0, where h = 0 too: the
    0 there is a convention; a scene's self-check refuses such a point.)"""
    if name == "relu":
        return (h > 0).astype(float)
    return h * (1.0 - h) if name == "sigmoid" else 1.0 - h * h


def parse_activations(text: str, hidden: int, what: str = "activations") -> list[str]:
    """'tanh, sigmoid' -> one activation per hidden layer (one name serves every layer)."""
    names = [t for t in str(text).replace(",", " ").split() if t]
    for nm in names:
        if nm not in ACTIVATIONS:
            raise JacvizError(f"parameter {what}: {nm!r} is not an activation; use "
                              f"{' or '.join(ACTIVATIONS)}, e.g. {what}=tanh,sigmoid")
    if len(names) == 1:
        return names * hidden
    if len(names) != hidden:
        raise JacvizError(f"parameter {what} has {len(names)} names for {hidden} hidden "
                          f"layer{'s' if hidden != 1 else ''}; give one per hidden layer, "
                          f"or one for all")
    return names


@dataclass(frozen=True)
class Layer:
    """One affine layer ``W h + b`` (k x n), followed by an activation or, last, by none."""

    W: np.ndarray
    b: np.ndarray
    activation: str | None

    @property
    def shape(self) -> tuple[int, int]:
        return self.W.shape


@dataclass
class ForwardPass:
    """Every space's vector: x, a1, h1, a2, h2, ..., l (what backprop reuses)."""

    values: list[np.ndarray]
    names: list[str]


@dataclass(frozen=True)
class SweepStep:
    """One vector-Jacobian product of the backward sweep (outer stage first)."""

    stage: int  # the chain's stage (0 = the first map applied)
    kind: str  # "readout", "activation" or "affine"
    madds: int  # multiply-adds of this product
    tex: str  # e.g. \nabla_{a} l = h\odot(1-h)\odot\nabla_{h} l
    text: str  # e.g. grad_a = h*(1-h)*grad_h


@dataclass
class BackwardSweep:
    """The gradient of l in every space, outer to inner, and what it cost."""

    grads: list[np.ndarray]  # one per space, in the order of ForwardPass.values
    multiply_adds: int
    steps: list[SweepStep] = field(default_factory=list)  # in the order they are done

    @property
    def largest(self) -> int:
        """The most numbers the sweep holds at once: its longest vector."""
        return max(g.size for g in self.grads)


class Network:
    """A feed-forward network with a scalar output (the loss ``l``)."""

    def __init__(self, layers: list[Layer]):
        if not layers:
            raise JacvizError("a network needs at least one layer")
        for k, (a, b) in enumerate(zip(layers, layers[1:])):
            if b.W.shape[1] != a.W.shape[0]:
                raise JacvizError(f"layer {k + 2} takes {b.W.shape[1]} inputs but layer {k + 1} "
                                  f"gives {a.W.shape[0]}")
        if layers[-1].W.shape[0] != 1:
            raise JacvizError("the last layer must give one number, the loss l")
        for layer in layers[:-1]:
            if layer.activation not in ACTIVATIONS:
                raise JacvizError(f"activation {layer.activation!r}: choose one of "
                                  f"{', '.join(ACTIVATIONS)}")
        self.layers = layers

    # -- construction ------------------------------------------------------------------
    @classmethod
    def one_hidden(cls, W, b, c, activation: str = "sigmoid") -> "Network":
        """The lesson's network: a = W x + b, h = act(a), l = c^T h."""
        b = np.asarray(b, dtype=float)
        W = np.asarray(W, dtype=float).reshape(len(b), -1)
        c = np.asarray(c, dtype=float).reshape(1, -1)
        return cls([Layer(W, b, activation), Layer(c, np.zeros(1), None)])

    @staticmethod
    def weight_count(sizes) -> int:
        """Numbers ``from_sizes`` takes: every layer's weights and biases, no bias for the loss."""
        sizes = [int(s) for s in sizes]
        return sum(sizes[k + 1] * sizes[k] + sizes[k + 1] for k in range(len(sizes) - 1)) - 1

    @classmethod
    def from_sizes(cls, sizes, activations, seed: int = 0, weights=None) -> "Network":
        """Layers of the given sizes (input first, 1 last): weights given row by row, layer
        by layer, each layer's biases after its weights (no bias for the loss); or drawn
        from ``seed`` (weights from WEIGHT_CHOICES, biases from BIAS_CHOICES)."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or sizes[-1] != 1 or min(sizes) < 1:
            raise JacvizError("sizes: the input size first and 1 (the loss) last, e.g. 2,3,1")
        hidden = len(sizes) - 2
        acts = list(activations) if not isinstance(activations, str) else [activations]
        if len(acts) == 1:
            acts = acts * hidden
        if len(acts) != hidden:
            raise JacvizError(f"give one activation per hidden layer ({hidden}), or one for all")
        shapes = [(sizes[k + 1], sizes[k]) for k in range(len(sizes) - 1)]
        need = cls.weight_count(sizes)
        if weights is not None:
            w = np.asarray(weights, dtype=float).ravel()
            if w.size != need:
                raise JacvizError(f"weights has {w.size} numbers; sizes {','.join(map(str, sizes))} "
                                  f"need {need} (each layer's weights row by row, then its biases; "
                                  f"no bias for the loss)")
        else:
            rng = np.random.default_rng(seed)
            parts = []
            for m, n in shapes:
                parts += [rng.choice(WEIGHT_CHOICES, size=m * n), rng.choice(BIAS_CHOICES, size=m)]
            w = np.concatenate(parts)[:need]
        layers, pos = [], 0
        for k, (m, n) in enumerate(shapes):
            W = w[pos:pos + m * n].reshape(m, n)
            pos += m * n
            last = k == len(shapes) - 1
            b = np.zeros(1) if last else w[pos:pos + m]
            pos += 0 if last else m
            layers.append(Layer(W, b, None if last else acts[k]))
        return cls(layers)

    # -- shapes and names --------------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [self.layers[0].W.shape[1]] + [layer.W.shape[0] for layer in self.layers]

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.layers) - 1

    @property
    def activations(self) -> list[str]:
        return [layer.activation for layer in self.layers[:-1]]

    @property
    def dims(self) -> list[int]:
        """Dimension of every space: x, a, h, ..., l."""
        out = [self.sizes[0]]
        for layer in self.layers:
            out += [layer.W.shape[0]] * (2 if layer.activation else 1)
        return out

    def _tag(self, k: int) -> str:
        """The layer superscript in TeX ('' for the lesson's one hidden layer)."""
        return "" if self.depth == 1 else f"^{{({k})}}"

    def space_names(self) -> list[str]:
        """Plain names: x, a, h, l for one hidden layer; x, a1, h1, a2, h2, ..., l for more."""
        if self.depth == 1:
            return ["x", "a", "h", "l"]
        names = ["x"]
        for k in range(1, self.depth + 1):
            names += [f"a{k}", f"h{k}"]
        return names + ["l"]

    def space_tex(self) -> list[str]:
        """TeX names: x, a, h, l; or x, a^{(1)}, h^{(1)}, ..., l."""
        out = ["x"]
        for k in range(1, self.depth + 1):
            out += [f"a{self._tag(k)}", f"h{self._tag(k)}"]
        return out + ["l"]

    def coordinate_names(self) -> list[list[str]]:
        """Symbol names of every space's coordinates: x1, x2 / a1.. or a^(1)_1.. / l."""
        out = []
        for s, (name, d) in enumerate(zip(self.space_names(), self.dims)):
            if self.depth > 1 and s not in (0, len(self.dims) - 1):
                base = f"{name[0]}^({name[1:]})"
                out.append([base] if d == 1 else [f"{base}_{i + 1}" for i in range(d)])
            else:
                out.append([name] if d == 1 else [f"{name}{i + 1}" for i in range(d)])
        return out

    def stage_tex(self) -> list[str]:
        """The local Jacobian of every stage: W, Diag(s'(a)), c^T; or W^{(k)}, D^{(k)}, c^T."""
        out = []
        for k, layer in enumerate(self.layers, start=1):
            if layer.activation is None:
                out.append(r"c^\top")
                continue
            out.append(f"W{self._tag(k)}")
            out.append(f"D{self._tag(k)}" if self.depth > 1 else self._diag(k))
        return out

    def _diag(self, k: int) -> str:
        d = ACT_TEX[self.layers[k - 1].activation][1]
        return rf"\mathrm{{Diag}}({d}(a{self._tag(k)}))"

    def stage_definitions(self) -> list[str]:
        """stage_tex, with every D^{(k)} spelled out: D^{(k)} = Diag(s'(a^{(k)}))."""
        out = []
        for s, t in enumerate(self.stage_tex()):
            out.append(f"{t} = {self._diag(s // 2 + 1)}" if t.startswith("D^") else t)
        return out

    def stage_transposes(self) -> list[str]:
        """What the backward sweep multiplies by at every stage: W^T, Diag (symmetric), c."""
        out = []
        for t in self.stage_tex():
            if t == r"c^\top":
                out.append("c")
            elif t.startswith("W"):
                out.append(t + r"^\top" if self.depth == 1 else t[:-1] + r"\top}")
            else:
                out.append(t)
        return out

    def definition_tex(self) -> str:
        """The network in one line of TeX."""
        if self.depth == 1:
            act = ACT_TEX[self.layers[0].activation][0]
            return rf"a = Wx + b,\quad h = {act}(a),\quad l = c^\top h"
        acts = self.activations
        if len(set(acts)) == 1:
            hs = rf"h^{{(k)}} = {ACT_TEX[acts[0]][0]}(a^{{(k)}})"
        else:
            hs = r",\ ".join(rf"h^{{({k})}} = {ACT_TEX[a][0]}(a^{{({k})}})"
                             for k, a in enumerate(acts, start=1))
        return (rf"a^{{(k)}} = W^{{(k)}} h^{{(k-1)}} + b^{{(k)}}\ (h^{{(0)}} = x),\quad {hs},"
                rf"\quad l = c^\top h^{{({self.depth})}}")

    # -- the chain of maps -----------------------------------------------------------------
    def chain(self) -> Chain:
        """affine, activation, affine, activation, ..., readout: one jacviz map each."""
        coords = self.coordinate_names()
        maps = []
        space = 0
        for k, layer in enumerate(self.layers):
            m, n = layer.W.shape
            ins = [symbol(s) for s in coords[space]]
            W = [[sympy.Float(repr(float(v))) for v in row] for row in layer.W]
            outs = []
            for i in range(m):
                expr = sympy.Add(*[W[i][j] * ins[j] for j in range(n) if W[i][j] != 0])
                if layer.b[i] != 0:
                    expr = expr + sympy.Float(repr(float(layer.b[i])))
                outs.append(expr)
            tag = f"{k + 1}" if self.depth > 1 else ""
            maps.append(Map.from_exprs(ins, outs, name="readout" if layer.activation is None
                                       else f"affine{tag}"))
            space += 1
            if layer.activation is not None:
                a = [symbol(s) for s in coords[space]]
                maps.append(Map.from_exprs(a, [_act_expr(layer.activation, s) for s in a],
                                           name=f"{layer.activation}{tag}"))
                space += 1
        return Chain(maps, output_names=["l"])

    # -- forward and backward ----------------------------------------------------------------
    def forward(self, x) -> ForwardPass:
        """Every space's vector, stored for the backward sweep."""
        v = np.asarray(x, dtype=float).reshape(self.sizes[0])
        values = [v]
        for layer in self.layers:
            a = layer.W @ values[-1] + layer.b
            values.append(a)
            if layer.activation == "sigmoid":
                values.append(0.5 * (1.0 + np.tanh(0.5 * a)))
            elif layer.activation == "tanh":
                values.append(np.tanh(a))
            elif layer.activation == "relu":
                values.append(np.maximum(a, 0.0))
        return ForwardPass(values, self.space_names())

    def _act_factors(self, fp: ForwardPass) -> dict[int, np.ndarray]:
        """Space index of every h -> its activation's derivative, from the stored h."""
        out, pos = {}, 0
        for layer in self.layers:
            pos += 1
            if layer.activation is not None:
                pos += 1
                out[pos] = _act_derivative_from_output(layer.activation, fp.values[pos])
        return out

    def pushforward(self, fp: ForwardPass, dx) -> list[np.ndarray]:
        """dx pushed forward through every stage (one JVP), reusing the stored outputs."""
        d = [np.asarray(dx, dtype=float).reshape(self.sizes[0])]
        factors = self._act_factors(fp)
        for layer in self.layers:
            d.append(layer.W @ d[-1])
            if layer.activation is not None:
                d.append(factors[len(d)] * d[-1])
        return d

    @staticmethod
    def pairings(push, sweep) -> list[float]:
        """<grad_k l, d_k> in every space: the same number everywhere (dl, in the end)."""
        return [float(np.dot(g, d)) for g, d in zip(sweep.grads, push)]

    def backward(self, fp: ForwardPass, gbar: float = 1.0) -> BackwardSweep:
        """grad_l in every space by vector-Jacobian products, outer to inner.

        Each affine layer costs m*n multiply-adds (W^T g); each activation n
        (its Jacobian is diagonal: an elementwise product with the derivative,
        computed from the stored output h).  No Jacobian matrix is formed.
        """
        g = np.array([float(gbar)])
        grads = [g]
        count, steps = 0, []
        tex, plain = self.space_tex(), self.space_names()
        trans = self.stage_transposes()
        factors = self._act_factors(fp)
        pos = len(fp.values) - 1  # the space g lives in

        def grad(s, t=True):
            return rf"\nabla_{{{tex[s]}}} l" if t else f"grad_{plain[s]}"

        for layer in reversed(self.layers):
            if layer.activation is not None:
                g = factors[pos] * g
                count += g.size
                h, hp = tex[pos], plain[pos]
                if layer.activation == "sigmoid":
                    ft, fx = rf"{h}\odot(1-{h})", f"{hp}*(1-{hp})"
                elif layer.activation == "relu":
                    ft, fx = rf"\mathbf{{1}}_{{{h} > 0}}", f"[{hp} > 0]"
                else:
                    ft, fx = rf"(1-{h}\odot {h})", f"(1-{hp}^2)"
                steps.append(SweepStep(pos - 1, "activation", g.size,
                                       rf"{grad(pos - 1)} = {ft}\odot{grad(pos)}",
                                       f"{grad(pos - 1, False)} = {fx}*{grad(pos, False)}"))
                grads.append(g)
                pos -= 1
            m, n = layer.W.shape
            g = layer.W.T @ g
            count += m * n
            t = trans[pos - 1]
            kind = "readout" if layer.activation is None else "affine"
            gin = rf"\cdot {tex_num(grads[-1][0])}" if kind == "readout" else rf"\,{grad(pos)}"
            steps.append(SweepStep(pos - 1, kind, m * n, rf"{grad(pos - 1)} = {t}{gin}",
                                   f"{grad(pos - 1, False)} = "
                                   + (f"c*{fmt_num(grads[-1][0])}" if kind == "readout"
                                      else f"W{plain[pos][1:]}^T {grad(pos, False)}")))
            grads.append(g)
            pos -= 1
        grads.reverse()
        return BackwardSweep(grads, count, steps)

    def local_jacobians(self, fp: ForwardPass) -> list[np.ndarray]:
        """The stage Jacobians at the forward pass: W1, Diag(s'(a1)), W2, ..., c^T."""
        out = []
        factors = self._act_factors(fp)
        pos = 0
        for layer in self.layers:
            out.append(layer.W.copy())
            pos += 1
            if layer.activation is not None:
                pos += 1
                out.append(np.diag(factors[pos]))
        return out

    def full_jacobian_route(self, dense: bool = True):
        """Forming D l / D x by multiplying the stage Jacobians as matrices, input side
        first (D_1 first, then D_2 D_1, ...): a :class:`jacviz.core.costs.ProductCost` with
        every product's shapes and multiply-adds.  ``dense`` (the default): every local
        Jacobian a full matrix, Diag(s'(a)) included (what "Jacobians first" builds);
        otherwise structural zeros are skipped (:mod:`jacviz.core.costs` conventions)."""
        from .costs import product_cost

        return product_cost(self.dims if dense else self.chain(), "forward", dense=dense)

    def full_jacobian_cost(self, dense: bool = True) -> int:
        """Multiply-adds of :meth:`full_jacobian_route`."""
        return self.full_jacobian_route(dense).mults
