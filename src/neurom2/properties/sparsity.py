"""The sparsity-bias test: do critical points of a subnetwork's loss stay critical in the full network?

For data S = ((a_j, b_j)) the squared loss in weight space is L(θ) = Σ_j ‖f_θ(a_j) − b_j‖², a polynomial in
θ over QQ.  A subnetwork (:mod:`neurom2.properties.subnetworks`) sits in the weight space by a linear
embedding E (switched-off weights zero), and L_sub = L ∘ E, so by the chain rule the gradient of L at E(s)
has the components of ∇L_sub(s) on the subnetwork's weights, and *extra components* g_i(s) = ∂L/∂θ_i(E(s))
on the switched-off weights.  Every (complex) critical point s of L_sub is critical for L iff every g_i
vanishes on V(∇L_sub), i.e. g_i ∈ rad(∇L_sub): decided exactly, g_i identically zero, a rational multiple of
a component of ∇L_sub, or radical membership in Macaulay2 (1 ∈ (∇L_sub) + (1 − t·g_i)); "undecided" when that
does not finish in time.  The answer is about complex critical points; when it is "no", real critical points
may still all be critical (the failure can sit on complex or degenerate critical points only).

When it holds (a computation, but the reason is simple).  Switch off a hidden neuron: its input weights w and
bias are zero, so its activation is the constant σ(0) on every input, and its output weights v are zero.
∂L/∂w = v·(…) = 0 and the derivatives by the next layers' weights see only the constant, so the only extra
components are ∂L/∂v_k = σ(0)·(the residual of output k, backpropagated to the next layer, summed over the
data).  Hence: with **σ(0) = 0** every narrower network has the property (the extra components vanish
identically); with σ(0) ≠ 0 it holds when the next layer has a bias (∂L/∂b equals the same sum, a component
of ∇L_sub, so the extra component lies in the ideal), and fails in general otherwise.  The failure can hide in
degenerate critical points: for (2,1,1) in (2,2,1) with σ = x² + 1, Euler's identity gives Σ_j r_j = 0 at every
critical point with output weight a ≠ 0, but the critical points with a = 0 (a conic of input weights) have
Σ_j r_j = −Σ_j b_j ≠ 0.  A single weight forced to zero is a different matter: its extra component ∂L/∂w_ij
correlates a backpropagated residual with an input, which a critical point of the sparse network need not make
zero; the computation decides each pattern (for (2,2,1), σ = x², zeroing w1_1_1 keeps critical points, as the
sparse network still fills V, while zeroing w1_1_2 or w2_1_1 does not).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import Parametrization, forward
from neurom2.model.space import AmbientSpace
from neurom2.properties.subnetworks import Subnetwork, candidates
from neurom2.training.dataset import Dataset


@dataclass(frozen=True, kw_only=True)
class CriticalEmbedding:
    """Whether every complex critical point of one subnetwork's loss embeds to a critical point of the full loss."""

    subnetwork: Subnetwork
    holds: bool | None
    """True / False proved (over C), None undecided."""
    identically_zero: tuple[str, ...]
    """Switched-off weights whose gradient component vanishes identically on the embedded subnetwork."""
    on_critical_set: tuple[str, ...]
    """Those whose component is nonzero but vanishes on the subnetwork's critical set (radical membership)."""
    failing: str | None
    """A switched-off weight whose component does not vanish on the critical set (None when it holds)."""
    reason: str

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        return {"subnetwork": self.subnetwork.to_json(), "holds": self.holds,
                "status": "undecided" if self.holds is None else "proved",
                "identically_zero": list(self.identically_zero), "on_critical_set": list(self.on_critical_set),
                "failing": self.failing, "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class SparsityBias:
    """The sparsity-bias test for one network and one data set (module docstring)."""

    architecture: Architecture
    data: Dataset
    sigma_at_zero: str
    results: tuple[CriticalEmbedding, ...]
    seconds: float

    @property
    def having(self) -> tuple[str, ...]:
        """Labels of the subnetworks with the property (proved)."""
        return tuple(r.subnetwork.label for r in self.results if r.holds)

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        arch = self.architecture
        return {"widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
                "data": self.data.to_json(), "sigma_at_zero": self.sigma_at_zero, "having": list(self.having),
                "results": [r.to_json() for r in self.results], "field": "C",
                "method": "exact gradient of the full loss at the embedded subnetwork; radical membership in Macaulay2",
                "seconds": round(self.seconds, 6)}


def sparsity_bias(architecture: Architecture, *, data: Dataset | None = None, session: Macaulay2Session | None = None,
                  deadline: Deadline | float | None = None, seed: int = 0, sparsity: bool = True,
                  subnetwork_seconds: float = 30.0) -> SparsityBias:
    """For each candidate subnetwork: is every critical point of its loss on ``data`` (default: random data with
    as many points as V has monomials per output, from ``seed``) critical for the full network's loss?"""
    started = time.perf_counter()
    deadline = Deadline.coerce(deadline)
    data = data if data is not None else Dataset.random(architecture, _points(architecture), seed)
    data.check(architecture)
    gradient = _loss_gradient(architecture, data)
    m2 = package.ready(session or default_session())
    results = tuple(_embedding(architecture, sub, gradient, m2, deadline, subnetwork_seconds)
                    for sub in candidates(architecture, sparsity=sparsity))
    return SparsityBias(architecture=architecture, data=data, sigma_at_zero=str(architecture.activation(0)),
                        results=results, seconds=time.perf_counter() - started)


def _points(arch: Architecture) -> int:
    return AmbientSpace.of(arch).monomial_count


def _loss_gradient(arch: Architecture, data: Dataset) -> list:
    """∇L as polynomials in QQ[θ] (the weight ring of :class:`~neurom2.model.parametrization.Parametrization`)."""
    ring = Parametrization(arch).weight_ring
    loss = ring.zero
    for inputs, outputs in data.pairs():
        values = forward(arch, list(ring.gens), [ring(a) for a in inputs])
        loss += sum((v - ring(b)) ** 2 for v, b in zip(values, outputs))
    return [loss.diff(x) for x in ring.gens]


def _terms(poly: Any) -> Terms:
    """A sympy ring element over QQ as {exponents: Fraction}."""
    return {tuple(e): Fraction(int(c.numerator), int(c.denominator)) for e, c in poly.terms()}


def _proportional(f: Any, g: Any) -> bool:
    """Whether f = q·g for a rational q (both nonzero ring elements)."""
    if not g or f.LM != g.LM:
        return False
    return f * g.LC == g * f.LC


def _embedding(arch: Architecture, sub: Subnetwork, gradient: list, session: Macaulay2Session, deadline: Deadline,
               seconds: float) -> CriticalEmbedding:
    off = [k for k, index in enumerate(sub.embedding) if index is None]
    ring = gradient[0].ring
    zero = [(ring.gens[k], 0) for k in off]
    restricted = [g.subs(zero) if zero else g for g in gradient]
    ideal = [_terms(restricted[k]) for k in range(arch.n_params) if k not in off and restricted[k]]
    names = arch.weight_names
    identically = tuple(names[k] for k in off if not restricted[k])
    on_set: list[str] = []
    for k in off:
        if not restricted[k]:
            continue
        if any(_proportional(restricted[k], restricted[j]) for j in range(arch.n_params) if j not in off):
            on_set.append(names[k])  # a multiple of a gradient component of the subnetwork (e.g. of a bias)
            continue
        try:
            inside = package.radical_member(session, ideal, _terms(restricted[k]), arch.n_params,
                                            timeout=deadline.remaining(seconds))
        except Macaulay2Timeout:
            if deadline.expired():
                raise
            return CriticalEmbedding(subnetwork=sub, holds=None, identically_zero=identically,
                                     on_critical_set=tuple(on_set), failing=None,
                                     reason=f"undecided: radical membership for ∂L/∂{names[k]} took more than {seconds:g} s")
        if not inside:
            return CriticalEmbedding(subnetwork=sub, holds=False, identically_zero=identically,
                                     on_critical_set=tuple(on_set), failing=names[k],
                                     reason=f"proved over C: ∂L/∂{names[k]} does not vanish on the subnetwork's critical "
                                            "set (not in the radical of its gradient ideal)")
        on_set.append(names[k])
    how = "vanish identically" if not on_set else "vanish identically or lie in the radical of the subnetwork's gradient ideal"
    return CriticalEmbedding(subnetwork=sub, holds=True, identically_zero=identically, on_critical_set=tuple(on_set),
                             failing=None, reason=f"proved: the gradient components on the switched-off weights {how}")
