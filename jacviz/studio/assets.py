"""reveal.js for the slide deck: from the npm registry, into a per-user cache.

The deck must open from disk with no network, so it carries a local copy of
reveal.js.  That copy is never in the repository: ``npm ci`` installs the
version pinned by ``assets/package-lock.json`` into
``$JACVIZ_CACHE`` (default ``$XDG_CACHE_HOME/jacviz`` or ``~/.cache/jacviz``),
once, at set-up in a checkout (``make``) or on first use of an installed
package.  ``JACVIZ_REVEAL`` may point at a reveal.js ``dist`` folder instead.

    python -m jacviz.studio.assets     # install now; print the folder
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from ..core.errors import JacvizError
from ..core.signals import lock_exclusive, run_child

HERE = Path(__file__).resolve().parent / "assets"


def reveal_version() -> str:
    return json.loads((HERE / "package.json").read_text())["dependencies"]["reveal.js"]


def cache_dir() -> Path:
    if os.environ.get("JACVIZ_CACHE"):
        return Path(os.environ["JACVIZ_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jacviz"


def reveal_dist(install: bool = True) -> Path:
    """The folder holding reveal.js's dist/ files (installing them if needed)."""
    if os.environ.get("JACVIZ_REVEAL"):
        dist = Path(os.environ["JACVIZ_REVEAL"])
        if not (dist / "reveal.js").exists():
            raise JacvizError(f"JACVIZ_REVEAL={dist} holds no reveal.js (expected its dist folder)")
        return dist
    home = cache_dir() / f"reveal.js-{reveal_version()}"
    dist = home / "node_modules" / "reveal.js" / "dist"
    if (dist / "reveal.js").exists():
        return dist
    if not install:
        raise JacvizError(f"reveal.js is not installed in {home}")
    _install(home)
    return dist


def _install(home: Path) -> None:
    """npm ci into a temporary folder beside ``home``, then rename it into place."""
    npm = shutil.which("npm")
    if npm is None:
        raise JacvizError("the slide deck needs reveal.js from the npm registry, and npm is not "
                          "installed: apt-get install npm (or set JACVIZ_REVEAL to a reveal.js "
                          "dist folder)")
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / ".install.lock", "w") as lock:
        lock_exclusive(lock)  # one install at a time; the others find it done
        if (home / "node_modules" / "reveal.js" / "dist" / "reveal.js").exists():
            return
        tmp = home.with_name(f".{home.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            for name in ("package.json", "package-lock.json"):
                shutil.copyfile(HERE / name, tmp / name)
            status, _, err = run_child([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                                       "npm", cwd=tmp)
            if status != 0:
                last = (err.strip().splitlines() or ["(no message)"])[-1]
                raise JacvizError(f"npm could not install reveal.js {reveal_version()}: {last}")
            shutil.rmtree(home, ignore_errors=True)
            os.replace(tmp, home)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    from ..core import signals

    signals.install()
    try:
        print(reveal_dist())
    except JacvizError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(signals.exit_status())
