"""The scenes: key frames against committed control data, real renders, the render CLI.

Key frames are the end states of every beat (animations skipped), rendered at
256x144 and compared with ``tests/keyframes/<scene>-<tag>.npz`` within a
tolerance.  Regenerate with ``make keyframes`` (JACVIZ_UPDATE_KEYFRAMES=1),
which also writes PNGs to ``renders/keyframes/`` to look at.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jacviz.studio import registry
from jacviz.studio.registry import scene_class
from jacviz.studio.dry_run import keyframes
from jacviz.studio.render import render
from jacviz.studio.request import RenderRequest, resolve_params

ROOT = Path(__file__).resolve().parent.parent
CONTROL = ROOT / "tests" / "keyframes"
SIZE = (256, 144)
UPDATE = os.environ.get("JACVIZ_UPDATE_KEYFRAMES") == "1"
SCENES = registry.names()
CASES = [(s, tag) for s in SCENES for tag in ("default", "example")]

# tolerance: cairo anti-aliasing and LaTeX glyph rasterisation may differ by a
# level or two; a moved or missing object changes far more pixels than this.
MEAN_TOL = 1.5  # mean absolute difference, 0..255 scale
FRAC_TOL = 0.004  # fraction of pixels that differ by more than 48 levels


def params_for(scene, tag):
    if tag == "default":
        return scene_class(scene).Params()
    return resolve_params(scene, scene_class(scene).EXAMPLE)


def test_makefile_reads_the_one_registry():
    out = run_cli("list", "--names")
    assert out.returncode == 0 and out.stdout.split() == SCENES
    text = (ROOT / "Makefile").read_text()
    assert "jacviz list --names" in text
    for name in SCENES:  # no second list of scenes to keep in step
        assert name not in text


def test_every_scene_declares_params_and_example():
    for s in SCENES:
        cls = scene_class(s)
        spec = cls.Params.spec()
        assert spec, s
        for p in spec:
            assert p["help"], f"{s}.{p['name']} has no help"
        assert isinstance(cls.EXAMPLE, dict) and cls.EXAMPLE, s
        example = resolve_params(s, cls.EXAMPLE)
        assert example.changed(), f"{s}: EXAMPLE equals the defaults"


@pytest.mark.parametrize("scene,tag", CASES)
def test_keyframes_match_control(scene, tag, tmp_path):
    frames = keyframes(scene, params_for(scene, tag), resolution=SIZE, work=tmp_path)
    assert len(frames) >= 3, f"{scene} has fewer than 3 beats"
    names = [n for n, _ in frames]
    assert len(set(names)) == len(names), f"beat names repeat: {names}"
    rgb = np.stack([f[..., :3] for _, f in frames])
    path = CONTROL / f"{scene}-{tag}.npz"
    if UPDATE:
        CONTROL.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, frames=rgb, names=np.array(names))
        _write_pngs(scene, tag, names, rgb)
    assert path.exists(), f"no control data {path.name}: run `make keyframes` and look at the PNGs"
    ref = np.load(path)
    assert list(ref["names"]) == names
    assert ref["frames"].shape == rgb.shape
    for name, a, b in zip(names, rgb.astype(int), ref["frames"].astype(int)):
        diff = np.abs(a - b)
        mean = diff.mean()
        frac = (diff.max(axis=-1) > 48).mean()
        assert mean <= MEAN_TOL and frac <= FRAC_TOL, (
            f"{scene}/{tag} beat {name!r}: mean diff {mean:.2f}, {frac:.2%} of pixels changed"
        )
    # a key frame is never blank: something is drawn in every beat
    for name, f in zip(names, rgb):
        assert (f.max(axis=-1) > 60).mean() > 0.005, f"{scene}/{tag} beat {name!r} is blank"


def _write_pngs(scene, tag, names, rgb):
    from PIL import Image

    out = ROOT / "renders" / "keyframes"
    out.mkdir(parents=True, exist_ok=True)
    for i, (n, f) in enumerate(zip(names, rgb)):
        Image.fromarray(f).save(out / f"{scene}-{tag}-{i}-{n}.png")


@pytest.mark.parametrize("scene,tag", CASES)
def test_scene_renders_a_real_clip(scene, tag, tmp_path):
    """A full render (animations and encoding) at a very small size."""
    import av

    out = tmp_path / f"{scene}-{tag}.mp4"
    paths = render(RenderRequest(scene, params_for(scene, tag), out=out, resolution=(192, 108), fps=5,
                                 media_dir=tmp_path / "media"))
    assert paths[-1] == out and out.exists()
    assert paths == [out.with_suffix(".srt"), out.with_suffix(".json"), out]
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        n = sum(1 for _ in container.decode(stream))
        duration = float(stream.duration * stream.time_base) if stream.duration else n / 5
    assert n >= 20 and duration >= 4, (n, duration)
    srt = out.with_suffix(".srt").read_text()
    cues = [c for c in srt.strip().split("\n\n") if c.strip()]
    assert len(cues) >= 3
    assert not list(tmp_path.glob(".*.tmp-*")), "a temporary file was left behind"


def run_cli(*args, cwd=ROOT):
    exe = Path(sys.executable).parent / "jacviz"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_list_and_params():
    out = run_cli("list")
    assert out.returncode == 0
    assert [line.split()[0] for line in out.stdout.splitlines()] == SCENES
    out = run_cli("params", "two-way")
    assert out.returncode == 0
    for name in ("g", "f", "point", "dx"):
        assert re.search(rf"^  {name}  \(", out.stdout, re.M), out.stdout


RENDER_ERRORS = [
    (["render", "two-wya"], "unknown scene 'two-wya'; did you mean 'two-way'?"),
    (["render", "two-way", "--set", "pont=1,2"], "unknown parameter 'pont' in --set; did you mean 'point'?"),
    (["render", "two-way", "--set", "g=(x1, x2) -> (x1*x2"], "parameter g"),
    (["render", "two-way", "--set", "point=1,2,3"], "parameter point has 3 numbers; expected 2"),
    (["render", "two-way", "--set", "point"], "KEY=VALUE"),
    (["render", "two-way", "--set", "g=(a, b, c, d) -> (a, b)"], "dimension 1 to 3"),
    (["render", "jacobian-grid", "--set", "f=(x, y) -> (x, y, x, y)"], "dimension 1 to 3"),
    (["render", "two-way", "--config", "/nonexistent.toml"], "not found"),
    (["render"], "name a scene"),
    (["params", "nope"], "unknown scene"),
]


@pytest.mark.parametrize("args,fragment", RENDER_ERRORS)
def test_render_errors_one_line_nothing_written(args, fragment, tmp_path):
    out_file = tmp_path / "clip.mp4"
    extra = ["--out", str(out_file)] if args[0] == "render" and len(args) > 1 else []
    before = set((ROOT / "renders").glob("*"))
    out = run_cli(*args, *extra)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert not out_file.exists()
    assert set((ROOT / "renders").glob("*")) == before


def test_config_file_sets_params(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[two-way]\ng = "(x1, x2) -> (x1*x2, x1 + x2^2)"\npoint = [0.5, 1]\n')
    from jacviz.studio.config import load_toml

    p = resolve_params("two-way", None, load_toml(str(cfg)))
    assert p.g == "(x1, x2) -> (x1*x2, x1 + x2^2)" and tuple(p.point) == (0.5, 1.0)
    q = resolve_params("two-way", {"g": "(x1, x2) -> (x1*x2, x1 + x2^2)", "point": "0.5,1"})
    assert p == q and p.digest() == q.digest() != ""
    bad = tmp_path / "bad.toml"
    bad.write_text("[two-way]\npoint = [1, 2, 3]\n")
    out = run_cli("render", "two-way", "--config", str(bad))
    assert out.returncode == 2 and "parameter point has 3 numbers" in out.stderr


def test_plain_manim_renders_defaults(tmp_path):
    """`manim scenes/<file>.py <Class>` works and uses the defaults (last frame only)."""
    manim = Path(sys.executable).parent / "manim"
    out = subprocess.run(
        [str(manim), "render", "-s", "-r", "256,144", "--media_dir", str(tmp_path),
         str(ROOT / "scenes" / "jacobian_grid.py"), "JacobianGrid"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    pngs = list(tmp_path.rglob("JacobianGrid*.png"))
    assert pngs
