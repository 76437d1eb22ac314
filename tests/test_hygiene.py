"""The project's own sources: no warnings when compiled (a later Python refuses them)."""

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("jacviz", "scenes", "tests") for p in (ROOT / folder).rglob("*.py"))


def test_there_are_sources():
    assert len(SOURCES) > 20


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_source_compiles_without_warnings(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # invalid escape sequences are SyntaxWarnings in 3.12
        compile(path.read_text(), str(path), "exec")


def test_no_code_path_can_eval_text():
    """sympify and parse_expr call eval on a string: the project's code calls sympify only
    with strict=True (which refuses strings) and never sympy's parse_expr or eval."""
    import ast

    offenders = []
    for path in SOURCES:
        if "tests" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            strict = any(k.arg == "strict" and getattr(k.value, "value", None) is True
                         for k in node.keywords)
            if (name == "sympify" and not strict) or name in ("eval", "exec") \
                    or (name == "parse_expr" and "sympy" in ast.unparse(node.func)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:60]}")
    assert not offenders, offenders
