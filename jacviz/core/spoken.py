"""Numbers, symbols and sentences for a voice to read.

One family of functions turns the core's values into the words a lecturer
would say, so that every number the narration speaks comes from the core
(never typed into a scene) and is read the same way everywhere:

- :func:`say_num`: ``-1.5`` -> "minus one point five"; ``0.0712`` -> "about
  zero point zero seven one" (``digits`` significant digits; "about" when the
  value was rounded); ``2.5`` -> "two and a half" with ``fractions=True``
  (halves and quarters, only when exact); ``3e-9`` -> "three times ten to the
  minus nine";
- :func:`say_int`: whole numbers in words ("one thousand two hundred and five");
- :func:`say_vec`, :func:`say_matrix`, :func:`say_entry`, :func:`say_shape`:
  "zero point three and zero", "the entry in row one, column two";
- :func:`say_name`: symbols as words ("x1" -> "x one", "dx" -> "d x", "Dg" ->
  "the Jacobian of g", "Dg(x0)^T" -> "the transpose of the Jacobian of g at x
  zero", "grad_x" -> "grad x");
- sentences: :func:`sentence` (parts joined, capitalised, a full stop),
  :func:`sentences` (split a narration into sentences),
  :func:`word_count`, :func:`speech_seconds` (the length a voice at 150 words
  a minute takes), :func:`join_words` ("a, b and c").

Plain text, standard library only (a core module: no manim, no audio).
"""

from __future__ import annotations

import math
import re

from .errors import JacvizError
from .texnames import ALIASES

#: words per minute of a lecturer's voice (NARRATION.md), for timing without audio
WORDS_PER_MINUTE = 150.0
#: seconds of silence between two sentences of one beat
SENTENCE_PAUSE = 0.4
#: seconds of silence before a new beat's narration (NARRATION.md: about 1 s)
BEAT_PAUSE = 1.0

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
         "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
         "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand")]
#: whole numbers from here on are read as a power of ten ("about 1.2 times ten to the twelve")
_BIG = 10 ** 12
#: non-integers at or beyond this size, or below _TINY, are read as a power of ten
_LARGE = 1e6
_TINY = 1e-3
#: relative tolerance under which a value equals its rounded (or integer) form
_EXACT = 1e-9


def say_int(n: int) -> str:
    """A whole number in words: 0 -> "zero", -21 -> "minus twenty-one",
    1205 -> "one thousand two hundred and five"."""
    n = int(n)
    if n < 0:
        return "minus " + say_int(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" and " + say_int(rest) if rest else "")
    for scale, word in _SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            out = say_int(high) + " " + word
            if rest:
                out += (" and " if rest < 100 else " ") + say_int(rest)
            return out
    raise AssertionError("unreachable")  # pragma: no cover


def _say_digits(text: str) -> str:
    return " ".join(_ONES[int(ch)] for ch in text)


def _say_decimal(text: str) -> str:
    """'-12.05' -> 'minus twelve point zero five' (text as written, no exponent)."""
    sign = ""
    if text.startswith("-"):
        sign, text = "minus ", text[1:]
    whole, _, frac = text.partition(".")
    out = say_int(int(whole or "0"))
    if frac:
        out += " point " + _say_digits(frac)
    return sign + out


def _is_int(v: float) -> bool:
    r = round(v)
    return abs(v - r) <= _EXACT * max(1.0, abs(v))


_FRACTIONS = {1: ("a quarter", "one quarter"), 2: ("a half", "one half"),
              3: ("three quarters", "three quarters")}


def _say_fraction(v: float) -> str | None:
    """2.5 -> 'two and a half', -0.75 -> 'minus three quarters'; None unless v is an
    exact multiple of a quarter (checked exactly: 0.1 + 0.4 is not a half)."""
    quarters = v * 4
    if quarters != int(quarters) or abs(v) >= 1000 or v == int(v):
        return None
    sign = "minus " if v < 0 else ""
    whole, part = divmod(int(abs(quarters)), 4)
    joined, alone = _FRACTIONS[part]
    return sign + (f"{say_int(whole)} and {joined}" if whole else alone)


def _scientific(v: float, digits: int) -> tuple[str, bool]:
    """(words, rounded) for v as 'mantissa times ten to the exponent'."""
    mantissa, exponent = f"{v:.{max(digits, 1) - 1}e}".split("e")
    exponent = int(exponent)
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    rounded = abs(float(f"{mantissa}e{exponent}") - v) > _EXACT * abs(v)
    words = f"{_say_decimal(mantissa)} times ten to the {say_int(exponent)}"
    return words, rounded


def say_num(v: float, digits: int = 2, *, fractions: bool = False, about: bool = True) -> str:
    """A number as a voice reads it.

    Integers (to 1e-9 relative) are read in words; other values to ``digits``
    significant digits, digit by digit after the point ("zero point zero seven
    one"), with "about" in front when that rounded the value (``about=False``
    leaves it out, for a number whose rounding the sentence already says).
    Values of a million and more, or under a thousandth, are read as a power
    of ten ("three times ten to the minus nine"); so are whole numbers of a
    trillion and more.  ``fractions=True`` reads exact halves and quarters as
    fractions ("two and a half", "minus three quarters").  ``-0`` is "zero".
    """
    v = float(v)
    if math.isnan(v):
        return "not a number"
    if math.isinf(v):
        return "infinity" if v > 0 else "minus infinity"
    if v == 0 or abs(v) < 1e-300:
        return "zero"
    if digits < 1:
        raise JacvizError(f"say_num: digits must be at least 1, not {digits}")
    prefix = "about " if about else ""
    if _is_int(v) and abs(v) < _BIG:
        r = int(round(v))
        # a million and more: in words only when the words are short ("three million")
        if abs(r) < _LARGE or len(str(abs(r)).rstrip("0")) <= digits:
            return ("" if r == v else prefix) + say_int(r)
    if fractions:
        frac = _say_fraction(v)
        if frac is not None:
            return frac
    if abs(v) >= _LARGE or abs(v) < _TINY:
        words, rounded = _scientific(v, digits)
        return (prefix if rounded else "") + words
    text = f"{v:.{digits}g}"
    if "e" in text:  # e.g. 123456.7 with 2 digits: '1.2e+05'
        text = f"{float(text):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    rounded = abs(float(text) - v) > _EXACT * abs(v)
    return (prefix if rounded else "") + _say_decimal(text)


def join_words(items, last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(x) for x in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def _flat(v) -> list[float]:
    if isinstance(v, (int, float)):
        return [float(v)]
    out = []
    for x in v:
        if isinstance(x, (list, tuple)) or hasattr(x, "__len__") and not isinstance(x, str):
            out += _flat(x)
        else:
            out.append(float(x))
    return out


def _say_many(values, digits: int, fractions: bool) -> str:
    """Numbers joined as 'a, b and c', with one 'about' in front when any was rounded."""
    exact = [say_num(x, digits, fractions=fractions, about=False) for x in values]
    rounded = any(say_num(x, digits, fractions=fractions).startswith("about ")
                  for x in values)
    return ("about " if rounded else "") + join_words(exact)


def say_vec(v, digits: int = 2, *, fractions: bool = False) -> str:
    """A vector's entries for the ear: (0.3, 0) -> 'zero point three and zero';
    a 1-vector is its number.  One 'about' in front when any entry was rounded."""
    return _say_many(_flat(v), digits, fractions)


def _rows(A) -> list[list[float]]:
    if hasattr(A, "tolist"):
        A = A.tolist()
    if isinstance(A, (int, float)):
        return [[float(A)]]
    if A and not isinstance(A[0], (list, tuple)):
        return [[float(x) for x in A]]
    return [[float(x) for x in row] for row in A]


def say_shape(m: int, n: int) -> str:
    """'two by three' (rows by columns)."""
    return f"{say_int(m)} by {say_int(n)}"


def say_entry(i: int, j: int, value: float | None = None, digits: int = 2, *,
              fractions: bool = False) -> str:
    """The entry at numpy index (i, j), counted from one for the ear:
    'the entry in row one, column two' (+ ' is minus one' when value is given)."""
    out = f"the entry in row {say_int(i + 1)}, column {say_int(j + 1)}"
    if value is not None:
        out += " is " + say_num(value, digits, fractions=fractions)
    return out


def say_matrix(A, digits: int = 2, *, fractions: bool = False) -> str:
    """A small matrix row by row: [[2, -1], [2, 1]] -> 'row one: two and minus one;
    row two: two and one'.  A single row reads as its entries; a 1 x 1 as its number."""
    rows = _rows(A)
    if len(rows) == 1:
        return say_vec(rows[0], digits, fractions=fractions)
    return "; ".join(f"row {say_int(k + 1)}: {say_vec(row, digits, fractions=fractions)}"
                     for k, row in enumerate(rows))


# -- symbols ---------------------------------------------------------------------------
_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
          "θ": "theta", "λ": "lambda", "μ": "mu", "σ": "sigma", "φ": "phi", "ψ": "psi",
          "ω": "omega", "π": "pi", "Δ": "delta"}
_SPOKEN_WORDS = {"grad": "grad", "nabla": "grad", "diag": "diag", "sigma": "sigma"}
_TOKEN = re.compile(r"\s*(?:(?P<op>∘|\^T|ᵀ|\*\*|[()\[\],+\-*/^'<>=.·∇])|(?P<word>[A-Za-z]+)"
                    r"(?:_?(?P<sub>\d+|[A-Za-z]\b))?|(?P<num>\d+(?:\.\d+)?)|(?P<greek>[α-ωΑ-Ω]))")
#: single letters that a text-to-speech engine reads as a word, not as the letter
_LETTER_AS_WORD = {"a": "ay", "A": "ay", "I": "eye", "i": "eye"}


def _say_ident(word: str, sub: str | None) -> str:
    # th, lam, eps: the Greek letter the screen shows (texnames.tex_name), read by its name
    out = _LETTER_AS_WORD.get(word, word) if len(word) == 1 else ALIASES.get(word, word)
    if sub:
        out += " " + (say_int(int(sub)) if sub.isdigit() else _LETTER_AS_WORD.get(sub, sub))
    return out


def _tokens(text: str) -> list[tuple[str, str, str | None]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise JacvizError(f"cannot read the symbol {text!r} aloud (at {text[pos:]!r})")
        pos = m.end()
        if m.group("op"):
            out.append(("op", m.group("op"), None))
        elif m.group("word"):
            out.append(("word", m.group("word"), m.group("sub")))
        elif m.group("num"):
            out.append(("num", m.group("num"), None))
        else:
            g = m.group("greek")
            out.append(("word", _GREEK.get(g, g), None))
    return out


def say_name(text: str) -> str:
    """A symbol as words, for names the screen shows.

    "x1", "x_1" -> "x one"; "x0" -> "x zero"; "u_2" -> "u two"; "dx" -> "d x";
    "dx1" -> "d x one"; "grad f", "∇f" -> "grad f"; "grad_x" -> "grad x";
    "Dg" -> "the Jacobian of g"; "Dg(x0)" -> "the Jacobian of g at x zero";
    "Dg^T", "Dgᵀ" -> "the transpose of the Jacobian of g"; "J^T" -> "J transpose";
    "f o g", "f∘g" -> "f after g"; "D(f o g)" -> "the Jacobian of f after g";
    "dz/dt" -> "d z over d t"; "r'(t)" -> "r prime of t"; "<grad_x, dx>" -> "the
    pairing of grad x with d x".
    """
    toks = _tokens(text)
    words, k = _read(toks, 0, top=True)
    if k != len(toks):
        raise JacvizError(f"cannot read the symbol {text!r} aloud")
    return re.sub(r"\s+,", ",", re.sub(r"\s+", " ", words)).strip()


def _read(toks, k, top=False, stop=()):
    """Read a sequence of terms until a token in ``stop``; returns (words, index)."""
    parts = []
    while k < len(toks):
        kind, val, sub = toks[k]
        if kind == "op" and val in stop:
            break
        term, k = _term(toks, k)
        parts.append(term)
    return " ".join(p for p in parts if p), k


_OPS = {"+": "plus", "-": "minus", "*": "times", "·": "dot", ".": "dot", "=": "equals",
        "/": "over", "**": "to the", "^": "to the", ",": ","}


def _term(toks, k):
    kind, val, sub = toks[k]
    nxt = toks[k + 1] if k + 1 < len(toks) else (None, None, None)
    if kind == "num":
        return say_num(float(val), digits=6, about=False), k + 1
    if kind == "op":
        if val == "<":  # a pairing <a, b>
            first, k = _read(toks, k + 1, stop=(",",))
            if k < len(toks) and toks[k][1] == ",":
                second, k = _read(toks, k + 1, stop=(">",))
                k += 1 if k < len(toks) and toks[k][1] == ">" else 0
                return f"the pairing of {first} with {second}", k
            return first, k
        if val in ("(", "["):
            inner, k = _read(toks, k + 1, stop=(")", "]"))
            return inner, (k + 1 if k < len(toks) else k)
        if val in ("^T", "ᵀ"):
            return "transpose", k + 1
        if val == "∇":
            return "grad", k + 1
        if val == "'":
            if nxt[1] == "(":
                inner, k2 = _read(toks, k + 2, stop=(")",))
                return f"prime of {inner}", k2 + 1
            return "prime", k + 1
        if val == "∘":
            return "after", k + 1
        if val in ("^", "**") and nxt[0] == "num" and nxt[1] in ("2", "3"):
            return ("squared" if nxt[1] == "2" else "cubed"), k + 2
        return _OPS.get(val, val), k + 1
    # a word, with its subscript
    if val == "o" and not sub and k > 0:  # composition: "f o g"
        return "after", k + 1
    if val in ("grad", "nabla") and sub:
        return f"grad {_say_ident(sub, None)}", k + 1
    if val in ("grad", "nabla"):
        return "grad", k + 1
    if val == "D" and not sub and nxt[0] is not None and nxt[1] == "(":
        inner, k2 = _read(toks, k + 2, stop=(")",))
        k2 += 1
        return _jacobian(inner, toks, k2)
    if len(val) == 2 and val[0] == "D" and val[1].islower() and val[1] != "o":
        # Dg, Df, Dh, and Dg1 or Dg_1 (a subscripted map)
        return _jacobian(_say_ident(val[1], sub), toks, k + 1)
    if (len(val) == 2 and val[0] == "d" and val[1].isalpha()) and val not in ("do",):
        # dx, du, dy1, dx_2: a differential
        return "d " + _say_ident(val[1], sub), k + 1
    if val == "d" and sub:
        return "d " + _say_ident(sub, None), k + 1
    if nxt[1] == "(" and len(val) == 1 and val not in ("D",):
        # a function applied: f(x) -> "f of x"; r'(t) handled by "prime" then "("
        inner, k2 = _read(toks, k + 2, stop=(")",))
        return f"{_say_ident(val, sub)} of {inner}", k2 + 1
    if val in _SPOKEN_WORDS:
        return _SPOKEN_WORDS[val], k + 1
    return _say_ident(val, sub), k + 1


def _jacobian(of: str, toks, k):
    """'the Jacobian of g', with ' at x0' for an argument and transpose when ^T follows."""
    out = f"the Jacobian of {of}"
    if k < len(toks) and toks[k][1] == "(":
        at, k = _read(toks, k + 1, stop=(")",))
        k += 1
        out += f" at {at}"
    if k < len(toks) and toks[k][1] in ("^T", "ᵀ"):
        out = "the transpose of " + out
        k += 1
    return out, k


# -- sentences -------------------------------------------------------------------------
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "Fig.", "Eq.", "Dr.", "Mr.", "Ms.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces (a narration is one line of prose)."""
    return re.sub(r"\s+", " ", str(text)).strip()


def sentences(text: str) -> list[str]:
    """A narration split into its sentences (at '.', '!' or '?' followed by a capital
    or a digit; never inside 'e.g.', 'i.e.' or a decimal like 1.5)."""
    text = normalise(text)
    if not text:
        return []
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start:m.start()].strip()
        if piece.endswith(_ABBREVIATIONS):
            continue
        out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentence(*parts: str) -> str:
    """One sentence from its parts: joined by spaces, the first letter a capital, a full
    stop at the end unless it ends in '.', '!' or '?' ("the entry in row one, column
    two is minus one" -> "The entry in row one, column two is minus one.")."""
    text = normalise(" ".join(str(p) for p in parts))
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def word_count(text: str) -> int:
    """Words as a voice speaks them (a hyphenated number like 'twenty-one' is one)."""
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", str(text)))


def speech_seconds(text: str, wpm: float = WORDS_PER_MINUTE) -> float:
    """How long a voice at ``wpm`` words a minute takes to say ``text`` (no pauses)."""
    return word_count(text) * 60.0 / wpm


def estimate_timing(text: str, wpm: float = WORDS_PER_MINUTE,
                    pause: float = SENTENCE_PAUSE) -> list[tuple[float, float, str]]:
    """Sentence timings (start, end, sentence) of a narration spoken at ``wpm`` with
    ``pause`` seconds between sentences: the timing captions get without a voice."""
    out, t = [], 0.0
    for k, sentence in enumerate(sentences(text)):
        if k:
            t += pause
        length = max(speech_seconds(sentence, wpm), 0.4)
        out.append((t, t + length, sentence))
        t += length
    return out


# -- comparisons (the rule of jacviz.core.fmt.compare, for the ear) ------------------------
def _say_written(v: float, digits: int) -> str:
    return say_num(v, digits, about=False)


def say_differs(by: float, verb: str = "they differ by") -> str:
    """A difference too small for the digits: 'they differ by about three point two times
    ten to the minus nine'."""
    by = abs(float(by))
    if by == 0 or not math.isfinite(by) or 1e-3 <= by < 1e6:
        return f"{verb} {say_num(by, 2)}"
    words, rounded = _scientific(by, 2)  # say_num would round a tiny difference to zero
    return f"{verb} {'about ' if rounded else ''}{words}"


def say_compare(a, b, equal: bool | None = None, digits: int = 2, most: int | None = None,
                *, by: float | None = None):
    """Two numbers (or vectors) to be said side by side, by the rule of
    :func:`jacviz.core.fmt.compare`: shown as equal, both read from ``a``; shown as
    different, with the fewest digits (``digits`` up to ``fmt.COMPARE_MOST``) that read
    differently, else read alike with the difference said.  Returns a
    :class:`jacviz.core.fmt.Comparison` whose ``a``, ``b`` are words and whose ``note`` is
    "" or "they differ by ..."."""
    from dataclasses import replace

    from . import fmt

    c = fmt.compare(a, b, equal, digits, fmt.COMPARE_MOST if most is None else most, by=by,
                    write=_say_written, join=join_words, style="spoken")
    # the words as say_vec reads them at those digits ("about" when any was rounded)
    a_words = say_vec(fmt._values(a), c.digits)
    b_words = a_words if c.a == c.b else say_vec(fmt._values(b), c.digits)
    return replace(c, a=a_words, b=b_words, said="" if c.by is None else say_differs(c.by))


