"""jacviz: the mathematics of Jacobians and the chain rule, for lecture clips.

The core (this package, minus ``jacviz.cli`` and ``jacviz.render``) uses
numpy and sympy only; it never imports manim.

The public names below are imported on first use, so that ``jacviz`` itself
(and the command line's start-up, which must answer Ctrl-C at once) stays
light.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "curves": ["AlongCurve", "Curve", "chain_along_curve", "level_set_segments"],
    "errors": ["JacvizError", "NumericError", "ParseError", "ShapeError"],
    "graph": ["Edge", "Graph", "Node", "PathSum", "PathTerm"],
    "maps": ["Chain", "Map", "Trace", "finite_difference_jacobian", "jacobian", "jvp",
             "self_check", "vjp"],
    "parse": ["parse_expr", "parse_map", "parse_number", "parse_vector", "sigmoid"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'jacviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
