"""Independent checks of an implicitization, run once on every result (``verify=False`` skips them).

They repeat nothing the computation itself proved, and use other random points and other primes than it
did.  Each check runs only where it can say something; the result lists exactly what was checked.

1. **Equations modulo a prime.**  Every equation is evaluated at the coefficient vectors of
   :data:`SAMPLES` random networks modulo :data:`VERIFICATION_PRIME` (the largest prime below 2^30:
   neurom2's dimension uses a prime below 2^23 and primes just below 2^31, its interpolation primes just below 2^31,
   its certificates primes below 2^15).  The vectors come from
   running the network at sample inputs and inverting a Veronese matrix, not from the parametrization
   polynomials, Macaulay2 or the interpolation.  An equation F that does not vanish on M gives a nonzero
   polynomial F(c(θ)) of degree D ≤ deg F · deg_θ c; if it stays nonzero modulo p, all samples vanish with
   probability at most (D/p)^SAMPLES (Schwartz–Zippel), the stated ``error_bound``.
2. **Equations exactly over QQ** at one random rational network (its coefficients from running the network on
   QQ[x]), when the equations have at most :data:`EXACT_TERMS` terms in all (this also covers an F(c(θ)) that
   vanishes modulo p but not over QQ).
3. **Dimension**, only when Macaulay2 computed the dimension of the ideal itself (``eliminate``): it must
   equal the Jacobian rank of the dimension step.  Elsewhere the reported dimension *is* that rank (or is
   proved with the ideal), and comparing it with itself would check nothing.

A failure raises :class:`~neurom2.errors.VerificationError`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from neurom2.errors import VerificationError
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import random_rational_weights
from neurom2.model.space import Exponents
from neurom2.variety.dimension import weight_degree
from neurom2.variety.interpolation import Sampler, monomial_matrix, primes_below
from neurom2.variety.vanishing import evaluate, network_coefficients

VERIFICATION_PRIME: int = primes_below(2**30, 1)[0]
SAMPLES = 3
EXACT_TERMS = 20_000


@dataclass(frozen=True, kw_only=True)
class Verification:
    """What the independent checks of :mod:`neurom2.variety.verification` checked; all passed."""

    samples: int
    """Random networks modulo :attr:`prime` at which every equation vanished (0: no equations)."""
    prime: int | None
    exact_samples: int
    """Random rational networks at which every equation vanished exactly over QQ."""
    dimension: int | None
    """The dimension Macaulay2 computed from the ideal, equal to the Jacobian rank; None if not checked."""
    error_bound: float
    """Probability bound for the modular check passing although an equation (nonzero modulo p on M) is wrong."""

    def describe(self) -> str:
        """One line: exactly what was checked."""
        parts = []
        if self.samples:
            parts.append(f"equations vanish at {self.samples} random networks modulo {self.prime} "
                         f"(error ≤ {self.error_bound:.1e})")
        if self.exact_samples:
            parts.append(f"exactly at {self.exact_samples} random rational network")
        if self.dimension is not None:
            parts.append(f"Macaulay2's dimension {self.dimension} = the Jacobian rank")
        return "; ".join(parts) if parts else "nothing to check independently (no equations; the exact rank is the proof)"

    def to_json(self) -> dict[str, Any]:
        """The verification as JSON, with what was checked in words."""
        return {"samples": self.samples, "prime": self.prime, "exact_samples": self.exact_samples,
                "dimension": self.dimension, "error_bound": self.error_bound, "checked": self.describe()}


def _residue(c: Fraction, p: int) -> int:
    if c.denominator % p == 0:
        raise VerificationError(f"a coefficient {c} has a denominator divisible by the verification prime {p}")
    return c.numerator * pow(c.denominator, -1, p) % p


def _values_modulo(equations: Sequence[Mapping[Exponents, Fraction]], points: np.ndarray, p: int) -> list[np.ndarray]:
    values = []
    for f in equations:
        exponents = list(f)
        coefficients = np.array([_residue(f[e], p) for e in exponents], dtype=object)
        matrix = monomial_matrix(points, exponents, p).astype(object)
        values.append((matrix @ coefficients) % p)
    return values


def verify(equations: Sequence[Mapping[Exponents, Fraction]], arch: Architecture, *, jacobian_rank: int,
           m2_dimension: int | None = None, seed: int = 0) -> Verification:
    """Run the checks of the module docstring; raise :class:`VerificationError` on any failure."""
    samples, exact, bound = 0, 0, 0.0
    if equations:
        p = VERIFICATION_PRIME
        points = Sampler(arch, seed=seed + 1).points(p, SAMPLES)
        for f, values in zip(equations, _values_modulo(equations, points, p)):
            if any(values):
                raise VerificationError(f"an equation does not vanish at a random network modulo {p} "
                                        f"(equation with {len(f)} terms): the computed ideal is wrong")
        samples = SAMPLES
        degree = max(sum(e) for f in equations for e in f) * weight_degree(arch)
        bound = min(1.0, degree / p) ** SAMPLES
        if sum(len(f) for f in equations) <= EXACT_TERMS:
            weights = random_rational_weights(arch, random.Random(f"verify {seed}"))
            point = network_coefficients(arch, weights)
            for f in equations:
                value = evaluate(f, point)
                if value != 0:
                    raise VerificationError(
                        f"an equation does not vanish on the network with weights {[str(w) for w in weights]} "
                        f"(value {value}): the computed ideal is wrong")
            exact = 1
    if m2_dimension is not None and m2_dimension != jacobian_rank:
        raise VerificationError(f"Macaulay2 reports dimension {m2_dimension} but the Jacobian of the parametrization "
                                f"has rank {jacobian_rank}: the computed ideal is wrong")
    return Verification(samples=samples, prime=VERIFICATION_PRIME if samples else None, exact_samples=exact,
                        dimension=m2_dimension, error_bound=bound)
