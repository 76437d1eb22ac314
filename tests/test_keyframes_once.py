"""Key frames without a dry run first (issue 20, watch_number): a scene whose TeX snippets are
all in the cache runs once; one that lacks a snippet stops at it, compiles every missing
snippet in one batch (the dry run of ``prepare_tex``), and runs again."""

from __future__ import annotations

import numpy as np
import pytest

from jacviz.engine import tex_cache
from jacviz.studio import registry
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params

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


def _frames(cls, point):
    return keyframes(SCENE, resolve_params(SCENE, {"point": point}), resolution=SIZE,
                     scene_cls=cls)


def test_a_missing_snippet_is_compiled_in_one_batch_then_a_cached_scene_runs_once(counted,
                                                                                   tmp_path):
    cls, runs, stages = counted
    # an empty cache: the first run stops at the first snippet, the dry run gathers them all,
    # one batch compiles them, and the scene runs again
    cold = _frames(cls, "0.7,1.3")
    assert runs == ["draw", "dry", "draw"]
    seen = stages()
    assert seen.count("tex-missing") == 1 and seen.count("tex-batch") == 1, seen
    assert "tex" not in seen, seen  # not one snippet compiled on its own
    assert seen.count("keyframes") == 2
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


def test_a_draw_that_swallows_the_stop_is_drawn_again_after_the_batch(counted, tmp_path):
    """Scene code that catches every exception cannot keep a stand-in-less draw: what was
    missing is compiled in the batch and the scene drawn again, with the same frames."""
    cls, runs, stages = counted

    class Swallowing(cls):
        def construct(self):
            try:
                return super().construct()
            except Exception:  # noqa: BLE001 - what careless scene code does
                return None

    frames = _frames(Swallowing, "0.7,1.3")
    assert runs == ["draw", "dry", "draw"]
    seen = stages()
    assert seen.count("tex-batch") == 1 and "tex" not in seen, seen
    runs.clear()
    again = _frames(cls, "0.7,1.3")
    assert runs == ["draw"] and stages() == ["keyframes"]
    assert len(frames) == len(again) > 0
    for (name, a), (_, b) in zip(frames, again):
        assert np.array_equal(a, b), name


def test_tex_that_latex_refuses_is_still_its_one_error(counted, tmp_path):
    """A snippet LaTeX cannot typeset: the draw on the cache stops at it, the batch cannot
    make it, and the second run compiles it on its own and raises the usual error."""
    from manim import MathTex, Scene, tempconfig

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

    def prepare():
        tex_cache.prepare(lambda: draw() and Scene())  # a Scene: no play durations to read

    with tempconfig(opts):
        with pytest.raises(JacvizError, match="LaTeX cannot typeset"):
            tex_cache.cached_first(draw, prepare)
    seen = stages()
    assert seen.count("tex-missing") == 1 and seen.count("tex") == 1, seen
    assert made == ["dry"]  # the draws never got a glyph, only the dry run its stand-in
    assert not list((tmp_path / "media" / "Tex").glob("*.svg"))
