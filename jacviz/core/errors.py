"""Errors jacviz reports to users: one line, naming the problem and the fix."""

#: the characters of the user's text an error message quotes before it cuts the rest
QUOTE_LIMIT = 80


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


def quote(text, limit: int = QUOTE_LIMIT) -> str:
    """User text as an error message quotes it: ``repr`` (one line, escapes shown), cut
    after ``limit`` characters with the cut marked and the whole length given::

        '(x) -> x + x + x…' (10 000 characters)
    """
    text = str(text)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({_count(text)})"


def shorten(text, limit: int = QUOTE_LIMIT) -> str:
    """Text (an expression as jacviz prints it) cut like :func:`quote`, without quotes."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else f"{text[:limit]}… ({_count(text)})"


def _count(text: str) -> str:
    return f"{len(text):,} characters".replace(",", " ")
