"""The layout check over every scene: defaults, EXAMPLE and random parameters.

At the end of every beat nothing may overlap and nothing may leave the frame
(jacviz/kit/layout.py).  The sweep draws random parameters per scene
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
DRAWS = int(os.environ.get("JACVIZ_SWEEP_DRAWS", "24"))


def problems_of(scene, params):
    _, problems = keyframes(scene, params, resolution=SIZE, check_layout=True)
    return [str(p) for p in problems]


@pytest.mark.parametrize("tag", ["default", "example"])
@pytest.mark.parametrize("scene", SCENES)
def test_layout_of_defaults_and_example(scene, tag):
    cls = registry.scene_class(scene)
    values = {} if tag == "default" else cls.EXAMPLE
    problems = problems_of(scene, resolve_params(scene, values))
    assert not problems, "\n".join(problems + [render_command(scene, values)])


def sweep_of(scene):
    """tests/sweeps/<module>.py of a scene: its STRATEGY and its EXAMPLES."""
    module = registry.SCENES[scene][0].rsplit(".", 1)[1]
    return importlib.import_module(f"sweeps.{module}")


def layout_sweep(scene, draws=DRAWS):
    """The layout property of one scene: first every example in its EXAMPLES (each found
    failing once, kept for good), then ``draws`` random draws of its STRATEGY.  In the
    suite these draws are the same in every run (conftest: derandomized, no database;
    each scene its own seed); `make sweep` runs the same property on new random draws."""
    sweep = sweep_of(scene)

    @settings(max_examples=draws, suppress_health_check=[HealthCheck.too_slow,
                                                         HealthCheck.filter_too_much])
    @given(sweep.STRATEGY)
    def layout_check(values):
        try:
            params = resolve_params(scene, values)
        except JacvizError:
            reject()  # refused with its one-line error: a valid answer to a bad draw
        problems = problems_of(scene, params)
        assert not problems, "\n".join(problems + ["shows it: " + render_command(scene, values)])

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
    layout_sweep(scene)()
