"""Small feed-forward networks as chains of maps, and backprop as repeated pullback.

``Network`` builds the lesson's network (LESSON.md §7) and deeper ones::

    x -> a1 = W1 x + b1 -> h1 = act(a1) -> ... -> l = c^T h_{L-1} (+ b_L)

as a :class:`jacviz.Chain` of jacviz maps (built from sympy expressions, not
text), so that every number a scene shows comes from the same core as every
other scene.  The forward pass stores every ``a`` and ``h``; the backward
sweep is a chain of vector-Jacobian products that reuses them (an
activation's derivative from its stored output) and never forms a full
Jacobian.  Multiply-adds are counted both for that sweep and for forming the
full Jacobian by matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from .errors import JacvizError
from .maps import Chain, Map
from .parse import sigmoid, symbol

ACTIVATIONS = ("sigmoid", "tanh")


def _act_expr(name: str, a):
    return sigmoid(a) if name == "sigmoid" else sympy.tanh(a)


def _act_derivative_from_output(name: str, h: np.ndarray) -> np.ndarray:
    """sigma'(a) = h (1 - h); tanh'(a) = 1 - h^2: from the stored outputs, no re-evaluation."""
    return h * (1.0 - h) if name == "sigmoid" else 1.0 - h * h


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


@dataclass
class BackwardSweep:
    """The gradient of l in every space, outer to inner, and what it cost."""

    grads: list[np.ndarray]  # one per space, in the order of ForwardPass.values
    multiply_adds: int
    steps: list[str] = field(default_factory=list)  # "W2^T g", "s'(a2) * g", ...


def _round_weights(rng, shape, scale=1.0):
    """Weights drawn from a seed, rounded to one decimal (readable on screen)."""
    return np.round(rng.uniform(-scale, scale, size=shape) * 2) / 2


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

    @classmethod
    def from_sizes(cls, sizes, activations, seed: int = 0, weights=None) -> "Network":
        """Layers of the given sizes (input first, 1 last): weights given row by row, layer
        by layer, each layer's biases after its weights; or drawn from ``seed``."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or sizes[-1] != 1:
            raise JacvizError("sizes: the input size first and 1 (the loss) last, e.g. 2,3,1")
        hidden = len(sizes) - 2
        acts = list(activations)
        if len(acts) == 1 and hidden > 1:
            acts = acts * hidden
        if len(acts) != hidden:
            raise JacvizError(f"give one activation per hidden layer ({hidden}), or one for all")
        shapes = [(sizes[k + 1], sizes[k]) for k in range(len(sizes) - 1)]
        need = sum(m * n + m for m, n in shapes) - 1  # the loss layer has no bias
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            if w.size != need:
                raise JacvizError(f"weights has {w.size} numbers; sizes {','.join(map(str, sizes))} "
                                  f"need {need} (each layer's weights row by row, then its biases; "
                                  f"no bias for the loss)")
        else:
            rng = np.random.default_rng(seed)
            w = np.concatenate([np.concatenate([_round_weights(rng, (m, n)).ravel(),
                                                _round_weights(rng, (m,), 0.5)])
                                for m, n in shapes])[:need]
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

    def space_names(self) -> list[str]:
        """x, a, h, l for one hidden layer; x, a1, h1, a2, h2, ..., l for more."""
        if self.depth == 1:
            return ["x", "a", "h", "l"]
        names = ["x"]
        for k in range(1, self.depth + 1):
            names += [f"a{k}", f"h{k}"]
        return names + ["l"]

    # -- the chain of maps -----------------------------------------------------------------
    def chain(self) -> Chain:
        """affine, activation, affine, activation, ..., readout: one jacviz map each."""
        names = self.space_names()
        maps = []
        space = 0
        for k, layer in enumerate(self.layers):
            m, n = layer.W.shape
            ins = [symbol(_coord(names[space], j, n)) for j in range(n)]
            W = [[sympy.Float(repr(float(v))) for v in row] for row in layer.W]
            outs = []
            for i in range(m):
                expr = sympy.Add(*[W[i][j] * ins[j] for j in range(n) if W[i][j] != 0])
                if layer.b[i] != 0:
                    expr = expr + sympy.Float(repr(float(layer.b[i])))
                outs.append(expr)
            label = "readout" if layer.activation is None else f"affine{k + 1 if self.depth > 1 else ''}"
            maps.append(Map.from_exprs(ins, outs, name=label))
            space += 1
            if layer.activation is not None:
                a = [symbol(_coord(names[space], i, m)) for i in range(m)]
                maps.append(Map.from_exprs(a, [_act_expr(layer.activation, s) for s in a],
                                           name=f"{layer.activation}{k + 1 if self.depth > 1 else ''}"))
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
        return ForwardPass(values, self.space_names())

    def backward(self, fp: ForwardPass, gbar: float = 1.0) -> BackwardSweep:
        """grad_l in every space by vector-Jacobian products, outer to inner.

        Each affine layer costs m*n multiply-adds (W^T g); each activation n
        (its Jacobian is diagonal: an elementwise product with the stored
        derivative).  No Jacobian matrix is formed.
        """
        g = np.array([float(gbar)])
        grads = [g]
        count, steps = 0, []
        pos = len(fp.values) - 1
        for layer in reversed(self.layers):
            if layer.activation is not None:
                h = fp.values[pos]
                g = _act_derivative_from_output(layer.activation, h) * g
                count += h.size
                steps.append(f"{layer.activation}'({fp.names[pos - 1]}) * grad")
                grads.append(g)
                pos -= 1
            m, n = layer.W.shape
            g = layer.W.T @ g
            count += m * n
            steps.append(f"W^T grad ({m} x {n})")
            grads.append(g)
            pos -= 1
        grads.reverse()
        return BackwardSweep(grads, count, steps)

    def local_jacobians(self, fp: ForwardPass) -> list[np.ndarray]:
        """The stage Jacobians at the forward pass: W1, Diag(s'(a1)), W2, ..., c^T."""
        out, pos = [], 0
        for layer in self.layers:
            out.append(layer.W.copy())
            pos += 1
            if layer.activation is not None:
                pos += 1
                out.append(np.diag(_act_derivative_from_output(layer.activation, fp.values[pos])))
        return out

    def full_jacobian_cost(self) -> int:
        """Multiply-adds of forming D l / D x by multiplying the stage Jacobians as matrices,
        input side first (D_1 first, then D_2 D_1, ...), every matrix dense."""
        dims = self.chain().dims
        total = 0
        for k in range(1, len(dims) - 1):  # (dims[k+1] x dims[k]) @ (dims[k] x dims[0])
            total += dims[k + 1] * dims[k] * dims[0]
        return total


def _coord(space: str, i: int, size: int) -> str:
    """x1, x2 for a vector space; the bare name for a 1-vector."""
    return space if size == 1 else f"{space}{i + 1}"


def diag_times(D: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Diag(d) W: the matrix "Jacobians first" builds (tiny-network's D W)."""
    return np.asarray(D) @ np.asarray(W)
