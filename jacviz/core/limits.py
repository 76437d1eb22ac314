"""The limits jacviz states (README, "Limits"), in one place; imports nothing heavy."""

#: the most maps in a chain (jacviz check --map ...; a scene draws 2 to 6)
MAX_STAGES = 100
#: levels of nesting in an expression: parentheses, function calls, powers, signs (Python's
#: own parser allows 200 parentheses)
MAX_DEPTH = 200
#: Python frames that sympy needs (parsing, differentiating, printing, compiling) for an
#: expression nested MAX_DEPTH levels deep: the default limit, 1000, is reached by about 150
#: levels of sin(sin(...)), 200 need about 1500.  The command line raises the limit to this.
RECURSION_LIMIT = 5_000
#: the largest coordinate the scenes draw: a point, an arrow, a weight, in every space
#: (jacviz check takes numbers of any size)
DRAW_LIMIT = 1e6
#: the deepest a config file may nest arrays and inline tables (TOML's parser recurses)
CONFIG_DEPTH = 32
