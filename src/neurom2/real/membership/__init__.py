"""Membership: is a target t ∈ V computed by the network for some real (or complex) weights?

The question is whether the fiber F_t = {θ : c(θ) = t} of the parametrization (:mod:`neurom2.model.parametrization`,
coordinates of :mod:`neurom2.model.space`) has a real point (``field="real"``) or any point (``field="complex"``).
A "yes" comes with weights whose network equals t, checked exactly; a "no" with a certificate naming its
method and the data a reader can check; when neither is proved the answer is ``None``, with the reason.

Method
------
1. *One affine layer* (L = 1): every point of V is a network; the weights are t's coefficients.
2. *Linear networks* (σ of degree 1; with biases any σ = a·x + s): the network is x ↦ A x (+ b) where A
   ranges over the d_L × d_0 matrices of rank ≤ r = min(widths) (b is free with biases).  Decided by the
   exact rank of t's linear part over QQ, which is its rank over R and C.  "Yes": an exact rank
   factorization spread over the layers.  "No": a nonzero minor of size rank(A) > r.
3. *Fibers in symmetry charts* (every other σ).  For σ = a·x^r, r ≥ 2 (with biases also a·(x+s)^r + c),
   each hidden neuron has a rescaling: its input weights and bias + s times λ, its outgoing weights times
   λ^(-r) (and a bias correction), for every real λ ≠ 0.  A *chart* chooses, for each hidden neuron, the
   position j of its first nonzero input weight (or the bias slot, b + s ≠ 0 with w = 0) and fixes
   w_j = 1 and the weights before it to 0; a real λ moves every weight vector into one of these charts.
   A neuron whose input weights and b + s all vanish outputs a constant (0 without biases), so it can be
   replaced by one in the chart j = 1 with zero outgoing weights (its constant moved into the next
   bias).  Permuting the neurons of a layer sorts their chart positions, so per layer the positions are
   a non-decreasing sequence.  The charts therefore cover all weights, over R as over C.  Other
   activations have one chart, all weights free.
   First, in each chart with more free weights than equations, a random slice (that excess of free
   weights fixed to random integers) is tried: a (real) point on it answers yes at once, without the
   chart's Gröbner basis, which is expensive for positive-dimensional fibers.  Otherwise, in each chart
   Macaulay2 builds the fiber ideal J ⊂ QQ[free weights] from the package's network (its generators
   are compared with Python's parametrization), and computes dim J:

   - J = (1): the chart is empty over C.  Certificate: cofactors h with Σ h_k g_k = 1 (checked here).
   - dim J = 0: Macaulay2 gives a monomial basis of A = QQ[free]/J and the matrices of multiplication
     by the variables.  Hermite's trace form H(a, b) = Tr(m_ab) has rank = the number of points over C
     and signature = the number of real points (exact: Descartes' rule on the characteristic polynomial
     of the symmetric matrix H).  Independently, a random integer linear form u is *separating* when the
     squarefree part χ of the characteristic polynomial of m_u has that many roots; the real points are
     then exactly at the real roots of χ (a real point gives a real u; a real root gives a real point
     through the rational univariate representation θ_i = g_i(u) / g_1(u), built from the traces
     Tr(θ_i u^j)).  The real roots of χ are counted exactly, by Sturm sequences up to degree 40 and by
     Arb's certified root isolation beyond; the two counts must agree.
   - dim J > 0: over C the chart is nonempty (Nullstellensatz); a point is found by fixing a maximal
     independent set of free weights to random integers (a zero-dimensional slice).  Over R such a
     slice may miss the real points, so after a few slices without one neurom2 uses the *critical point
     method*: for each minimal prime P of J (codimension c) and a random rational point p, the ideal
     P + (c+1)-minors of [Jacobian(P); θ − p] contains the point of V_R(P) nearest to p, if V_R(P) is
     nonempty (that point is singular, or a smooth point where θ − p is normal).  When these ideals are
     zero-dimensional their real points decide the chart (a real critical point is followed by a
     rational slice near it, for simpler weights); otherwise, or after ``CRITICAL_SECONDS``, the chart
     stays undecided.

4. *Answer*.  Real: yes if some chart has a real point; no if every chart is proved to have none;
   otherwise undecided (``member=None``).  Complex: yes if some chart is nonempty, no if all are empty.

Weights and verification
------------------------
Weights are rational when the chosen point is (a linear factor of χ), else algebraic: α is a root of
an irreducible factor m of χ and every weight is a polynomial in α.  The network is verified *exactly*:
c(θ) = t in QQ (by running the network on QQ[x], :meth:`Parametrization.coefficients_at`) or in the
number field QQ[u]/(m) (evaluating the parametrization polynomials).  Irrational weights are printed as
decimals (and, over R, each with its minimal polynomial and an isolating interval); the network of
the printed decimals is evaluated at 50 digits and must match t within ``TOLERANCE`` relative to
max(1, max |t_k|); the error is reported as ``max_error``.

Limits
------
Gröbner bases over QQ are exact but grow quickly with the number of weights and the degree: deeper or
wider networks may exceed the time limit (:class:`Macaulay2Timeout`, exit status 1 in the CLI).  The
exact linear algebra on A costs about n^4 operations for n points (seconds for n ≈ 150).  Over R, a
positive-dimensional fiber whose slices have no real point and whose critical-point ideals are not
zero-dimensional (or take longer than ``CRITICAL_SECONDS``) is left undecided, with the reason.  Weights
of degree > 16 over QQ are printed as decimals only (their exact check is unchanged).  The random
choices (separating forms, slices, the point p) only affect which certificate is found, never its
correctness; they are seeded by ``seed``.

Modules: :mod:`~.linear` (steps 1, 2), :mod:`~.charts` (the covering family of step 3), :mod:`~.fibers`
(steps 3, 4), :mod:`~.zerodim` (points and real points of zero-dimensional ideals), :mod:`~.weights`
(exact weights, their verification and printing), :mod:`~.result` (the :class:`Membership` value).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from neurom2.cost import Estimate, guard
from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption, InvalidTarget
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target
from neurom2.real.fields import FIELDS
from neurom2.real.membership.charts import CoveringChart, covering_chart_count, covering_charts
from neurom2.real.membership.fibers import CRITICAL_SECONDS, QUICK_SECONDS, FiberSearch
from neurom2.real.membership.linear import decide_linear, decide_single_layer
from neurom2.real.membership.result import METHOD_AFFINE, METHOD_FIBERS, METHOD_RANK, TOLERANCE, Membership

CHART_OPERATIONS = 1e7
"""Nominal cost of one chart (a fiber ideal and its points in Macaulay2; typically 5–100 ms), for the size guard."""

__all__ = [
    "CRITICAL_SECONDS", "FIELDS", "METHOD_AFFINE", "METHOD_FIBERS", "METHOD_RANK", "QUICK_SECONDS", "TOLERANCE",
    "CoveringChart", "FiberSearch", "Membership", "covering_chart_count", "covering_charts",
    "decide_membership",
]


def decide_membership(
    architecture: Architecture | str | Sequence[int],
    activation: str | None = None,
    *,
    target: Target | str | Sequence[str] | None = None,
    field: str = "real",
    bias: bool | None = None,
    session: Macaulay2Session | None = None,
    timeout: Deadline | float | None = None,
    seed: int = 0,
    force: bool = False,
) -> Membership:
    """Decide whether ``target`` is computed by ``architecture`` with real or complex weights (module docstring).

    ``target`` is a :class:`Target` or text (``"x^3 - x*y^2"``, outputs separated by ``;``).  ``timeout`` is
    the time budget of the whole decision in seconds (:mod:`neurom2.deadline`; TimeLimitExceeded beyond it).
    Raises :class:`InvalidTarget` for a target outside V, :class:`VerificationError` if a check fails, and
    :class:`TooExpensive` when the covering family has too many charts (:data:`CHART_OPERATIONS` each),
    unless ``force``.  The network is an :class:`Architecture` or widths with an activation
    (``decide_membership("2,2,1", "x^3", target="x^3 - x*y^2")``; :meth:`Architecture.coerce`).
    """
    architecture = Architecture.coerce(architecture, activation, bias)
    if target is None:
        raise InvalidTarget("no target given: decide_membership(architecture, target='x^3 - x*y^2')")
    if field not in FIELDS:
        raise InvalidOption(f"field must be 'real' or 'complex', got {field!r}", "field")
    space = AmbientSpace.of(architecture)
    guard(space.listing_estimate(), force)
    if isinstance(target, Target):
        if target.space != space:
            raise InvalidTarget(f"the target lies in {target.space.describe()}, but the network's space is {space.describe()}")
    else:
        target = Target.parse(target, space)
    started = time.perf_counter()
    if architecture.depth == 1:
        result = decide_single_layer(architecture, target, field)
    elif architecture.monomial_degree == 1:
        result = decide_linear(architecture, target, field)
    else:
        charts = covering_chart_count(architecture)
        guard(Estimate(f"{charts} covering charts, one fiber ideal each", 0.0, charts * CHART_OPERATIONS), force)
        deadline = Deadline.coerce(timeout)
        with deadline.enforced():
            result = FiberSearch(architecture, target, field, session or default_session(), deadline, seed).decide()
    return replace(result, seconds=time.perf_counter() - started, seed=seed)
