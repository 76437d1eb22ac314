"""``jacviz practice``: one reproducible set of exercises, as everything a lecturer needs.

:func:`build` takes plain arguments and writes, into one folder (default
``renders/practice-<seed>/``):

- ``clips/NN-<kind>-<seed>.mp4`` with captions (``.srt``) and metadata (``.json``),
  one per exercise, rendered by the render driver from the ``practice`` scene;
- ``index.html``: the slide deck (:mod:`jacviz.studio.practice_deck`), a question
  slide with an answer box and a worked-answer slide per exercise, with a local
  copy of reveal.js;
- ``worksheet.pdf`` (the questions, with room to work) and ``answers.pdf`` (the
  answers with their worked steps), typeset by pdflatex from the exercises' LaTeX;
- ``practice.json``: the set, one object per exercise (kind, question, parameters,
  answer, steps, ...), the same bytes for the same arguments.

The folder is a folder output (:class:`jacviz.studio.output.FolderTarget`): checked
before any work, made in a staging folder and put in place at the end, replacing
only what an earlier set wrote there (its manifest); a folder holding other files
is refused unless ``force``.  An interrupt or an error leaves the previous set as it
was.  pdflatex runs as a child process
(:func:`jacviz.core.signals.run_child`: Ctrl-C kills it) in a temporary directory.
Nothing here parses arguments or prints: progress goes to the ``report`` callback.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

from ..core.errors import JacvizError
from ..core.exercises import KINDS, MAX_SEED, practice_set
from ..core.signals import run_child, stage
from .output import FolderTarget
from .render import render
from .request import RenderRequest, clip_metadata, resolve_params, workdir

MAX_EXERCISES = 100
MAX_COUNTDOWN = 120  # as the practice scene's parameter


def default_out(seed: int) -> Path:
    return workdir() / "renders" / f"practice-{seed}"


def check_arguments(kinds, count, seed, countdown: int = 10) -> list[str]:
    """The kinds as a list; one-line errors for an unknown kind, a bad count, seed or
    countdown."""
    kinds = list(KINDS) if not kinds else list(kinds)
    for k in kinds:
        if k not in KINDS:
            raise JacvizError(f"unknown exercise kind {k!r}; valid kinds: {', '.join(KINDS)}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_EXERCISES:
        raise JacvizError(f"--count must be a whole number from 1 to {MAX_EXERCISES}, got {count!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise JacvizError(f"--seed must be a whole number from 0 to 2^63 - 1, got {seed!r}")
    if isinstance(countdown, bool) or not isinstance(countdown, int) or \
            not 0 <= countdown <= MAX_COUNTDOWN:
        raise JacvizError(f"--countdown must be a whole number of seconds from 0 to "
                          f"{MAX_COUNTDOWN}, got {countdown!r}")
    return kinds


def set_json(exercises, clips: list[str]) -> str:
    """practice.json: one object per exercise, with its clip's path in the folder."""
    items = [{**ex.to_json(), "clip": clip} for ex, clip in zip(exercises, clips)]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def build(out: Path | None = None, kinds: list[str] | None = None, count: int = 8, seed: int = 0,
          quality: str = "l", resolution=None, fps=None, countdown: int = 10,
          report: Callable[[str], None] | None = None, force: bool = False) -> dict:
    """Write the practice set; returns its paths: ``folder``, ``json``, ``deck``,
    ``worksheet``, ``answers`` and ``clips`` (a list).  ``force``: write into a folder
    that holds files jacviz did not make (kept; one with the name of a file of the set
    is replaced)."""
    from . import practice_deck
    from .assets import reveal_dist

    say = report or (lambda text: None)
    kinds = check_arguments(kinds, count, seed, countdown)
    target = FolderTarget(Path(out) if out is not None else default_out(seed),
                          option="--out" if out is not None else "", force=force,
                          example=str(default_out(seed)))
    target.check()  # before any work
    out = target.path
    exercises = practice_set(kinds, count, seed)
    names = [f"{i + 1:02d}-{ex.id}" for i, ex in enumerate(exercises)]
    requests = [RenderRequest("practice", resolve_params("practice", {
        "kind": ex.kind, "seed": str(ex.seed), "countdown": str(countdown)}),
        quality=quality, resolution=resolution, fps=fps) for ex in exercises]
    reveal_dist()  # before the first render: a missing npm is one line, now
    if shutil.which("pdflatex") is None:
        raise JacvizError("the worksheet needs pdflatex, which is not installed: "
                          "apt-get install texlive-latex-base texlive-latex-recommended")
    title = f"Practice: Jacobians and the chain rule (set {seed})"
    with target.staging() as tmp:
        say("worksheet and answer key (pdflatex)")  # first: a TeX error costs no render
        typeset(worksheet_tex(exercises, title), tmp / "worksheet.pdf", "worksheet")
        typeset(answers_tex(exercises, title), tmp / "answers.pdf", "answer key")
        clips, split = [], []
        for i, (ex, name, req) in enumerate(zip(exercises, names, requests)):
            req.out = tmp / "clips" / f"{name}.mp4"
            say(f"clip {i + 1}/{len(exercises)}: {ex.kind}, seed {ex.seed}")
            t0 = time.perf_counter()
            clip = render(req)[-1]
            req.out = out / "clips" / clip.name  # the metadata names where the clip will be
            clip.with_suffix(".json").write_text(json.dumps(clip_metadata(req), indent=2))
            req.out = clip
            say(f"  done in {time.perf_counter() - t0:.1f} s")
            clips.append(clip)
            split.append(answer_start(clip.with_suffix(".srt")))
        say("deck")
        practice_deck.build(tmp, exercises, clips, split, title)
        (tmp / "practice.json").write_text(set_json(exercises, [f"clips/{n}.mp4" for n in names]))
        target.commit(tmp)
    return {"folder": out, "json": out / "practice.json", "deck": out / "index.html",
            "worksheet": out / "worksheet.pdf", "answers": out / "answers.pdf",
            "clips": [out / "clips" / f"{n}.mp4" for n in names]}


def answer_start(srt: Path) -> float:
    """When a practice clip's worked answer starts: the end of its question beats."""
    from ..scenes.practice import QUESTION_BEATS
    from .practice_deck import cue_times

    cues = cue_times(srt.read_text()) if srt.exists() else []
    if len(cues) <= len(QUESTION_BEATS):
        raise JacvizError(f"the clip {srt.stem} has no captions for its beats")
    return cues[len(QUESTION_BEATS) - 1][1]


# -- the worksheet and the answer key ----------------------------------------------------
PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\pdfobjcompresslevel=0
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{enumitem}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
\pagestyle{plain}
\begin{document}
\raggedright
"""


def _header(title: str, what: str) -> str:
    return ("{\\Large\\bfseries %s}\\\\[2pt]\n{\\large %s}\\par\\medskip\n\\hrule\\bigskip\n"
            % (title.replace("&", "\\&"), what))


def worksheet_tex(exercises, title: str) -> str:
    """The questions, each with room to work and a line for the answer."""
    items = ["\\item \\begin{minipage}[t]{\\linewidth}\\raggedright\\textbf{%s.} %s\\par\n\\vspace{4.2cm}\n"
             "Answer: \\rule{8cm}{0.4pt}\\end{minipage}\\bigskip" % (ex.title, ex.question_tex)
             for ex in exercises]  # a question and its room stay on one page
    return (PREAMBLE + _header(title, "Worksheet")
            + "Name: \\rule{7cm}{0.4pt}\\par\\bigskip\n"
            + "\\begin{enumerate}[label=\\textbf{\\arabic*.}, leftmargin=*]\n"
            + "\n".join(items) + "\n\\end{enumerate}\n\\end{document}\n")


def answers_tex(exercises, title: str) -> str:
    """Each question again, its answer, and the worked steps."""
    items = []
    for ex in exercises:
        steps = "\n".join(f"\\item {s.tex}" for s in ex.steps)
        within = (f" (within ${ex.tolerance:g}$)" if ex.tolerance >= 0.01 else "")
        items.append("\\item \\textbf{%s.} %s\\par\n\\textbf{Answer:} $%s$%s\\par\n"
                     "\\begin{enumerate}[label=\\alph*), itemsep=2pt]\n%s\n\\end{enumerate}\\bigskip"
                     % (ex.title, ex.question_tex, ex.answer_tex, within, steps))
    return (PREAMBLE + _header(title, "Answer key, with the worked steps")
            + "\\begin{enumerate}[label=\\textbf{\\arabic*.}, leftmargin=*]\n"
            + "\n".join(items) + "\n\\end{enumerate}\n\\end{document}\n")


def typeset(tex: str, pdf: Path, what: str) -> Path:
    """Compile ``tex`` with pdflatex in a temporary directory; write ``pdf`` only when it
    compiled.  A LaTeX error is one line naming ``what`` and the first TeX message."""
    with tempfile.TemporaryDirectory(prefix="jacviz-tex-") as work:
        src = Path(work) / "doc.tex"
        src.write_text(tex)
        cmd = [shutil.which("pdflatex") or "pdflatex", "-interaction=nonstopmode", "-halt-on-error",
               "-no-shell-escape", "-file-line-error", "doc.tex"]
        status, log, _ = run_child(cmd, "pdflatex", cwd=work, stdin=subprocess.DEVNULL)
        made = Path(work) / "doc.pdf"
        if status != 0 or not made.exists():
            raise JacvizError(f"pdflatex could not typeset the {what}: {_tex_error(log)}")
        stage("typeset", what)
        shutil.copyfile(made, pdf)
    return pdf


def _tex_error(log: str) -> str:
    lines = log.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("!") or ".tex:" in line and ": " in line:
            more = lines[k + 1].strip() if k + 1 < len(lines) else ""
            return " ".join(f"{line.strip()} {more}".split())[:300]
    return "no TeX message (see pdflatex's log)"
