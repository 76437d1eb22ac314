"""The manim boundary at run time: the core runs, and `jacviz check` answers, with manim
blocked (tests/test_layers.py checks every import statically)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE_DIR = ROOT / "jacviz" / "core"
CORE = sorted(".".join(p.relative_to(CORE_DIR).with_suffix("").parts).removesuffix(".__init__")
              for p in CORE_DIR.rglob("*.py") if p.name != "__init__.py" or p.parent != CORE_DIR)


def test_the_core_is_what_we_think():
    assert {"parse", "maps", "graph", "curves", "fmt", "errors", "signals", "costs",
            "network"} <= set(CORE)


CORE_RUN = """
import sys

class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("manim", "manim_slides", "av", "cairo", "manimpango"):
            raise ImportError(f"blocked: {name}")
        return None

sys.meta_path.insert(0, Blocked())
for mod in ("manim", "manim_slides", "av"):
    sys.modules[mod] = None          # and `import manim` fails outright

import numpy as np
import jacviz
from jacviz import Chain, Graph, Map, Network, jvp, self_check, vjp
import jacviz.core.{modules}

chain = Chain.from_texts(["(x1, x2) -> (x1^2 + x2, x1*x2)", "(u1, u2) -> u1 + u2^2"])
self_check(chain, [1.0, 2.0])
assert chain.jacobian([1.0, 2.0]).tolist() == [[10.0, 5.0]]
y, dy = jvp(chain, [1.0, 2.0], [0.1, 0.1])
_, pull = vjp(chain, [1.0, 2.0])
assert np.allclose(pull(np.ones(1)), [10, 5]) and np.allclose(dy, [1.5])
ps = Graph(chain, [1.0, 2.0]).path_sum(0, 0)
assert abs(ps.total - 10) < 1e-12
net = Network.one_hidden([1, -1, 0.5, 2, -1, 0.5], [0, 0.5, -0.5], [1, -2, 0.5])
fp = net.forward([1.0, 0.5])
sweep = net.backward(fp)
assert np.allclose(sweep.grads[0], net.chain().jacobian([1.0, 0.5])[0])
assert not [m for m in sys.modules if m.split(".")[0] in ("manim", "manim_slides", "av")
            and sys.modules[m] is not None]
print("core ok")
"""


def test_the_core_works_with_manim_blocked(tmp_path):
    code = CORE_RUN.replace("{modules}", ", jacviz.core.".join(CORE))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "core ok"


def test_the_cli_check_works_with_manim_blocked(tmp_path):
    code = ("import sys\nfor m in ('manim', 'manim_slides', 'av'): sys.modules[m] = None\n"
            "from jacviz.cli import main\n"
            "sys.exit(main(['check', '--map', '(x, y) -> (x^2 - y, x*y)', '--at', '1,2', '--json']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert '"jacobian": [[2.0, -1.0], [2.0, 1.0]]' in out.stdout
