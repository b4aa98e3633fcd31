"""The learning degree of a network (3, 2, …, 1) whose closure X is every ternary form in two linear forms.

**The variety.**  A network without biases, with input width 3, a first hidden layer of width 2 and one output,
computes f(x) = g(l_1(x), l_2(x)): f depends only on the first layer's two linear forms, so M lies in Sub_2, the
ternary forms of degree D that are binary forms in two linear forms (irreducible: the image of Gr(2, 3) × S^D C²,
of dimension 2 + (D + 1)).  When dim M = D + 3 (a proved dimension) the closure X of M *is* Sub_2.  Such networks
are (3,2,1) x³ (a general binary cubic is a sum of two cubes) and (3,2,2,1) x² (a general binary quartic is
A s⁴ + B s²t² + C t⁴ in a suitable basis), whose Lagrange systems have 14 and 23 variables.

**The formulation.**  f ∈ Sub_2 iff some derivation D_v, v ≠ 0, kills f (then f ∈ S^D(W), W the linear forms
vanishing at v).  In the chart v = (v_1, v_2, 1) the squared distance (in the metric Q of the loss) from u to the
linear space ker D_v is r(v) = (Mu)ᵀ(MQ⁻¹Mᵀ)⁻¹(Mu), M the matrix of D_v (ternary forms of degree D → D − 1; its
entries are linear in v).  The count: the critical points of r — the numerators of ∂r/∂v_1, ∂r/∂v_2 with r = N/Δ,
Δ = det(MQ⁻¹Mᵀ), N = −det of Δ's matrix bordered by Mu — saturated by Δ, modulo primes (Macaulay2
``subspaceCounts``): two equations in two unknowns, against dim V + codim X in the Lagrange system.

**What the count proves** (for generic data; with the Lagrange count's caveats it is *probable* for given data).
*Every critical point c of L on the smooth part of X gives one critical point of r:* c ∈ Sub_2 \\ Sub_1 lies in
S^D(W) for a unique plane W, i.e. a unique v; by the envelope theorem ∇r(v) = 0 says that u − c is Q-orthogonal to
the directions in which S^D(W) moves with v, and c being the projection of u says it is orthogonal to S^D(W); these
span T_c X.  Conversely a critical point of r whose projection c(v) is a smooth point of X is a critical point of L.
Critical points off the chart or on Δ = 0 are excluded for generic data (the ED correspondence has dimension dim V;
its part over a proper closed subset of X is smaller).  *No spurious critical points for D ≥ 3:* a critical point
of r whose projection c lies in Sing X = Sub_1 (D-th powers l^D, and 0) needs, at a fixed v, c(v) in a set of
codimension D − 1 in S^D(W) (a linear condition on u of that codimension, since c(v) is the projection of u) plus
one gradient condition (the directions l^(D−1)·(V/W) span one dimension); over the 2-dimensional chart that is a set
of data of codimension ≥ D − 1 + 1 − 2 = D − 2 > 0; c = 0 needs D + 1 conditions.  For D = 2 the first set is not
proper: r has spurious critical points (39 against the learning degree 13 for (3,2,1) x², a test shows it), so the
count is not used there.  The tests check the count against the Lagrange count where that finishes.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.training.parametric import ParametricCount, parametric_counts

METHOD = ("critical points of the distance r(v) from the data's center to the forms in the plane of linear forms "
          "vanishing at v (X = the ternary forms in two linear forms), two equations in v modulo primes, saturated by "
          "the Gram determinant; probable: exact for data off a discriminant and good primes")


def applies(arch: Architecture, dim: int) -> bool:
    """Whether X is Sub_2 with output degree D ≥ 3 (module docstring): no biases, widths (3, 2, …, 1), one homogeneous
    output degree D ≥ 3 and ``dim`` (the proved dimension of M) equal to dim Sub_2 = D + 3."""
    space = AmbientSpace.of(arch)
    degree = space.top_degree
    return (not arch.bias and arch.widths[0] == 3 and len(arch.widths) >= 3 and arch.widths[1] == 2
            and arch.widths[-1] == 1 and space.is_homogeneous and degree >= 3 and dim == degree + 3)


def subspace_counts(session: Macaulay2Session, arch: Architecture, dim: int, gram: Sequence[Sequence[Fraction]],
                    center: Sequence[Fraction], primes: Sequence[int],
                    timeout: float | None = None) -> tuple[ParametricCount, ...]:
    """The critical points of r(v) (module docstring) for the loss (c − u)ᵀ gram (c − u), modulo each of ``primes``."""
    if not applies(arch, dim):
        raise ValueError(f"the subspace count needs widths (3, 2, …, 1), no biases, output degree D ≥ 3 and dim M = D + 3;"
                         f" got {arch} with dim {dim}")
    return parametric_counts(session, "subspaceCounts", arch, gram, center, primes, 1, "subspace", timeout=timeout)
