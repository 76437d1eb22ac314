"""The registry of exercise kinds, and the two ways to get exercises: ``generate``
one by kind and seed, or a whole ``practice_set``.

Adding a kind: write its module beside the others (its ``draw``, its ``build``,
its ``LESSON`` table, and ``GENERATOR = Generator(...)``), then add it to
``KINDS`` below: one line (and its name on the import line).  The order of
``KINDS`` is the order of a practice set's round-robin.
"""

from __future__ import annotations

from ..errors import JacvizError
from . import composition, curve_dzdt, jacobian_entry, network, path_sum, pullback, pushforward, shape
from .base import Exercise, Generator, check_seed

MAX_COUNT = 1000

#: every kind by name, in the order of the practice sets
KINDS: dict[str, Generator] = {module.GENERATOR.kind: module.GENERATOR for module in (
    jacobian_entry,
    shape,
    curve_dzdt,
    composition,
    path_sum,
    pushforward,
    pullback,
    network,
)}

#: the seeds of each kind that are the lessons' own exercises
LESSON_SEEDS: dict[str, tuple[int, ...]] = {k: tuple(sorted(g.lesson)) for k, g in KINDS.items()}


def _valid_kinds() -> str:
    return ", ".join(KINDS)


def _check_kind(kind) -> "Generator":
    if not isinstance(kind, str) or kind not in KINDS:
        raise JacvizError(f"unknown exercise kind {kind!r}; valid kinds: {_valid_kinds()}")
    return KINDS[kind]


def generate(kind: str, seed: int) -> Exercise:
    """The exercise of the given kind for the given seed (same seed, same exercise)."""
    return _check_kind(kind)(check_seed(seed, KINDS))


def practice_set(kinds: list[str] | None = None, count: int = 8, seed: int = 0) -> list[Exercise]:
    """``count`` exercises spread round-robin over ``kinds`` (all kinds by default).

    Reproducible: the same arguments give the same set.  Kind ``k`` with ``c``
    exercises in the set uses seeds ``seed * c``, ``seed * c + 1``, ... (an
    exercise whose question repeats one already in the set is skipped), so
    seed 0 starts with the lessons' own exercises and other seeds give fresh
    variants.
    """
    kinds = list(KINDS) if kinds is None else list(kinds)
    for k in kinds:
        _check_kind(k)
    if not kinds:
        raise JacvizError(f"practice_set needs at least one kind; valid kinds: {_valid_kinds()}")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise JacvizError(f"count must be a whole number from 0 to {MAX_COUNT}, got {count!r}")
    seed = check_seed(seed, KINDS)
    slots = [kinds[i % len(kinds)] for i in range(count)]
    need = {k: slots.count(k) for k in kinds}
    made: dict[str, list[Exercise]] = {}
    for k, c in need.items():
        out, seen, s = [], set(), seed * c
        while len(out) < c:
            ex = generate(k, s)
            if ex.question not in seen:
                seen.add(ex.question)
                out.append(ex)
            s += 1
        made[k] = out
    taken = {k: 0 for k in kinds}
    result = []
    for k in slots:
        result.append(made[k][taken[k]])
        taken[k] += 1
    return result
