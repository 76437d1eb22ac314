"""The practice deck: a reveal.js page with a question slide and an answer slide per exercise.

Each exercise has two slides.  The question slide plays the clip's question and
its pause (the beats in ``jacviz.scenes.practice.QUESTION_BEATS``) and holds the
mastery gate: an answer box that checks what was typed against the core's answer
within the kind's tolerance (:data:`CHECKER`, a port of
:func:`jacviz.core.exercises.check_answer`'s reading rules: no ``eval``), and a "Show
me" button.  The answer slide plays the worked answer, but its content stays
hidden until the answer was right or "Show me" was pressed.  The page opens from
disk with no network request: reveal.js is a local copy, the clips sit beside the
page, and the exercises are data embedded with
:func:`jacviz.core.jsgen.to_json_for_script` (the script itself is fixed text).
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from ..core.errors import JacvizError
from ..core.jsgen import to_json_for_script
from .slides import _code_refs

#: seconds before the end of the pause at which the question clip stops (the pause
#: beat ends on a still frame at least this long)
STOP_EARLY = 0.3


def cue_times(srt: str) -> list[tuple[float, float]]:
    """(start, end) in seconds of every cue of an .srt file, in order."""
    def seconds(stamp: str) -> float:
        h, m, s = stamp.strip().replace(",", ".").split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    out = []
    for line in srt.replace("\r\n", "\n").split("\n"):
        if "-->" in line:
            a, b = line.split("-->")
            out.append((seconds(a), seconds(b)))
    return out


def answer_hint(answer) -> str:
    """How to type the answer, from its form (a placeholder for the box)."""
    if isinstance(answer, str):
        return "rows x columns, e.g. 2x3"
    if isinstance(answer, list) and answer and isinstance(answer[0], list):
        return "row by row, e.g. [[1, 2], [3, 4]]"
    if isinstance(answer, list):
        return f"{len(answer)} numbers, e.g. " + ", ".join(["1"] * len(answer))
    return "a number, e.g. 3 or 1/4"


def build(folder: Path, exercises, clips: list[Path], split: list[float], title: str) -> Path:
    """Write ``folder/index.html`` and ``folder/reveal.js/dist`` for the exercises.

    ``clips[i]`` is exercise i's clip (inside ``folder``), ``split[i]`` the time at
    which its worked answer starts.  Returns the page's path.
    """
    from .assets import reveal_dist

    if not (len(exercises) == len(clips) == len(split)):
        raise JacvizError("the deck needs one clip and one split time per exercise")
    dist = reveal_dist()
    shutil.copytree(dist, folder / "reveal.js" / "dist")
    data = {"exercises": [{"answer": ex.answer, "tolerance": ex.tolerance, "kind": ex.kind}
                          for ex in exercises]}
    sections = [_intro(title, len(exercises))]
    for i, (ex, clip, t) in enumerate(zip(exercises, clips, split)):
        src = html.escape(clip.relative_to(folder).as_posix())
        sections.append(_question(i, ex, src, max(0.0, t - STOP_EARLY)))
        sections.append(_answer(i, ex, src, t))
    page = PAGE.format(title=html.escape(title), sections="\n".join(sections),
                       data=to_json_for_script(data), checker=CHECKER, gate=GATE)
    if "https://" in _code_refs(page) or "http://" in _code_refs(page):
        raise JacvizError("the practice deck refers to a remote asset; it would not work offline")
    out = folder / "index.html"
    out.write_text(page)
    return out


def _intro(title: str, count: int) -> str:
    return f"""<section class="intro">
  <h2>{html.escape(title)}</h2>
  <p>{count} exercise{'s' if count != 1 else ''}. Each question slide has an answer box:
  type the answer and press <em>Check</em>. The worked answer on the next slide opens
  after a right answer, or after <em>Show me</em>.</p>
</section>"""


def _video(src: str, start: float, stop: float | None) -> str:
    to = f' data-to="{stop:.3f}"' if stop is not None else ""
    return (f'<video class="clip" muted playsinline preload="auto" data-from="{start:.3f}"{to}>'
            f'<source src="{src}" type="video/mp4"></video>')


def _question(i: int, ex, src: str, stop: float) -> str:
    hint = html.escape(answer_hint(ex.answer))
    return f"""<section class="question" data-ex="{i}">
  <h3>{i + 1}. {html.escape(ex.title)}</h3>
  {_video(src, 0.0, stop)}
  <form class="gate" data-ex="{i}" autocomplete="off">
    <label>Your answer <input type="text" name="answer" spellcheck="false"
      placeholder="{hint}" aria-label="your answer ({hint})"></label>
    <button type="submit" class="check">Check</button>
    <button type="button" class="show">Show me</button>
    <span class="verdict" role="status" aria-live="polite"></span>
  </form>
  <aside class="notes">{html.escape(ex.question)}</aside>
</section>"""


def _answer(i: int, ex, src: str, start: float) -> str:
    steps = "".join(f"<li>{html.escape(s.text)}</li>" for s in ex.steps)
    return f"""<section class="answer locked" data-ex="{i}">
  <h3>{i + 1}. {html.escape(ex.title)}: the worked answer</h3>
  <div class="lock">
    <p>Answer on the previous slide first, or</p>
    <button type="button" class="show" data-ex="{i}">Show me</button>
  </div>
  <div class="content" hidden>
    {_video(src, start, None)}
    <p class="result">Answer: <span>{html.escape(ex.answer_text)}</span></p>
  </div>
  <aside class="notes"><ol>{steps}</ol></aside>
</section>"""


#: check_answer's reading rules in JavaScript (jacviz.core.exercises.check_answer and
#: jacviz.core.parse.parse_vector / parse_number): a small recursive-descent reader of
#: numbers, + - * / ^ **, parentheses, pi, e and the parser's functions; never eval.
CHECKER = r"""
const JV = (() => {
  "use strict";
  /* name: [function, fewest arguments, most (Infinity: no limit)], as jacviz.core.parse */
  const one = (f) => [f, 1, 1];
  const FUNCS = {sin: one(Math.sin), cos: one(Math.cos), tan: one(Math.tan),
    asin: one(Math.asin), acos: one(Math.acos), atan: one(Math.atan),
    atan2: [(y, x) => { if (y === 0 && x === 0) { throw new Bad("atan2(0, 0)"); }
                        return Math.atan2(y, x); }, 2, 2],
    sinh: one(Math.sinh), cosh: one(Math.cosh), tanh: one(Math.tanh), exp: one(Math.exp),
    log: [(x, b) => {
      if (!(x > 0)) { throw new Bad("log of a number that is not positive"); }
      if (b === undefined) { return Math.log(x); }
      if (!(b > 0) || b === 1) { throw new Bad("log base"); }
      return Math.log(x) / Math.log(b); }, 1, 2],
    sqrt: one(Math.sqrt), abs: one(Math.abs), min: [Math.min, 2, Infinity],
    max: [Math.max, 2, Infinity], sigmoid: one((x) => 1 / (1 + Math.exp(-x))),
    relu: one((x) => Math.max(0, x))};
  const CONSTS = {pi: Math.PI, e: Math.E};
  const OPEN = "([", CLOSE = ")]";
  class Bad extends Error {}
  const finite = (v) => { if (!Number.isFinite(v)) { throw new Bad("not finite"); } return v; };

  function literal(text) {
    const t = text.replace(/_/g, "");
    const base = {x: 16, o: 8, b: 2}[t.slice(0, 2).toLowerCase().slice(1)];
    if (t[0] === "0" && base) { return parseInt(t.slice(2), base); }
    if (/^0\d+$/.test(t) && !/^0+$/.test(t)) {
      throw new Bad("leading zero");  /* as in Python: 01 is not a number, 00 and 01.5 are */
    }
    return parseFloat(t);
  }

  function tokens(src) {
    const out = [];
    const D = String.raw`\d(?:_?\d)*`;  /* Python's literals: digits with single underscores */
    const NUM = String.raw`(0[xX](?:_?[\da-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|`
      + String.raw`(?:(?:${D})?\.${D}|${D}\.?)(?:[eE][+-]?${D})?)`;
    const re = new RegExp(String.raw`\s*(?:` + NUM + String.raw`|([A-Za-z_]\w*)|(\*\*|[-+*/(),]))`, "y");
    let k = 0;
    src = src.replace(/\^/g, "**");
    while (k < src.length) {
      if (/^\s*$/.test(src.slice(k))) { break; }
      re.lastIndex = k;
      const m = re.exec(src);
      if (!m) { throw new Bad("unreadable"); }
      k = re.lastIndex;
      out.push(m[1] !== undefined ? {num: literal(m[1])} : m[2] !== undefined ? {name: m[2]}
        : {op: m[3]});
    }
    return out;
  }

  function parseNumber(text) {
    if (typeof text !== "string" || text.length > 10000 || !text.trim()) { throw new Bad("empty"); }
    const toks = tokens(text);
    let i = 0;
    const peek = () => toks[i], isOp = (t, op) => t !== undefined && t.op === op;
    const expect = (op) => { if (!isOp(toks[i], op)) { throw new Bad("expected " + op); } i++; };
    function expr() {
      let v = term();
      while (isOp(peek(), "+") || isOp(peek(), "-")) {
        const op = toks[i++].op, r = term();
        v = finite(op === "+" ? v + r : v - r);
      }
      return v;
    }
    function term() {
      let v = unary();
      while (isOp(peek(), "*") || isOp(peek(), "/")) {
        const op = toks[i++].op, r = unary();
        if (op === "/" && r === 0) { throw new Bad("division by zero"); }
        v = finite(op === "*" ? v * r : v / r);
      }
      return v;
    }
    function unary() {
      if (isOp(peek(), "-")) { i++; return -unary(); }
      if (isOp(peek(), "+")) { i++; return unary(); }
      return power();
    }
    function power() {
      const base = atom();
      if (isOp(peek(), "**")) { i++; const ex = unary(); return finite(Math.pow(base, ex)); }
      return base;
    }
    function atom() {
      const t = toks[i++];
      if (t === undefined) { throw new Bad("missing"); }
      if (t.num !== undefined) { return finite(t.num); }
      if (t.op === "(") { const v = expr(); expect(")"); return v; }
      if (t.name !== undefined) {
        if (Object.prototype.hasOwnProperty.call(CONSTS, t.name)) { return CONSTS[t.name]; }
        if (Object.prototype.hasOwnProperty.call(FUNCS, t.name)) {
          const [f, fewest, most] = FUNCS[t.name];
          expect("(");
          const args = [expr()];
          while (isOp(peek(), ",")) { i++; args.push(expr()); }
          expect(")");
          if (args.length < fewest || args.length > most) { throw new Bad("arguments"); }
          return finite(f(...args));
        }
      }
      throw new Bad("unexpected");
    }
    const v = expr();
    if (i !== toks.length) { throw new Bad("trailing"); }
    return finite(v);
  }

  function splitTop(src, sep) {
    const parts = [];
    let depth = 0, cur = "";
    for (const ch of src) {
      if (OPEN.includes(ch)) { depth++; } else if (CLOSE.includes(ch)) { depth--; }
      if (ch === sep && depth === 0) { parts.push(cur); cur = ""; } else { cur += ch; }
    }
    parts.push(cur);
    return parts;
  }

  function encloses(src) {
    if (src.length < 2) { return false; }
    const ends = src[0] + src[src.length - 1];
    if (ends !== "()" && ends !== "[]") { return false; }
    let depth = 0;
    for (let k = 0; k < src.length; k++) {
      if (OPEN.includes(src[k])) { depth++; }
      if (CLOSE.includes(src[k])) { depth--; }
      if (depth === 0 && k < src.length - 1) { return false; }
    }
    return true;
  }

  function stripOuter(src) {
    src = src.trim();
    if (src.length >= 2 && OPEN.includes(src[0]) && CLOSE.includes(src[src.length - 1])) {
      const inner = src.slice(1, -1);
      let depth = 0;
      for (const ch of inner) {
        if (OPEN.includes(ch)) { depth++; }
        if (CLOSE.includes(ch)) { depth--; }
        if (depth < 0) { return src; }
      }
      return inner;
    }
    return src;
  }

  function parseVector(text, length) {
    let src = text.trim();
    if (encloses(src)) { src = src.slice(1, -1); }
    if (!src.trim()) { throw new Bad("empty"); }
    const values = splitTop(src, ",").map(parseNumber);
    if (values.length !== length) { throw new Bad("length"); }
    return values;
  }

  function typedMatrix(text, rows, cols) {
    const src = stripOuter(text);
    let parts;
    if (src.includes(";")) {
      parts = splitTop(src, ";");
    } else {
      parts = splitTop(src, ",");
      if (!parts.every((p) => OPEN.includes(p.trim().slice(0, 1) || "x"))) {
        const flat = parseVector(text, rows * cols);
        return Array.from({length: rows}, (_, r) => flat.slice(r * cols, (r + 1) * cols));
      }
    }
    if (parts.length !== rows) { throw new Bad("rows"); }
    return parts.map((p) => parseVector(p, cols));
  }

  const SHAPE = /^\s*[([]?\s*(\d+)\s*(?:x|X|\u00d7|by|,)\s*(\d+)\s*[)\]]?\s*$/;
  function parseShape(text) {
    if (typeof text !== "string" || text.length > 100) { return null; }
    const m = SHAPE.exec(text);
    return m ? [parseInt(m[1], 10), parseInt(m[2], 10)] : null;
  }

  /* true when typed is the exercise's answer within its tolerance (check_answer) */
  function check(ex, typed) {
    const answer = ex.answer;
    if (typeof typed !== "string") { return false; }
    if (typeof answer === "string") {
      const want = parseShape(answer), got = parseShape(typed);
      return want !== null && got !== null && want[0] === got[0] && want[1] === got[1];
    }
    const tol = Number(ex.tolerance) + 1e-12;
    try {
      if (Array.isArray(answer) && answer.length && Array.isArray(answer[0])) {
        const got = typedMatrix(typed, answer.length, answer[0].length);
        return got.every((row, r) => row.every((g, c) => Math.abs(g - answer[r][c]) <= tol));
      }
      const want = Array.isArray(answer) ? answer : [answer];
      const got = parseVector(typed, want.length);
      return got.every((g, k) => Math.abs(g - want[k]) <= tol);
    } catch (err) {
      if (err instanceof Bad) { return false; }
      throw err;
    }
  }
  return {check, parseNumber, parseShape};
})();
"""

#: the gate and the clips' segments on the page
GATE = r"""
(() => {
  "use strict";
  const DATA = JSON.parse(document.getElementById("practice-data").textContent);
  const index = (el) => {
    const i = Number(el.dataset.ex);
    return Number.isInteger(i) && i >= 0 && i < DATA.exercises.length ? i : null;
  };
  const answerSlide = (i) =>
    Array.from(document.querySelectorAll("section.answer")).find((s) => index(s) === i);

  function playSegment(v) {
    v.currentTime = Number(v.dataset.from) || 0;
    const p = v.play();
    if (p && p.catch) { p.catch(() => {}); }
  }
  function stopAtEnd(v) {
    const to = Number(v.dataset.to);
    if (v.dataset.to !== undefined && Number.isFinite(to) && v.currentTime >= to) {
      v.pause();
      v.currentTime = to;
    }
  }
  function watch(v) {
    v.addEventListener("timeupdate", () => stopAtEnd(v));
    if (v.requestVideoFrameCallback) {
      const tick = () => { stopAtEnd(v); v.requestVideoFrameCallback(tick); };
      v.requestVideoFrameCallback(tick);
    }
    v.addEventListener("click", () => playSegment(v));
  }
  function start(slide) {
    document.querySelectorAll("video.clip").forEach((v) => v.pause());
    const v = slide && slide.querySelector("video.clip");
    if (v && !v.closest("[hidden]")) { playSegment(v); }
  }
  function unlock(i, how) {
    const s = answerSlide(i);
    if (!s) { return; }
    s.classList.remove("locked");
    s.dataset.unlocked = how;
    s.querySelector(".lock").hidden = true;
    s.querySelector(".content").hidden = false;
    Reveal.layout();
    if (Reveal.getCurrentSlide() === s) { start(s); }
  }
  document.querySelectorAll("video.clip").forEach(watch);
  document.querySelectorAll("form.gate").forEach((form) => {
    const i = index(form);
    const verdict = form.querySelector(".verdict");
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const ok = i !== null && JV.check(DATA.exercises[i], form.elements.answer.value);
      verdict.textContent = ok ? "Right! The worked answer is open." : "Not yet: try again.";
      verdict.className = "verdict " + (ok ? "right" : "wrong");
      if (ok) { unlock(i, "right"); }
    });
  });
  document.querySelectorAll("button.show").forEach((b) => {
    const i = index(b.closest("[data-ex]"));
    b.addEventListener("click", () => { if (i !== null) { unlock(i, "shown"); } });
  });
  Reveal.initialize({hash: true, controls: true, progress: true, slideNumber: "c/t",
                     width: 1280, height: 720, margin: 0.03, autoPlayMedia: false,
                     transition: "none"});
  Reveal.on("ready", (e) => start(e.currentSlide));
  Reveal.on("slidechanged", (e) => start(e.currentSlide));
})();
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="reveal.js/dist/reveal.css">
<link rel="stylesheet" href="reveal.js/dist/theme/black.css">
<style>
.reveal {{ font-size: 30px; }}
.reveal .slides section {{ text-align: center; }}
.reveal h2, .reveal h3 {{ text-transform: none; }}
.reveal h3 {{ font-size: 1.1em; margin-bottom: 12px; color: #F0E442; }}
.reveal video.clip {{ height: 500px; max-height: 500px; background: #000; cursor: pointer; }}
.reveal form.gate {{ margin-top: 14px; font-size: 0.9em; }}
.reveal form.gate input {{ font: inherit; width: 16em; padding: 4px 8px; border-radius: 4px;
  border: 2px solid #9A9A9A; background: #1C1C1C; color: #fff; }}
.reveal button {{ font: inherit; font-size: 0.85em; padding: 4px 14px; margin-left: 8px;
  border-radius: 4px; border: 2px solid #56B4E9; background: #1C1C1C; color: #fff;
  cursor: pointer; }}
.reveal button.show {{ border-color: #9A9A9A; }}
.reveal .verdict {{ display: block; min-height: 1.3em; margin-top: 8px; }}
.reveal .verdict.right {{ color: #009E73; }}
.reveal .verdict.wrong {{ color: #D55E00; }}
.reveal .lock {{ margin-top: 180px; color: #9A9A9A; }}
.reveal .result {{ margin: 10px 0 0; }}
.reveal .result span {{ color: #F0E442; }}
.reveal .intro p {{ font-size: 0.9em; max-width: 30em; margin: 20px auto; }}
</style>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="reveal.js/dist/reveal.js"></script>
<script id="practice-data" type="application/json">{data}</script>
<script>{checker}</script>
<script>{gate}</script>
</body>
</html>
"""
