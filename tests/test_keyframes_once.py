"""Key frames without a dry run first (issue 20, watch_number): a scene whose TeX snippets are
all in the cache runs once; at the first snippet it lacks, a forked child runs the rest of the
scene dry (stand-ins, as the dry run of ``prepare_tex``) and compiles every missing snippet in
one batch, and the draw goes on; where it cannot fork, the run goes on dry itself and the scene
is drawn again after the batch."""

from __future__ import annotations

import functools
import os
import traceback

import numpy as np
import pytest

from jacviz.engine import tex_cache
from jacviz.studio import registry
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params
from test_interrupts import HOW, HOW_IDS, Command, assert_stopped_cleanly

SCENE = "jacobian-grid"
SIZE = (128, 72)


@pytest.fixture
def counted(tmp_path, monkeypatch):
    """The scene's class, noting each run ("dry" or "draw"), in a folder with an empty TeX
    cache; the stage log's lines are read by ``stages()``."""
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "stages.log"
    monkeypatch.setenv("JACVIZ_STAGE_LOG", str(log))
    runs: list[str] = []
    base = registry.scene_class(SCENE)

    class Counted(base):
        def __init__(self, *args, **kwargs):
            runs.append("dry" if tex_cache.collecting() else "draw")
            super().__init__(*args, **kwargs)

    def stages() -> list[str]:
        names = [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []
        log.write_text("")
        return names

    return Counted, runs, stages


def in_one_thread(test):
    """Run the test in a child forked from the test process, where only the test's thread
    runs: a draw forks its gathering child only in a process of one thread, and a
    pytest-xdist worker runs a second (execnet's).  The child's failure is the test's."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            code, report = 0, b""
            try:
                test(*args, **kwargs)
            except BaseException:  # noqa: BLE001 - reported to the parent, whatever it is
                code, report = 1, traceback.format_exc().encode()
            with os.fdopen(write, "wb") as out:
                out.write(report)
            os._exit(code)
        os.close(write)
        with os.fdopen(read, "rb") as pipe:
            report = pipe.read()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, report.decode(errors="replace")

    return run


def _frames(cls, point):
    return keyframes(SCENE, resolve_params(SCENE, {"point": point}), resolution=SIZE,
                     scene_cls=cls)


@in_one_thread
def test_a_missing_snippet_is_compiled_in_one_batch_then_a_cached_scene_runs_once(counted,
                                                                                   tmp_path):
    cls, runs, stages = counted
    # an empty cache: at the first snippet a child gathers the rest (dry) and compiles them in
    # one batch; the draw goes on
    cold = _frames(cls, "0.7,1.3")
    assert runs == ["draw"]
    seen = stages()
    assert seen.count("tex-missing") == 1 and seen.count("tex-batch") == 1, seen
    assert "tex" not in seen, seen  # not one snippet compiled on its own
    assert seen.count("keyframes") == 1
    assert len(list((tmp_path / "media" / "Tex").glob("*.svg"))) > 10
    # every snippet cached: one run, no TeX at all, and the very same frames
    runs.clear()
    warm = _frames(cls, "0.7,1.3")
    assert runs == ["draw"]
    seen = stages()
    assert seen == ["keyframes"], seen
    assert [name for name, _ in warm] == [name for name, _ in cold]
    for (name, a), (_, b) in zip(warm, cold):
        assert a.shape == b.shape and np.array_equal(a, b), name
    # a new point of the same digits' places: its numbers are made from glyphs, in one run
    runs.clear()
    moved = _frames(cls, "0.8,1.6")
    assert runs == ["draw"]
    seen = stages()
    assert "tex-digits" in seen and not {"tex", "tex-batch", "tex-missing"} & set(seen), seen
    assert seen.count("keyframes") == 1
    assert any(not np.array_equal(a, b) for (_, a), (_, b) in zip(moved, warm))


@in_one_thread
def test_an_error_on_stand_ins_ends_the_gathering_and_a_real_error_is_the_draws(counted):
    """From the first missing snippet the gathering run is dry: what it raises there (a
    stand-in is no glyph) only ends the gathering, and the draw goes on after the batch.  An
    error on real glyphs is the draw's own."""
    cls, runs, stages = counted

    class FailsOnStandIns(cls):
        def construct(self):
            super().construct()
            if tex_cache.collecting():
                raise ValueError("a stand-in's width")

    frames = _frames(FailsOnStandIns, "0.7,1.3")
    assert runs == ["draw"]  # the child that gathered failed on a stand-in; the draw went on
    seen = stages()
    assert seen.count("tex-batch") == 1 and "tex" not in seen, seen
    runs.clear()
    again = _frames(FailsOnStandIns, "0.7,1.3")
    assert runs == ["draw"] and stages() == ["keyframes"]
    assert len(frames) == len(again) > 0
    for (name, a), (_, b) in zip(frames, again):
        assert np.array_equal(a, b), name

    class Fails(cls):
        def construct(self):
            super().construct()
            raise ValueError("the scene's own")

    runs.clear()
    with pytest.raises(ValueError, match="the scene's own"):
        _frames(Fails, "0.7,1.3")
    assert runs == ["draw"]


def test_without_a_fork_the_run_goes_on_dry_and_draws_again(counted):
    """While another thread runs, no fork: the run goes on dry from the first snippet the
    cache lacks, one batch, and the scene is drawn again, with the same frames."""
    import threading

    cls, runs, stages = counted
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        cold = _frames(cls, "0.7,1.3")
    finally:
        done.set()
        other.join()
    assert runs == ["draw", "draw"]
    seen = stages()
    assert seen.count("tex-batch") == 1 and "tex" not in seen and seen.count("keyframes") == 2
    runs.clear()
    warm = _frames(cls, "0.7,1.3")
    assert runs == ["draw"]
    for (name, a), (_, b) in zip(cold, warm):
        assert np.array_equal(a, b), name


@in_one_thread
def test_tex_that_latex_refuses_is_still_its_one_error(counted, tmp_path):
    """A snippet LaTeX cannot typeset: the gathering child's batch cannot make it, and the
    draw compiles it on its own and raises the usual error."""
    from manim import MathTex, tempconfig

    from jacviz.core.errors import JacvizError
    from jacviz.studio.request import manim_config

    _, _, stages = counted
    opts = manim_config(tmp_path / "media", write_to_movie=False, save_last_frame=False,
                        disable_caching=True)
    made = []

    def draw():
        mob = MathTex(r"x = \notacommand{1}")
        made.append("dry" if tex_cache.collecting() else "drawn")
        return mob

    with tempconfig(opts):
        with pytest.raises(JacvizError, match="LaTeX cannot typeset"):
            tex_cache.cached_first(draw)
    seen = stages()
    assert [n for n in seen if n.startswith("tex") and n != "tex-lock"] == \
        ["tex-missing", "tex-batch", "tex"], seen
    assert made == []  # here no stand-in (the gathering child made it) and no glyph
    assert not list((tmp_path / "media" / "Tex").glob("*.svg"))


def test_key_frames_draw_only_what_they_show_and_the_same_bytes(monkeypatch):
    """A play skipped to its end draws nothing and a still wait only its static image (the
    next key frame's background): fewer Cairo draws, every key frame the same to the byte
    as with every draw manim makes for a skipped play."""
    from manim.camera.camera import Camera

    from jacviz.kit.scene import JacvizScene

    draws = []
    capture = Camera.capture_mobjects

    def counted(self, *args, **kwargs):
        draws.append(1)
        return capture(self, *args, **kwargs)

    monkeypatch.setattr(Camera, "capture_mobjects", counted)
    for scene, sets in (("composition", {}), ("surface", {})):  # 2-D, and a 3-D camera
        params = resolve_params(scene, sets)
        keyframes(scene, params, resolution=SIZE)  # the TeX compiled, if it was not
        draws.clear()
        lean = keyframes(scene, params, resolution=SIZE)
        lean_draws = len(draws)
        with monkeypatch.context() as m:
            m.setattr(JacvizScene, "_draw_keyframes_only", lambda self: None)
            draws.clear()
            every = keyframes(scene, params, resolution=SIZE)
            every_draws = len(draws)
        assert len(lean) == len(every) > 0
        for (name, a), (other, b) in zip(lean, every):
            assert name == other and np.array_equal(a, b), (scene, name)
        assert len(lean) <= lean_draws < every_draws * 0.7, (scene, lean_draws, every_draws)


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_while_the_child_gathers(sig, group, tmp_path):
    """Ctrl-C or SIGTERM while the forked child compiles the batch (an empty TeX cache): one
    line, the status of the signal, no process and no temporary file left, no storyboard."""
    cmd = Command(["preview", SCENE, "--out", str(tmp_path / "board.png")], tmp_path,
                  hold="tex-batch")
    words = cmd.wait_for("tex-batch")
    assert int(words[1]) != cmd.proc.pid  # the batch is the gathering child's
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert not (tmp_path / "board.png").exists()
