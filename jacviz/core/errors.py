"""Errors jacviz reports to users: one line, naming the problem and the fix."""


class JacvizError(ValueError):
    """A problem with user input or with the numbers it leads to.

    The message is one line, meant to be printed after ``error: ``.
    """


class ParseError(JacvizError):
    """Text that is not a map, expression or number jacviz accepts."""


class ShapeError(JacvizError):
    """Maps whose dimensions do not fit together."""


class NumericError(JacvizError):
    """A non-finite value, or a derivative that fails its self-check."""
