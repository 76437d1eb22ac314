"""Scene parameters, declared once as a dataclass.

A scene declares::

    @dataclass(frozen=True)
    class Params(SceneParams):
        f: str = param("(x, y) -> (x^2 - y, x*y)", "the map F", kind="map")
        point: tuple = param((1.0, 2.0), "the point x0", kind="vector")

        def build(self):
            F = self.map_of("f", self.f)
            self.need_length("point", self.point, F.n, "one number per input of f")
            return Numbers(F, ...)          # what the scene will draw

and that one declaration serves ``jacviz params``, ``--set key=value``, TOML
config files, ``jacviz interactive`` and the defaults of a plain ``manim``
render.  Values given as text are parsed with jacviz's whitelist parser,
never evaluated.

``build()`` validates the values together and returns what the scene draws
(its maps parsed once, its numbers computed by the core); ``validate()`` runs
it once per parameter set and keeps the result in ``built``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import MISSING, dataclass, field, fields, replace
from functools import cached_property
from typing import ClassVar

from ..core.errors import JacvizError, ParseError, quote
from ..core.fmt import plural
from ..core.limits import DRAW_LIMIT
from ..core.maps import Chain, Map, self_check
from ..core.parse import parse_number, parse_vector

KINDS = {
    "map": "a map, e.g. \"(x, y) -> (x^2 - y, x*y)\"",
    "maps": "maps separated by ';', e.g. \"(x1, x2) -> (x1*x2, x2); (u1, u2) -> u1 + u2\"",
    "vector": "numbers separated by commas, e.g. 1,2",
    "ints": "whole numbers separated by commas, e.g. 2,3,3,1",
    "float": "a number, e.g. 0.5 or pi/4",
    "int": "a whole number, e.g. 3",
    "bool": "true or false",
    "text": "text",
}


def param(default, help: str, kind: str | None = None, **extra):
    """A dataclass field with help text and a kind (see ``KINDS``)."""
    if kind is None:
        kind = {bool: "bool", int: "int", float: "float", tuple: "vector", str: "text"}[type(default)]
    if kind not in KINDS:
        raise TypeError(f"unknown parameter kind {kind!r}")
    if isinstance(default, list):
        default = tuple(default)
    return field(default=default, metadata={"help": help, "kind": kind, **extra})


def split_maps(text: str) -> tuple[str, ...]:
    """``"m1; m2; m3"`` -> the three map texts (empty pieces dropped)."""
    return tuple(p.strip() for p in str(text).split(";") if p.strip())


def _convert(name: str, kind: str, value):
    """Turn a TOML value or command-line text into the parameter's value.

    Maps stay text here; ``build()`` parses them, once.
    """
    expected = KINDS[kind]
    try:
        if kind == "map":
            if not isinstance(value, str) or not value.strip():
                raise ParseError("not a map")
            return value.strip()
        if kind == "maps":
            if isinstance(value, str):
                items = split_maps(value)
            elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                items = tuple(v.strip() for v in value if v.strip())
            else:
                raise ParseError("not maps")
            return items
        if kind in ("vector", "ints"):
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if kind == "vector":
                return parse_vector(value, what=f"parameter {name}")
            items = [v.strip() for v in str(value).strip().strip("()[]").split(",")]
            if not all(v.lstrip("+-").isdigit() and len(v) <= 6 for v in items):
                raise ParseError("not whole numbers")
            return tuple(int(v) for v in items)
        if kind == "float":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            return parse_number(str(value), what=f"parameter {name}")
        if kind == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            text = str(value).strip()
            if not text.lstrip("+-").isdigit() or len(text) > 12:
                raise ParseError("not a whole number")
            return int(text)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "yes", "1", "on"):
                return True
            if text in ("false", "no", "0", "off"):
                return False
            raise ParseError("not true or false")
        if kind == "text":
            return str(value)
    except ParseError as exc:
        detail = str(exc)
        if detail.startswith(f"parameter {name}"):
            raise ParseError(detail if "expected" in detail else f"{detail}; expected {expected}") from None
        raise ParseError(f"parameter {name}: {quote(value)} is not {expected}") from None
    raise TypeError(kind)  # pragma: no cover


@dataclass(frozen=True)
class SceneParams:
    """Base class of every scene's parameter dataclass."""

    @classmethod
    def spec(cls) -> list[dict]:
        out = []
        for f in fields(cls):
            default = f.default if f.default is not MISSING else None
            out.append({"name": f.name, "kind": f.metadata.get("kind", "text"),
                        "default": default, "help": f.metadata.get("help", "")})
        return out

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def closest(cls, name: str) -> str | None:
        m = difflib.get_close_matches(name, cls.names(), n=1, cutoff=0.0)
        return m[0] if m else None

    def with_values(self, values: dict, source: str = "--set"):
        """A copy with values (text or TOML values) converted; not yet validated."""
        kinds = {f.name: f.metadata.get("kind", "text") for f in fields(self)}
        changes = {}
        for key, value in values.items():
            if key not in kinds:
                hint = self.closest(key)
                did = f"; did you mean {hint!r}?" if hint else ""
                raise JacvizError(f"unknown parameter {quote(key)} in {source}{did} "
                                  f"(valid: {', '.join(kinds)})")
            changes[key] = _convert(key, kinds[key], value)
        new = replace(self, **changes)
        object.__setattr__(new, "_set", self._set | frozenset(changes))
        return new

    #: the names set through :meth:`with_values` (--set, a config file), default or not
    _set: ClassVar[frozenset] = frozenset()

    @classmethod
    def defaults(cls) -> "SceneParams":
        """The default parameter set of this scene (made once)."""
        if "_defaults" not in cls.__dict__:
            cls._defaults = cls()
        return cls._defaults

    def given(self, name: str) -> bool:
        """Did the user set this parameter?  Yes when it was set (by --set or a config
        file), even to its default value, or when its value is not the default."""
        return name in self._set or getattr(self, name) != getattr(self.defaults(), name)

    def build(self):
        """Check that the values fit together; return what the scene draws.

        Subclasses override: parse the maps (once), compute the numbers with
        the core, raise JacvizError naming the parameter on bad input.
        """
        return None

    @cached_property
    def built(self):
        """``build()``, run once per parameter set."""
        return self.build()

    def validate(self):
        """Validate (once) and return what ``build()`` built."""
        self.check_drawable()
        return self.built

    def check_drawable(self) -> None:
        """Every number of a point, arrow or list (``vector`` parameters) within
        ``DRAW_LIMIT``: the scenes draw axes, arrows and grids around these numbers."""
        for f in fields(self):
            if f.metadata.get("kind") != "vector":
                continue
            value = getattr(self, f.name)
            if isinstance(value, tuple) and any(abs(v) > DRAW_LIMIT for v in value):
                raise JacvizError(
                    f"parameter {f.name}: {quote(self.as_text(f.name))} is too large to draw "
                    f"(the scenes draw coordinates up to 1e6 in size); jacviz check handles "
                    f"any size")

    def changed(self) -> dict:
        """Parameters whose value differs from the default."""
        base = self.defaults()
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(base, f.name)}

    def digest(self) -> str:
        """A short hash of the non-default values ('' for the defaults)."""
        ch = self.changed()
        if not ch:
            return ""
        blob = json.dumps(ch, sort_keys=True, default=list)
        return hashlib.sha256(blob.encode()).hexdigest()[:8]

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def as_text(self, name: str) -> str:
        """A value as it is typed after ``--set name=``."""
        from ..core.fmt import fmt_num

        value = getattr(self, name)
        kind = next(f.metadata.get("kind") for f in fields(self) if f.name == name)
        if kind == "maps":
            return "; ".join(value)
        if isinstance(value, tuple):
            return ",".join(fmt_num(v, 6) if isinstance(v, float) else str(v) for v in value)
        if isinstance(value, float):
            return fmt_num(value, 6)
        return str(value)

    # helpers for build() ------------------------------------------------------
    @staticmethod
    def map_of(name: str, text: str, dims=None, outputs=None, max_dim: int | None = 3,
               map_name: str | None = None) -> Map:
        mp = Map(text, name=map_name or name, what=f"parameter {name}")
        if dims is not None and mp.n not in dims:
            raise JacvizError(f"parameter {name}: map takes {plural(mp.n, 'input')}; this scene "
                              f"needs {' or '.join(str(d) for d in dims)}")
        if outputs is not None and mp.m not in outputs:
            raise JacvizError(f"parameter {name}: map has {plural(mp.m, 'output')}; this scene "
                              f"needs {' or '.join(str(d) for d in outputs)}")
        if max_dim is not None and (mp.n > max_dim or mp.m > max_dim):
            raise JacvizError(
                f"parameter {name}: map is R^{mp.n} -> R^{mp.m}; this scene draws spaces of "
                f"dimension 1 to {max_dim}"
            )
        return mp

    @staticmethod
    def need_drawable(what: str, values, given: str = "") -> None:
        """Numbers the scene draws (a space's point, an arrow, a curve) within
        ``DRAW_LIMIT``; ``what`` names them ("y0 in y-space"), ``given`` the parameters
        that lead to them ("at point 1000,1")."""
        import numpy as np

        from ..core.fmt import plain_vec

        v = np.asarray(values, dtype=float)
        flat = v.ravel()
        bad = np.flatnonzero(~(np.abs(flat) <= DRAW_LIMIT))
        if bad.size:
            shown = plain_vec(v, 8) if v.ndim == 1 and v.size <= 6 else f"{flat[bad[0]]:.8g}"
            raise JacvizError(
                f"{given + ', ' if given else ''}{what} is {shown}: too large to draw (the "
                f"scenes draw coordinates up to 1e6 in size); jacviz check handles any size")

    @staticmethod
    def need_length(name: str, value, n: int, why: str) -> None:
        if len(value) != n:
            raise JacvizError(f"parameter {name} has {plural(len(value), 'number')}; expected {n} "
                              f"({why}), e.g. {','.join(['1'] * n)}")

    def chain_of(self, maps: str = "maps", legacy: tuple[str, ...] = ("g", "f"),
                 lengths: tuple[int, int] = (2, 6), max_dim: int = 3, at: str | None = "point",
                 output_names=None) -> Chain:
        """The chain of a scene that takes ``maps`` (a list) or the two maps g and f.

        Giving both forms is an error that names them; stages whose shapes do not
        fit get an error naming both stages and their shapes; the chain is checked
        at the point ``at`` (its Jacobians against finite differences).
        """
        items = tuple(getattr(self, maps))
        given_legacy = [k for k in legacy if self.given(k)]
        if items and given_legacy:
            raise JacvizError(
                f"give the chain either as {maps} or as {' and '.join(legacy)}, not both "
                f"(both {maps} and {', '.join(given_legacy)} were set)")
        if items:
            lo, hi = lengths
            if not lo <= len(items) <= hi:
                raise JacvizError(f"parameter {maps} has {plural(len(items), 'map')}; this scene "
                                  f"draws chains of {lo} to {hi} maps")
            names = [f"f{k + 1}" for k in range(len(items))]
            mps = [self.map_of(maps, t, max_dim=max_dim, map_name=nm)
                   for t, nm in zip(items, names)]
            where = [f"map {k + 1} of {maps}" for k in range(len(items))]
        else:
            mps = [self.map_of(k, getattr(self, k), max_dim=max_dim) for k in legacy]
            where = [f"parameter {k}" for k in legacy]
        for k, (a, b) in enumerate(zip(mps, mps[1:])):
            if a.m != b.n:
                raise JacvizError(
                    f"{where[k]} and {where[k + 1]} do not compose: {a.name} gives "
                    f"{plural(a.m, 'output')} (R^{a.n} -> R^{a.m}) but {b.name} takes "
                    f"{plural(b.n, 'input')} (R^{b.n} -> R^{b.m})")
        chain = Chain(mps, output_names=output_names)
        if at is not None:
            self.need_length(at, getattr(self, at), chain.n, f"one number per input of {mps[0].name}")
            self_check(chain, getattr(self, at))
        return chain


def resolve(params_cls, scene: str, sets: dict | None = None, config: dict | None = None):
    """Defaults, then the config file's values, then --set; validated once."""
    params = params_cls()
    if config:
        values = {k: v for k, v in config.items() if not isinstance(v, dict)}
        if isinstance(config.get(scene), dict):
            values.update(config[scene])
        if values:
            params = params.with_values(values, source="the config file")
    if sets:
        params = params.with_values(sets, source="--set")
    params.validate()
    return params
