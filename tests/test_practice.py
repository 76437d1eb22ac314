"""jacviz practice: the lessons' exercises through the command line, clips, deck, PDFs, JSON.

One tiny set (192x108, 5 fps, a one-second countdown) is made once through the CLI
and shared by the tests: its answers are the lessons'; the same seed gives the same
JSON; the worksheet and the answer key open and no page is blank; the deck's answer
box accepts the right answer, refuses a wrong one and "Show me" opens the worked
answer, in headless Chromium.  The practice scene's key frames for one exercise of
every kind are compared with tests/keyframes/practice-kind-<kind>.npz (regenerate with
JACVIZ_UPDATE_KEYFRAMES=1 and look at the PNGs in renders/keyframes/).
"""

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from jacviz.core import exercises as ex
from jacviz.core.exercises import KINDS
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params

from browser import CHROMIUM, FLAGS, not_blank
from test_scenes import FRAC_TOL, MEAN_TOL

ROOT = Path(__file__).resolve().parent.parent
CONTROL = ROOT / "tests" / "keyframes"
SIZE = (256, 144)
UPDATE = os.environ.get("JACVIZ_UPDATE_KEYFRAMES") == "1"
JACVIZ = str(Path(sys.executable).parent / "jacviz")
TINY = ["--resolution", "192,108", "--fps", "5", "--countdown", "1", "--quiet"]
WAIT_MS = 120_000  # a bound for a broken page, never a guess at how long loading takes

#: the lessons' own answers, seed 0 of every kind (LESSON.md)
LESSON_ANSWERS = {
    "jacobian-entry": [2, 1],  # J_11 = 2 and J_22 = 1 at (1, 2)
    "shape": "1x2",  # D(f o g) = Df Dg, (1x3)(3x2)
    "curve-dzdt": 0,  # on the level set f = 1
    "composition": 3,  # d/dx (f o g)(1) = 3
    "path-sum": 12,  # dy2/dx3 = (u2)(0) + (u1)(2 x3) = 2 x1 x2 x3
    "pushforward": 0.3,  # dy = 0.3 for dx = (0.1, 0.1)
    "pullback": [8, 9],  # Dg^T grad f
    "network": [0.5, 0.75],  # W^T Diag(sigmoid'(a)) c
}


def practice(*args, cwd):
    return subprocess.run([JACVIZ, "practice", *args], capture_output=True, text=True,
                          timeout=1800, cwd=cwd)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("practice")


@pytest.fixture(scope="module")
def lesson_set(work):
    """`jacviz practice --seed 0`, tiny."""
    res = practice("--seed", "0", "--out", str(work / "set0"), *TINY, cwd=work)
    assert res.returncode == 0, res.stderr[-3000:]
    return work / "set0"


def test_seed_zero_gives_the_lessons_exercises(lesson_set):
    items = json.loads((lesson_set / "practice.json").read_text())
    assert isinstance(items, list) and [it["kind"] for it in items] == list(KINDS)
    for it in items:
        assert {"kind", "question", "parameters", "answer", "steps"} <= set(it)
        assert it["seed"] == 0 and it["source"].startswith("lesson")
        assert isinstance(it["question"], str) and it["question"]
        assert it["steps"] and all(isinstance(s, str) and s for s in it["steps"])
        assert it["answer"] == LESSON_ANSWERS[it["kind"]], it["kind"]
        assert (lesson_set / it["clip"]).exists()
    assert items[0]["parameters"]["maps"]["F"] == "(x, y) -> (x^2 - y, x*y)"
    assert items[0]["parameters"]["point"] == [1, 2]


def test_every_output_is_there(lesson_set, work):
    for name in ("index.html", "worksheet.pdf", "answers.pdf", "practice.json",
                 "reveal.js/dist/reveal.js"):
        assert (lesson_set / name).exists(), name
    clips = sorted((lesson_set / "clips").glob("*.mp4"))
    assert [c.stem for c in clips] == [f"{i + 1:02d}-{k}-0" for i, k in enumerate(KINDS)]
    for clip in clips:
        cues = [c for c in clip.with_suffix(".srt").read_text().split("\n\n") if c.strip()]
        assert len(cues) >= 4, clip.name  # question, pause, steps, answer
        meta = json.loads(clip.with_suffix(".json").read_text())
        assert meta["scene"] == "practice" and meta["command"].startswith("jacviz render practice")
        assert ".tmp-" not in meta["command"] and str(lesson_set / "clips") in meta["command"]
    srt = (lesson_set / "clips" / "01-jacobian-entry-0.srt").read_text()
    assert "J_11 = dF_1/dx = 2*x, which at (1, 2) is 2." in srt and "Answer: 2, 1." in srt
    assert not list(work.glob(".*.tmp-*")), "a temporary folder was left behind"


def test_same_seed_writes_the_same_json(work):
    """The same seed twice through the command line (a small set, to keep the test short)."""
    args = ["--seed", "1", "--count", "2", "--kinds", "shape,curve-dzdt", *TINY]
    texts = []
    for name in ("first", "second"):
        res = practice(*args, "--out", str(work / name), cwd=work)
        assert res.returncode == 0, res.stderr[-3000:]
        texts.append((work / name / "practice.json").read_bytes())
    assert texts[0] == texts[1]
    items = json.loads(texts[0])
    assert [it["kind"] for it in items] == ["shape", "curve-dzdt"]
    assert [it["seed"] for it in items] == [1, 1]  # seed 1: seeds 1 * 1 of each kind


# -- the PDFs -------------------------------------------------------------------------
def pdf_pages(pdf: Path, out: Path) -> list[Path]:
    """Every page of a PDF as a PNG: pdftoppm (poppler-utils) when installed, else
    Chromium's PDF viewer, one page at a time, once its drawing has settled."""
    count = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert count >= 1, f"{pdf.name} has no pages"
    out.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / pdf.stem)],
                       check=True, timeout=300)
        pngs = sorted(out.glob(f"{pdf.stem}-*.png"))
        assert len(pngs) == count
        return pngs
    from PIL import Image
    from playwright.sync_api import sync_playwright

    def drawn(png):  # a white page is on screen: the viewer has drawn it
        a = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
        return a if (a > 240).mean() > 0.3 else None

    pngs = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                   headless=True, args=FLAGS,
                                                   viewport={"width": 850, "height": 1100})
        for k in range(1, count + 1):
            page = ctx.new_page()
            page.goto(f"{pdf.resolve().as_uri()}#page={k}&toolbar=0&navpanes=0&view=Fit")
            last, t0 = None, time.monotonic()
            while time.monotonic() - t0 < WAIT_MS / 1000:  # until two shots agree
                shot = page.screenshot()
                now = drawn(shot)
                if now is not None and last is not None and np.array_equal(now, last):
                    break
                last = now
            path = out / f"{pdf.stem}-{k}.png"
            path.write_bytes(shot)
            pngs.append(path)
            page.close()
        ctx.close()
    return pngs


@pytest.mark.parametrize("name", ["worksheet", "answers"])
def test_pdfs_open_and_no_page_is_blank(lesson_set, name, tmp_path):
    pdf = lesson_set / f"{name}.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pngs = pdf_pages(pdf, tmp_path)
    for png in pngs:
        assert not_blank(png), png.name
    assert len(pngs) >= (3 if name == "worksheet" else 2)  # eight questions with room to work


def test_latex_failure_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    from jacviz import cli
    from jacviz.studio import practice_set as studio

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(studio, "worksheet_tex", lambda exercises, title: r"\begin{document}\oops")
    status = cli.main(["practice", "--kinds", "shape", "--count", "1", "--out", "set", *TINY])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: pdflatex could not "
                                                                 "typeset the worksheet"), err
    assert not (tmp_path / "set").exists() and not list(tmp_path.glob(".set.tmp-*"))


PRACTICE_ERRORS = [
    (["--kinds", "jacobian,shape"], "unknown exercise kind 'jacobian'"),
    (["--kinds", ","], "--kinds needs at least one kind"),
    (["--count", "0"], "--count must be a whole number from 1"),
    (["--count", "many"], "invalid int value"),
    (["--seed", "-1"], "--seed must be a whole number from 0"),
    (["--seed", "1.5"], "invalid int value"),
    (["--countdown", "999"], "--countdown must be"),
    (["--resolution", "101,100"], "even"),
]


@pytest.mark.parametrize("args,fragment", PRACTICE_ERRORS)
def test_errors_are_one_line_and_nothing_is_written(args, fragment, tmp_path):
    res = practice(*args, "--out", str(tmp_path / "set"), cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], res.stderr
    assert res.stdout == "" and "Traceback" not in res.stderr
    assert not list(tmp_path.iterdir()), list(tmp_path.iterdir())


# -- the deck and its answer boxes, in headless Chromium -------------------------------
def typed_forms(answer) -> tuple[list[str], list[str]]:
    """Ways to type an answer that should be accepted, and wrong ones."""
    if isinstance(answer, str):
        r, c = answer.split("x")
        return [answer, f"{r} x {c}", f"{r} by {c}", f"({r}, {c})"], \
            [f"{c}x{r}" if r != c else f"{r}x{int(c) + 1}", "2", "", "x"]
    flat = answer if isinstance(answer, list) else [answer]
    text = ", ".join(f"{v:g}" for v in flat)
    right = [text, f"({text})", f"[{text}]", " ".join(f"{v:g}," for v in flat).rstrip(",")]
    wrong = [", ".join(f"{v + 1:g}" for v in flat), text + ", 1", "abc", "", "1/0",
             "sqrt(-1)", "(" + text, "eval('1')", "__proto__"]
    if len(flat) > 1:
        wrong.append(", ".join(f"{v:g}" for v in flat[::-1]) if flat[::-1] != flat else "0, 0")
        right.append(", ".join(f"({v:g})" if k else f"{v * 2:g}/2" for k, v in enumerate(flat)))
    else:
        right += [f"{flat[0] * 4:g}/4", f"+{flat[0]:g}", f"{flat[0]:g} + 0*pi", f"({flat[0]:g})"]
    return right, wrong


READER_ALPHABET = list("0123456789.,;()[] -+*/^xX_\t") + [
    "\u00d7", "by", "pi", "e", "sqrt(", "sin(", "abs(", "log(", "sigmoid(", "exp(-", "**", "1/2",
    "1e3", "e-3", "0x1", "1_0", "00", "[[", "]]", "1j", "%", "//", "@",
    "max(", "min(", "atan2(", "relu(", "asin(", "acos(", "cosh(", "log(8, ", ", 2)", "max(0, "]


@pytest.mark.skipif(shutil.which("node") is None, reason="node (Node.js) is not installed")
def test_page_reader_agrees_with_check_answer(tmp_path):
    """The deck's reader (run in node) and check_answer, on typed text near every kind's
    answers and on random text, decide the same."""
    import random

    from jacviz.studio.practice_deck import CHECKER

    rng = random.Random("jacviz practice reader")
    cases, want = [], []
    for e in [ex.generate(k, s) for k in KINDS for s in (0, 1, 2, 3)]:
        for _ in range(150):
            if rng.random() < 0.5:
                chars = list(rng.choice([e.answer_text, str(e.answer)]))
                for _ in range(rng.randint(0, 3)):
                    at = rng.randint(0, len(chars))
                    if rng.random() < 0.4 and chars:
                        chars.pop(min(at, len(chars) - 1))
                    else:
                        chars.insert(at, rng.choice(READER_ALPHABET))
                typed = "".join(chars)
            else:
                typed = "".join(rng.choice(READER_ALPHABET) for _ in range(rng.randint(0, 8)))
            cases.append({"ex": {"answer": e.answer, "tolerance": e.tolerance}, "typed": typed})
            want.append(ex.check_answer(e, typed))
    script = tmp_path / "reader.js"
    script.write_text(CHECKER + "\nconst cases = " + json.dumps(cases) + ";\n"
                      "console.log(JSON.stringify(cases.map(c => JV.check(c.ex, c.typed))));\n")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert sum(want) > 100  # many right answers among the cases, not only garbage
    assert got == want, [(c["typed"], c["ex"]["answer"], g) for c, g, w in zip(cases, got, want)
                         if g != w][:20]


def test_answer_boxes_check_in_the_browser(lesson_set, tmp_path):
    from playwright.sync_api import sync_playwright

    items = json.loads((lesson_set / "practice.json").read_text())
    cases, want = [], []
    for i, it in enumerate(items):
        e = ex.generate(it["kind"], it["seed"])
        right, wrong = typed_forms(it["answer"])
        for text in right + wrong + ["2*x", "1e999", "sin(0)+" + (right[0] if right else "0")]:
            cases.append({"i": i, "typed": text})
            want.append(ex.check_answer(e, text))
        assert all(ex.check_answer(e, t) for t in right), (e.id, right)
        assert not any(ex.check_answer(e, t) for t in wrong), (e.id, wrong)
    errors, remote = [], []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM,
                                                   headless=True, args=FLAGS,
                                                   viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: remote.append(r.url)
                if not r.url.startswith(("file:", "data:", "blob:")) else None)
        page.goto((lesson_set / "index.html").resolve().as_uri())
        page.wait_for_function("typeof Reveal !== 'undefined' && Reveal.isReady()",
                               timeout=WAIT_MS)
        # the page's reader agrees with check_answer on every form, right and wrong
        got = page.evaluate("""(cases) => {
            const data = JSON.parse(document.getElementById('practice-data').textContent);
            return cases.map(c => JV.check(data.exercises[c.i], c.typed));
        }""", cases)
        assert got == want, [(c, g, w) for c, g, w in zip(cases, got, want) if g != w]
        # the videos load from disk
        loaded = page.evaluate("""async () => Promise.all(Array.from(
            document.querySelectorAll('video.clip')).map(v => new Promise(done => {
                if (v.readyState >= 1) { done(v.duration > 0); return; }
                v.addEventListener('loadedmetadata', () => done(v.duration > 0));
                v.addEventListener('error', () => done(false));
                v.load(); })))""")
        assert loaded and all(loaded), loaded
        for i, it in enumerate(items):
            q = f"section.question[data-ex='{i}']"
            content = f"document.querySelector(\"section.answer[data-ex='{i}'] .content\").hidden"
            page.evaluate(f"Reveal.slide({1 + 2 * i})")
            box = page.locator(f"{q} input")
            box.fill(typed_forms(it["answer"])[1][0])  # wrong
            page.locator(f"{q} button.check").click()
            assert "Not yet" in page.locator(f"{q} .verdict").inner_text()
            assert page.evaluate(content) is True, f"exercise {i}: a wrong answer opened it"
            if i == 0:
                page.screenshot(path=str(tmp_path / "question-wrong.png"))
            if i == 1:  # "Show me" on the locked answer slide
                page.evaluate(f"Reveal.slide({2 + 2 * i})")
                page.locator(f"section.answer[data-ex='{i}'] button.show").click()
                assert page.evaluate(content) is False
                continue
            box.fill(it["answer_text"])
            page.locator(f"{q} button.check").click()
            assert "Right" in page.locator(f"{q} .verdict").inner_text(), it["answer_text"]
            assert page.evaluate(content) is False, f"exercise {i}: the right answer did not open it"
        page.evaluate("Reveal.slide(2)")
        page.wait_for_function("document.querySelector(\"section.answer[data-ex='0'] video\")"
                               ".currentTime > 1", timeout=WAIT_MS)  # the worked answer plays
        page.screenshot(path=str(tmp_path / "answer-open.png"))
        ctx.close()
    assert not errors, errors
    assert not remote, remote
    assert not_blank(tmp_path / "question-wrong.png") and not_blank(tmp_path / "answer-open.png")


# -- key frames: one exercise of every kind ---------------------------------------------
@pytest.mark.parametrize("kind", list(KINDS))
def test_kind_keyframes_match_control(kind, tmp_path):
    params = resolve_params("practice", {"kind": kind, "seed": "0"})
    frames, problems = keyframes("practice", params, resolution=SIZE, work=tmp_path,
                                 check_layout=True)
    from test_layout import known  # the known layout violations, listed in one place (issue 21)

    bad = [str(p) for p in problems if p.kind not in known("practice", "sweep")]
    assert not bad, bad
    names = [n for n, _ in frames]
    assert names[:2] == ["question", "pause"] and names[-1] == "answer" and len(names) >= 4
    rgb = np.stack([f[..., :3] for _, f in frames])
    path = CONTROL / f"practice-kind-{kind}.npz"
    if UPDATE:
        np.savez_compressed(path, frames=rgb, names=np.array(names))
        from PIL import Image

        out = ROOT / "renders" / "keyframes"
        out.mkdir(parents=True, exist_ok=True)
        for i, (n, f) in enumerate(zip(names, rgb)):
            Image.fromarray(f).save(out / f"practice-kind-{kind}-{i}-{n}.png")
    assert path.exists(), f"no control data {path.name}: run with JACVIZ_UPDATE_KEYFRAMES=1"
    ref = np.load(path)
    assert list(ref["names"]) == names and ref["frames"].shape == rgb.shape
    for name, a, b in zip(names, rgb.astype(int), ref["frames"].astype(int)):
        diff = np.abs(a - b)
        mean, frac = diff.mean(), (diff.max(axis=-1) > 48).mean()
        assert mean <= MEAN_TOL and frac <= FRAC_TOL, (
            f"practice/{kind} beat {name!r}: mean diff {mean:.2f}, {frac:.2%} of pixels changed")
    for name, f in zip(names, rgb):
        assert (f.max(axis=-1) > 60).mean() > 0.005, f"practice/{kind} beat {name!r} is blank"


# -- Ctrl-C while pdflatex runs -----------------------------------------------------------
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_while_pdflatex_runs(sig, tmp_path):
    """A stand-in pdflatex that never ends: the signal kills it, and the previous set stays."""
    from test_interrupts import (Command, assert_previous_intact, assert_stopped_cleanly,
                                 previous_outputs)

    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pdflatex").write_text("#!/bin/sh\nexec sleep 600\n")
    (fake / "pdflatex").chmod(0o755)
    before = previous_outputs(tmp_path / "set")  # not listed in a manifest: --force
    cmd = Command(["practice", "--kinds", "shape", "--count", "1", "--out", str(tmp_path / "set"),
                   "--force", *TINY], cwd=tmp_path, path_prefix=fake)
    cmd.wait_for("pdflatex")
    status, _, err = cmd.interrupt(sig)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert_previous_intact(tmp_path / "set", before)
    assert not list(tmp_path.glob(".set.tmp-*"))
