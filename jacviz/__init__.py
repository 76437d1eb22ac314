"""jacviz: the mathematics of Jacobians and the chain rule, for lecture material.

The package is in layers that point one way (tests/test_layers.py proves it):
``jacviz.core`` (numpy and sympy only: parse, maps, graph, curves, costs, network,
exercises, jsgen, fmt, errors, limits, signals, spoken) <- ``jacviz.engine`` (scene parameters, the
TeX cache, the fast copy) <- ``jacviz.kit`` (the named components) <- ``jacviz.scenes``
(the top-level ``scenes/`` folder of a checkout) <- ``jacviz.studio`` (drivers and
exporters) <- ``jacviz.cli``.  Everything above the core needs the render extra.

The public names below are imported on first use, so that ``jacviz`` itself
(and the command line's start-up, which must answer Ctrl-C at once) stays
light.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "costs": ["jacobian_costs", "jvp_cost", "optimal_order", "path_enumeration", "product_cost",
              "reverse_accumulate", "forward_accumulate", "vjp_cost"],
    "curves": ["AlongCurve", "Curve", "chain_along_curve", "join_segments", "level_set_segments"],
    "errors": ["JacvizError", "NumericError", "ParseError", "ShapeError"],
    "graph": ["Edge", "Graph", "Node", "PathSum", "PathTerm"],
    "maps": ["Chain", "Linearization", "Map", "Trace", "finite_difference_jacobian", "jacobian",
             "jvp", "linearize", "self_check", "vjp"],
    "network": ["Network"],
    "parse": ["parse_expr", "parse_map", "parse_number", "parse_vector", "relu", "sigmoid"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'jacviz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".core.{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
