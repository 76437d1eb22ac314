"""The draw log behind ``make bench``'s hd part: every render process logs each frame it
draws (Cairo's floor for the lesson at 1080p60), and the bench sums them."""

import os

from jacviz.studio.bench import _drawing, _video_seconds

from test_shards import read_frame_log, render


def test_every_render_process_logs_the_frames_it_draws(tmp_path):
    frames, draws = tmp_path / "frames", tmp_path / "draws"
    frames.mkdir()
    draws.mkdir()
    out = render(tmp_path, "jacobian-grid", tmp_path / "jg.mp4", "--jobs", "2",
                 env=dict(os.environ, JACVIZ_FRAME_LOG=str(frames), JACVIZ_DRAW_TIMES=str(draws)))
    logs = sorted(draws.glob("draw-*.txt"))
    assert len(logs) >= 2  # each shard, a forked process, logs its own frames
    for log in logs:
        rows = [[float(v) for v in ln.split()] for ln in log.read_text().splitlines()]
        assert rows and all(len(r) == 3 for r in rows)
        assert all(cpu >= 0 and wall >= 0 for cpu, wall, _ in rows)
        so_far = [r[2] for r in rows]  # the drawing thread's CPU so far, from the fork
        assert so_far == sorted(so_far) and so_far[-1] >= sum(r[0] for r in rows) - 1e-3
    written = read_frame_log(frames)
    changes = 1 + sum(a != b for a, b in zip(written, written[1:]))
    total = _drawing(draws)
    # every frame that differs from the one before was drawn; a frame held still is not
    # drawn again (a play draws its static part once, then the moving part per frame)
    assert changes <= total["draws"] <= 2 * len(written)
    assert total["draws"] == sum(len(f.read_text().splitlines()) for f in logs)
    assert 0 < total["draw_cpu_s"] <= total["main_thread_cpu_s"]
    seconds = _video_seconds(tmp_path)
    assert list(seconds) == ["jg"]
    assert abs(seconds["jg"] - len(written) / 3) < 0.5  # 3 fps


def test_without_the_variable_nothing_is_logged(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "JACVIZ_DRAW_TIMES"}
    render(tmp_path, "jacobian-grid", tmp_path / "jg.mp4", "--jobs", "1", env=env)
    assert not list(tmp_path.rglob("draw-*.txt"))
