"""The package's layers point one way, and no two files import each other.

core (numpy, sympy) <- engine (scene parameters, the TeX cache, the fast copy) <- kit
<- scenes <- studio (drivers, exporters) <- cli.  Every import is read with ``ast``, at
module level and inside functions alike; a module may import its own layer and the
layers before it, never one after it, and the imports between files have no circle.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "engine", "kit", "scenes", "studio", "cli"]
#: where each layer's files are, as (module prefix, folder)
FOLDERS = {"core": ROOT / "jacviz" / "core", "engine": ROOT / "jacviz" / "engine",
           "kit": ROOT / "jacviz" / "kit", "scenes": ROOT / "scenes",
           "studio": ROOT / "jacviz" / "studio"}
#: third-party packages a layer may not import (the core runs without the render extra)
FORBIDDEN = {"core": {"manim", "manim_slides", "av", "cairo", "manimpango", "PIL", "dask",
                      "distributed", "playwright"}}


def modules() -> dict[str, Path]:
    """Every module of the package, by its importable name."""
    mods = {"jacviz": ROOT / "jacviz" / "__init__.py"}
    for path in (ROOT / "jacviz").glob("*.py"):
        if path.stem != "__init__":
            mods[f"jacviz.{path.stem}"] = path
    for layer, folder in FOLDERS.items():
        for path in folder.rglob("*.py"):
            rel = path.relative_to(folder).with_suffix("").parts
            name = ".".join(("jacviz", layer) + rel)
            mods[name.removesuffix(".__init__")] = path
    return mods


def layer_of(name: str) -> str:
    if name in ("jacviz.cli", "jacviz.__main__", "jacviz.doctor"):
        return "cli"
    if name == "jacviz":  # the public API: names of the core, imported on first use
        return "core"
    return name.split(".")[1]


def imports(name: str, path: Path, mods: dict) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, module- and function-level."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((sub if sub in mods else target, node.lineno))
        # importlib.import_module("jacviz....") with a literal name counts as an import too
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and str(node.args[0].value).startswith("jacviz"):
            out.append((node.args[0].value, node.lineno))
    return out


def graph(mods):
    edges = {}
    for name, path in mods.items():
        deps = {}
        for target, line in imports(name, path, mods):
            deps.setdefault(target, line)
        edges[name] = deps
    return edges


def against_the_layers(mods) -> list[str]:
    wrong = []
    for name, deps in graph(mods).items():
        mine = LAYERS.index(layer_of(name))
        for target, line in deps.items():
            head = target.split(".")[0]
            if head in FORBIDDEN.get(layer_of(name), ()):
                wrong.append(f"{mods[name]}:{line} imports {target}")
            if head != "jacviz" or target not in mods:
                continue
            if LAYERS.index(layer_of(target)) > mine:
                wrong.append(f"{mods[name]}:{line} ({layer_of(name)}) imports "
                             f"{target} ({layer_of(target)})")
    return wrong


def circles(mods) -> list[list[str]]:
    """Tarjan's strongly connected components of the imports between files: any
    component of two or more files is a circle."""
    internal = {n: [t for t in deps if t in mods and t != n] for n, deps in graph(mods).items()}
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in internal[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in internal:
        if v not in index:
            visit(v)
    return found


def test_every_file_belongs_to_a_layer():
    mods = modules()
    assert {layer_of(m) for m in mods} == set(LAYERS)
    assert "jacviz.scenes.two_way" in mods and "jacviz.core.maps" in mods
    assert not (ROOT / "jacviz" / "scenes").exists()  # one place for the scene files


def test_no_import_runs_against_the_layers():
    wrong = against_the_layers(modules())
    assert not wrong, "\n".join(wrong)


def test_no_two_files_import_each_other_nor_any_circle():
    found = circles(modules())
    assert not found, found


def test_the_checks_catch_what_they_should(tmp_path):
    """Not vacuous: a kit module importing the studio inside a function, a core module
    importing manim, and three files in a circle are all found."""
    files = {"jacviz.kit.a": "def f():\n    from ..studio import b\n",
             "jacviz.studio.b": "from . import c\n",
             "jacviz.studio.c": "import importlib\nimportlib.import_module('jacviz.studio.d')\n",
             "jacviz.studio.d": "from .b import x\n",
             "jacviz.core.e": "def g():\n    import manim\n"}
    mods = {}
    for name, text in files.items():
        (tmp_path / f"{name}.py").write_text(text)
        mods[name] = tmp_path / f"{name}.py"
    wrong = against_the_layers(mods)
    assert len(wrong) == 2
    assert any("(kit) imports jacviz.studio.b (studio)" in w for w in wrong)
    assert any("imports manim" in w for w in wrong)
    assert circles(mods) == [["jacviz.studio.b", "jacviz.studio.c", "jacviz.studio.d"]]
