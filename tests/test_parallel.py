"""Renders running side by side (make -j2) share one TeX cache: it must never corrupt."""

import subprocess
import sys
import textwrap


def test_two_processes_compile_and_read_the_same_tex(tmp_path):
    code = textwrap.dedent("""
        import sys
        from manim import MathTex, tempconfig
        from jacviz.studio.tex import share_tex_cache
        with tempconfig({"tex_dir": str(share_tex_cache()), "verbosity": "ERROR"}):
            shapes = [len(MathTex(f"{i} + x_{{{i}}}").submobjects[0]) for i in range(40)]
        print(sum(shapes))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
    # both saw the same glyphs, and every snippet was compiled once into one folder
    assert outs[0][0] == outs[1][0] == outs[2][0]
    assert len(list((tmp_path / "media" / "Tex").glob("*.svg"))) == 40
    assert not list((tmp_path / "media" / "Tex").glob("*_.svg"))
