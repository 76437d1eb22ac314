"""The command that shows a failing example, for the reports of the suite and of `make sweep`."""

import shlex

import numpy as np


def render_command(scene, values) -> str:
    """``jacviz render SCENE --set KEY=VALUE ...``: the scene with a sweep's draw."""
    parts = ["jacviz", "render", scene]
    for k, v in values.items():
        parts += ["--set", f"{k}={v}"]
    return " ".join(shlex.quote(p) for p in parts)


def _numbers(v) -> str:
    return ",".join(repr(float(x)) for x in np.atleast_1d(np.asarray(v, dtype=float)))


def check_command(texts, x0, dx=None, grad=None) -> str:
    """``jacviz check --map M ... --at X``: a chain (its maps' texts, or a Chain) at a point."""
    texts = [getattr(m, "text", m) for m in getattr(texts, "maps", texts)]
    parts = ["jacviz", "check"]
    for t in texts:
        parts += ["--map", t]
    parts += ["--at", _numbers(x0)]
    if dx is not None:
        parts += ["--dx", _numbers(dx)]
    if grad is not None:
        parts += ["--grad", _numbers(grad)]
    return " ".join(shlex.quote(p) for p in parts)


def note_check(texts, x0, dx=None, grad=None) -> None:
    """Report the `jacviz check` command of this example if it fails (hypothesis' note)."""
    from hypothesis import note

    note("shows it: " + check_command(texts, x0, dx, grad))
