"""Weights of a point of a fiber: exact values (rational, or in a number field QQ[u]/(m)), their exact
verification c(θ) = t, and their printing as decimals checked to a tolerance (module docstring of
:mod:`neurom2.real.membership`, "Weights and verification")."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import mpmath
import sympy

from neurom2.errors import VerificationError
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.rationals import fraction
from neurom2.exact.roots import arb_fraction, precision, real_roots, simple_interval
from neurom2.exact.terms import U, integral, sympy_poly
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization
from neurom2.model.target import Target
from neurom2.real.membership.result import TOLERANCE
from neurom2.real.membership.zerodim import BITS, PRECISION, Point

DESCRIBE_DEGREE = 16
"""Algebraic weights of larger degree are given by decimals only (the check stays exact)."""
PRINTED_DIGITS = (20, 40, 80)
"""Significant digits of decimal weights: the fewest that pass the check."""


def verify_rational(arch: Architecture, target: Target, weights: Sequence[Fraction]) -> bool:
    """Raise VerificationError unless the network with rational ``weights`` computes ``target`` exactly."""
    reached = Parametrization(arch).coefficients_at(weights)
    if reached != target.coefficients:
        raise VerificationError(f"the constructed weights compute {reached}, not the target {target}")
    return True


class Weights:
    """θ at a point of a chart's fiber, verified exactly (QQ or QQ[u]/(m)) and printed."""

    def __init__(self, arch: Architecture, target: Target, parametrization: Parametrization, point: Point) -> None:
        self.arch, self.target, self.point = arch, target, point
        self.residues = point.residues()
        self.rational = point.modulus.degree() == 1
        self.values = self._values()
        self.exact_check(parametrization)
        self.strings, self.max_error = self.printed(parametrization)
        describe = not self.rational and point.is_real and point.modulus.degree() <= DESCRIBE_DEGREE
        self.algebraic = self.describe_algebraic() if describe else None

    def _values(self) -> list:
        """θ: Fractions for fixed or rational weights, residues mod m otherwise."""
        free = dict(zip(self.point.solutions.free, self.residues))
        values: list = []
        for i, fixed in enumerate(self.point.solutions.chart.values):
            if fixed is not None:
                values.append(fixed)
            elif self.rational:
                root = -fraction(self.point.modulus[0]) / fraction(self.point.modulus[1])
                values.append(evaluate_rational(free[i], root))
            elif free[i].degree() < 1:  # a rational weight at an irrational point
                values.append(evaluate_rational(free[i], Fraction(0)))
            else:
                values.append(free[i])
        return values

    def exact_check(self, parametrization: Parametrization) -> None:
        """Verify exactly that the weights compute the target (VerificationError otherwise)."""
        if self.rational:
            verify_rational(self.arch, self.target, self.values)
            return
        m = self.point.modulus
        residues = [v if isinstance(v, flint.fmpq_poly) else flint.fmpq_poly([as_fmpq(v)]) for v in self.values]
        powers: dict[tuple[int, int], flint.fmpq_poly] = {}

        def power(i: int, e: int) -> flint.fmpq_poly:
            if (i, e) not in powers:
                powers[(i, e)] = residues[i] if e == 1 else (power(i, e - 1) * residues[i]) % m
            return powers[(i, e)]

        for k, (poly, t) in enumerate(zip(parametrization.polynomials, self.target.coefficients)):
            total = flint.fmpq_poly(0)
            for monom, coeff in poly.terms():
                term = flint.fmpq_poly([as_fmpq(coeff)])
                for i, e in enumerate(monom):
                    if e:
                        term = (term * power(i, e)) % m
                total += term
            if (total - as_fmpq(t)) % m != 0:
                raise VerificationError(f"coordinate {k + 1} of the network at the algebraic weights is not the target's")

    def numeric(self) -> list[mpmath.mpc]:
        """θ to about ``PRECISION`` digits: g(α) in Arb ball arithmetic, as mpmath numbers."""
        with precision(BITS):
            alpha = self.point.root()
            values = [flint.acb_poly([flint.acb(c) for c in v.coeffs()])(alpha) if isinstance(v, flint.fmpq_poly)
                      else flint.acb(as_fmpq(v)) for v in self.values]
            with mpmath.workdps(PRECISION):
                return [mpmath.mpc(v.real.mid().str(PRECISION, radius=False), v.imag.mid().str(PRECISION, radius=False))
                        for v in values]

    def printed(self, parametrization: Parametrization) -> tuple[tuple[str, ...], float | None]:
        """The weights as printed decimals (or exact rationals), and the largest coefficient error of the decimals."""
        if self.rational:
            return tuple(str(v) for v in self.values), None
        exact = self.numeric()
        scale = max([1.0] + [abs(float(t)) for t in self.target.coefficients])
        for digits in PRINTED_DIGITS:
            strings = tuple(str(v) if isinstance(v, Fraction) else decimal(x, digits, self.point.is_real)
                            for v, x in zip(self.values, exact))
            error = numeric_error(parametrization, self.target, strings)
            if error <= TOLERANCE * scale:
                return strings, error
        raise VerificationError(f"the decimal weights miss the target by {error:.3g} even with {digits} digits")

    def describe_algebraic(self) -> tuple[dict[str, Any] | None, ...]:
        """Per irrational weight: its minimal polynomial over QQ and an isolating interval of the root."""
        m = self.point.modulus
        d = m.degree()
        exact = self.numeric()
        result: list[dict[str, Any] | None] = []
        for v, x in zip(self.values, exact):
            if not isinstance(v, flint.fmpq_poly) or v.degree() < 1:
                result.append(None)
                continue
            columns = [((v * flint.fmpq_poly([0] * j + [1])) % m) for j in range(d)]
            matrix = flint.fmpq_mat(d, d, [columns[j][i] for i in range(d) for j in range(d)])
            minimal = matrix.minpoly()
            interval = isolating_interval(minimal, x.real)
            result.append({"minimal_polynomial": integral(minimal, sympy.Symbol("t")),
                           "interval": [str(interval[0]), str(interval[1])]})
        return tuple(result)

    def describe(self, names: Sequence[str]) -> dict[str, Any]:
        """The weights as JSON: exact, the chart's fixed weights, and the algebraic point."""
        point = self.point
        description: dict[str, Any] = {"exact": True, "fixed": point.solutions.chart.fixed(names)}
        if self.rational:
            description["verified"] = "exactly: the network over QQ computes the target"
        else:
            a = point.modulus
            description["verified"] = ("exactly in QQ[u]/(m(u)) (every coordinate of the network equals the target's), "
                                       f"and numerically: the printed decimals miss the target by at most {self.max_error:.2g}")
            description["m"] = integral(a, U) if a.degree() <= DESCRIBE_DEGREE else \
                f"(degree {a.degree()}, not printed)"
            if point.is_real:
                description["root"] = {"interval": [str(x) for x in point.interval()]}
            else:
                root = point.root()
                with mpmath.workdps(40):
                    approximation = mpmath.mpc(root.real.mid().str(35, radius=False), root.imag.mid().str(35, radius=False))
                description["root"] = {"approximation": decimal(approximation, 30, False)}
            if a.degree() <= DESCRIBE_DEGREE:
                description["weights_in_root"] = {names[i]: str(sympy_poly(g))
                                                  for i, g in zip(point.solutions.free, self.residues)}
        return description


def evaluate_rational(poly: flint.fmpq_poly, value: Fraction) -> Fraction:
    """The value of a rational polynomial at a rational number, exactly (Horner)."""
    total = Fraction(0)
    for c in reversed(poly.coeffs()):
        total = total * value + fraction(c)
    return total


def numeric_error(parametrization: Parametrization, target: Target, strings: Sequence[str]) -> float:
    """The largest coefficient error of the network with these decimal weights against the target (50 digits)."""
    with mpmath.workdps(50):
        values = [parse_decimal(s) for s in strings]
        error = mpmath.mpf(0)
        for poly, t in zip(parametrization.polynomials, target.coefficients):
            total = mpmath.mpc(0)
            for monom, coeff in poly.terms():
                c = fraction(coeff)
                term = mpmath.mpf(c.numerator) / c.denominator
                for i, e in enumerate(monom):
                    if e:
                        term *= values[i] ** e
                total += term
            error = max(error, abs(total - mpmath.mpf(t.numerator) / t.denominator))
        return float(error)


def decimal(value: mpmath.mpc, digits: int, real: bool) -> str:
    """``1.2345`` or ``0.5 - 0.2886751345948128822*I`` (sympy syntax); ``digits`` significant digits per part."""
    re = mpmath.nstr(value.real, digits, min_fixed=-5, max_fixed=5)
    if real:
        return re
    im = mpmath.nstr(abs(value.imag), digits, min_fixed=-5, max_fixed=5)
    sign = "-" if value.imag < 0 else "+"
    return f"{im}*I" if value.real == 0 and sign == "+" else f"-{im}*I" if value.real == 0 else f"{re} {sign} {im}*I"


def parse_decimal(text: str) -> mpmath.mpc:
    """Inverse of :func:`decimal` (and exact rationals ``p/q``)."""
    if "/" in text:
        p, q = text.split("/")
        return mpmath.mpc(mpmath.mpf(int(p)) / int(q))
    if not text.endswith("*I"):
        return mpmath.mpc(mpmath.mpf(text))
    body = text[:-2]
    for sign in (" + ", " - "):
        if sign in body:
            re, im = body.split(sign)
            return mpmath.mpc(mpmath.mpf(re), mpmath.mpf(im) * (1 if sign == " + " else -1))
    return mpmath.mpc(0, mpmath.mpf(body))


def isolating_interval(poly: flint.fmpq_poly, value: mpmath.mpf) -> tuple[Fraction, Fraction]:
    """An isolating interval of the real root of ``poly`` whose Arb ball contains ``value``."""
    point = Fraction(mpmath.nstr(value, PRECISION - 10))
    for bits in (64, 256, 1024):
        balls = real_roots(poly, bits)
        hits = [k for k, ball in enumerate(balls) if arb_fraction(ball.lower()) <= point <= arb_fraction(ball.upper())]
        if len(hits) == 1:
            return simple_interval(balls, hits[0])
    raise VerificationError(f"no isolating interval of a minimal polynomial contains the weight {value}")
