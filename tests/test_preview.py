"""`jacviz preview`: a storyboard of every beat's last frame, cached, and --watch."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from jacviz.studio.preview import COLUMNS, GAP, LABEL_H, SIZE
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params

from test_interrupts import Command, assert_stopped_cleanly

JACVIZ = str(Path(sys.executable).parent / "jacviz")


def preview(cwd, *args, env=None):
    return subprocess.run([JACVIZ, "preview", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env=env)


def test_storyboard_tiles_every_beat_and_is_reused(tmp_path):
    res = preview(tmp_path, "two-way", "--set", "point=2,1")
    assert res.returncode == 0, res.stderr
    (line,) = res.stdout.splitlines()
    path = tmp_path / line.removeprefix("storyboard: ")
    assert line.startswith("storyboard: renders/two-way-") and path.exists()
    frames = keyframes("two-way", resolve_params("two-way", {"point": "2,1"}), resolution=SIZE)
    sheet = np.asarray(Image.open(path).convert("RGB"))
    rows = -(-len(frames) // COLUMNS)
    assert sheet.shape[0] == rows * (SIZE[1] + LABEL_H) + (rows + 1) * GAP
    for k, (_, frame) in enumerate(frames):  # every tile is that beat's last frame
        x = GAP + (k % COLUMNS) * (SIZE[0] + GAP)
        y = GAP + (k // COLUMNS) * (SIZE[1] + LABEL_H + GAP) + LABEL_H
        tile = sheet[y:y + SIZE[1], x:x + SIZE[0]].astype(int)
        assert np.abs(tile - frame[..., :3].astype(int)).mean() < 1.0
    # the same request again: the storyboard drawn before, nothing drawn anew
    log = tmp_path / "stages.log"
    again = preview(tmp_path, "two-way", "--set", "point=2,1",
                    env=dict(os.environ, JACVIZ_STAGE_LOG=str(log)))
    assert again.returncode == 0 and again.stdout == res.stdout
    stages = {line.split()[0] for line in log.read_text().splitlines()}
    assert stages and not stages & {"tile", "tex"}, stages
    # ... read before anything heavy is imported (interpreter start-up is what remains)
    timed = subprocess.run([sys.executable, "-X", "importtime", "-m", "jacviz", "preview", "two-way",
                            "--set", "point=2,1"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert timed.returncode == 0 and timed.stdout == res.stdout, timed.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in timed.stderr.splitlines()
                if line.startswith("import time:")}
    assert "jacviz.studio.preview" in imported
    assert not {m for m in imported if m.split(".")[0] in ("numpy", "sympy", "manim", "PIL")}


def test_preview_takes_the_same_errors_as_render(tmp_path):
    for args, fragment in ((["two-way", "--set", "pont=1"], "unknown parameter 'pont'"),
                           (["two-wya"], "unknown scene"),
                           (["two-way", "--out", "x.mp4"], "must end in .png"),
                           (["two-way", "--config", "/nope.toml"], "not found")):
        res = preview(tmp_path, *args)
        assert res.returncode == 2 and res.stdout == ""
        assert res.stderr.startswith("error: ") and fragment in res.stderr, res.stderr
    assert not (tmp_path / "renders").exists()


def test_watch_draws_again_when_the_config_changes_and_stops_on_ctrl_c(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[jacobian-grid]\npoint = [1, 2]\n')
    out = tmp_path / "board.png"
    cmd = Command(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                  tmp_path)
    cmd.wait_for("watching")
    first = out.read_bytes()
    cmd.stages.clear()
    cfg.write_text('[jacobian-grid]\npoint = [2, 1]\n')  # the lecturer edits the config
    cmd.wait_for("watching")
    assert out.read_bytes() != first
    cmd.stages.clear()
    cfg.write_text('[jacobian-grid]\npoint = [1, 2, 3]\n')  # a bad edit: its error, still watching
    cmd.wait_for("watching")
    status, stdout, err = cmd.interrupt(signal.SIGINT)
    assert "parameter point has 3 numbers" in err
    assert err.endswith("error: interrupted\n") and status == 130
    assert not cmd.leftovers()


def _red(px) -> bool:
    return px[0] >= 250 and px[1] <= 5 and px[2] <= 5


FLAT_SETS = {"f": "(x, y) -> (x, y/100)", "point": "0,0"}
FLAT = [a for k, v in FLAT_SETS.items() for a in ("--set", f"{k}={v}")]


def test_check_prints_each_problem_marks_it_red_and_exits_1(tmp_path):
    """A map whose Jacobian's columns differ a hundredfold breaks the check (its ellipse is
    so thin that sigma_2's label touches an arrowhead): one line per problem, a red box
    round each on the board, exit status 1."""
    res = preview(tmp_path, "local-linearity", *FLAT, "--check", "--out", "tw.png")
    assert res.returncode == 1, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "storyboard: tw.png" and res.stderr == ""
    frames, problems = keyframes("local-linearity", resolve_params("local-linearity", FLAT_SETS),
                                 resolution=SIZE, check_layout=True)
    count = len(problems)
    assert problems and lines[-1] == f"layout check: {count} problem{'' if count == 1 else 's'}"
    shown = lines[1:-1]
    assert len(shown) == len(problems)
    names = [name for name, _ in frames]
    sheet = np.asarray(Image.open(tmp_path / "tw.png").convert("RGB"))
    plain = np.asarray(Image.open(tmp_path / preview(tmp_path, "local-linearity", *FLAT)
                                  .stdout.split()[-1])
                       .convert("RGB"))
    for line, p in zip(shown, problems):  # beat, rule, what, where
        assert line.startswith(f"problem: {p.beat}: {p.kind}: {p.what} (tile ")
        l, t, r, b = p.where_px(SIZE)
        assert line.endswith(f"x {l}..{r}, y {t}..{b} px)")
        k = names.index(p.beat)
        x = GAP + (k % COLUMNS) * (SIZE[0] + GAP)
        y = GAP + (k // COLUMNS) * (SIZE[1] + LABEL_H + GAP) + LABEL_H
        # the box's left and right edges, 3 px out from the problem's box, red on the board
        mid = y + (t + b) // 2
        for col in (x + max(l - 3, 0), x + min(r + 3, SIZE[0] - 1)):
            assert _red(sheet[mid, col]), (line, sheet[mid, col])
            assert not _red(plain[mid, col])  # not red without --check
    assert {p.kind for p in problems} >= {"contact"}
    # asked again: the board is reused and the problems are told again, without drawing
    log = tmp_path / "stages.log"
    again = preview(tmp_path, "local-linearity", *FLAT, "--check", "--out", "tw.png",
                    env=dict(os.environ, JACVIZ_STAGE_LOG=str(log)))
    assert again.returncode == 1 and again.stdout == res.stdout
    assert not {line.split()[0] for line in log.read_text().splitlines()} & {"tile", "tex"}


def test_check_passes_a_clean_scene_with_exit_0(tmp_path):
    res = preview(tmp_path, "practice", "--check", "--out", "grid.png")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["storyboard: grid.png", "layout check: 0 problems"]
    _, problems = keyframes("practice", resolve_params("practice", {}), resolution=SIZE,
                            check_layout=True)
    assert problems == []
    sheet = np.asarray(Image.open(tmp_path / "grid.png").convert("RGB")).astype(int)
    red = (sheet[..., 0] >= 250) & (sheet[..., 1] <= 5) & (sheet[..., 2] <= 5)
    assert not red.any()
