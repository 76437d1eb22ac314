"""Config files (``--config``): TOML read as UTF-8 with a nesting limit, every table
naming a scene of the registry (so this reader lives in the studio, beside the registry;
the engine's :func:`jacviz.engine.params.resolve` takes the values it returns)."""

from __future__ import annotations

import difflib

from ..core.errors import JacvizError, quote
from ..core.limits import CONFIG_DEPTH
from . import registry


def toml_depth(text: str) -> int:
    """The deepest nesting of arrays and inline tables in TOML text (brackets and braces
    outside strings and comments), without parsing it: tomllib recurses once per level."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c in "\"'":
            quote_mark = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            i += len(quote_mark)
            while i < n and not text.startswith(quote_mark, i):
                i += 2 if c == '"' and text[i] == "\\" else 1
            i += len(quote_mark) - 1
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
        i += 1
    return deepest


def load_toml(path: str) -> dict:
    """Read a TOML config: top-level keys, or a [scene] table per scene.

    The file must be UTF-8, nest arrays and inline tables at most ``CONFIG_DEPTH`` deep,
    and name a scene in every table (``[two_way]`` is two-way, as ``jacviz render
    two_way`` is); the tables come back under the scenes' registered names."""
    import tomllib

    where = f"config file {str(path)!r}"  # a path is quoted whole: it is needed to act
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise JacvizError(f"{where} not found") from None
    except OSError as exc:
        raise JacvizError(f"cannot read {where}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JacvizError(f"{where} is not UTF-8 text: byte {exc.start} is "
                          f"0x{data[exc.start]:02x}; save it as UTF-8") from None
    depth = toml_depth(text)
    if depth > CONFIG_DEPTH:
        raise JacvizError(f"{where} nests arrays or tables {depth} deep; the limit is "
                          f"{CONFIG_DEPTH}")
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise JacvizError(f"{where} is not valid TOML: {' '.join(str(exc).split())}") from None
    except RecursionError:  # pragma: no cover - toml_depth refused it first
        raise JacvizError(f"{where} nests arrays or tables too deeply; the limit is "
                          f"{CONFIG_DEPTH}") from None
    return _scene_tables(config, where)


def _table(key: str) -> str:
    """A table's name as the file writes it: [two-way], or quoted when long or odd."""
    return f"[{key}]" if len(key) <= 80 and key.isprintable() else f"[{quote(key)}]"


#: the ``[lecture]`` table: what the lecture's title card says (``jacviz lecture``);
#: other commands read past it
LECTURE_KEYS = {"title": "the lecture's title (default: the lesson's)",
                "course": "the course, under the title",
                "lecturer": "the lecturer's name, under the course"}


def _lecture_table(table: dict, where: str) -> dict:
    for key, value in table.items():
        if key not in LECTURE_KEYS:
            hint = difflib.get_close_matches(key, list(LECTURE_KEYS), n=1, cutoff=0.0)
            raise JacvizError(f"{where}: [lecture] has no key {quote(key)}; did you mean "
                              f"{hint[0]}? (it takes {', '.join(LECTURE_KEYS)})")
        if not isinstance(value, str) or not value.strip():
            raise JacvizError(f"{where}: [lecture] {key} must be a non-empty string, "
                              f'e.g. {key} = "..."')
        if len(value) > 120 or not value.isprintable():
            raise JacvizError(f"{where}: [lecture] {key} must be one printable line of at "
                              f"most 120 characters")
    return {k: " ".join(v.split()) for k, v in table.items()}


def _scene_tables(config: dict, where: str) -> dict:
    """The config with every table under the name of the scene it names (and the
    ``[lecture]`` table, checked); a table that names no scene is an error naming the
    nearest."""

    out, seen = {}, {}
    for key, value in config.items():
        if not isinstance(value, dict):
            out[key] = value
            continue
        if key == "lecture":
            out[key] = _lecture_table(value, where)
            continue
        try:
            name = registry.resolve_name(key)
        except JacvizError:
            hint = difflib.get_close_matches(key.replace("_", "-").lower(), registry.names(),
                                             n=1, cutoff=0.0)
            did = f"; did you mean [{hint[0]}]?" if hint else ""
            raise JacvizError(f"{where}: table {_table(key)} names no scene{did} "
                              f"(see: jacviz list)") from None
        if name in seen:
            raise JacvizError(f"{where}: tables {_table(seen[name])} and {_table(key)} both "
                              f"name scene {name}; keep one")
        seen[name] = key
        out[name] = value
    return out
