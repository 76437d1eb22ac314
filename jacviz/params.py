"""Scene parameters, declared once as a dataclass.

A scene declares::

    @dataclass(frozen=True)
    class Params(SceneParams):
        g: str = param("(x1, x2) -> (x1 + 2*x2, x1 - x2)", "inner map", kind="map")
        point: tuple = param((1.0, 1.0), "the point x0", kind="vector")

and that one declaration serves ``jacviz params``, ``--set key=value``, TOML
config files and the defaults of a plain ``manim`` render.  Values given as
text are parsed with jacviz's whitelist parser, never evaluated.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import MISSING, dataclass, field, fields, replace

from .errors import JacvizError, ParseError
from .maps import Map
from .parse import parse_map, parse_number, parse_vector

KINDS = {
    "map": "a map, e.g. \"(x, y) -> (x^2 - y, x*y)\"",
    "vector": "numbers separated by commas, e.g. 1,2",
    "float": "a number, e.g. 0.5 or pi/4",
    "int": "a whole number, e.g. 3",
    "bool": "true or false",
    "text": "text",
}


def param(default, help: str, kind: str | None = None, **extra):
    """A dataclass field with help text and a kind (map, vector, float, int, bool, text)."""
    if kind is None:
        kind = {bool: "bool", int: "int", float: "float", tuple: "vector", str: "text"}[type(default)]
    if kind not in KINDS:
        raise TypeError(f"unknown parameter kind {kind!r}")
    if isinstance(default, list):
        default = tuple(default)
    return field(default=default, metadata={"help": help, "kind": kind, **extra})


def _convert(name: str, kind: str, value):
    """Turn a TOML value or command-line text into the parameter's value."""
    expected = KINDS[kind]
    try:
        if kind == "map":
            if not isinstance(value, str):
                raise ParseError("not text")
            parse_map(value, what=f"parameter {name}")
            return value.strip()
        if kind == "vector":
            if isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            return parse_vector(value, what=f"parameter {name}")
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
        raise ParseError(f"parameter {name}: {value!r} is not {expected}") from None
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
        """A copy with values (text or TOML values) converted and validated."""
        kinds = {f.name: f.metadata.get("kind", "text") for f in fields(self)}
        changes = {}
        for key, value in values.items():
            if key not in kinds:
                hint = self.closest(key)
                did = f"; did you mean {hint!r}?" if hint else ""
                raise JacvizError(f"unknown parameter {key!r} in {source}{did} "
                                  f"(valid: {', '.join(kinds)})")
            changes[key] = _convert(key, kinds[key], value)
        new = replace(self, **changes)
        new.validate()
        return new

    def validate(self) -> None:
        """Check that the values fit together (subclasses override)."""

    def changed(self) -> dict:
        """Parameters whose value differs from the default."""
        base = type(self)()
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

    # helpers for validate() -------------------------------------------------
    @staticmethod
    def map_of(name: str, text: str, dims=None, outputs=None, max_dim: int | None = 3) -> Map:
        mp = Map(text, name=name)
        if dims is not None and mp.n not in dims:
            raise JacvizError(f"parameter {name}: map takes {mp.n} inputs; this scene needs "
                              f"{' or '.join(str(d) for d in dims)}")
        if outputs is not None and mp.m not in outputs:
            raise JacvizError(f"parameter {name}: map has {mp.m} outputs; this scene needs "
                              f"{' or '.join(str(d) for d in outputs)}")
        if max_dim is not None and (mp.n > max_dim or mp.m > max_dim):
            raise JacvizError(
                f"parameter {name}: map is R^{mp.n} -> R^{mp.m}; this scene draws spaces of "
                f"dimension 1 to {max_dim}"
            )
        return mp

    @staticmethod
    def need_length(name: str, value, n: int, why: str) -> None:
        if len(value) != n:
            noun = "number" if len(value) == 1 else "numbers"
            raise JacvizError(f"parameter {name} has {len(value)} {noun}; expected {n} ({why}), "
                              f"e.g. {','.join(['1'] * n)}")


def load_toml(path: str) -> dict:
    """Read a TOML config: top-level keys, or a [scene] table per scene."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise JacvizError(f"config file {path!r} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise JacvizError(f"config file {path!r} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise JacvizError(f"cannot read config file {path!r}: {exc.strerror}") from None
