"""``jacviz doctor``: each dependency found (with version) or missing (with the fix).

Parts are required or optional.  The core (Python, numpy, sympy) is always required.
The render extra (manim, PyAV, manim-slides, and the system's cairo, pango, LaTeX,
dvisvgm, pdflatex, npm) is required once it is installed, that is once manim is: without
it, it is optional, and so are the cluster extra (Dask) and Chromium (the browser tests).
A missing optional part is reported with what it would add and how to install it; the
exit status is 1 only when a required part is missing.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from importlib import metadata

APT = "apt-get install -y --no-install-recommends"
VENV_FIX = "make setup   (creates .venv with the pinned packages)"
RENDER = "pip install 'jacviz[render]'"
VOICE = "pip install 'jacviz[voice]'; apt-get install espeak-ng"
CLUSTER = "pip install 'jacviz[render,cluster]'"


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
    ok = sys.version_info >= (3, 11)
    return ok, v if ok else f"{v} (need 3.11+)", "install Python 3.11 or newer"


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


def _module(name: str, fix: str = VENV_FIX):
    try:
        v = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False, None, fix
    return True, v, fix


def _render_installed() -> bool:
    return _module("manim")[0]


# (name, check, group); a group is required when ``needed()`` says so, else optional,
# and ``adds`` says what installing it would give
GROUPS = {
    "core": {"needed": lambda: True, "adds": "", "install": VENV_FIX},
    "render": {"needed": _render_installed,
               "adds": "rendering: clips, previews, live pages, slides, gallery, practice sets",
               "install": f"{RENDER}   (in a checkout: make setup)"},
    "cluster": {"needed": lambda: False, "adds": "rendering on a Dask cluster (--scheduler)",
                "install": f"{CLUSTER}   (in a checkout: make setup)"},
    "voice": {"needed": lambda: False, "adds": "the narration's voices (piper, and espeak-ng "
              "as the fallback)", "install": f"{VOICE}   (in a checkout: make setup)"},
    "tests": {"needed": lambda: False, "adds": "the browser tests of the deck, gallery and "
              "live pages (make test)", "install": f"{APT} chromium"},
}

CHECKS = [
    ("python", _python, "core"),
    ("numpy", lambda: _module("numpy"), "core"),
    ("sympy", lambda: _module("sympy"), "core"),
    ("manim", lambda: _module("manim", RENDER), "render"),
    ("av", lambda: _module("av", RENDER), "render"),
    ("manim-slides", lambda: _module("manim-slides", RENDER), "render"),
    ("cairo", lambda: _pkgconfig("cairo", "libcairo2-dev"), "render"),
    ("pango", lambda: _pkgconfig("pango", "libpango1.0-dev"), "render"),
    ("latex", _latex, "render"),
    ("dvisvgm", _dvisvgm, "render"),
    ("pdflatex", lambda: _tool(["pdflatex", "--version"], "texlive-latex-base",
                               "practice worksheets"), "render"),
    ("npm", lambda: _tool(["npm", "--version"], "npm", "reveal.js for the slide deck"), "render"),
    ("dask", lambda: _module("distributed", CLUSTER), "cluster"),
    ("chromium", lambda: _tool(["chromium", "--version"], "chromium", "browser tests"), "tests"),
    ("piper", lambda: _module("piper-tts", VOICE), "voice"),
    ("espeak", lambda: _tool(["espeak-ng", "--version"], "espeak-ng", "the fallback voice"),
     "voice"),
]


def doctor() -> int:
    """Print the report; 0 when every required part is found, else 1."""
    missing, optional = 0, {}
    needed = {g: spec["needed"]() for g, spec in GROUPS.items()}
    for name, check, group in CHECKS:
        ok, version, fix = check()
        if ok:
            print(f"  found     {name:<12} {version}")
        elif needed[group]:
            missing += 1
            print(f"  MISSING   {name:<12} fix: {fix}")
        else:
            optional.setdefault(group, []).append(name)
            print(f"  optional  {name:<12} not installed ({group}: see below)")
    for group, names in optional.items():
        spec = GROUPS[group]
        print(f"optional, {group} ({', '.join(names)} not installed): adds {spec['adds']}; "
              f"install: {spec['install']}")
    if missing:
        print(f"{missing} required part{'s' if missing != 1 else ''} missing")
        return 1
    print("every required part found" + (" (optional parts above)" if optional else ""))
    return 0


if __name__ == "__main__":  # usable before the virtualenv exists: python3 jacviz/doctor.py
    import sys as _sys

    _sys.exit(doctor())
