"""Reading what a student typed: ``check_answer`` and ``parse_shape``.

Typed text is read with :func:`jacviz.core.parse.parse_vector` (never ``eval``);
the practice deck's JavaScript follows the same rules.
"""

from __future__ import annotations

import re

from ..errors import JacvizError
from ..parse import encloses, parse_vector, split_top_level
from .base import Exercise

_SHAPE_RE = re.compile(r"^\s*[\(\[]?\s*(\d+)\s*(?:x|X|\u00d7|by|,)\s*(\d+)\s*[\)\]]?\s*$")


def parse_shape(text: str) -> tuple[int, int] | None:
    """``2x3``, ``2 x 3``, ``2 by 3``, ``(2, 3)`` -> (2, 3); None if not a shape."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    m = _SHAPE_RE.match(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _strip_outer(src: str) -> str:
    src = src.strip()
    return src[1:-1] if encloses(src) else src


def _typed_matrix(text: str, rows: int, cols: int) -> list[list[float]]:
    src = _strip_outer(text)
    if ";" in src:
        parts = split_top_level(src, ";")
    else:
        parts = split_top_level(src, ",")
        if not all(p.strip()[:1] in ("(", "[") for p in parts):
            flat = parse_vector(text, "answer", length=rows * cols)
            return [list(flat[r * cols:(r + 1) * cols]) for r in range(rows)]
    if len(parts) != rows:
        raise JacvizError(f"expected {rows} rows")
    return [list(parse_vector(p, "answer row", length=cols)) for p in parts]


def check_answer(exercise: Exercise, typed: str) -> bool:
    """True when ``typed`` is the exercise's answer, within its tolerance.

    Numbers may be typed as ``3``, ``0.25``, ``1/4``; lists as ``2, 1``,
    ``(2, 1)`` or ``[2, 1]``; matrices as ``[[1, 2], [3, 4]]``, ``1, 2; 3, 4``
    or row by row flat ``1, 2, 3, 4``; shapes as ``2x3``, ``2 x 3``, ``2 by 3``
    or ``(2, 3)``.  Text that cannot be read is a wrong answer, not an error.
    """
    answer = exercise.answer
    if not isinstance(typed, str):
        return False
    if isinstance(answer, str):
        want = parse_shape(answer)
        return want is not None and parse_shape(typed) == want
    tol = float(exercise.tolerance) + 1e-12
    try:
        if isinstance(answer, list) and answer and isinstance(answer[0], list):
            got = _typed_matrix(typed, len(answer), len(answer[0]))
            want = answer
            return all(abs(g - w) <= tol for gr, wr in zip(got, want) for g, w in zip(gr, wr))
        want = answer if isinstance(answer, list) else [answer]
        got = parse_vector(typed, "answer", length=len(want))
    except JacvizError:
        return False
    return all(abs(g - w) <= tol for g, w in zip(got, want))
