"""Random parameters per scene for the layout sweep (tests/test_layout.py).

``tests/sweeps/<scene module>.py`` defines ``STRATEGY``: a hypothesis strategy
of ``--set`` values (a dict of strings), and ``EXAMPLES``: every such dict that
ever failed the layout check (found by the suite or by `make sweep`), kept as an
explicit example that runs first in every sweep.  ``common`` holds the pieces
they share.
"""
