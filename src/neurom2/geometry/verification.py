"""Independent checks of an implicitization, run by default on every result.

1. Every equation vanishes, exactly over QQ, at the coefficient vectors of random rational networks;
   those vectors are computed by running the network on QQ[x] in Python, not by Macaulay2.  This shows
   the equations hold on the neuromanifold (the ideal is not too large).
2. The dimension reported by Macaulay2 (Krull dimension of the quotient ring) equals the generic rank
   of the parametrization's Jacobian, computed modulo two primes in Python.  Together with (1) this
   shows the equations cut out a variety of the right size.
"""

from __future__ import annotations

import random
from typing import Sequence

import sympy

from neurom2.errors import VerificationError
from neurom2.geometry.dimension import PRIMES, dimension
from neurom2.geometry.neurovariety import Verification
from neurom2.model.parametrization import Parametrization, random_rational_weights


def check_equations_vanish(equations: Sequence[sympy.Poly], parametrization: Parametrization, samples: int, seed: int) -> None:
    """Raise :class:`VerificationError` unless every equation vanishes at ``samples`` random networks."""
    rng = random.Random(seed)
    arch = parametrization.architecture
    for _ in range(samples):
        weights = random_rational_weights(arch, rng)
        point = [sympy.Rational(c.numerator, c.denominator) for c in parametrization.coefficients_at(weights)]
        for equation in equations:
            value = equation.eval(dict(zip(equation.gens, point))) if equation.gens else equation.as_expr()
            if value != 0:
                raise VerificationError(
                    f"equation {equation.as_expr()} does not vanish on the network with weights "
                    f"{[str(w) for w in weights]} (value {value}): the computed ideal is wrong"
                )


def verify(equations: Sequence[sympy.Poly], dim: int, parametrization: Parametrization, samples: int = 4, seed: int = 0) -> Verification:
    """Run both checks of the module docstring; raise :class:`VerificationError` on any failure."""
    check_equations_vanish(equations, parametrization, samples, seed)
    rank = dimension(parametrization.architecture, seed=seed).dim
    if rank != dim:
        raise VerificationError(
            f"Macaulay2 reports dimension {dim} but the Jacobian of the parametrization has generic rank "
            f"{rank}: the computed ideal is wrong"
        )
    return Verification(samples=samples, jacobian_rank=rank, primes=PRIMES)
