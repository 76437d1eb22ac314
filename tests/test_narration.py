"""The narration script: every beat's default spoken text, the script file, the overrides.

Each scene is run without drawing a frame (``jacviz.studio.script.narrate``); its spoken
numbers are checked against the core's values read by ``jacviz.core.spoken``.
"""

import re

import pytest

from jacviz.core.errors import JacvizError
from jacviz.core.spoken import (normalise, say_entry, say_num, say_vec, sentences,
                                word_count)
from jacviz.kit.scene import narrated
from jacviz.studio import registry
from jacviz.studio.registry import scene_class
from jacviz.studio.request import resolve_params
from jacviz.studio.script import (default_script, format_script, narrate, read_script,
                                  scene_overrides, write_script)

SCENES = registry.names()
_RUNS: dict = {}


def params_for(scene, tag):
    if tag == "default":
        return scene_class(scene).Params()
    return resolve_params(scene, scene_class(scene).EXAMPLE)


def run(scene, tag="default"):
    """The scene narrated once per module (the dry run takes a second or two)."""
    if (scene, tag) not in _RUNS:
        _RUNS[scene, tag] = narrate(scene, params_for(scene, tag))
    return _RUNS[scene, tag]


def said(scene, beat, tag="default"):
    return dict(run(scene, tag).narration)[beat]


@pytest.mark.parametrize("tag", ["default", "example"])
@pytest.mark.parametrize("scene", SCENES)
def test_every_beat_has_its_own_spoken_text(scene, tag):
    sc = run(scene, tag)
    assert [b for b, _ in sc.narration] == [b for b, _ in sc.beats]
    assert len(sc.narration) >= 4
    for (name, caption), (_, text) in zip(sc.beats, sc.narration):
        assert text.strip(), f"{scene}.{name}: no spoken text"
        assert normalise(text) != normalise(caption), f"{scene}.{name}: the caption, read out"
        if scene == "practice" and name.startswith("step-"):
            continue  # a worked step reads the exercise's own text (jacviz.core.exercises)
        assert 2 <= len(sentences(text)) <= 5, f"{scene}.{name}: {sentences(text)}"
        assert word_count(text) >= 15, f"{scene}.{name}: {text!r}"
        assert not re.search(r"\d", text), f"{scene}.{name}: a digit, not words: {text!r}"


def test_default_script_keys_are_scene_dot_beat():
    beats = default_script("two_way")  # the name as typed on the command line
    assert [k for k, _ in beats] == [f"two-way.{b}" for b, _ in run("two-way").beats]
    assert dict(beats)["two-way.duality"] == said("two-way", "duality")


# -- the spoken numbers are the core's --------------------------------------------------
def test_jacobian_grid_speaks_the_highlighted_entries():
    sc = run("jacobian-grid")
    text = said("jacobian-grid", "evaluate")
    assert sc.n.diag
    for i, j, v in sc.n.diag:
        assert say_entry(i, j, v) in text
    # LESSON.md §1: at (1, 2), J_11 = 2 and J_22 = 1
    assert "the entry in row one, column one is two" in text
    assert "the entry in row two, column two is one" in text
    assert say_vec(sc.n.x0) in text


@pytest.mark.parametrize("tag", ["default", "example"])
def test_two_way_speaks_the_trace(tag):
    tr = run("two-way", tag).n.tr
    assert say_vec(tr.pushforward[0]) in said("two-way", "push-forward", tag)
    assert say_vec(tr.pushforward[-1]) in said("two-way", "push-forward", tag)
    assert say_vec(tr.pullback[0]) in said("two-way", "pull-back", tag)
    assert say_num(tr.pairings[0]) in said("two-way", "duality", tag)


def test_two_way_default_is_the_lessons_numbers():
    # LESSON.md §6: grad_x = (4, -1), dy = 0.3, and the pairing 0.3 in every space
    assert "grad x, four and minus one" in said("two-way", "pull-back")
    assert "It is zero point three in the first space, and zero point three again in the last" \
        in said("two-way", "duality")


def test_composition_speaks_the_product():
    n = run("composition").n
    assert "the row " + say_vec(n.tr.jacobian) in said("composition", "at-point")
    assert "the row ten and five" in said("composition", "at-point")  # LESSON.md §4
    assert say_vec(n.dhs_composed) in said("composition", "compose-first")


def test_level_sets_speaks_the_arrows():
    sc = run("level-sets")
    st = sc.st(0, sc.n.t_key[0])
    text = said("level-sets", "arrows")
    assert say_vec(st.gradient) in text and say_vec(st.tangent) in text
    st2 = sc.st(1, sc.n.t_key[1])
    assert say_num(st2.dzdt) in said("level-sets", "second-curve")


def test_local_linearity_speaks_the_jacobian():
    n = run("local-linearity", "example").n
    text = said("local-linearity", "compare-linear", "example")
    assert f"Its first row is {say_vec(n.J[0])}; its second, {say_vec(n.J[1])}." in text
    assert say_num(n.h) in said("local-linearity", "square", "example")


def test_path_sums_speaks_each_path_and_the_sum():
    sc = run("path-sums")
    for gd in sc.n.graphs:
        s = gd.summary
        assert say_num(s.total) in said("path-sums", f"sum-{gd.tag}")
        for k in range(len(s.shown)):
            assert f"The sum so far is {say_num(s.running[k])}." in \
                said("path-sums", f"path-{gd.tag}{k + 1}")
    assert "the whole path contributes zero" in said("path-sums", "path-B1")  # LESSON.md §5


def test_tiny_network_and_modes_speak_the_gradient():
    n = run("tiny-network").n
    assert say_vec(n.sweep.grads[0]) in said("tiny-network", "backward")
    assert say_num(n.pairing) in said("tiny-network", "duality")
    m = run("modes", "example").n
    text = said("modes", "scalar-loss", "example")
    assert say_vec(m.grad) in text and say_num(m.loss_costs.vjp.madds) in text


def test_practice_speaks_the_answer():
    ex = run("practice", "example").n
    assert say_vec(ex.answer) in said("practice", "answer", "example")
    assert [b for b, _ in run("practice", "example").narration].count("step-1") == 1


def test_a_set_value_changes_the_text():
    base = dict(run("two-way").narration)
    p = resolve_params("two-way", {"point": "2,1", "dx": "0.2,0"})
    sc = narrate("two-way", p)
    moved = dict(sc.narration)
    assert moved["push-forward"] != base["push-forward"]
    assert say_vec(sc.n.tr.pushforward[0]) in moved["push-forward"]
    assert "zero point two and zero" in moved["push-forward"]


# -- the script overrides ----------------------------------------------------------------
def test_narrated_overrides_exactly_one_beat_and_stores_beat_seconds():
    base = run("two-way").narration
    with narrated({"duality": "In my own words: the pairing agrees."}, {"spaces": 3.5}):
        sc = narrate("two-way")
    assert sc.beat_seconds == {"spaces": 3.5}
    changed = [(a, b) for a, b in zip(base, sc.narration) if a != b]
    assert changed == [(("duality", dict(base)["duality"]),
                        ("duality", "In my own words: the pairing agrees."))]
    assert narrate("two-way").beat_seconds == {}  # restored on leaving the block


def test_read_script_replaces_one_beat_and_keeps_the_rest(tmp_path):
    beats = default_script("two-way")
    path = tmp_path / "script.toml"
    path.write_text('"two-way.true-image" = """The curve, and\n  the arrow: "close"."""\n',
                    encoding="utf-8")
    got = read_script(path, beats)
    diff = [(a, b) for a, b in zip(beats, got) if a != b]
    assert diff == [(("two-way.true-image", dict(beats)["two-way.true-image"]),
                     ("two-way.true-image", 'The curve, and the arrow: "close".'))]
    assert scene_overrides(got, "two-way")["true-image"] == 'The curve, and the arrow: "close".'


def test_a_table_per_scene_is_read_too(tmp_path):
    beats = default_script("two-way")
    path = tmp_path / "script.toml"
    path.write_text('[two-way]\nduality = "Equal, as promised."\n', encoding="utf-8")
    assert dict(read_script(path, beats))["two-way.duality"] == "Equal, as promised."


def test_write_then_read_is_the_same_script(tmp_path):
    beats = default_script("composition")
    beats[0] = (beats[0][0], 'Quotes " and \\ backslash, ünïcode — and a DEL \x7f, \t tab.')
    path = write_script(tmp_path / "out" / "script.toml", beats)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n\"composition.") == len(beats) and "# composition" in text
    back = read_script(path, beats)
    assert back[1:] == beats[1:]
    assert back[0][1] == normalise(beats[0][1])
    assert format_script(back) == format_script(read_script(path, back))


@pytest.mark.parametrize("body, wrong, nearest", [
    ('"two-way.dualty" = "x"\n', "two-way.dualty", "two-way.duality"),
    ('[two-way]\npush-forwad = "x"\n', "two-way.push-forwad", "two-way.push-forward"),
    ('"two_way.spaces" = "x"\n', "two_way.spaces", "two-way.spaces"),
])
def test_an_unknown_key_names_the_nearest(tmp_path, body, wrong, nearest):
    path = tmp_path / "script.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(JacvizError) as err:
        read_script(path, default_script("two-way"))
    msg = str(err.value)
    assert f"unknown beat {wrong!r}; did you mean {nearest!r}?" in msg and "\n" not in msg


@pytest.mark.parametrize("raw, words", [
    (b'"two-way.duality = "x"\n', "is not TOML"),
    (b'two-way.duality = x\n', "is not TOML"),
    (b'"two-way.duality" = "caf\xe9"\n', "is not UTF-8 (byte 24: 0xe9)"),
    (b'"two-way.duality" = 3\n', "'two-way.duality' must be a string of text, not int"),
    (b'[two-way]\nduality = ["a"]\n', "'two-way.duality' must be a string of text, not list"),
])
def test_a_bad_script_is_one_line(tmp_path, raw, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(raw)
    with pytest.raises(JacvizError) as err:
        read_script(path, [("two-way.duality", "d")])
    msg = str(err.value)
    assert words in msg and "\n" not in msg and "bad.toml" in msg


def test_a_missing_script_is_one_line(tmp_path):
    with pytest.raises(JacvizError, match=r"script '.*nope\.toml' not found"):
        read_script(tmp_path / "nope.toml", [("two-way.duality", "d")])


def test_without_the_dry_run_the_scene_runs_with_animations_skipped(monkeypatch):
    import jacviz.studio.dry_run as dry_run

    ran = []
    monkeypatch.setattr(dry_run, "prepare_tex", lambda cls, params: ran.append(cls))
    sc = narrate("jacobian-grid")
    assert len(ran) == 1 and sc.narration == run("jacobian-grid").narration
    assert sc.keyframes == []  # no frame captured
