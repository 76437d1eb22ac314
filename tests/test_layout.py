"""The layout check over every scene: defaults, EXAMPLE and random parameters.

Every rule of the check (jacviz/kit/layout/: overlaps, off-frame, text height, subject
arrows' length and cover, reading time, names, contact) holds for every scene, except
the (scene, rule) pairs listed in KNOWN_VIOLATIONS below, the one place for them:
where a scene still breaks a rule (issue 21), the test allows that rule there and
nothing else, and fails when a listed pair no longer breaks it (remove it then).  The
list is exact for the suite's draws: the defaults, the EXAMPLE and the sweep of
DRAWS draws, derandomized.  The sweep draws random parameters per scene
(tests/sweeps/<module>.py: STRATEGY), skips draws the scene refuses with its
one-line error, shrinks a failing draw, and reports the `jacviz render` command
that shows it.  Every draw that ever failed is kept in that module's EXAMPLES
and runs first, always.  The draws are the same in every run (tests/conftest.py);
`make sweep` explores new ones.
"""

import importlib
import os
import zlib

import pytest
from hypothesis import HealthCheck, example, given, reject, seed, settings

from sweeps.commands import render_command

from jacviz.core.errors import JacvizError
from jacviz.studio import registry
from jacviz.studio.dry_run import keyframes
from jacviz.studio.request import resolve_params

SCENES = registry.names()
SIZE = (256, 144)  # the layout is in frame units: the same at every pixel size
SUITE_DRAWS = 24
DRAWS = int(os.environ.get("JACVIZ_SWEEP_DRAWS", str(SUITE_DRAWS)))

# Issue 21: the rules each scene still breaks, and where: with its defaults, its EXAMPLE,
# or in some draw of its sweep.  Exact: a pair that no longer fails there fails the test.
KNOWN_VIOLATIONS: dict = {  # issue 21: none left
}


def known(scene, where) -> set:
    return set(KNOWN_VIOLATIONS.get((scene, where), set()))


def problems_of(scene, params):
    _, problems = keyframes(scene, params, resolution=SIZE, check_layout=True)
    return problems


def unexpected(problems, allowed) -> list[str]:
    return [str(p) for p in problems if p.kind not in allowed]


@pytest.mark.parametrize("tag", ["default", "example"])
@pytest.mark.parametrize("scene", SCENES)
def test_layout_of_defaults_and_example(scene, tag):
    cls = registry.scene_class(scene)
    values = {} if tag == "default" else cls.EXAMPLE
    problems = problems_of(scene, resolve_params(scene, values))
    allowed = known(scene, tag)
    bad = unexpected(problems, allowed)
    assert not bad, "\n".join(bad + [render_command(scene, values)])
    gone = allowed - {p.kind for p in problems}
    assert not gone, (f"{scene} ({tag}) no longer breaks {sorted(gone)}: remove them from "
                      f"KNOWN_VIOLATIONS")


def sweep_of(scene):
    """tests/sweeps/<module>.py of a scene: its STRATEGY and its EXAMPLES."""
    module = registry.SCENES[scene][0].rsplit(".", 1)[1]
    return importlib.import_module(f"sweeps.{module}")


def layout_sweep(scene, draws=DRAWS, seen=None):
    """The layout property of one scene: first every example in its EXAMPLES (each found
    failing once, kept for good), then ``draws`` random draws of its STRATEGY.  In the
    suite these draws are the same in every run (conftest: derandomized, no database;
    each scene its own seed); `make sweep` runs the same property on new random draws.
    A draw fails on a rule the scene is not known to break (KNOWN_VIOLATIONS, "sweep");
    the rules it breaks are added to ``seen``."""
    sweep = sweep_of(scene)
    allowed = known(scene, "sweep")
    seen = set() if seen is None else seen

    @settings(max_examples=draws, suppress_health_check=[HealthCheck.too_slow,
                                                         HealthCheck.filter_too_much])
    @given(sweep.STRATEGY)
    def layout_check(values):
        try:
            params = resolve_params(scene, values)
        except JacvizError:
            reject()  # refused with its one-line error: a valid answer to a bad draw
        problems = problems_of(scene, params)
        seen.update(p.kind for p in problems)
        bad = unexpected(problems, allowed)
        assert not bad, "\n".join(bad + ["shows it: " + render_command(scene, values)])

    for values in reversed(sweep.EXAMPLES):  # in the order listed
        layout_check = example(values)(layout_check)
    if settings.default.derandomize:
        layout_check = seed(zlib.crc32(scene.encode()))(layout_check)
    return layout_check


@pytest.mark.parametrize("scene", SCENES)
def test_kept_sweep_examples_are_accepted(scene):
    """A kept example the scene refused would be skipped without a word: each must render."""
    for values in sweep_of(scene).EXAMPLES:
        resolve_params(scene, values)


@pytest.mark.sweep
@pytest.mark.parametrize("scene", SCENES)
def test_layout_sweep(scene):
    seen = set()
    layout_sweep(scene, seen=seen)()
    if settings.default.derandomize and DRAWS == SUITE_DRAWS:
        # the suite's own draws: the list is exact for them (new random draws, or fewer of
        # them, need not meet every known fault)
        gone = known(scene, "sweep") - seen
        assert not gone, (f"{scene}'s sweep no longer breaks {sorted(gone)}: remove them from "
                          f"KNOWN_VIOLATIONS")


def test_known_violations_name_scenes_places_and_rules():
    from jacviz.kit.layout import KINDS

    for (scene, where), rules in KNOWN_VIOLATIONS.items():
        assert scene in SCENES and where in ("default", "example", "sweep"), (scene, where)
        assert rules and rules <= set(KINDS), (scene, where, rules)
