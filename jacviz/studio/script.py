"""The narration script: every beat's spoken text, keyed ``scene.beat``.

- :func:`default_script` runs a scene's ``construct`` without drawing a frame (the
  dry run of :func:`jacviz.studio.render.prepare_tex`: no animation played, TeX
  answered by stand-ins; if that run stops early, once more with every animation
  skipped, as key frames are made, but with no frame captured) and returns its
  beats' default texts, each built by the scene from the core's numbers;
- :func:`write_script` writes a script as TOML, one entry per beat;
- :func:`read_script` reads a lecturer's edited script back.

The file format (TOML, UTF-8): one string per beat, the key the beat id in quotes::

    # two-way
    "two-way.spaces" = "Three spaces: ..."
    "two-way.push-forward" = "..."

A table per scene is read too (``[two-way]`` then ``push-forward = "..."``), and so
are dotted keys (``two-way.duality = "..."``).  A beat the file lacks keeps its
default; a key that names no beat is an error naming the nearest beat id.  The
text is only ever read as text, never evaluated.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from pathlib import Path

from ..core.errors import JacvizError, quote

HEADER = ("# jacviz narration script: one entry per beat, keyed \"scene.beat\".\n"
          "# Edit the texts in your own words and give the file back with --script;\n"
          "# a beat left out keeps its default text.\n")


def beat_id(scene: str, beat: str) -> str:
    return f"{scene}.{beat}"


def default_script(scene_name: str, params=None) -> list[tuple[str, str]]:
    """``[(scene.beat, default text), ...]`` for one scene and its parameters, in order
    (inside :func:`jacviz.kit.scene.narrated`, the script's texts where it gives them)."""
    from . import registry

    name = registry.resolve_name(scene_name)
    return [(beat_id(name, beat), text) for beat, text in narrate(name, params).narration]


def narrate(scene_name: str, params=None):
    """The scene, its ``construct`` run to the end without a frame drawn: its ``beats``
    (name, caption) and ``narration`` (name, spoken text), in order."""
    from manim import tempconfig

    from . import registry
    from .dry_run import prepare_tex

    name = registry.resolve_name(scene_name)
    cls = registry.scene_class(name)
    params = params if params is not None else cls.Params()
    made: list = []

    class Narrating(cls):  # the scene itself, noting its instance and whether it ended
        finished = False

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

        def tear_down(self):
            super().tear_down()
            self.finished = True

    Narrating.__name__ = cls.__name__
    prepare_tex(Narrating, params)  # the dry run: nothing played, nothing drawn
    if not (made and made[-1].finished):  # the dry run stopped early: skip every animation
        import tempfile

        from ..engine.tex_cache import share_tex_cache

        made.clear()
        with tempfile.TemporaryDirectory() as tmp:
            opts = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5,
                    "write_to_movie": False, "save_last_frame": False,
                    "disable_caching": True, "media_dir": tmp, "tex_dir": str(share_tex_cache()),
                    "progress_bar": "none", "verbosity": "WARNING"}
            with tempconfig(opts):
                Narrating(params=params, skip_animations=True).render()
    return made[-1]


def scene_overrides(beats, scene: str) -> dict[str, str]:
    """One scene's texts from a whole script, keyed by beat name (the ``scene.`` prefix
    stripped), as :func:`jacviz.kit.scene.narrated` takes them."""
    prefix = f"{scene}."
    return {key[len(prefix):]: text for key, text in beats if key.startswith(prefix)}


def _flatten(data: dict, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):  # a table per scene, or a dotted key
            for beat, text in value.items():
                full = f"{key}.{beat}"
                if not isinstance(text, str):
                    raise JacvizError(f"{where}: {quote(full)} must be a string of text, "
                                      f"not {type(text).__name__}")
                out[full] = text
        elif isinstance(value, str):
            out[key] = value
        else:
            raise JacvizError(f"{where}: {quote(key)} must be a string of text, "
                              f"not {type(value).__name__}")
    return out


def read_script(path, beats) -> list[tuple[str, str]]:
    """The script at ``path`` applied to ``beats`` (``[(scene.beat, default text), ...]``):
    the same beats in the same order, each with the file's text where it gives one."""
    path = Path(path)
    where = f"script {str(path)!r}"  # a path is quoted whole: it is needed to act
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise JacvizError(f"{where} not found") from None
    except OSError as exc:
        raise JacvizError(f"cannot read {where}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JacvizError(f"{where} is not UTF-8 (byte {exc.start}: {raw[exc.start]:#04x}); "
                          f"save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise JacvizError(f"{where} is not TOML: {reason} (write one line per beat: "
                          f"\"scene.beat\" = \"text\")") from None
    given = _flatten(data, where)
    known = [key for key, _ in beats]
    for key in given:
        if key not in known:
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.0)
            did = f"; did you mean {hint[0]!r}?" if hint else ""
            raise JacvizError(f"{where}: unknown beat {quote(key)}{did}")
    return [(key, " ".join(given[key].split()) if key in given else default)
            for key, default in beats]


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; DEL must be escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def format_script(beats) -> str:
    """The TOML text of a script: a comment line per scene, then one line per beat."""
    lines, scene = [HEADER.rstrip("\n")], None
    for key, text in beats:
        here = key.split(".", 1)[0]
        if here != scene:
            scene = here
            lines += ["", f"# {scene}"]
        lines.append(f"{_toml_string(key)} = {_toml_string(text)}")
    return "\n".join(lines) + "\n"


def write_script(path, beats) -> Path:
    """Write ``beats`` as a TOML script at ``path`` (in one step); returns the path."""
    from .output import commit_files

    path = Path(path)
    commit_files({path: format_script(beats).encode("utf-8")}, "script")
    return path
