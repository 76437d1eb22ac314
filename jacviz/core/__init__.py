"""The core: the mathematics, with numpy and sympy only (never manim).

Maps typed as text and parsed by a whitelist (:mod:`.parse`, :mod:`.maps`),
symbolic and numeric Jacobians, ``jvp``/``vjp`` through chains, computation
graphs and path sums (:mod:`.graph`), the cost of the two modes (:mod:`.costs`),
networks, curves and level sets, the practice exercises, maps compiled to
JavaScript (:mod:`.jsgen`), and the number formatting shared by screen, captions
and narration (:mod:`.fmt`).  Errors (:mod:`.errors`) and the handling of
interrupts (:mod:`.signals`) live here because every layer uses them.
"""
