"""The names rule: no two different things on one frame share a displayed name.

A *displayed name* is a symbol that a text on screen gives to a thing.  The rule
reads them from the TeX of every text that is not a tick label or decoration
(:mod:`.roles`), in three forms:

- ``N\\text{-space}``: N names a space (a space panel's title);
- ``N = v`` or ``(N1, N2) = (v1, v2)``, where every v is a number: each N names a
  value (a point's label, a readout);
- ``N = F(A1, A2, ...)``, where every A is a symbol: N names F's output and each A an
  input of F.

A symbol is a letter or a TeX command (``\\theta``) with an optional subscript and
primes; it is compared with braces and spacing removed (``{z}_0`` is ``z_0``).  Two
things clash when one name is given to a space and to anything else, to two values
that differ (by more than 1 % of the larger: what rounding to three digits cannot
explain), or to the output and an input of the same map.  A value and an output or
input are the same thing seen twice (``y = 17.6`` beside ``y = F(x)``) and do not clash.
"""

from __future__ import annotations

import re

from manim import MathTex, SingleStringMathTex, Tex

from . import roles
from .base import Problem, _box, _describe, text_of, texts_with_roles, union

SYMBOL = r"(?:[A-Za-z]|\\[A-Za-z]+)(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?'*"
NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:\\times10\^(?:\{-?\d+\}|\d))?"
_SPACE = re.compile(r"(\{?" + SYMBOL + r"\}?(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?)\\text\{-space\}")
_SEPARATORS = re.compile(r"\\quad|\\qquad|;|\\text\{[^{}]*\}|:")
_FUNC = re.compile(r"^([A-Za-z]|\\[A-Za-z]+)\((.*)\)$")


def _squash(tex: str) -> str:
    """TeX without spacing, \\left/\\right, colour-free, for matching."""
    tex = re.sub(r"\\(left|right|big|Big)\b", "", tex)
    tex = re.sub(r"\\[,;!: ]|~", "", tex)
    tex = tex.replace("−", "-")
    return re.sub(r"\s+", "", tex)


def name_key(sym: str) -> str:
    """A symbol as compared: braces and fonts removed (``{z}_{0}`` -> ``z_0``)."""
    sym = re.sub(r"\\(mathrm|mathit|mathbf|operatorname)", "", sym)
    return sym.replace("{", "").replace("}", "")


def _number(tok: str) -> float | None:
    tok = tok.replace("{", "").replace("}", "")
    m = re.fullmatch(r"(-?(?:\d+(?:\.\d*)?|\.\d+))(?:\\times10\^(-?\d+))?", tok)
    if not m:
        return None
    return float(m.group(1)) * (10.0 ** int(m.group(2)) if m.group(2) else 1.0)


def _split_top(s: str, seps: str) -> list[str]:
    """Split ``s`` at the characters in ``seps`` outside brackets and braces."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        if depth == 0 and ch in seps:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _tuple(s: str) -> list[str]:
    """``(a,b)`` -> [a, b]; anything else -> [s]."""
    if s.startswith("(") and s.endswith(")") and _split_top(s[1:-1], "") == [s[1:-1]]:
        depth = 0
        for i, ch in enumerate(s):
            depth += ch in "({[" and 1 or (-1 if ch in ")}]" else 0)
            if depth == 0 and i < len(s) - 1:
                return [s]
        return _split_top(s[1:-1], ",")
    return [s]


def _is_symbol(s: str) -> bool:
    return bool(re.fullmatch(r"\{?" + SYMBOL + r"\}?(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?", s))


def definitions(tex: str) -> list[tuple[str, tuple]]:
    """The (name, thing) pairs a text's TeX displays (see the module docstring)."""
    s = _squash(tex)
    out = [(name_key(m.group(1)), ("space",)) for m in _SPACE.finditer(s)]
    for piece in _SEPARATORS.split(s):
        parts = _split_top(piece, "=")
        for lhs, rhs in zip(parts, parts[1:]):
            lhs = _split_top(lhs, ",")[-1] if not lhs.startswith("(") else lhs
            rhs_head = rhs if rhs.startswith("(") else _split_top(rhs, ",")[0]
            names = _tuple(lhs)
            if not names or not all(_is_symbol(n) for n in names):
                continue
            values = [_number(v) for v in _tuple(rhs_head)]
            if len(values) == len(names) and all(v is not None for v in values):
                out += [(name_key(n), ("value", v)) for n, v in zip(names, values)]
                continue
            f = _FUNC.match(rhs)
            if len(names) == 1 and f:
                args = _split_top(f.group(2), ",")
                if args and all(_is_symbol(a) for a in args):
                    fn = name_key(f.group(1))
                    out.append((name_key(names[0]), ("output", fn)))
                    out += [(name_key(a), ("input", fn)) for a in args]
    return out


def _clash(a: tuple, b: tuple) -> bool:
    if a == b:
        return False
    if a[0] == "space" or b[0] == "space":
        return True
    if a[0] == b[0] == "value":
        return abs(a[1] - b[1]) > 0.01 * max(abs(a[1]), abs(b[1])) + 1e-12
    kinds = {a[0], b[0]}
    if kinds == {"output", "input"}:
        return a[1] == b[1]
    return False


def _say(thing: tuple) -> str:
    if thing[0] == "space":
        return "a space"
    if thing[0] == "value":
        return f"the value {thing[1]:.4g}"
    return f"the {thing[0]} of {thing[1]}" if thing[0] == "output" else f"an input of {thing[1]}"


def names(mobjects, beat: str = "", found=None) -> list[Problem]:
    found = found if found is not None else texts_with_roles(mobjects)
    seen: dict[str, list] = {}
    for mob, role, _ in found:
        if role in (roles.TICK, roles.DECORATION):
            continue
        if not isinstance(mob, (MathTex, SingleStringMathTex, Tex)):
            continue
        tex = text_of(mob)
        if isinstance(mob, Tex):  # prose: only its $math$ (manim's Tex is a kind of MathTex)
            tex = " ; ".join(re.findall(r"\$([^$]*)\$", tex))
        for name, thing in definitions(tex):
            seen.setdefault(name, []).append((thing, mob))
    problems = []
    for name, things in seen.items():
        for i, (ta, ma) in enumerate(things):
            hit = next(((tb, mb) for tb, mb in things[i + 1:] if _clash(ta, tb)), None)
            if hit:
                tb, mb = hit
                where = _box(ma) if ma is mb else union(_box(ma), _box(mb))
                problems.append(Problem(beat, "names", f"{name} names {_say(ta)} ({_describe(ma)}) "
                                        f"and {_say(tb)} ({_describe(mb)})", where))
                break
    return problems
