"""What every kind of exercise shares: the Exercise, its Generator, and the book
that keeps a drawn variant a good hand exercise.

A :class:`Generator` gives the exercise of its kind for a seed: the first
seeds are the lessons' own exercises (its ``lesson`` table); every other seed
draws a variant from ``random.Random("jacviz.exercises:<kind>:<seed>")``
(never the global random state) and redraws, deterministically, until the
variant is a good hand exercise: every entry of its answer is nice (see
:mod:`.exact`) and the answer is not all zero (curve-dzdt keeps a zero answer
now and then: a curve on a level set is the lesson's point), and every
intermediate number its steps show (points, Jacobian entries, pushed and pulled
vectors) is nice too -- the kind's ``build`` shows them to the :class:`Book`,
which rejects the draw otherwise.

Tolerances (absolute, per entry): ``TOL_EXACT`` for the exact kinds (every
answer is an exact short decimal), ``TOL_SURD`` for curve-dzdt (a student
working with rounded values of sqrt(2)/2 still lands within it), and
``TOL_SHAPE`` for shape (compared as "rows x columns").  Distinct nice numbers
differ by at least 1/20, so these never accept another nice number.
"""

from __future__ import annotations

import copy
import operator
import random
from dataclasses import dataclass, field
from typing import Callable

import sympy

from ..errors import JacvizError
from .board import Step
from .exact import flat, hand_ok, is_nice, json_num, mat_tex, mat_text, nice_fraction, tex_of, text_of

TOL_EXACT = 1e-6
TOL_SURD = 0.01
TOL_SHAPE = 0.0

MAX_DRAWS = 3000
MAX_SEED = 2 ** 63 - 1


@dataclass
class Exercise:
    kind: str
    seed: int
    title: str
    question: str
    question_tex: str
    parameters: dict
    answer: object  # int/float, list, nested list (matrix), or a shape string "2x3"
    answer_text: str
    answer_tex: str
    tolerance: float
    steps: list[Step] = field(default_factory=list)
    source: str | None = None  # where in the lessons the exercise comes from
    #: what the practice clip draws beside the steps' rows (path-sum: ``graph``, a
    #: :class:`~jacviz.core.graph.Graph`, and ``terms``, its path terms); not in the JSON
    figure: dict = field(default_factory=dict, compare=False)

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.seed}"

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "seed": self.seed,
            "title": self.title,
            "source": self.source,
            "question": self.question,
            "question_tex": self.question_tex,
            "parameters": copy.deepcopy(self.parameters),
            "answer": copy.deepcopy(self.answer),
            "answer_text": self.answer_text,
            "answer_tex": self.answer_tex,
            "tolerance": self.tolerance,
            "steps": [s.text for s in self.steps],
            "steps_tex": [s.tex for s in self.steps],
        }


class Reject(Exception):
    """The drawn variant is not a good hand exercise: draw again."""


@dataclass(frozen=True)
class Generator:
    """One kind of exercise: lesson variants for the first seeds, drawn ones after."""

    kind: str
    title: str
    tolerance: float
    lesson: dict  # seed -> (source, parameters)
    draw: Callable[[random.Random], dict]
    build: Callable[[dict, "Book"], dict]
    surds: bool = False  # steps may show nice multiples of sqrt(2), sqrt(3)
    zero_keep: float = 0.0  # chance of keeping a drawn all-zero answer

    def __call__(self, seed: int) -> Exercise:
        seed = check_seed(seed)
        if seed in self.lesson:
            source, params = self.lesson[seed]
            fields = self.build(params(), Book(strict=False, surds=self.surds))
            require_nice(fields, f"{self.kind} seed {seed}")
            return self._exercise(seed, fields, source)
        rng = random.Random(f"jacviz.exercises:{self.kind}:{seed}")
        for _ in range(MAX_DRAWS):
            params = self.draw(rng)
            try:
                fields = self.build(params, Book(strict=True, surds=self.surds))
            except Reject:
                continue
            if all_zero(fields["answer"]) and rng.random() >= self.zero_keep:
                continue
            return self._exercise(seed, fields, None)
        raise JacvizError(f"no nice {self.kind} exercise found for seed {seed} in {MAX_DRAWS} draws")

    def _exercise(self, seed, fields, source) -> Exercise:
        return Exercise(kind=self.kind, seed=seed, title=self.title, tolerance=self.tolerance,
                        source=source, **fields)


def check_seed(seed, kinds=()) -> int:
    """``seed`` as an int from 0 to MAX_SEED, or a JacvizError (naming the ``kinds``)."""
    hint = f" (kinds: {', '.join(kinds)})" if kinds else ""
    if isinstance(seed, bool):
        raise JacvizError(f"seed must be a whole number >= 0, got {seed!r}{hint}")
    try:
        s = operator.index(seed)
    except TypeError:
        raise JacvizError(f"seed must be a whole number >= 0, got {seed!r}{hint}") from None
    if not 0 <= s <= MAX_SEED:
        raise JacvizError(f"seed must be between 0 and 2^63 - 1, got {s}{hint}")
    return s


class Book:
    """Keeps a drawn variant honest: every number shown must be a hand number."""

    def __init__(self, strict: bool, surds: bool = False):
        self.strict = strict
        self.surds = surds

    def shown(self, *items) -> None:
        if not self.strict:
            return
        for v in flat(list(items)):
            if not hand_ok(v, self.surds):
                raise Reject

    def reject_if(self, cond: bool) -> None:
        if cond and self.strict:
            raise Reject


def answer_fields(M: sympy.Matrix, book: Book) -> tuple:
    """(answer, answer_text, answer_tex) from an exact matrix.

    1 x 1 -> number; a row or a column -> list; otherwise a nested list (rows).
    """
    fr = [nice_fraction(v) for v in M]
    if any(q is None for q in fr):
        if book.strict:
            raise Reject
        raise JacvizError(f"answer {mat_text(M)} is not nice")
    nums = [json_num(v) for v in M]
    if M.rows == 1 and M.cols == 1:
        return nums[0], text_of(M[0, 0]), tex_of(M[0, 0])
    if M.rows == 1 or M.cols == 1:
        return nums, ", ".join(text_of(v) for v in M), mat_tex(M)
    nested = [nums[i * M.cols:(i + 1) * M.cols] for i in range(M.rows)]
    return nested, mat_text(M), mat_tex(M)


def all_zero(answer) -> bool:
    if isinstance(answer, str):
        return False
    if isinstance(answer, list):
        return all(all_zero(a) for a in answer)
    return answer == 0


def require_nice(fields: dict, what: str) -> None:
    ans = fields["answer"]
    if not isinstance(ans, str) and not is_nice(ans):
        raise JacvizError(f"{what}: answer {ans!r} is not nice")


def json_params(maps: dict, point=None, **extra) -> dict:
    """``Exercise.parameters``: the maps as typed, the point as numbers, then ``extra``."""
    out = {"maps": dict(maps)}
    if point is not None:
        out["point"] = [json_num(v) for v in point]
    for k, v in extra.items():
        out[k] = v
    return out
