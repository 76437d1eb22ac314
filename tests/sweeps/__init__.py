"""Random parameters per scene for the layout sweep (tests/test_layout.py).

``tests/sweeps/<scene module>.py`` defines ``STRATEGY``: a hypothesis strategy
of ``--set`` values (a dict of strings).  ``common`` holds the pieces they share.
"""
