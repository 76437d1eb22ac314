"""The README's example scene is real: it renders, on the kit, with a clean layout."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_scene(tmp_path) -> Path:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Adding a scene"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "gradient.py"
    path.write_text(code)
    return path


def test_the_readme_scene_renders_with_a_clean_layout(tmp_path):
    from jacviz.studio.dry_run import keyframes

    path = readme_scene(tmp_path)
    assert len(path.read_text().splitlines()) <= 55  # short enough to read at once
    spec = importlib.util.spec_from_file_location("readme_gradient", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cls = module.Gradient
    for values in ({}, cls.EXAMPLE):
        params = cls.Params().with_values(values)
        params.validate()
        frames, problems = keyframes("gradient", params, (256, 144), check_layout=True,
                                     scene_cls=cls)
        assert [n for n, _ in frames] == ["gradient", "row"]
        assert not problems, problems
        assert (frames[-1][1][..., :3].max(axis=-1) > 60).sum() > 100


def test_the_readme_scene_renders_with_plain_manim(tmp_path):
    path = readme_scene(tmp_path)
    manim = Path(sys.executable).parent / "manim"
    out = subprocess.run([str(manim), "render", "-s", "-r", "256,144", "--media_dir", str(tmp_path),
                          str(path), "Gradient"], capture_output=True, text=True, timeout=600,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert list(tmp_path.rglob("Gradient*.png"))


def test_the_readme_registry_line_fits_the_registry():
    text = (ROOT / "README.md").read_text()
    line = re.search(r'^\s+"gradient": \((.*)\),$', text, re.M).group(1)
    module, cls, desc = (p.strip().strip('"') for p in line.split('", "'))
    assert module == "jacviz.scenes.gradient" and cls == "Gradient" and desc
