"""The ``jacviz`` command line.

Bad input of any kind: one line on stderr starting ``error:``, exit status 2,
no traceback, nothing on stdout, no file written.
"""

from __future__ import annotations

import argparse
import sys

from . import signals
from .errors import JacvizError


class UsageError(JacvizError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        raise UsageError(f"{message} (see: {self.prog} --help)")


def _fmt(v: float) -> str:
    from .fmt import fmt_num

    return fmt_num(v, digits=6)


def _fmt_vec(v) -> str:
    import numpy as np

    return "(" + ", ".join(_fmt(x) for x in np.ravel(v)) + ")"


def _matrix_lines(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    return ["[ " + "  ".join(c.rjust(w) for c, w in zip(r, widths)) + " ]" for r in rows]


def _side_by_side(left: list[str], right: list[str], gap: str = "   ") -> list[str]:
    h = max(len(left), len(right))
    wl = max(len(s) for s in left)
    left = left + [""] * (h - len(left))
    right = right + [""] * (h - len(right))
    return [a.ljust(wl) + gap + b for a, b in zip(left, right)]


def _report(trace) -> str:
    import sympy

    chain = trace.chain
    lines = []
    names = chain.space_names
    lines.append("spaces: " + " -> ".join(f"R^{d}" for d in chain.dims))
    for k, (mp, Js, J) in enumerate(zip(chain.maps, trace.jacobians_symbolic, trace.jacobians)):
        m, n = mp.shape
        lines.append("")
        lines.append(f"stage {k + 1}: {mp.name}: {mp.text}")
        lines.append(f"  D{mp.name} is {m} x {n} (rows: outputs, columns: {', '.join(mp.input_names)})")
        sym = _matrix_lines([[sympy.sstr(e) for e in row] for row in Js.tolist()])
        num = _matrix_lines([[_fmt(e) for e in row] for row in J.tolist()])
        at = _fmt_vec(trace.points[k])
        header = [f"  symbolic", *("  " + s for s in sym)]
        header2 = [f"at {at}", *num]
        lines += _side_by_side(header, header2, gap="      ")
    lines.append("")
    p, n = trace.jacobian.shape
    lines.append(f"total Jacobian D({' o '.join(mp.name for mp in reversed(chain.maps))}) is {p} x {n}:")
    lines += ["  " + s for s in _matrix_lines([[_fmt(e) for e in row] for row in trace.jacobian.tolist()])]
    lines.append("")
    lines.append("points:       " + "  ->  ".join(_fmt_vec(p) for p in trace.points))
    lines.append("pushforward:  " + "  ->  ".join(_fmt_vec(v) for v in trace.pushforward)
                 + "   (dx, then J dx stage by stage)")
    lines.append("pullback:     " + "  <-  ".join(_fmt_vec(v) for v in trace.pullback)
                 + "   (J^T g stage by stage, from the given gradient)")
    fwd, bwd = trace.duality["forward"], trace.duality["backward"]
    ok = abs(fwd - bwd) <= 1e-9 * max(1.0, abs(fwd), abs(bwd))
    lines.append(f"duality:      <grad, dy> = {_fmt(fwd)}   <grad_x, dx> = {_fmt(bwd)}   "
                 + ("(equal)" if ok else "(NOT equal)"))
    return "\n".join(lines)


def cmd_check(args) -> int:
    if not args.map:
        raise UsageError("give at least one --map, e.g. --map \"(x1, x2) -> (x1**2 + x2, x1*x2)\"")
    import json

    import numpy as np

    from .maps import Chain, Map, _default_names, self_check
    from .parse import parse_vector

    names = _default_names(len(args.map))
    maps = [Map(text, name=nm) for text, nm in zip(args.map, names)]
    chain = Chain(maps)
    x0 = parse_vector(args.at, "--at", length=chain.n)
    dx = None if args.dx is None else parse_vector(args.dx, "--dx", length=chain.n)
    grad = None if args.grad is None else parse_vector(args.grad, "--grad", length=chain.m)
    self_check(chain, x0)
    trace = chain.trace(x0, dx, grad)
    for name, vecs in (("pushforward", trace.pushforward), ("pullback", trace.pullback)):
        for k, v in enumerate(vecs):
            if not np.all(np.isfinite(v)):
                raise JacvizError(f"the {name} arrow in space {k} is not finite")
    if args.json:
        print(json.dumps(trace.to_json()))
    else:
        print(_report(trace))
    return 0


def cmd_doctor(args) -> int:
    from .doctor import doctor

    return doctor()


def cmd_list(args) -> int:
    from .render import list_scenes

    return list_scenes()


def cmd_params(args) -> int:
    from .render import show_params

    return show_params(args.scene)


def cmd_render(args) -> int:
    from .render import render_command

    return render_command(args)


def cmd_slides(args) -> int:
    from .render import resolve_name
    from .slides import build

    names = [resolve_name(n) for n in args.scenes] or None
    path = build(args.out, args.quality, names, progress=not args.quiet)
    print(f"deck: {path / 'index.html'}\nhandout: {path / 'handout.pdf'}")
    return 0


def cmd_gallery(args) -> int:
    from .gallery import build

    print(f"gallery: {build(args.renders)}")
    return 0


def cmd_bench(args) -> int:
    from .bench import run

    return run(args.only, args.quick, args.results)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jacviz", description="Jacobians and the chain rule, as numbers and as lecture clips.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    c = sub.add_parser("check", help="print the lesson's numbers for a chain of maps")
    c.add_argument("--map", action="append", metavar="MAP",
                   help='a stage, e.g. "(x1, x2) -> (x1**2 + x2, x1*x2)"; repeat in order of application')
    c.add_argument("--at", required=True, metavar="X0", help="the point, e.g. 1,2")
    c.add_argument("--dx", metavar="DX", help="the input arrow (default: the first input axis)")
    c.add_argument("--grad", metavar="G", help="the output gradient (default: all ones)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser("doctor", help="list dependencies as found or missing")
    d.set_defaults(func=cmd_doctor)

    ls = sub.add_parser("list", help="list the scenes")
    ls.set_defaults(func=cmd_list)

    pa = sub.add_parser("params", help="a scene's parameters, with type, default and help")
    pa.add_argument("scene")
    pa.set_defaults(func=cmd_params)

    r = sub.add_parser("render", help="render scenes into renders/")
    r.add_argument("scenes", nargs="*", metavar="SCENE")
    r.add_argument("--all", action="store_true", help="render every scene")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="sets",
                   help="override a parameter (repeatable)")
    r.add_argument("--config", metavar="FILE.toml", help="parameters from a TOML file")
    r.add_argument("-q", "--quality", default="l", choices=list("lmhpk"),
                   help="l=480p15, m=720p30, h=1080p60, p=1440p60, k=2160p60")
    r.add_argument("--out", metavar="PATH", help="output file (one scene only)")
    r.add_argument("--format", default="mp4", choices=["mp4", "webm", "gif", "mov", "png"],
                   help="clip format; png is the last frame (a poster or a still)")
    r.add_argument("--transparent", action="store_true",
                   help="alpha channel (webm VP9 with alpha, mov, gif or png)")
    r.add_argument("--fps", metavar="N", help="frame rate override")
    r.add_argument("--resolution", metavar="W,H", help="pixel size override, e.g. 1280,720")
    r.add_argument("--quiet", action="store_true", help="no progress output")
    r.set_defaults(func=cmd_render)

    sl = sub.add_parser("slides", help="one reveal.js deck of the lesson and a PDF handout")
    sl.add_argument("scenes", nargs="*", metavar="SCENE", help="default: every scene, in lesson order")
    sl.add_argument("-q", "--quality", default="l", choices=list("lmhpk"))
    sl.add_argument("--out", metavar="DIR", help="default: renders/slides")
    sl.add_argument("--quiet", action="store_true")
    sl.set_defaults(func=cmd_slides)

    ga = sub.add_parser("gallery", help="renders/index.html: every clip with poster, captions, command")
    ga.add_argument("--renders", metavar="DIR", help="default: renders")
    ga.set_defaults(func=cmd_gallery)

    be = sub.add_parser("bench", help="speed as side-by-side ratios (make bench)")
    be.add_argument("--only", nargs="+", choices=["core", "share", "make", "fps"],
                    help="measure only these parts")
    be.add_argument("--quick", action="store_true", help="fewer repeats, two scenes")
    be.add_argument("--results", metavar="FILE", help="default: bench/results.json")
    be.set_defaults(func=cmd_bench)
    return p


def _values_may_be_negative(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--at -1.2,0.5`` as the user typed it: argparse takes a value that starts
    with '-' (and is not a plain negative number) for an option, and refuses it.
    Every option that takes a value gets the next word, whatever it starts with."""
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    actions = list(parser._actions)
    if sub is not None:
        name = next((t for t in argv if t in sub.choices), None)
        if name is not None:
            actions += sub.choices[name]._actions
    takes_value = {opt for a in actions if a.option_strings and a.nargs is None
                   and not isinstance(a, (argparse._StoreConstAction, argparse._HelpAction,
                                          argparse._VersionAction, argparse._CountAction))
                   for opt in a.option_strings}
    known = {opt for a in actions for opt in a.option_strings}
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if tok in takes_value and nxt is not None and nxt.startswith("-") and nxt not in known \
                and nxt != "--":
            out.append(f"{tok}={nxt}" if tok.startswith("--") else tok + nxt)
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv=None) -> int:
    """The command line: the one place that parses arguments, prints and sets exit codes."""
    signals.install()  # first: Ctrl-C during the imports below must stop cleanly too
    try:
        signals.stage("startup")
        parser = build_parser()
        argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(_values_may_be_negative(parser, argv))
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except BaseException as exc:
        if signals.received() is not None:
            # whatever surfaced (an Interrupted, or a child's failure it caused)
            signals.kill_children()
            print("error: interrupted", file=sys.stderr)
            return signals.exit_status()
        if isinstance(exc, JacvizError):
            msg = " ".join(str(exc).split())
            print(f"error: {msg}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
