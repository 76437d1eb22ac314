"""The engine: what the kit needs that is not a drawing.

Scene parameters declared once (:mod:`.params`), the shared TeX cache that
compiles snippets in private folders and in batches (:mod:`.tex_cache`), the
cheaper copy of mobjects (:mod:`.fastcopy`), the fades that copy nothing
(:mod:`.fastfade`), manim's family, subpath and box walks done in one pass
(:mod:`.fastfamily`) and the one H.264 setting of every clip (:mod:`.encoding`).
Imports the core only (and manim, for the TeX cache, the copy, the fades, the walks
and the encoder).
"""
