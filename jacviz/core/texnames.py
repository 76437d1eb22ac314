"""Variable names and expressions as TeX: the one place a name becomes TeX.

``tex_name`` writes a variable name the way a lecturer writes it on a board: the
stems sympy knows as Greek letters (theta, phi, alpha, beta, gamma, delta, sigma,
mu, lambda, rho, tau, omega, psi, eta, kappa, nu, xi, epsilon, and the capitals
where sympy writes them, Theta, Phi, Lambda, ...) and the short forms lecturers
type (``th`` for theta, ``lam`` for lambda, which Python reserves, ``eps`` for
epsilon) become the letter; digits and ``_`` parts become subscripts (``th1``
is theta_1, ``x_0`` is x_0).  Any other name is unchanged (``t``, ``x``, ``thx``).

``latex`` writes a sympy expression with those names and the functions as a
lecturer writes them: ``\\arcsin`` (not asin), ``\\operatorname{atan2}(y, x)``,
``\\max``/``\\min``, ``\\operatorname{relu}``, and the step that differentiating
max, min and relu gives as an indicator, ``\\mathbf{1}_{x > y}`` (sympy would write it
``\\theta(u)``, which reads as a variable named theta).  ``fmt.tex_expr``, the
kit's labels and the pages' TeX all go through these two functions.
"""

from __future__ import annotations

import sympy
from sympy.printing.conventions import split_super_sub
from sympy.printing.latex import LatexPrinter

#: short stems that stand for a Greek letter (the rest sympy already knows by name)
ALIASES = {"th": "theta", "Th": "Theta", "lam": "lambda", "Lam": "Lambda", "eps": "epsilon"}


def tex_name(name: str) -> str:
    """A variable name as TeX: ``th`` -> ``\\theta``, ``th1`` -> ``\\theta_{1}``,
    ``alpha_2`` -> ``\\alpha_{2}``, ``lam`` -> ``\\lambda``, ``x1`` -> ``x_{1}``, ``t`` -> ``t``."""
    name = str(name)
    stem = split_super_sub(name)[0] if name else name
    if stem in ALIASES and name.startswith(stem):
        name = ALIASES[stem] + name[len(stem):]
    return LatexPrinter()._deal_with_super_sub(name)


class _Printer(LatexPrinter):
    """sympy's LaTeX printer with jacviz's names and functions."""

    def __init__(self, settings=None):
        settings = dict(settings or {})
        settings.setdefault("inv_trig_style", "full")  # asin -> \arcsin
        super().__init__(settings)

    def _print_Symbol(self, expr, style="plain"):
        name = self._settings["symbol_names"].get(expr)
        if name is not None:
            return name
        if style != "plain":  # bold: sympy's own handling
            return super()._print_Symbol(expr, style)
        return tex_name(expr.name)

    def _print_Heaviside(self, expr, exp=None):
        """The step 1 where u > 0, 0 where u < 0, as an indicator: of u = a - b as
        ``1_{a > b}`` (the derivative of max(x, y) in x is 1 where x > y)."""
        u = expr.args[0]
        terms = sympy.Add.make_args(u)
        pos = [t for t in terms if not t.could_extract_minus_sign()]
        neg = [-t for t in terms if t.could_extract_minus_sign()]
        if pos and neg:
            cond = "%s > %s" % (self._print(sympy.Add(*pos)), self._print(sympy.Add(*neg)))
        elif neg:
            cond = "%s < 0" % self._print(sympy.Add(*neg))
        else:
            cond = "%s > 0" % self._print(u)
        tex = r"\mathbf{1}_{%s}" % cond
        return tex if not exp else r"\left(%s\right)^{%s}" % (tex, exp)

    def _print_atan2(self, expr, exp=None):
        tex = r"\operatorname{atan2}{\left(%s, %s \right)}" % (self._print(expr.args[0]),
                                                             self._print(expr.args[1]))
        return tex if not exp else r"%s^{%s}" % (tex, exp)


def latex(expr, **settings) -> str:
    """LaTeX for a sympy expression (or matrix), names written by :func:`tex_name`."""
    return _Printer(settings).doprint(expr)


__all__ = ["ALIASES", "latex", "tex_name"]
