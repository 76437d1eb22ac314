"""Headless Chromium from Debian's package, driven by Playwright (no downloaded browser)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
         "--autoplay-policy=no-user-gesture-required"]

# For every <video> on the page (or every reveal.js background video), load the
# source into a fresh <video> and report what happened.
PROBE_VIDEOS = """
async (sources) => {
  const probe = (src) => new Promise((resolve) => {
    const v = document.createElement('video');
    v.muted = true; v.preload = 'metadata';
    const done = (ok, why) => resolve({src, ok, why, duration: v.duration, w: v.videoWidth, h: v.videoHeight});
    v.addEventListener('loadedmetadata', () => done(true, 'loadedmetadata'));
    v.addEventListener('error', () => done(false, 'error ' + (v.error && v.error.code)));
    setTimeout(() => done(false, 'timeout'), 120000);  // a bound for a broken page, not a guess
    v.src = src;
  });
  const out = [];
  for (const s of sources) out.push(await probe(s));
  return out;
}
"""


WAIT_MS = 120_000  # a bound for a broken page, never a guess at how long loading takes


def open_page(path: Path, video_sources_js: str, screenshot: Path, extra_js: str | None = None,
              ready_js: str = "document.readyState === 'complete'"):
    """Open a file:// page, wait until ``ready_js`` holds; return (console errors,
    non-file requests, sources, video probes[, extra])."""
    from playwright.sync_api import sync_playwright

    errors, remote = [], []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
        page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function(ready_js, timeout=WAIT_MS)
        sources = page.evaluate(video_sources_js)
        probes = page.evaluate(PROBE_VIDEOS, sources)
        extra = page.evaluate(extra_js) if extra_js else None
        page.screenshot(path=str(screenshot))
        ctx.close()
    if extra_js:
        return errors, remote, sources, probes, extra
    return errors, remote, sources, probes


def not_blank(png: Path) -> bool:
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(png).convert("L"), dtype=float)
    return a.std() > 5 and (a > 60).mean() > 0.002


# -- many pages in one browser (tests/test_interactive.py) ---------------------------------------
def launch(p):
    """Debian's Chromium, headless, from a ``sync_playwright()`` instance (never a
    downloaded browser); each ``browser.new_context()`` is a fresh, empty profile."""
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


class Watch:
    """What a page does that a self-contained page must not: console errors, page
    errors, failed requests, requests to anything but file: URLs, and dialogs
    (alert, confirm, prompt: a sign of injected script; they are dismissed)."""

    def __init__(self, page):
        self.errors, self.requests, self.dialogs = [], [], []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)

    def _dialog(self, d):
        self.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    def remote(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "blob:"))]
