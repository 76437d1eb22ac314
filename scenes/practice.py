"""Practice: one of the lessons' exercises as a clip -- the question, a pause, the worked answer.

Beats: ``question`` (the exercise's question, as on the worksheet); ``pause`` (a card
with a countdown while the viewer works it out); ``step-1`` ... ``step-n`` (each worked
step adds its row to the board, drawn with the kit: Jacobians as JacobianMatrix,
perturbations orange, gradients sky blue, points and values green, what is asked
yellow; a path sum follows its paths on a ComputationGraph); ``answer`` (the answer,
boxed).  Every number comes from :mod:`jacviz.core.exercises` (the core): the question, the
steps and the board's rows; the captions are the steps as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from manim import (DOWN, PI, RIGHT, TAU, UP, Arc, Circle, Create, FadeIn, FadeOut, MoveToTarget,
                   RoundedRectangle, SurroundingRectangle, Tex, ValueTracker, VGroup, Write, linear)

from jacviz.core.errors import JacvizError
from jacviz.core.exercises import KINDS, MAX_SEED, generate
from jacviz.core.fmt import fmt_num
from jacviz.core.spoken import say_int, say_num, say_vec
from jacviz.kit import (ColoredTex, ComputationGraph, JacobianMatrix, JacvizScene, SceneParams,
                        param, style)
from jacviz.kit.matrix import MatrixBlock

#: the beats before the worked answer (the deck's question slide plays these)
QUESTION_BEATS = ("question", "pause")
ROLES = {"ink": style.INK, "forward": style.FORWARD, "backward": style.BACKWARD,
         "point": style.POINT, "highlight": style.HIGHLIGHT, "warn": style.WARN,
         "muted": style.MUTED}
ROW_GAP = 0.32
ANSWER_HEIGHT = 1.7  # at most, for the answer box at the bottom
CARD_HEIGHT, CARD_GAP = 1.5, 0.6  # the pause card, under the question
MAX_COUNTDOWN = 120


@dataclass(frozen=True)
class PracticeParams(SceneParams):
    kind: str = param("jacobian-entry", f"the exercise kind: {', '.join(KINDS)}", kind="text")
    seed: int = param(0, "which exercise of that kind (seed 0: the lesson's own)", kind="int")
    countdown: int = param(10, "seconds counted down on the pause card (0: a short pause)",
                           kind="int")

    def build(self):
        if self.kind not in KINDS:
            raise JacvizError(f"parameter kind: unknown exercise kind {self.kind!r}; choose one "
                              f"of {', '.join(KINDS)}")
        if not 0 <= self.seed <= MAX_SEED:
            raise JacvizError(f"parameter seed must be a whole number from 0 to 2^63 - 1, "
                              f"got {self.seed}")
        if not 0 <= self.countdown <= MAX_COUNTDOWN:
            raise JacvizError(f"parameter countdown must be 0 to {MAX_COUNTDOWN} seconds, "
                              f"got {self.countdown}")
        return generate(self.kind, self.seed)


def paragraph(tex: str, width: float, font_size: float, color=style.INK) -> Tex:
    """Text with $math$, wrapped by TeX to ``width`` frame units, ragged right."""
    per_cm = Tex(r"\rule{10cm}{1pt}", font_size=font_size).width / 10
    return Tex(r"\begin{minipage}{%.3fcm}\raggedright %s\end{minipage}" % (width / per_cm, tex),
               font_size=font_size, color=color)


def row_mob(parts, font_size=style.BODY) -> VGroup:
    """One row of the board (see jacviz.core.exercises: tex, matrix, block and mark parts)."""
    mobs, texs, bodies = [], [], []

    def flush():
        if texs:
            mobs.append(ColoredTex(*texs, font_size=font_size))
            texs.clear()

    for p in parts:
        color = ROLES[p.get("role", "ink")]
        if "tex" in p:
            texs.append((p["tex"], color))
            continue
        flush()
        if "matrix" in p:
            m = JacobianMatrix(p["matrix"], color=color, font_size=font_size,
                               row_labels=p.get("rows"), col_labels=p.get("cols"))
            mobs.append(VGroup(m, *[m.highlight_entry(i, j) for i, j in p.get("highlight", [])]))
            bodies.append((mobs[-1], m.body()))
        elif "block" in p:
            mobs.append(MatrixBlock(*p["block"], p["label"], color=color, font_size=style.SMALL))
        elif "mark" in p:
            mobs.append(style.xmark(0.3))
    flush()
    row = VGroup(*mobs).arrange(RIGHT, buff=0.18)
    for m, body in bodies:  # a labelled matrix sits on the row's line by its body
        m.shift((row.get_y() - body.get_y()) * UP)
    return row


class Practice(JacvizScene):
    Params = PracticeParams
    EXAMPLE = {"kind": "path-sum", "seed": "3", "countdown": "5"}

    def construct(self):
        ex = self.n
        self.ask()
        self.pause()
        for k, step in enumerate(ex.steps):
            self.work(k, step)
        self.answer()

    # -- beats ---------------------------------------------------------------------------
    def ask(self):
        ex = self.n
        self.beat("question", f"Practice, {ex.title}: {ex.question}", say=say_question(ex))
        self.set_title(f"Practice: {ex.title}")
        room = style.CONTENT_TOP - style.content_bottom() - CARD_HEIGHT - CARD_GAP
        for size in (style.TITLE, style.BODY, style.SMALL, style.TINY):
            q = paragraph(ex.question_tex, style.safe_width(), size)
            if q.height <= room:
                break
        style.fit(q, style.safe_width(), room)
        middle = (style.CONTENT_TOP + style.content_bottom()) / 2  # question and card, centred
        self.question = q.move_to([0, middle + (CARD_HEIGHT + CARD_GAP) / 2, 0])
        self.play(FadeIn(q, shift=0.2 * DOWN), run_time=1.2)
        self.wait(2.5)

    def pause(self):
        seconds = self.params.countdown
        self.beat("pause", "Pause the video and work it out"
                  + (f": {seconds} seconds on the clock" if seconds else "")
                  + "; the worked answer follows.", say=say_pause(seconds))
        label = style.caption_text(r"Pause and work it out", style.HIGHLIGHT, style.BODY)
        track = Circle(radius=0.5, color=style.MUTED, stroke_width=5)
        face = VGroup(track, label).arrange(RIGHT, buff=0.5) if seconds else VGroup(label)
        box = RoundedRectangle(width=face.width + 0.8, height=CARD_HEIGHT, corner_radius=0.2,
                               stroke_color=style.HIGHLIGHT, stroke_width=3,
                               fill_color=style.PANEL, fill_opacity=1)
        self.card = VGroup(box, face.move_to(box))
        self.card.next_to(self.question, DOWN, buff=CARD_GAP)
        self.play(FadeIn(self.card, shift=0.2 * UP), run_time=0.6)
        if not seconds:
            self.wait(2)
            return
        clock = ValueTracker(seconds)
        center = track.get_center()
        ring = Arc(radius=0.5, start_angle=PI / 2, angle=TAU, color=style.HIGHLIGHT,
                   stroke_width=7, arc_center=center)
        digits = [style.math(str(k), font_size=style.BODY).move_to(center)
                  for k in range(seconds + 1)]
        num = digits[seconds].copy()
        ring.add_updater(lambda m: m.become(Arc(
            radius=0.5, start_angle=PI / 2, angle=max(1e-3, TAU * clock.get_value() / seconds),
            color=style.HIGHLIGHT, stroke_width=7, arc_center=center)))
        num.add_updater(lambda m: m.become(digits[math.ceil(clock.get_value() - 1e-9)]))
        self.add(ring, num)
        self.play(clock.animate.set_value(0), run_time=seconds, rate_func=linear)
        ring.clear_updaters()
        num.clear_updaters()
        self.remove(ring, num)
        self.card.add(num)
        self.wait(1)  # a still end: the deck's question slide stops here

    def start_board(self):
        """Clear the question; the board (and a path sum's graph) take its place, above the
        room kept for the answer.  The rows are built now, so that their column is centred."""
        ex, top = self.n, style.CONTENT_TOP
        left, right = -style.safe_width() / 2, style.safe_width() / 2
        self.rows, self.path_hl, self.graph = [], None, None
        self.result = ColoredTex((r"\text{Answer:}\ ", style.INK), (ex.answer_tex, style.HIGHLIGHT),
                                 font_size=style.BODY)
        style.fit(self.result, style.safe_width() - 0.4, ANSWER_HEIGHT - 0.4)
        bottom = style.content_bottom() + self.result.height + 0.75
        if "graph" in ex.figure:
            self.graph = ComputationGraph(ex.figure["graph"], left=left, right=-0.45, top=top,
                                          bottom=bottom - 0.1)
            left = 0.15
        self.todo = [style.fit(row_mob([p for p in st.board if "path" not in p]), right - left,
                               top - bottom) for st in ex.steps]
        width = max(m.width for m in self.todo)
        left = (left + right - width) / 2
        self.board_box = (left, left + width, top, bottom)
        self.play(FadeOut(self.question), FadeOut(self.card), run_time=0.6)
        self.set_title(f"Worked answer: {ex.title}")
        if self.graph is not None:
            self.play(self.graph.grow(0.4))

    def work(self, k, step):
        self.beat(f"step-{k + 1}", step.text, say=say_step(self.n, k, step))
        if k == 0:
            self.start_board()
        paths = [p["path"] for p in step.board if "path" in p]
        if paths and self.graph is not None:
            hl = self.graph.highlight_path(self.n.figure["terms"][paths[0]])
            self.play(*([FadeOut(self.path_hl)] if self.path_hl else []),
                      *[Create(m) for m in (hl.nodes, *hl.edges)], *[FadeIn(m) for m in hl.extra],
                      run_time=0.8)
            self.path_hl = hl.group
            self.bring_to_front(*hl.indicate)
        self.add_row(self.todo[k])
        self.wait(2)

    def add_row(self, new):
        """Put a row under the board's last row; the oldest rows leave when it is full."""
        left, right, top, bottom = self.board_box
        keep = list(self.rows)
        while keep and sum(m.height + ROW_GAP for m in keep) + new.height > top - bottom:
            keep.pop(0)
        gone = [m for m in self.rows if m not in keep]
        y = top
        for m in keep:
            m.generate_target()
            m.target.move_to([left + m.width / 2, y - m.height / 2, 0])
            y -= m.height + ROW_GAP
        new.move_to([left + new.width / 2, y - new.height / 2, 0])
        moves = [FadeOut(m) for m in gone] + [MoveToTarget(m) for m in keep if gone]
        if moves:
            self.play(*moves, run_time=0.6)
        self.play(FadeIn(new, shift=0.15 * DOWN), run_time=0.9)
        self.rows = keep + [new]

    def answer(self):
        ex = self.n
        within = f" (within {fmt_num(ex.tolerance)})" if ex.tolerance >= 0.01 else ""
        self.beat("answer", f"Answer: {ex.answer_text}{within}.", say=say_answer(ex))
        line = self.result.move_to([0, style.content_bottom() + 0.25 + self.result.height / 2, 0])
        box = SurroundingRectangle(line, color=style.POINT, buff=0.18, corner_radius=0.12,
                                   stroke_width=4)
        self.play(Create(box), Write(line), run_time=1.2)
        self.wait(3)


__all__ = ["Practice", "PracticeParams", "QUESTION_BEATS", "paragraph", "row_mob"]


# -- narration: what each beat says ----------------------------------------------------------
def say_question(ex) -> str:
    return (f"Time to practise: {ex.title}. The question is on the screen. "
            f"Read it through, and decide first what shape the answer has.")


def say_pause(seconds) -> str:
    clock = f" You have {say_int(int(seconds))} seconds on the clock." if seconds else ""
    return f"Pause the video now, and work it out on paper.{clock} The worked answer follows."


def say_step(ex, k, step) -> str:
    return f"Step {say_int(k + 1)} of {say_int(len(ex.steps))}. {step.text}"


def say_answer(ex) -> str:
    try:
        said = say_vec(ex.answer)
    except (TypeError, ValueError):
        said = str(ex.answer_text)
    within = f", to within {say_num(ex.tolerance)}" if ex.tolerance >= 0.01 else ""
    return (f"The answer is {said}{within}. Check yours against it, and if the two differ, "
            f"go back through the steps to find where.")
