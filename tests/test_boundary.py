"""One package, with the manim boundary enforced: the core runs without manim."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jacviz"
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__", "cli"))
STUDIO = ("studio", "kit", "scenes")


def test_the_core_is_what_we_think():
    assert {"parse", "maps", "graph", "curves", "fmt", "errors", "signals", "costs",
            "network"} <= set(CORE)


def test_core_modules_import_neither_manim_nor_the_studio():
    """Statically: no core module names manim (or the studio) in an import, even a local one."""
    for name in CORE:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mods = [("." * node.level) + (node.module or "")]
            else:
                continue
            for mod in mods:
                head = mod.lstrip(".").split(".")[0]
                assert head not in ("manim", "manim_slides", "av", "cairo"), (name, mod)
                assert head not in STUDIO, (name, mod)


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
import jacviz.{modules}

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
    code = CORE_RUN.replace("{modules}", ", jacviz.".join(CORE))
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


def test_no_top_level_scenes_package():
    assert not (ROOT / "scenes").exists()
    import jacviz.scenes  # noqa: F401  (inside the package: a user's scenes.py cannot shadow it)
