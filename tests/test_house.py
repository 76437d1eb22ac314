"""The top-level scenes/ folder works everywhere a scene file is looked for: plain manim
from the checkout, the editable install, the Makefile's dependencies and the source
digest that decides what is stale.  (The wheel is tested in test_install.py.)"""

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import av

from jacviz.studio import sources

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd, cwd, timeout=900, **kw):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, **kw)


def test_manim_ql_scenes_two_way_from_the_checkout(tmp_path):
    """`manim -ql scenes/two_way.py TwoWay`, typed in the checkout as in any Manim project."""
    out = run([BIN / "manim", "-ql", "--media_dir", tmp_path, "scenes/two_way.py", "TwoWay"],
              ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    (clip,) = tmp_path.rglob("TwoWay.mp4")
    assert "480p15" in clip.parts
    with av.open(str(clip)) as c:
        v = c.streams.video[0]
        assert (v.width, v.height) == (854, 480)
        seconds = float(c.duration) / av.time_base
    assert seconds > 20  # every beat played, not a last frame


def test_the_scenes_are_jacviz_scenes_in_the_editable_install():
    """make setup installs the checkout editable: jacviz.scenes is the top-level folder."""
    import jacviz.scenes
    import jacviz.scenes.two_way

    assert Path(jacviz.scenes.__file__).resolve() == ROOT / "scenes" / "__init__.py"
    assert Path(jacviz.scenes.two_way.__file__).resolve() == ROOT / "scenes" / "two_way.py"
    site = Path(sysconfig.get_paths()["purelib"])
    (info,) = site.glob("jacviz-*.dist-info")
    assert json.loads((info / "direct_url.json").read_text())["dir_info"]["editable"] is True
    assert not (site / "scenes").exists()


def test_a_fresh_editable_install_follows_its_own_checkout(tmp_path):
    """`pip install -e` of another copy: its scenes/ is imported, and edits show at once."""
    src = tmp_path / "src"
    for name in run(["git", "ls-files"], ROOT).stdout.split():
        if name.startswith(("jacviz/", "scenes/", "pyproject.toml", "README.md")):
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path).returncode == 0
    (new_site,) = (venv / "lib").glob("python3*/site-packages")
    # the dependencies (and pip) are this environment's: a path, not a second copy
    (new_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    out = run([python, "-m", "pip", "install", "-q", "--no-deps", "-e", src], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    (src / "scenes" / "two_way.py").write_text(
        (src / "scenes" / "two_way.py").read_text() + "\nEDITED_HERE = True\n")
    code = ("import jacviz.scenes.two_way as m, jacviz.core.maps as c\n"
            "print(m.__file__); print(c.__file__); print(m.EDITED_HERE)\n")
    out = run([python, "-c", code], tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == [str(src / "scenes" / "two_way.py"),
                                  str(src / "jacviz" / "core" / "maps.py"), "True"]


def _considered(target: str) -> set[str]:
    out = run(["make", "-n", "--debug=v", target], ROOT)
    assert out.returncode == 0, out.stderr
    return {line.split("'")[1] for line in out.stdout.splitlines()
            if line.strip().startswith("Considering target file")}


def test_a_clip_depends_on_its_scene_file_and_the_shared_code():
    files = _considered("renders/two-way.mp4")
    assert {"scenes/two_way.py", "scenes/__init__.py", "jacviz/core/maps.py",
            "jacviz/kit/panel.py", "jacviz/engine/params.py"} <= files
    assert not {f for f in files if f.startswith("scenes/") and f not in
                ("scenes/two_way.py", "scenes/__init__.py")}, "another scene's file"
    assert "scenes/modes.py" in _considered("renders/modes.mp4")


def test_the_source_digest_reads_the_scene_files(tmp_path, monkeypatch):
    names = [name for name, _ in sources.source_files()]
    assert "scenes/two_way.py" in names and "core/maps.py" in names
    assert len(names) == len(set(names))
    before = sources.source_digest()
    copy = tmp_path / "scenes"
    shutil.copytree(sources.scenes_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sources, "scenes_dir", lambda: copy)
    assert sources.source_digest() == before  # the same files, wherever they are
    (copy / "two_way.py").write_text((copy / "two_way.py").read_text() + "# a change\n")
    assert sources.source_digest() != before


def test_an_install_without_the_scenes_is_one_error(monkeypatch):
    """An editable install made before scenes/ existed cannot find jacviz.scenes: say so."""
    import importlib.util

    import pytest

    from jacviz.core.errors import JacvizError

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(JacvizError, match="not installed as jacviz.scenes: install jacviz again"):
        sources.scenes_dir()


def test_every_import_of_jacviz_names_something_that_is_there():
    """Every `from jacviz... import name` anywhere in the package and the scenes (inside
    functions too, where a moved name is only found when the function runs) names a
    module of jacviz that has that name."""
    import ast
    import importlib

    root = Path(__file__).resolve().parent.parent
    missing = []
    for path in sorted([*root.joinpath("jacviz").rglob("*.py"), *root.joinpath("scenes").glob("*.py")]):
        rel = path.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[0] == "scenes":
            parts = ["jacviz", *parts]
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("jacviz"):
                continue
            mod = importlib.import_module(module)
            for alias in node.names:
                if alias.name == "*" or hasattr(mod, alias.name):
                    continue
                try:
                    importlib.import_module(f"{module}.{alias.name}")
                except ImportError:
                    missing.append(f"{rel}:{node.lineno}: {module} has no {alias.name}")
    assert missing == []
