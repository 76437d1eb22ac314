"""jacviz: the mathematics of Jacobians and the chain rule, for lecture clips.

The core (this package, minus ``jacviz.cli`` and ``jacviz.render``) uses
numpy and sympy only; it never imports manim.
"""

from .curves import AlongCurve, Curve, chain_along_curve, level_set_segments
from .errors import JacvizError, NumericError, ParseError, ShapeError
from .graph import Edge, Graph, Node, PathSum, PathTerm
from .maps import (
    Chain,
    Map,
    Trace,
    finite_difference_jacobian,
    jacobian,
    jvp,
    self_check,
    vjp,
)
from .parse import parse_expr, parse_map, parse_number, parse_vector, sigmoid

__version__ = "0.1.0"

__all__ = [
    "AlongCurve", "Chain", "Curve", "Edge", "Graph", "JacvizError", "Map", "Node",
    "NumericError", "ParseError", "PathSum", "PathTerm", "ShapeError", "Trace",
    "chain_along_curve", "finite_difference_jacobian", "jacobian", "jvp",
    "level_set_segments", "parse_expr", "parse_map", "parse_number", "parse_vector",
    "self_check", "sigmoid", "vjp",
]
