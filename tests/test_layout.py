"""The layout check over every scene: defaults, EXAMPLE and random parameters.

At the end of every beat nothing may overlap and nothing may leave the frame
(jacviz/kit/layout.py).  The sweep draws random parameters per scene
(tests/sweeps/<module>.py), skips draws the scene refuses with its one-line
error, shrinks a failing draw, and reports the `jacviz render` command that
shows it.
"""

import importlib
import os
import shlex

import pytest
from hypothesis import HealthCheck, given, reject, settings

from jacviz.core.errors import JacvizError
from jacviz.studio import registry
from jacviz.studio.render import keyframes, resolve_params

SCENES = registry.names()
SIZE = (256, 144)  # the layout is in frame units: the same at every pixel size
DRAWS = int(os.environ.get("JACVIZ_SWEEP_DRAWS", "24"))


def render_command(scene, values) -> str:
    parts = ["jacviz", "render", scene]
    for k, v in values.items():
        parts += ["--set", f"{k}={v}"]
    return " ".join(shlex.quote(p) for p in parts)


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


def strategy_of(scene):
    module = registry.SCENES[scene][0].rsplit(".", 1)[1]
    return importlib.import_module(f"sweeps.{module}").STRATEGY


@pytest.mark.parametrize("scene", SCENES)
def test_layout_sweep(scene):
    @settings(max_examples=DRAWS, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(strategy_of(scene))
    def draw(values):
        try:
            params = resolve_params(scene, values)
        except JacvizError:
            reject()  # refused with its one-line error: a valid answer to a bad draw
        problems = problems_of(scene, params)
        assert not problems, "\n".join(problems + ["shows it: " + render_command(scene, values)])

    draw()
