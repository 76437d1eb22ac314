"""A wheel that works anywhere: `pip install .` (the core) and `pip install '.[render]'`
into fresh virtualenvs outside the checkout, used from a folder outside it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
WAIT = 1800


def run(cmd, cwd, env=None, timeout=WAIT):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The project's wheel, built from a copy of its tracked files (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("src")
    files = run(["git", "ls-files"], ROOT).stdout.split()
    assert "pyproject.toml" in files
    for name in files:
        if name.startswith(("jacviz/", "scenes/", "pyproject.toml", "README.md")):
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    res = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
               "-w", dist, src], src)
    assert res.returncode == 0, res.stderr[-3000:]
    (whl,) = dist.glob("jacviz-*.whl")
    return whl


def venv_with(tmp_path, requirement) -> Path:
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", venv], tmp_path).returncode == 0
    res = run([venv / "bin" / "python", "-m", "pip", "install", "-q", "-c", LOCK, requirement],
              tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    return venv


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(extra)
    return env


def test_core_install_checks_and_refuses_rendering(wheel, tmp_path):
    venv = venv_with(tmp_path, wheel)
    jacviz = venv / "bin" / "jacviz"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = clean_env()
    where = run([venv / "bin" / "python", "-c", "import jacviz, sys; print(jacviz.__file__)"], work,
                env)
    assert str(venv) in where.stdout and str(ROOT) not in where.stdout
    out = run([jacviz, "check", "--map", "(x1, x2) -> (x1^2 + x2, x1*x2)", "--map",
               "(u1, u2) -> u1 + u2^2", "--at", "1,2"], work, env)
    assert out.returncode == 0, out.stderr
    assert "[ 10  5 ]" in out.stdout
    out = run([jacviz, "doctor"], work, env)  # the extras are optional here, not missing
    assert out.returncode == 0, out.stdout
    assert "MISSING" not in out.stdout
    assert "  optional  manim        not installed (render: see below)" in out.stdout
    assert "install: pip install 'jacviz[render]'" in out.stdout
    assert out.stdout.rstrip().endswith("every required part found (optional parts above)")
    for args in (["list"], ["params", "two-way"], ["render", "two-way"], ["slides"], ["gallery"]):
        out = run([jacviz, *args], work, env)
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr == ("error: rendering needs the render extra: "
                              "pip install 'jacviz[render]'\n"), out.stderr
        assert out.stdout == ""
    assert sorted(p.name for p in work.iterdir()) == []


def test_render_install_renders_slides_and_gallery_from_anywhere(wheel, tmp_path):
    venv = venv_with(tmp_path, f"{wheel}[render]")
    jacviz = venv / "bin" / "jacviz"
    work = tmp_path / "elsewhere"
    work.mkdir()
    cache = tmp_path / "cache"  # an empty per-user cache: reveal.js comes from npm on first use
    env = clean_env(JACVIZ_CACHE=str(cache))
    before = set(run(["git", "status", "--porcelain", "--untracked-files=all"], ROOT).stdout.split("\n"))
    # the scene files are installed as jacviz.scenes, nothing named scenes beside jacviz
    code = ("import importlib.util, jacviz.scenes.two_way as m, pathlib\n"
            "from jacviz.studio.sources import source_digest\n"
            "print(pathlib.Path(m.__file__).parent.parent.parent)\n"
            "print(importlib.util.find_spec('scenes'))\nprint(source_digest())\n")
    out = run([venv / "bin" / "python", "-c", code], work, env)
    site, top, digest = out.stdout.split()
    assert out.returncode == 0 and Path(site).name == "site-packages", out.stderr
    assert Path(site).is_relative_to(venv) and not (Path(site) / "scenes").exists()
    assert top == "None"
    from jacviz.studio.sources import source_digest  # the same files hash the same way
    assert digest == source_digest()
    tiny = ["--resolution", "192,108", "--fps", "5"]
    out = run([jacviz, "render", "two-way", *tiny, "--quiet"], work, env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert (work / "renders" / "two-way.mp4").stat().st_size > 1000
    assert (work / "renders" / "two-way.srt").exists()
    out = run([jacviz, "slides", "jacobian-grid", *tiny, "--quiet"], work, env)
    assert out.returncode == 0, out.stderr[-3000:]
    deck = work / "renders" / "slides"
    assert (deck / "index.html").exists() and (deck / "handout.pdf").exists()
    assert (deck / "reveal.js" / "dist" / "reveal.js").exists()
    assert (cache / "reveal.js-6.0.1" / "node_modules" / "reveal.js" / "dist" / "reveal.js").exists()
    out = run([jacviz, "gallery"], work, env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert (work / "renders" / "index.html").exists()
    after = set(run(["git", "status", "--porcelain", "--untracked-files=all"], ROOT).stdout.split("\n"))
    assert after == before, "the installed package wrote into the checkout"


def test_missing_npm_is_a_clear_error(wheel, tmp_path):
    """An installed package without reveal.js in its cache and no npm: one line, the fix."""
    venv = venv_with(tmp_path, wheel)
    code = ("import sys\nfrom jacviz.studio.assets import reveal_dist\n"
            "from jacviz.core.errors import JacvizError\n"
            "try:\n    reveal_dist()\nexcept JacvizError as e:\n    print(e)\n")
    env = clean_env(JACVIZ_CACHE=str(tmp_path / "cache"), PATH=str(venv / "bin"))
    out = run([venv / "bin" / "python", "-c", code], tmp_path, env)
    assert "npm is not installed" in out.stdout and "apt-get install npm" in out.stdout, out
