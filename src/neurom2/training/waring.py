"""The learning degree of a network (n, 2, 1) with σ = x^d, d ≥ 3, no biases, counted in a Waring parametrization.

**The variety.**  Such a network computes f = a_1 (w_1·x)^d + a_2 (w_2·x)^d: X, the closure of M, is the affine
cone over σ₂(v_d(P^{n−1})), the forms of Waring rank ≤ 2 in n variables (dim 2n).  Its Lagrange system has
dim V + codim X variables (36 for (3,2,1) x^5), too many for a Gröbner basis in reasonable time.

**The parametrization.**  φ(a, s) = a_1 l_1^d + a_2 l_2^d, l_i = x_1 + s_i2 x_2 + … + s_in x_n: 2n unknowns.  For
d ≥ 3 a general form of rank 2 has a unique decomposition (Sylvester; Kruskal's theorem), and l_i is fixed by its
normalization x_1-coefficient 1, so a general point of X has exactly 2 preimages (the swap of the two terms).
T_φ X = span{l_1^{d−1} x_j, l_2^{d−1} x_j} where l_1 ≠ l_2, and ∂φ/∂s_ij = d a_i l_i^{d−1} x_j, so the critical
points of L = (c − u)ᵀG(c − u) on X at the image points are given by the *tangent equations*
⟨G(φ − u), l_i^{d−1} x_j⟩ = 0 (i = 1, 2, j = 1..n; 2n equations, the partial derivatives divided by a_i).  Their
solutions with l_1 = l_2 form a positive-dimensional family (only a_1 + a_2 matters); the system is saturated by
the hyperplane s_12 = s_22 (Rabinowitsch: T (s_12 − s_22) = 1).

**What the count proves.**  For generic data every critical point of L on X lies in the image of φ off any fixed
proper closed subset (the ED correspondence has dimension dim V, its part over a subvariety of X smaller), is
nondegenerate and has exactly 2 preimages, at which φ is an immersion; so for generic data the count = degree / 2.
The degree is computed modulo a prime (F4) at given integer data: it equals the generic count unless the data
lie on a discriminant (of unknown degree, so no error bound) or the prime is bad — a *probable* count, as the
Lagrange count modulo primes is; the counts modulo two primes must agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.training.parametric import ParametricCount, parametric_counts

FIBER = 2
"""Preimages of a general point of X: the swap of the two terms."""
METHOD = ("tangent equations of the Waring parametrization a_1 l_1^d + a_2 l_2^d (l_i = x_1 + …, 2n unknowns) modulo "
          "primes (F4), saturated by s_12 ≠ s_22, degree divided by the fiber 2 (the swap); probable: exact for data "
          "off a discriminant and good primes")
LAGRANGE_VARIABLES = 30
"""Above this many Lagrange variables (dim V + codim X) the Waring count replaces the Lagrange count."""


def applies(arch: Architecture) -> bool:
    """Whether ``arch`` is (n, 2, 1), n ≥ 2, without biases, with σ = x^d, d ≥ 3."""
    d = arch.monomial_degree
    return (not arch.bias and len(arch.widths) == 3 and arch.widths[1] == 2 and arch.widths[2] == 1
            and arch.widths[0] >= 2 and d is not None and d >= 3 and arch.activation.is_monomial)


def preferred(arch: Architecture, dim: int) -> bool:
    """Whether the Waring count is used instead of the Lagrange count: it applies and the Lagrange system has more
    than :data:`LAGRANGE_VARIABLES` variables (2 dim V − dim X)."""
    ambient = AmbientSpace.of(arch).dim
    return applies(arch) and 2 * ambient - dim > LAGRANGE_VARIABLES


def waring_counts(session: Macaulay2Session, arch: Architecture, gram: Sequence[Sequence[Fraction]],
                  center: Sequence[Fraction], primes: Sequence[int], timeout: float | None = None) -> tuple[ParametricCount, ...]:
    """The tangent equations (module docstring) of the loss (c − u)ᵀ gram (c − u) modulo each of ``primes``."""
    if not applies(arch):
        raise ValueError(f"the Waring count needs (n, 2, 1), x^d with d ≥ 3, no biases; got {arch}")
    return parametric_counts(session, "waringCounts", arch, gram, center, primes, FIBER, "waring", timeout=timeout)
