"""``jacviz doctor``: each dependency found (with version) or missing (with the fix)."""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from importlib import metadata

APT = "apt-get install -y --no-install-recommends"
VENV_FIX = "make setup   (creates .venv with the pinned packages)"


def _run(cmd: list[str]) -> str | None:
    if not shutil.which(cmd[0]):
        return None
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0].strip() if text else ""


def _python():
    v = platform.python_version()
    ok = sys.version_info >= (3, 10)
    return ok, v if ok else f"{v} (need 3.10+)", "install Python 3.10 or newer"


def _pkgconfig(lib: str, pkg: str):
    v = _run(["pkg-config", "--modversion", lib])
    return v is not None, v, f"{APT} pkg-config {pkg}"


def _latex():
    v = _run(["latex", "--version"])
    fix = (f"{APT} texlive-latex-base texlive-latex-recommended texlive-latex-extra "
           "texlive-fonts-recommended")
    return v is not None, v, fix


def _dvisvgm():
    v = _run(["dvisvgm", "--version"])
    return v is not None, v, f"{APT} dvisvgm"


def _tool(cmd: list[str], pkg: str, why: str):
    v = _run(cmd)
    return v is not None, v, f"{APT} {pkg}   ({why})"


def _module(name: str):
    try:
        v = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False, None, VENV_FIX
    return True, v, VENV_FIX


CHECKS = [
    ("python", _python),
    ("cairo", lambda: _pkgconfig("cairo", "libcairo2-dev")),
    ("pango", lambda: _pkgconfig("pango", "libpango1.0-dev")),
    ("latex", _latex),
    ("dvisvgm", _dvisvgm),
    ("pdflatex", lambda: _tool(["pdflatex", "--version"], "texlive-latex-base",
                               "practice worksheets")),
    ("npm", lambda: _tool(["npm", "--version"], "npm", "reveal.js for the slide deck")),
    ("chromium", lambda: _tool(["chromium", "--version"], "chromium", "browser tests")),
    ("espeak", lambda: _tool(["espeak-ng", "--version"], "espeak-ng", "the lecture's espeak voice")),
    ("manim", lambda: _module("manim")),
    ("piper", lambda: _module("piper-tts")),
    ("dask", lambda: _module("distributed")),
    ("numpy", lambda: _module("numpy")),
    ("sympy", lambda: _module("sympy")),
]


def doctor() -> int:
    missing = 0
    for name, check in CHECKS:
        ok, version, fix = check()
        if ok:
            print(f"  found    {name:<8} {version}")
        else:
            missing += 1
            print(f"  MISSING  {name:<8} fix: {fix}")
    if missing:
        print(f"{missing} missing")
        return 1
    print("all found")
    return 0


if __name__ == "__main__":  # usable before the virtualenv exists: python3 jacviz/doctor.py
    import sys as _sys

    _sys.exit(doctor())
