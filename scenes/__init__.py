"""jacviz's scenes, one module per concept of the lesson (registered in
:mod:`jacviz.studio.registry`).  Each holds its parameters and its beats,
built on :mod:`jacviz.kit`."""
