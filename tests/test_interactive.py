"""jacviz interactive: the canvases in a real (headless, Debian) Chromium.

For each canvas, with its defaults and with a second parameter set: the page
loads from file:// with no console error and no request but the file itself;
its handles are dragged with real mouse events (and touch, and the keyboard);
the numbers it shows are compared with ``jacviz check --json`` at the same
point, to the precision shown.  Also: every edge and every Jacobian entry of
path-sums, the "undefined here" state, hostile names and texts, the CLI, and
the canvases in the deck and the gallery.  Screenshots are checked not blank;
set JACVIZ_SHOTS=DIR to keep them (and look at them).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest

from jacviz.core.fmt import fmt_num
from jacviz.studio import interactive
from jacviz.studio.request import resolve_params

from browser import Watch, launch, not_blank

ROOT = Path(__file__).resolve().parent.parent
JACVIZ = str(Path(sys.executable).parent / "jacviz")
POOL = ThreadPoolExecutor(max_workers=2)  # `jacviz check` runs beside the browser

# The command line, run as `jacviz ARGS...` would run it (its entry point, jacviz.cli.main,
# in a separate process), but started once: a fresh `jacviz check` process per point
# would spend its time importing.  test_the_cli_process_is_the_cli compares the two.
_SERVER = r"""
import contextlib, io, json, os, sys
from jacviz.cli import main
for line in sys.stdin:
    req = json.loads(line)
    os.chdir(req["cwd"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(req["argv"])
        except SystemExit as exc:
            status = exc.code
    sys.__stdout__.write(json.dumps({"status": status, "stdout": out.getvalue(),
                                     "stderr": err.getvalue()}) + "\n")
    sys.__stdout__.flush()
"""


class CliProcess:
    """One long-lived process that runs jacviz's command line for each request."""

    def __init__(self):
        self.proc = None
        self.lock = threading.Lock()

    def run(self, argv: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd)}) + "\n")
            self.proc.stdin.flush()
            res = json.loads(self.proc.stdout.readline())
        return subprocess.CompletedProcess(["jacviz", *argv], res["status"], res["stdout"], res["stderr"])

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


CLI = CliProcess()

TWO_WAY_EXAMPLE = ("(x1, x2) -> (x1*x2, x1 + x2, x2^2); (u1, u2, u3) -> u1*u2 - u3; "
                   "(v) -> (cos(v), sin(v)); (w1, w2) -> w1 + 2*w2")
PATHS_EXAMPLE = ("(x1, x2) -> (x1*x2, x1 + x2, x2^2); (u1, u2, u3) -> (u1 - u2, u2*u3); "
                 "(v1, v2) -> (v1^2, v1*v2, v2); (w1, w2, w3) -> w1 + w2 - w3")
FUNCTIONS_EXAMPLE = ("(x1, x2) -> (asin(tanh(x1)) + sinh(x2/4), acos(x2/(2 + x2^2)) + "
                     "log(2 + x1^2, 3) + atan2(x2, 2 + x1^2)); (u1, u2) -> max(u1, u2 - 1) + "
                     "relu(u1 - 0.2) + min(u1*u2, 5) + atan(u2) + cosh(u1/3)")
HOSTILE = "(constructor, __proto__) -> (constructor*__proto__, constructor + 1); " \
          "(script, toString) -> script - toString"

#: name -> (scene, --set values, the maps `jacviz check` takes, extra facts for the test)
CASES = {
    "two-way": ("two-way", {}, ["(x1, x2) -> (x1 + 2*x2, x1 - x2)", "(u1, u2) -> u1*u2 + u1"]),
    "two-way-example": ("two-way", {"maps": TWO_WAY_EXAMPLE}, TWO_WAY_EXAMPLE.split("; ")),
    "two-way-log": ("two-way", {"maps": "(x1, x2) -> (log(x1), x2); (u1, u2) -> u1*u2"},
                    ["(x1, x2) -> (log(x1), x2)", "(u1, u2) -> u1*u2"]),
    "two-way-hostile": ("two-way", {"maps": HOSTILE}, HOSTILE.split("; ")),
    # issue 24: a small dx on a nonlinear map (the sides differ), and a linear map (they coincide)
    "two-way-small-dx": ("two-way", {"point": "0.7,-1.3", "dx": "0.003,-0.001"},
                         ["(x1, x2) -> (x1 + 2*x2, x1 - x2)", "(u1, u2) -> u1*u2 + u1"]),
    "two-way-linear": ("two-way", {"f": "(u1, u2) -> 2*u1 - 0.3*u2", "point": "0.7,-1.3"},
                       ["(x1, x2) -> (x1 + 2*x2, x1 - x2)", "(u1, u2) -> 2*u1 - 0.3*u2"]),
    "two-way-functions": ("two-way", {"maps": FUNCTIONS_EXAMPLE}, FUNCTIONS_EXAMPLE.split("; ")),
    "path-sums": ("path-sums", {}, ["(x, y) -> (x^2 + y, x*y)", "(u, v) -> u + v^2"]),
    "path-sums-example": ("path-sums", {"maps": PATHS_EXAMPLE, "output_names": "y", "point": "1,2",
                                        "entry": "1,2"}, PATHS_EXAMPLE.split("; ")),
    "path-sums-log": ("path-sums", {"g": "(x, y) -> (log(x) + y, x*y)"},
                      ["(x, y) -> (log(x) + y, x*y)", "(u, v) -> u + v^2"]),
    "path-sums-hostile": ("path-sums", {"g": "(constructor, toString) -> (constructor + toString, "
                                             "constructor*toString)",
                                        "f": "(valueOf, prototype) -> valueOf*prototype",
                                        "output_names": "alert"},
                          ["(constructor, toString) -> (constructor + toString, constructor*toString)",
                           "(valueOf, prototype) -> valueOf*prototype"]),
    "level-sets": ("level-sets", {}, ["(x, y) -> x^2 + y^2", "t -> (cos(t), sin(t))", "t -> (t, 0.5)"]),
    "level-sets-example": ("level-sets", {"f": "(x, y) -> x^2 + 4*y^2", "curve": "t -> (2*cos(t), sin(t))",
                                          "curve2": "t -> (t, t/2)", "t2_range": "-1.6,1.6",
                                          "levels": "1,4,9"},
                           ["(x, y) -> x^2 + 4*y^2", "t -> (2*cos(t), sin(t))", "t -> (t, t/2)"]),
    "jacobian-grid": ("jacobian-grid", {}, ["(x, y) -> (x^2 - y, x*y)"]),
    "jacobian-grid-example": ("jacobian-grid", {"f": "(x, y, z) -> x*y + z^2", "point": "1,2,3"},
                              ["(x, y, z) -> x*y + z^2"]),
    "jacobian-grid-sqrt": ("jacobian-grid", {"f": "(x, y) -> (sqrt(x), x*y)"}, ["(x, y) -> (sqrt(x), x*y)"]),
    "local-linearity": ("local-linearity", {}, ["(x, y) -> (x + 0.3*sin(y), y + 0.3*sin(x))"]),
    "local-linearity-example": ("local-linearity", {"f": "(x, y) -> (x^2 - y, x*y)", "point": "1,0.5"},
                                ["(x, y) -> (x^2 - y, x*y)"]),
    "local-linearity-flip": ("local-linearity", {"f": "(x, y) -> (y + 0.2*x^2, x)", "point": "0.5,0.5"},
                             ["(x, y) -> (y + 0.2*x^2, x)"]),
    "local-linearity-singular": ("local-linearity", {"f": "(x, y) -> (x + y, x + y)"},
                                 ["(x, y) -> (x + y, x + y)"]),
}


# -- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def deck_job(tmp_path_factory):
    """A real deck of one scene with a canvas, built by the CLI in the background while
    the browser tests run (the render is the slow part); joined by the deck test."""
    out = tmp_path_factory.mktemp("deck") / "slides"
    proc = subprocess.Popen([JACVIZ, "slides", "jacobian-grid", "--resolution", "192,108", "--fps", "5",
                             "--out", str(out), "--quiet"], cwd=out.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    yield proc, out
    if proc.poll() is None:  # the deck test did not run: stop the render (SIGTERM: it stops its children)
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def site(tmp_path_factory, deck_job):
    """Every case's page, built once (in-process: the same resolve and build as the CLI)."""
    out = tmp_path_factory.mktemp("pages")
    pages = {}
    for name, (scene, sets, _) in CASES.items():
        pages[name] = interactive.build(scene, resolve_params(scene, sets), out / f"{name}.html")
    return pages


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = os.environ.get("JACVIZ_SHOTS")
    path = Path(d) if d else tmp_path_factory.mktemp("shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def opened(browser, path: Path, **context):
    """A page of ``path`` in a fresh context; yields (page, watch); on leaving checks that
    nothing went wrong: no console or page error, no dialog, no request but the file."""
    ctx = browser.new_context(**{"viewport": {"width": 1280, "height": 720}, **context})
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=120_000)
    try:
        yield page, watch
        body = page.inner_text("body")
        assert "NaN" not in body and "Infinity" not in body, "a value that is not finite is shown"
    finally:
        ctx.close()
    assert not watch.errors, watch.errors
    assert not watch.dialogs, watch.dialogs
    assert set(watch.requests) == {path.resolve().as_uri()}, watch.requests


def shot(page, shots: Path, name: str) -> Path:
    out = shots / f"{name}.png"
    page.screenshot(path=str(out))
    assert not_blank(out), f"screenshot {out} is blank"
    return out


# -- reading the page ----------------------------------------------------------------------------
READ = """() => {
  const out = {};
  for (const el of document.querySelectorAll('[data-q]')) {
    const v = el.getAttribute('data-v');
    out[el.getAttribute('data-q')] = [el.textContent, v === null ? null : JSON.parse(v)];
  }
  return out;
}"""


def read(page) -> dict:
    """Every number the page labels: data-q -> (text shown, exact value or None)."""
    return page.evaluate(READ)


NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flat(item)]
    return [float(x)]


def agrees(text: str, expected) -> bool:
    """The text shows the expected numbers to the precision shown: as jacviz.core.fmt.fmt_num
    writes them, or within half a unit of the third significant digit (an integer:
    within 1e-9)."""
    values = _flat(expected)
    shown = NUM.findall(text)
    if len(shown) != len(values) or "undefined" in text:
        return False
    for s, v in zip(shown, values):
        if s == fmt_num(v):
            continue
        exact_int = re.fullmatch(r"-?\d+", s) is not None
        tol = 1e-9 * max(1.0, abs(v)) if exact_int or v == 0 else \
            0.5 * 10 ** (math.floor(math.log10(abs(v))) - 2) * (1 + 1e-9)
        if abs(float(s) - v) > tol + 1e-12:
            return False
    return True


def assert_shows(values: dict, key: str, expected):
    text = values[key][0]
    assert agrees(text, expected), f"{key}: the page shows {text!r}, jacviz check gives {expected}"


def _vec(v) -> str:
    return ",".join(repr(float(x)) for x in _flat(v))


def check_args(maps, at, dx=None, grad=None) -> list[str]:
    args = ["check", *[a for m in maps for a in ("--map", m)], f"--at={_vec(at)}", "--json"]
    if dx is not None:
        args.append(f"--dx={_vec(dx)}")
    if grad is not None:
        args.append(f"--grad={_vec(grad)}")
    return args


def _check(maps, at, dx=None, grad=None) -> dict:
    res = CLI.run(check_args(maps, at, dx, grad))
    assert res.returncode == 0, (res.args, res.stderr)
    return json.loads(res.stdout)


def check(maps, at, dx=None, grad=None):
    """``jacviz check --json`` at a point, in the background (a future)."""
    return POOL.submit(_check, list(maps), at, dx, grad)


@pytest.fixture(scope="module", autouse=True)
def _cli_process():
    yield
    CLI.close()


def test_the_cli_process_is_the_cli():
    """The long-lived process answers exactly as `jacviz check` run on its own."""
    args = check_args(CASES["two-way-example"][2], [0.3, -1.25], [0.1, 0.2], [2.0])
    alone = subprocess.run([JACVIZ, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert alone.returncode == 0, alone.stderr
    assert CLI.run(args).stdout == alone.stdout


def drag(page, selector: str, dx: float, dy: float, steps: int = 6):
    """Press the mouse on the element's centre, move by (dx, dy) pixels, release."""
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=steps)
    page.mouse.up()


def knob(handle: str) -> str:
    return f"[data-handle='{handle}'] .knob"


# -- two-way ---------------------------------------------------------------------------------------
def two_way_agrees(v: dict, c: dict, K: int):
    for k in range(K + 1):
        assert_shows(v, f"point:{k}", c["points"][k])
        assert_shows(v, f"fwd:{k}", c["pushforward"][k])
        assert_shows(v, f"bwd:{k}", c["pullback"][k])
        assert_shows(v, f"pair:{k}", c["duality"]["forward"])
    for s in range(K):
        assert_shows(v, f"jac:{s}", c["jacobians"][s])


@pytest.mark.parametrize("case", ["two-way", "two-way-example"])
def test_two_way(case, site, browser, shots):
    maps = CASES[case][2]
    K = len(maps)
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        v0 = read(page)
        if case == "two-way":  # the lesson's numbers, before anything moves
            assert v0["point:1"][0] == "(3, 0)" and v0["bwd:0"][0] == "(4, -1)"
            assert v0["fwd:1"][0] == "(0.3, 0)" and v0["pair:0"][0] == "0.3" and v0["fwd:2"][0] == "0.3"
        for moves in ([("x0", 70, -40)], [("x0", -110, 30)],
                      [("x0", 30, 60), ("dx", 25, -30), ("grad", 40, 10)]):
            for handle, dx, dy in moves:
                what = {"x0": "point:0", "dx": "fwd:0", "grad": f"bwd:{K}"}[handle]
                before = read(page)
                drag(page, knob(handle), dx, dy)
                after = read(page)
                assert after[what] != before[what], handle  # the handle dragged is the one moved
                assert [after[k] for k in ("point:0", "fwd:0", f"bwd:{K}") if k != what] == \
                    [before[k] for k in ("point:0", "fwd:0", f"bwd:{K}") if k != what], handle
            v = read(page)
            jobs.append((v, check(maps, v["point:0"][1], v["fwd:0"][1], v[f"bwd:{K}"][1])))
        # the true image: the chain at x0 + dx
        x0, d = v["point:0"][1], v["fwd:0"][1]
        end = check(maps, [a + b for a, b in zip(x0, d)])
        assert len({v["pair:0"][1] is None, *[v[f"pair:{k}"][1] is None for k in range(K + 1)]}) == 1
        shot(page, shots, case)
    for v, job in jobs:
        two_way_agrees(v, job.result(), K)
    c = end.result()
    for k in range(1, K + 1):
        assert_shows(v, f"image:{k}", c["points"][k])


def test_two_way_keyboard_touch_reset(site, browser, shots):
    """Tab moves between the handles (the reset button first), arrow keys move the
    selected one and show its focus ring; a touch drag moves the point; reset."""
    path = site["two-way"]
    with opened(browser, path) as (page, watch):
        start = read(page)
        page.focus("#reset")
        order = []
        for _ in range(3):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.getAttribute('data-handle')"))
        assert order == ["x0", "dx", "grad"]
        ring = page.evaluate("getComputedStyle(document.activeElement.querySelector('.ring')).stroke")
        assert ring == "rgb(240, 228, 66)"  # the focused handle is marked (highlight yellow)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowUp")
        assert read(page)["bwd:2"][1] != start["bwd:2"][1]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("ArrowLeft")
        moved = read(page)
        assert moved["point:0"][1][0] < start["point:0"][1][0] and moved["point:0"][1][1] == 1
        page.click("#reset")
        assert read(page) == start
    # touch (pointer events from a touch screen), at a phone's width
    with opened(browser, path, viewport={"width": 390, "height": 844}, has_touch=True,
                is_mobile=True) as (page, watch):
        assert page.evaluate("document.documentElement.scrollWidth") <= 391  # no sideways page
        box = page.locator(knob("x0")).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for k in range(1, 6):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                  "touchPoints": [{"x": x + 6 * k, "y": y - 4 * k}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        after = read(page)
        assert after["point:0"][1][0] > 1 and after["point:0"][1][1] > 1
        job = check(CASES["two-way"][2], after["point:0"][1], after["fwd:0"][1], after["bwd:2"][1])
        shot(page, shots, "two-way-phone")
    two_way_agrees(after, job.result(), 2)


def test_two_way_with_every_new_function(site, browser, shots):
    """asin acos atan atan2 sinh cosh, log to a base, min, max, relu: the page's numbers,
    moved to two points, are `jacviz check`'s."""
    case = "two-way-functions"
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        for dx, dy in ((40, 30), (-90, -20)):
            drag(page, knob("x0"), dx, dy)
            v = read(page)
            jobs.append((v, check(CASES[case][2], v["point:0"][1], v["fwd:0"][1], v["bwd:2"][1])))
        shot(page, shots, case)
    assert jobs[0][0]["point:0"] != jobs[1][0]["point:0"]
    for v, job in jobs:
        two_way_agrees(v, job.result(), 2)


def test_two_way_undefined_here(site, browser, shots):
    """log(x1) dragged to x1 <= 0: "undefined here" and no error; back, and defined again."""
    maps = CASES["two-way-log"][2]
    with opened(browser, site["two-way-log"]) as (page, watch):
        drag(page, knob("x0"), -260, 0)
        v = read(page)
        assert v["point:0"][1][0] <= 0
        for key in ("point:1", "point:2", "fwd:1", "bwd:0", "pair:0", "jac:0"):
            assert v[key][0] == "undefined here" and v[key][1] is None, key
        assert "undefined here" in page.inner_text("#status")
        assert page.locator("[data-panel='1'] text.undef").is_visible()
        shot(page, shots, "two-way-undefined")
        drag(page, knob("x0"), 330, 0)
        back = read(page)
        job = check(maps, back["point:0"][1], back["fwd:0"][1], back["bwd:2"][1])
    two_way_agrees(back, job.result(), 2)


def test_hostile_names_are_inert(site, browser, shots):
    """Input names constructor, __proto__, script, toString, valueOf, prototype, alert:
    shown as text, no script runs (no dialog), the numbers are right."""
    for case in ("two-way-hostile", "path-sums-hostile"):
        with opened(browser, site[case]) as (page, watch):
            body = page.inner_text("body")
            for name in ("constructor", "__proto__", "script", "toString") if case == "two-way-hostile" \
                    else ("constructor", "toString", "valueOf", "prototype", "alert"):
                assert name in body, name
            if case == "two-way-hostile":
                drag(page, knob("x0"), 40, 30)
                v = read(page)
                job = check(CASES[case][2], v["point:0"][1], v["fwd:0"][1], v["bwd:2"][1])
            else:
                page.click("[data-entry='0,0']")
                page.wait_for_selector("ol.terms[data-state='done']")
                v = read(page)
                job = check(CASES[case][2], [1, 2])
            shot(page, shots, case)
        c = job.result()
        if case == "two-way-hostile":
            two_way_agrees(v, c, 2)
        else:
            assert_shows(v, "total", c["jacobian"][0][0])


# -- path-sums ------------------------------------------------------------------------------------
EDGE_POINT = """(idx) => {
  const line = document.querySelector(`[data-edge="${idx}"] line.hit`);
  const len = line.getTotalLength();
  const p = line.getPointAtLength(0.18 * len).matrixTransform(line.getScreenCTM());
  return [p.x, p.y];
}"""


def every_edge_and_entry(page, graph: int):
    """Click every edge (a real click on the edge) and assemble every entry; returns
    (edges: [(stage, dst, src, name, sym, value text)], entries: {(i, j): values})."""
    edges = []
    count = page.evaluate(f"DATA.graphs[{graph}].edges.length")
    for idx in range(count):
        x, y = page.evaluate(EDGE_POINT, idx)
        page.mouse.click(x, y)
        e = page.evaluate(f"DATA.graphs[{graph}].edges[{idx}]")
        v = read(page)
        edges.append((e["stage"], e["dst"], e["src"], v["edge-sym"][0], v["edge-val"][0]))
    entries = {}
    for button in page.locator("[data-entry]").all():
        i, j = (int(t) for t in button.get_attribute("data-entry").split(","))
        button.click()
        page.wait_for_selector("ol.terms[data-state='done']")
        v = read(page)
        zero = page.locator("ol.terms li.zero").count()
        entries[(i, j)] = (v, zero)
    return edges, entries


def paths_agree(edges, entries, c):
    for stage, dst, src, sym, val in edges:
        assert agrees(val, c["jacobians"][stage][dst][src]), (stage, dst, src, val)
        assert sym.replace("^", "**") == c["jacobians_symbolic"][stage][dst][src]
    for (i, j), (v, _) in entries.items():
        assert_shows(v, "total", c["jacobian"][i][j])
        assert_shows(v, "entry", c["jacobian"][i][j])


@pytest.mark.parametrize("case", ["path-sums", "path-sums-example"])
def test_path_sums(case, site, browser, shots):
    """At three points set by dragging a slider: every edge's partial, symbolic and at
    the point, and every entry assembled path by path, against jacviz check."""
    maps = CASES[case][2]
    jobs = []
    with opened(browser, site[case], reduced_motion="reduce") as (page, watch):
        for dx in (60, -140, 45):
            drag(page, knob("x0"), dx, 0)
            v = read(page)
            x0 = [v[f"node:0:{j}"][1] for j in range(page.locator("[data-node^='0:']").count())]
            edges, entries = every_edge_and_entry(page, 0)
            jobs.append((edges, entries, check(maps, x0)))
        shot(page, shots, case)
        if case == "path-sums":  # graph B: the second lesson's graph, with its zero paths
            page.click("[data-graph='B']")
            edges, entries = every_edge_and_entry(page, 1)
            graph_b = ["(x1, x2, x3) -> (x1*x2, x3^2)", "(u1, u2) -> (u1 + u2, u1*u2)"]
            jobs.append((edges, entries, check(graph_b, [1, 2, 3])))
            # dy2/dx3 = (u2)(0) + (u1)(2 x3): the path through u1 is a zero path
            v, zero = entries[(1, 2)]
            assert zero == 1 and v["total"][0] == "12"
            assert entries[(0, 0)][1] == 1 and entries[(0, 2)][1] == 1 and entries[(1, 1)][1] == 1
            shot(page, shots, "path-sums-graph-b")
    for edges, entries, job in jobs:
        paths_agree(edges, entries, job.result())


def test_path_sums_assembles_term_by_term(site, browser):
    """Without reduced motion the sum is revealed one path at a time, with a running total."""
    with opened(browser, site["path-sums"]) as (page, watch):
        page.click("[data-entry='0,0']")
        # a moment with the first path shown and not the second, the sum still running
        page.wait_for_selector("ol.terms[data-state='running']:not(:has(li[data-term='1'])) "
                               "li[data-term='0']")
        page.wait_for_selector("ol.terms[data-state='done']")
        v = read(page)
        assert [v["running:0"][0], v["running:1"][0], v["total"][0], v["entry"][0]] == ["2", "10", "10", "10"]
        page.keyboard.press("r")  # back to the page as it opened: the clip's entry, 1,1
        page.wait_for_selector("ol.terms[data-state='done']")
        assert page.locator("[data-entry].current").get_attribute("data-entry") == "0,0"
        assert read(page)["total"][0] == "10"


def test_path_sums_opens_on_the_entry_set(site, browser):
    """Issue 21: `--set entry=1,2` selects that entry when the page opens, every path of it
    shown and summed, as the clip assembles it."""
    maps = CASES["path-sums-example"][2]
    job = check(maps, [1, 2])
    with opened(browser, site["path-sums-example"], reduced_motion="reduce") as (page, watch):
        page.wait_for_selector("ol.terms[data-state='done']")
        assert page.locator("[data-entry].current").get_attribute("data-entry") == "0,1"
        v = read(page)
    c = job.result()
    assert_shows(v, "total", c["jacobian"][0][1])
    assert_shows(v, "entry", c["jacobian"][0][1])


def test_path_sums_undefined_here(site, browser, shots):
    with opened(browser, site["path-sums-log"], reduced_motion="reduce") as (page, watch):
        page.click("[data-entry='0,0']")
        drag(page, knob("x0"), -400, 0)
        v = read(page)
        assert v["node:0:0"][1] <= 0
        assert v["node:1:0"][0] == "undefined here" and v["total"][0] == "undefined here"
        assert "undefined here" in page.inner_text("#status")
        shot(page, shots, "path-sums-undefined")


# -- level-sets ------------------------------------------------------------------------------------
def level_sets_agree(v, c):
    assert_shows(v, "r", c["points"][1])
    assert_shows(v, "z", c["points"][2])
    assert_shows(v, "vel", c["pushforward"][1])
    assert_shows(v, "grad", c["pullback"][1])
    assert_shows(v, "dzdt", c["jacobian"][0][0])


@pytest.mark.parametrize("case", ["level-sets", "level-sets-example"])
def test_level_sets(case, site, browser, shots):
    f, r1, r2 = CASES[case][2]
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        v = read(page)
        if case == "level-sets":  # on the level set f = 1: dz/dt = 0, the right angle is marked
            assert v["dzdt"][0] == "0" and "perpendicular" in v["perp"][0]
        for handle, dx, dy in (("dot", 90, 40), ("dot", -60, 150), ("t0", 120, 0)):
            drag(page, knob(handle), dx, dy)
            v = read(page)
            jobs.append((v, check([r1, f], [v["t"][1]], [1.0])))
        shot(page, shots, case)
        page.click("[data-curve='1']")
        for dx in (-150,):
            drag(page, knob("dot"), dx, 0)
            v = read(page)
            jobs.append((v, check([r2, f], [v["t"][1]], [1.0])))
        shot(page, shots, case + "-curve2")
    ts = [v["t"][1] for v, _ in jobs[:3]]
    assert len(set(ts)) == len(ts)  # every drag moved the dot
    for v, job in jobs:
        level_sets_agree(v, job.result())


# -- jacobian-grid, local-linearity ----------------------------------------------------------------
@pytest.mark.parametrize("case", ["jacobian-grid", "jacobian-grid-example"])
def test_jacobian_grid(case, site, browser, shots):
    maps = CASES[case][2]
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        n = page.locator("[data-handle^='x']").count()
        for handle, dx in (("x0", 50), (f"x{n - 1}", -80), ("x0", -120)):
            drag(page, knob(handle), dx, 0)
            v = read(page)
            jobs.append((v, check(maps, v["point"][1])))
        shot(page, shots, case)
    for v, job in jobs:
        c = job.result()
        J = c["jacobians"][0]
        for i, row in enumerate(J):
            for j, val in enumerate(row):
                assert_shows(v, f"J:{i}:{j}", val)
        assert_shows(v, "value", c["points"][1])


def test_jacobian_grid_undefined_here(site, browser, shots):
    with opened(browser, site["jacobian-grid-sqrt"]) as (page, watch):
        drag(page, knob("x0"), -300, 0)
        v = read(page)
        assert v["J:0:0"][0] == "undefined here" and v["value"][0] == "undefined here"
        assert "undefined here" in page.inner_text("#status")
        shot(page, shots, "jacobian-grid-undefined")


@pytest.mark.parametrize("case", ["local-linearity", "local-linearity-example"])
def test_local_linearity(case, site, browser, shots):
    maps = CASES[case][2]
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        for dx, dy in ((60, -30), (-90, 70), (20, 40)):
            drag(page, knob("x0"), dx, dy)
            v = read(page)
            jobs.append((v, check(maps, v["x0"][1])))
        page.click("[data-zoom]")
        zoomed = read(page)
        assert zoomed["gap"][1] < v["gap"][1]  # near x0 the bent grid is nearly the linear one
        shot(page, shots, case)
    for v, job in jobs:
        c = job.result()
        assert_shows(v, "y0", c["points"][1])
        assert_shows(v, "J", c["jacobians"][0])
        (a, b), (cc, d) = c["jacobians"][0]
        assert_shows(v, "det", a * d - b * cc)


@pytest.mark.parametrize("case", ["local-linearity-example", "local-linearity-flip",
                                  "local-linearity-singular"])
def test_local_linearity_circle_and_ellipse(case, site, browser, shots):
    """"circle -> ellipse": the singular values, the directions v_i (the core's signs), det J
    and the way round, as the core gives them for J from `jacviz check`, also after a drag;
    the square gives way to the circle and comes back."""
    from jacviz.core.svd import decompose

    maps = CASES[case][2]
    jobs = []
    with opened(browser, site[case]) as (page, watch):
        page.click("[data-circle]")
        assert page.get_attribute("[data-circle]", "aria-pressed") == "true"
        jobs.append((read(page), check(maps, read(page)["x0"][1])))
        drag(page, knob("x0"), 40, -25)
        jobs.append((read(page), check(maps, read(page)["x0"][1])))
        shot(page, shots, case + "-circle")
        hidden = page.evaluate("getComputedStyle(document.querySelectorAll('path[fill-opacity=\"0.35\"]')[1])"
                               ".display")
        assert hidden == "none"  # the parallelogram gives way to the ellipse
        page.click("[data-circle]")
        assert read(page)["s"][1] is not None  # the numbers stay in the table
    for v, job in jobs:
        J = job.result()["jacobians"][0]
        d = decompose(J)
        assert_shows(v, "s", d.s.tolist())
        assert_shows(v, "v", d.V.T.tolist())
        assert v["orient"][1] == d.orientation
        assert v["orient"][0] == {1: "kept (det J > 0)", -1: "flips (det J < 0)",
                                  0: "lost: J(x0) is singular, the circle collapses"}[d.orientation]
    expected = {"local-linearity-example": 1, "local-linearity-flip": -1, "local-linearity-singular": 0}
    assert jobs[0][0]["orient"][1] == expected[case]


# -- the page itself, and the command line ---------------------------------------------------------
def test_pages_are_self_contained(site):
    for name, path in site.items():
        html = path.read_text()
        assert "Content-Security-Policy" in html and "default-src 'none'" in unescape(html)
        code = html.replace("http://www.w3.org/2000/svg", "")
        assert "http://" not in code and "https://" not in code and "src=" not in code, name
        assert html.count("<script") == 4  # prelude, data, common, canvas: nothing else


def test_numbers_are_written_as_the_clips_write_them(site, browser):
    """The page's number format is jacviz.core.fmt.fmt_num's (3 significant digits, integers
    plain, Python's rounding of exact ties), and a value that is not finite is "undefined here"."""
    import random

    rng = random.Random(7)
    values = [0.125, 1.125, -0.125, 2.5, 0.0005, 1e-5, 12345.678, 999.5, 9995, 0.99951, 1e21,
              -3.0000000001, 0.30000000000000004, 1 / 3, 1234.5, 0.00012345, 99950, 5e-13, -0.0, 1e15]
    values += [rng.choice([-1, 1]) * rng.random() * 10 ** rng.randint(-14, 14) for _ in range(500)]
    values += [rng.randint(100, 999) / 10 ** rng.randint(0, 6) + 5 / 10 ** rng.randint(1, 8)
               for _ in range(500)]
    with opened(browser, site["two-way"]) as (page, watch):
        shown = page.evaluate("(vs) => vs.map(v => JV.fmt(v))", values)
        special = page.evaluate("[NaN, Infinity, -Infinity].map(v => JV.fmt(v))")
    assert [(v, s) for v, s in zip(values, shown) if s != fmt_num(v)] == []
    assert special == ["undefined here"] * 3


def test_comparisons_follow_the_rule_of_the_clips(site, browser):
    """The page's JV.compare is jacviz.core.fmt.compare (plain text): the same sides, sign and
    stated difference for numbers and vectors, equal or not, from the same constants."""
    import random

    from jacviz.core.fmt import compare

    rng = random.Random(24)
    pairs = [(1.4312, 1.4339), (1.4345, 1.435), (1.0, 1.0 + 3.2e-9), (2.5, 2.5 + 4e-12),
             (0.1235 - 1e-12, 0.1235 + 1e-12), (-5.704596, -5.7046), (1e6, 1e6 + 1e-4),
             ([-1.0312, -1.4701], [-1.03, -1.47]), ([0.36813, 0.59001], [0.36813, 0.59])]
    for _ in range(400):
        a = rng.choice([-1, 1]) * rng.random() * 10 ** rng.randint(-6, 8)
        b = a * (1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-13, -1))
        pairs.append((a, b) if rng.random() < 0.6 else ([a, 1.5], [b, 1.5]))
    pairs += [(a, a) for a, _ in pairs[:50]]
    with opened(browser, site["two-way"]) as (page, watch):
        shown = page.evaluate("(ps) => ps.map(p => JV.compare(p[0], p[1]))", pairs)
    want = [compare(a, b) for a, b in pairs]
    got = [(s["equal"], s["a"], s["b"], s["sign"], s["note"]) for s in shown]
    assert [(c.equal, c.a, c.b, c.sign, c.note) for c in want] == got
    assert {c.sign for c in want} == {"=", "≠", "≈"}  # every kind was compared


def test_two_way_image_beside_the_arrows_tip(site, browser):
    """The true image's end beside the prediction (the arrow's tip): a small dx on a
    nonlinear map prints the two visibly different; a linear map says they coincide."""
    from jacviz.core.fmt import fmt_num

    with opened(browser, site["two-way-small-dx"]) as (page, watch):
        v = read(page)
        sign = page.get_attribute("[data-vs='2']", "data-sign")
    end, tip = v["image:2"], v["tip:2"]
    assert sign == "≠" and end[0] != tip[0]
    assert fmt_num(end[1][0]) == fmt_num(tip[1][0])  # at 3 digits they would read alike
    assert abs(float(end[0]) - end[1][0]) <= 0.5e-6 and abs(float(tip[0]) - tip[1][0]) <= 0.5e-6
    c = check(CASES["two-way-small-dx"][2], [0.703, -1.301]).result()  # the chain at x0 + dx
    assert agrees(end[0], c["points"][2])
    with opened(browser, site["two-way-linear"]) as (page, watch):
        v = read(page)
        texts = [page.inner_text(f"[data-vs='{k}']") for k in (1, 2)]
        signs = [page.get_attribute(f"[data-vs='{k}']", "data-sign") for k in (1, 2)]
    assert signs == ["=", "="] and all("they coincide" in t for t in texts)
    assert "tip:1" not in v and "tip:2" not in v
    with opened(browser, site["two-way"]) as (page, watch):  # g linear: u-space coincides
        assert page.inner_text("[data-vs='1']") == ": on the arrow's tip, they coincide"


def test_legible_on_a_projector(site, browser):
    """At 1280 x 720 the drawing is not shrunk: SVG text is at least 12 px."""
    for name in ("two-way", "two-way-example", "path-sums", "level-sets", "jacobian-grid", "local-linearity"):
        with opened(browser, site[name]) as (page, watch):
            scale = page.evaluate("document.querySelector('svg.view').getScreenCTM().a")
            smallest = page.evaluate("Math.min(...Array.from(document.querySelectorAll('svg.view text'))"
                                     ".map(t => parseFloat(getComputedStyle(t).fontSize)))")
            assert smallest * scale >= 12, (name, smallest, scale)


def cli(*args, cwd=ROOT):
    return subprocess.run([JACVIZ, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_cli_writes_the_page(tmp_path):
    res = cli("interactive", "two-way", "--set", "point=2,1", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    written = list((tmp_path / "renders").glob("two-way-*.html"))
    assert len(written) == 1 and res.stdout.strip() == f"page: {written[0]}"
    html = written[0].read_text()
    assert '"x0": [2.0, 1.0]' in html
    res = CLI.run(["interactive", "level-sets", "--out", "canvas.html"], tmp_path)
    assert res.returncode == 0 and (tmp_path / "canvas.html").exists(), res.stderr


BAD = [
    (["two-way", "--set", "point=1"], "point"),
    (["two-way", "--set", "maps=(x) -> x</script><script>alert(1)</script>; (u) -> u"], "maps"),
    (["two-way", "--set", "g=(x1, x2) -> (x1, x2)); alert(1); (("], "parameter g"),
    (["two-way", "--set", "point=1,2);alert(1);//"], "point"),
    (["two-way", "--set", "point=1e999,1"], "point"),
    (["path-sums", "--set", "output_names=<img src=x onerror=alert(1)>"], "output_names"),
    (["composition"], "two-way"),
    (["two-way", "--out", "page.txt"], ".html"),
]


def test_cli_bad_input_one_error_line_no_file(tmp_path):
    """Bad input: one line starting `error:`, exit status 2, nothing on stdout, no file
    (the first case as its own process, the others through the long-lived one)."""
    runs = [(BAD[0], cli("interactive", *BAD[0][0], cwd=tmp_path))]
    runs += [(bad, CLI.run(["interactive", *bad[0]], tmp_path)) for bad in BAD[1:]]
    for (args, fragment), res in runs:
        assert res.returncode == 2, (args, res.stdout, res.stderr)
        assert res.stderr.startswith("error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert fragment in res.stderr, (args, res.stderr)
        assert res.stdout == ""
    assert not any(tmp_path.rglob("*.html")) and not any(tmp_path.rglob("*.txt"))
    no = runs[-2][1].stderr
    assert "path-sums" in no and "level-sets" in no  # names the scenes that have a canvas


def test_slides_option():
    from jacviz.cli import build_parser

    p = build_parser()
    assert p.parse_args(["slides"]).canvases is True
    assert p.parse_args(["slides", "--no-canvases"]).canvases is False


# -- the deck and the gallery ------------------------------------------------------------------------
def test_gallery_shows_the_canvas_beside_the_clip(tmp_path, browser, shots):
    """A clip of jacobian-grid with point=2,1 (a short synthetic movie with the metadata
    `jacviz render` writes): the gallery shows its canvas, for those parameters, beside it."""
    import av
    import numpy as np

    from jacviz.studio import gallery

    renders = tmp_path / "renders"
    renders.mkdir()
    params = resolve_params("jacobian-grid", {"point": "2,1"})
    stem = f"jacobian-grid-{params.digest()}"
    with av.open(str(renders / f"{stem}.mp4"), "w") as out:
        stream = out.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for k in range(5):
            img = np.full((36, 64, 3), 40 * k, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    (renders / f"{stem}.json").write_text(json.dumps({
        "scene": "jacobian-grid", "params": {"f": "(x, y) -> (x^2 - y, x*y)", "point": [2.0, 1.0]},
        "changed": ["point"], "quality": "l", "format": "mp4",
        "command": "jacviz render jacobian-grid --set point=2,1"}))
    index = gallery.build(renders)
    assert (renders / f"{stem}.html").exists()
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(index.resolve().as_uri())
    frame = page.frame_locator("iframe[data-canvas]")
    frame.locator("body[data-ready='1']").wait_for(timeout=120_000)
    assert frame.locator("[data-q='J:0:0']").text_content() == "4"  # 2x at (2, 1)
    assert frame.locator("[data-q='value']").inner_text() == "(3, 2)"
    shot(page, shots, "gallery")
    ctx.close()
    assert not watch.errors and not watch.dialogs, (watch.errors, watch.dialogs)
    assert not watch.remote(), watch.remote()


def test_deck_has_a_canvas_slide(deck_job, browser, shots):
    """`jacviz slides jacobian-grid` (canvases on by default): the canvas is a slide after the
    clip's slides, loaded from canvases/ beside the deck, offline; PageUp in the canvas
    moves the deck."""
    proc, out = deck_job
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err
    html = (out / "index.html").read_text()
    assert html.count("data-jacviz-canvas-slide=") == 1 and (out / "canvases" / "jacobian-grid.html").exists()
    last_clip = html.rfind("data-background-video=")
    assert html.find("data-jacviz-canvas-slide=") > last_clip  # after the clip's slides
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    watch = Watch(page)
    page.goto((out / "index.html").resolve().as_uri())
    page.wait_for_function("typeof Reveal !== 'undefined' && Reveal.isReady()")
    total = page.evaluate("Reveal.getTotalSlides()")
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    page.evaluate(f"Reveal.slide({total - 1})")  # no transition: the slide is in place at once
    frame = page.frame_locator("iframe[data-jacviz-canvas]")
    frame.locator("body[data-ready='1']").wait_for(timeout=120_000)
    box = frame.locator(knob("x0")).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"], steps=5)
    page.mouse.up()
    assert frame.locator("[data-q='J:0:0']").text_content() != "2"  # the canvas answers in the deck
    shot(page, shots, "deck-canvas")
    frame.locator("[data-handle='x0']").press("PageUp")
    page.wait_for_function(f"Reveal.getIndices().h === {total - 2}")
    ctx.close()
    assert not watch.errors and not watch.dialogs, (watch.errors, watch.dialogs)
    assert not watch.remote(), watch.remote()
