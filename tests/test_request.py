"""One render request (issue 17 item 3): the qualities, the one manim configuration, the
request as plain data for a cluster, and forked shards that reuse the parameters they
inherited instead of parsing text again (item 5)."""

import json
import os

import pytest

from jacviz.core.errors import JacvizError
from jacviz.engine.params import SceneParams
from jacviz.studio.request import QUALITIES, RenderRequest, commit, manim_config, resolve_params
from jacviz.studio.shard import Shard, ShardJob, render_many


def test_the_qualities_are_manim_s():
    """One table of qualities: the size and frame rate of each are manim's own."""
    from manim import constants

    for flag, q in QUALITIES.items():
        theirs = constants.QUALITIES[q.manim]
        assert theirs["flag"] == flag
        assert (q.width, q.height, q.fps) == (theirs["pixel_width"], theirs["pixel_height"],
                                              theirs["frame_rate"])
    assert QUALITIES["l"].label == "480p15" and QUALITIES["k"].label == "2160p60"
    assert RenderRequest("two-way", quality="m").frame_rate == 30
    assert RenderRequest("two-way", quality="m", fps=12).frame_rate == 12


def test_one_manim_config_a_size_over_the_quality(tmp_path):
    """A request's size and frame rate win over its quality's, whatever manim applies first;
    its format, transparency and extra settings come through; the overrides last."""
    from manim import config, tempconfig

    request = RenderRequest("two-way", quality="h", format="webm", transparent=True,
                            resolution=(160, 90), fps=3, extra={"frame_rate": 4})
    opts = request.manim_config(tmp_path, "clip", from_animation_number=2)
    with tempconfig(opts):
        assert (config.pixel_width, config.pixel_height, config.frame_rate) == (160, 90, 4)
        assert config.format == "webm" and config.transparent and config.write_to_movie
        assert config.output_file == "clip" and config.disable_caching
        assert config.from_animation_number == 2
        assert config.media_dir == str(tmp_path) and config.progress_bar == "none"
    with tempconfig(RenderRequest("two-way", quality="h").manim_config(tmp_path, "clip")):
        assert (config.pixel_width, config.pixel_height, config.frame_rate) == (1920, 1080, 60)
    with tempconfig(RenderRequest("two-way", format="png").manim_config(tmp_path, "still")):
        assert config.save_last_frame and not config.write_to_movie
    bare = manim_config(tmp_path, write_to_movie=False)  # a dry run: no size, no output
    assert "quality" not in bare and "pixel_width" not in bare and not bare["write_to_movie"]


def test_a_shard_job_as_plain_data_for_a_worker(tmp_path):
    """The cluster's spec: JSON, the parameters as typed, validated again on the worker;
    another jacviz version is refused."""
    params = resolve_params("jacobian-grid", {"point": "0.5,-1.25", "f": "(x, y) -> (x*y, y^2)"})
    request = RenderRequest("jacobian-grid", params, quality="m", resolution=(160, 90), fps=3)
    job = ShardJob(request, Shard(1, 4, 9, 30), tmp_path / "shard1", last=True)
    spec = json.loads(json.dumps(job.spec()))
    assert spec["sets"] == {"point": "0.5,-1.25", "f": "(x, y) -> (x*y, y^2)"}
    again = ShardJob.from_spec(spec)
    assert again.shard == job.shard and again.media == job.media and again.last
    assert again.request.params.as_dict() == params.as_dict()
    assert again.request.params is not params
    assert (again.request.quality, again.request.resolution, again.request.fps) == ("m", (160, 90), 3)
    with pytest.raises(JacvizError, match="this worker has jacviz .*, the client 0.0.9"):
        ShardJob.from_spec(dict(spec, version="0.0.9"))


def test_forked_tasks_reuse_the_parameters_they_inherited(tmp_path, monkeypatch):
    """`jacviz render A B --jobs 2`: every plan and shard is a process forked from the
    queue's; none parses the parameters' text again (each would refuse here)."""
    monkeypatch.chdir(tmp_path)
    requests = [RenderRequest(name, resolve_params(name, {"point": "2,1"}), resolution=(160, 90),
                              fps=3, out=tmp_path / f"{name}.mp4")
                for name in ("jacobian-grid", "composition")]

    def parsed_again(self, values, source="--set"):
        raise JacvizError(f"parameters parsed again in process {os.getpid()}")

    monkeypatch.setattr(SceneParams, "with_values", parsed_again)  # the forked tasks inherit it
    written = render_many(requests, jobs=2)
    assert [paths[-1] for paths in written] == [tmp_path / "jacobian-grid.mp4",
                                                tmp_path / "composition.mp4"]
    for req in requests:
        meta = json.loads(req.target.with_suffix(".json").read_text())
        assert meta["params"]["point"] == [2.0, 1.0] and meta["changed"] == ["point"]
        assert "--set point=2,1" in meta["command"]
        assert req.target.with_suffix(".srt").read_text().startswith("1\n")


def test_commit_puts_a_clip_with_its_captions_and_metadata(tmp_path):
    """The one commit tail of every path: captions (a file or text), metadata, the clip last."""
    clip = tmp_path / "made.mp4"
    clip.write_bytes(b"movie")
    request = RenderRequest("two-way", out=tmp_path / "out" / "x.mp4")
    paths = commit(request, clip, "1\n00:00:00,000 --> 00:00:01,000\nhi\n")
    assert paths[-1] == tmp_path / "out" / "x.mp4" and paths[-1].read_bytes() == b"movie"
    assert (tmp_path / "out" / "x.srt").read_text().endswith("hi\n")
    meta = json.loads((tmp_path / "out" / "x.json").read_text())
    assert meta["scene"] == "two-way" and meta["command"].endswith(f"--out {tmp_path}/out/x.mp4")
    still = tmp_path / "made.png"
    still.write_bytes(b"png")
    assert commit(RenderRequest("two-way", format="png", out=tmp_path / "y.png"), still) == \
        [tmp_path / "y.png"]
    assert not (tmp_path / "y.json").exists() and not (tmp_path / "y.srt").exists()
