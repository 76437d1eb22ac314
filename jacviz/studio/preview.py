"""``jacviz preview``: a storyboard in seconds.

One PNG that tiles the frame at the end of every beat, each labelled with
its beat name, at 480p.  The frames come from the key-frame path (every
animation skipped to its end state, nothing encoded); a storyboard already
drawn for the same scene, parameters and code is reused from ``media/preview``.
``--watch`` draws it again whenever the config file or the package's sources
change, each time in a fresh process (so that edited scene code is read anew).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from pathlib import Path

from ..signals import run_child, stage
from .render import commit, keyframes, source_digest, workdir

SIZE = (854, 480)
COLUMNS = 3
LABEL_H = 34
GAP = 8
BACKGROUND = (40, 40, 40)


def default_out(scene: str, params) -> Path:
    digest = params.digest()
    stem = scene if not digest else f"{scene}-{digest}"
    return workdir() / "renders" / f"{stem}-storyboard.png"


def cache_key(scene: str, params, size) -> str:
    blob = json.dumps({"scene": scene, "params": params.as_dict(), "code": source_digest(),
                       "size": list(size)}, sort_keys=True, default=list)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def tile(frames, size=SIZE, columns: int = COLUMNS):
    """The frames in a grid, each with its beat name above it (a PIL image)."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = size
    cols = min(columns, len(frames))
    rows = math.ceil(len(frames) / cols)
    sheet = Image.new("RGB", (cols * w + (cols + 1) * GAP, rows * (h + LABEL_H) + (rows + 1) * GAP),
                      BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=22)
    for k, (name, frame) in enumerate(frames):
        x = GAP + (k % cols) * (w + GAP)
        y = GAP + (k // cols) * (h + LABEL_H + GAP)
        draw.text((x + 4, y + 4), f"{k + 1}. {name}", fill=(240, 228, 66), font=font)
        img = Image.fromarray(frame[..., :3])
        if img.size != (w, h):
            img = img.resize((w, h))
        sheet.paste(img, (x, y + LABEL_H))
    return sheet


def storyboard(scene: str, params, out: Path | None = None, size=SIZE) -> Path:
    """Draw (or reuse) the storyboard of one scene; returns the PNG's path."""
    import io

    out = Path(out) if out else default_out(scene, params)
    cached = workdir() / "media" / "preview" / f"{cache_key(scene, params, size)}.png"
    if not cached.exists():
        frames = keyframes(scene, params, resolution=size)
        stage("tile")
        buf = io.BytesIO()
        tile(frames, size).save(buf, format="PNG")
        commit({cached: buf.getvalue()})
    commit({out: cached})
    return out


def _fingerprint(config: str | None) -> str:
    """What --watch watches: the config file's bytes and the package's sources."""
    h = hashlib.sha256(source_digest().encode())
    if config:
        try:
            h.update(Path(config).read_bytes())
        except OSError:
            h.update(b"(missing)")
    return h.hexdigest()


def watch(argv: list[str], config: str | None, poll: float = 0.5) -> int:
    """Draw the storyboard in a fresh process whenever the config or the sources change,
    until Ctrl-C.  ``argv`` is the preview command without --watch."""
    seen = None
    while True:
        now = _fingerprint(config)
        if now != seen:
            seen = now
            status, out, err = run_child([sys.executable, "-m", "jacviz", *argv], "preview-child")
            sys.stdout.write(out)
            sys.stderr.write(err)  # a bad edit: its one error line; keep watching
            sys.stdout.flush()
            stage("watching")
        time.sleep(poll)
