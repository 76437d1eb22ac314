"""Renders running side by side (make -j2) share one TeX cache: it must never corrupt."""

import subprocess
import sys
import textwrap


def test_two_processes_compile_and_read_the_same_tex(tmp_path):
    code = textwrap.dedent("""
        import sys
        from manim import MathTex, tempconfig
        from jacviz.engine.tex_cache import share_tex_cache
        with tempconfig({"tex_dir": str(share_tex_cache()), "verbosity": "ERROR"}):
            shapes = [len(MathTex(f"{i} + x_{{{i}}}").submobjects[0]) for i in range(40)]
        print(sum(shapes))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
    # both saw the same glyphs, and every snippet was compiled once into one folder: the 40
    # snippets (numbers without TeX: each made from its shape's SVG, every digit k written
    # k mod 10, and the digits' glyphs), the shapes and the one snippet of digits
    from jacviz.engine.tex_cache import digit_shape

    snippets = {f"{i} + x_{{{i}}}" for i in range(40)}
    shapes = {digit_shape(t) for t in snippets} - {None} - snippets
    assert len(shapes) == 2  # "0 + x_{1}" and "01 + x_{23}"
    assert outs[0][0] == outs[1][0] == outs[2][0]
    assert len(list((tmp_path / "media" / "Tex").glob("*.svg"))) == 40 + len(shapes) + 1
    assert not list((tmp_path / "media" / "Tex").glob("*_.svg"))


def test_a_relative_tex_dir_compiles_a_new_snippet(tmp_path, monkeypatch):
    """manim's default tex_dir is relative ("./media/Tex"); latex runs in a private
    folder, so the cache must be addressed absolutely (a fresh clone's first run)."""
    from manim import MathTex, tempconfig

    from jacviz.engine import tex_cache as tex

    tex.install()
    monkeypatch.chdir(tmp_path)
    with tempconfig({"media_dir": "./media", "tex_dir": "{media_dir}/Tex"}):
        svg = tex.tex_to_svg_file(r"\frac{7}{13} + \sqrt{q}", "align*")
        assert svg.is_absolute() and svg.parent == tmp_path / "media" / "Tex"
        assert svg.read_text().lstrip().startswith("<?xml") and "<path" in svg.read_text()
        assert len(MathTex(r"\frac{7}{13}").submobjects[0]) >= 3  # the glyphs, from a compiled SVG


def test_an_svg_is_parsed_without_a_temporary_file(tmp_path, monkeypatch):
    """manim parses a TeX snippet's SVG through a modified copy.  Written to a temporary file,
    the copy outlived an interrupt (Ctrl-C to the whole process group) once in four runs; it
    is made in memory, so there is no file to leave: any temporary file fails this test."""
    import tempfile

    import manim.mobject.svg.svg_mobject as svg_mobject
    from manim import MathTex, tempconfig

    from jacviz.engine import tex_cache as tex

    tex.install()
    monkeypatch.chdir(tmp_path)
    snippet = r"\frac{5}{17} + \sqrt{w}"
    with tempconfig({"media_dir": str(tmp_path / "media"), "tex_dir": "{media_dir}/Tex"}):
        first = MathTex(snippet)  # compiled into the cache, and parsed
        monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})  # parsed again, not copied

        def refused(*args, **kwargs):
            raise AssertionError("a temporary file while parsing an SVG")

        for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile",
                     "TemporaryDirectory", "SpooledTemporaryFile"):
            monkeypatch.setattr(tempfile, name, refused)
        before = sorted(tmp_path.rglob("*"))
        again = MathTex(snippet)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written beside the SVG either
    assert len(again.submobjects[0]) == len(first.submobjects[0]) >= 6
    for a, b in zip(again.family_members_with_points(), first.family_members_with_points()):
        assert (a.points == b.points).all()
