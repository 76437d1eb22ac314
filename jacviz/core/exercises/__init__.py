"""Practice exercises: pause-and-answer questions whose answers come from the core.

``generate(kind, seed)`` returns an :class:`Exercise` with the question (plain
text and LaTeX), its parameters (the maps exactly as typed text that
:func:`jacviz.core.parse.parse_map` accepts, the points as lists of numbers),
the answer, its LaTeX, a tolerance, and the worked steps.  Every number in the
answer and the steps is computed by the core -- :class:`~jacviz.core.maps.Map`,
:class:`~jacviz.core.maps.Chain`, :class:`~jacviz.core.graph.Graph`,
:func:`~jacviz.core.curves.chain_along_curve` -- never typed by hand: the numeric
path of the core (``Chain.trace``, ``Graph.path_sum``, ``chain_along_curve``)
gives the answer, and the core's symbolic stage Jacobians, evaluated exactly at
the exact point, give the same numbers as fractions (or surds such as
sqrt(2)/2 in the steps), which is what is printed.  The two must agree to 1e-9
or generation fails loudly.

Kinds (``KINDS``, in this order), one module each: ``jacobian-entry``
(:mod:`.jacobian_entry`), ``shape``, ``curve-dzdt``, ``composition``,
``path-sum``, ``pushforward``, ``pullback``, ``network``.  Beside them:

- :mod:`.registry` -- ``KINDS``, ``LESSON_SEEDS``, ``generate``, ``practice_set``;
- :mod:`.base` -- :class:`Exercise`, :class:`Generator` (lesson seeds, then
  deterministic draws until a variant is a good hand exercise), the tolerances;
- :mod:`.exact` -- exact numbers: the niceness rule, exact evaluation checked
  against the core's floats, and how they are written (sharing
  :mod:`jacviz.core.fmt`);
- :mod:`.board` -- :class:`Step` and the worked-answer board the practice clip
  draws;
- :mod:`.typed` -- maps as typed text, drawn and shown; :mod:`.chains` -- what
  the chain kinds share;
- :mod:`.answers` -- ``check_answer`` and ``parse_shape``: reading what a
  student typed.

Imports inside point one way (``tests/test_layers.py`` checks there is no
circle): exact <- board <- base <- answers; exact <- typed <- chains; the kinds
take those (pullback also takes shape's lesson maps); registry takes the kinds;
this package takes registry, answers and the names it re-exports.

Adding a kind: one module here defining ``GENERATOR = Generator(kind, title,
tolerance, LESSON, draw, build)`` -- ``draw(rng)`` gives parameters, ``build(
params, book)`` the exercise's fields, showing every number of its steps to the
book -- and one line in ``KINDS`` in :mod:`.registry` (with its name on the
import line there).

Seeds.  The first seeds of each kind are the lessons' own exercises
(``LESSON_SEEDS``); seed 0 of every kind is one.  Where a lesson gives no
numbers, the numbers were chosen here and a comment says so.  Every other seed
draws a variant from ``random.Random("jacviz.exercises:<kind>:<seed>")``.

``practice_set(kinds, count, seed)`` spreads ``count`` exercises over the
kinds round-robin in a fixed order; kind ``k`` uses seeds ``seed * c_k``,
``seed * c_k + 1``, ... (``c_k`` exercises of that kind, duplicates skipped),
so seed 0 gives the lessons' own exercises first and different seeds give
disjoint seed blocks.  ``check_answer(exercise, text)`` reads what a student
typed with :func:`jacviz.core.parse.parse_vector` (never ``eval``).

Parameters (``Exercise.parameters``, JSON-ready): ``maps`` -- name to the map
exactly as typed, inner map first (``F``; ``g``, ``f``; ``f``, ``r`` for a curve;
``layer``, ``activation``, ``loss`` for the network); ``point`` -- the point as a
list of numbers (for curve-dzdt, ``[t]``, with ``t`` also as typed text such as
``"pi/4"``); and per kind: ``entries`` (1-based [row, column] pairs),
``ask`` ("product" or "gradient"), ``output``/``input`` (1-based, path-sum),
``dx`` (pushforward), ``gradient`` (pullback of a given vector), ``W``, ``b``,
``c``, ``activation`` (network).

Answers: a number; a list for a vector, a row or a column (gradients are
columns, written as lists); a nested list, row by row, for a matrix; or a
shape string such as "1x2".

This package uses numpy, sympy and the standard library only.
"""

from __future__ import annotations

from .answers import check_answer, parse_shape
from .base import MAX_SEED, TOL_EXACT, TOL_SHAPE, TOL_SURD, Exercise, Generator
from .board import Step
from .exact import is_nice, nice_fraction
from .registry import KINDS, LESSON_SEEDS, MAX_COUNT, generate, practice_set

__all__ = [
    "Exercise",
    "Generator",
    "KINDS",
    "LESSON_SEEDS",
    "MAX_COUNT",
    "MAX_SEED",
    "Step",
    "TOL_EXACT",
    "TOL_SHAPE",
    "TOL_SURD",
    "check_answer",
    "generate",
    "is_nice",
    "nice_fraction",
    "parse_shape",
    "practice_set",
]
