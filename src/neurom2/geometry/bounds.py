"""Proved upper bounds for the dimension of a neuromanifold, each with its derivation.

A Jacobian rank modulo a prime is a proved *lower* bound for dim M (:mod:`neurom2.geometry.dimension`).
This module gives proved *upper* bounds; where the two meet, the dimension is proved, and an upper bound
below dim V proves that a network does not fill its space.  Every bound is a :class:`Bound`: its value,
the rule that gave it and the sub-bounds it was computed from, so that the derivation can be checked by
hand.

Notation.  Widths w = (w_0, ..., w_m), m ≥ 1 affine layers, σ(x) = x^r, r ≥ 2, no biases unless said.
M(w) ⊆ V(w) = (C[x_1..x_{w_0}]_{r^{m-1}})^{w_m} is the Zariski closure of the image of the weights
Θ = ∏ C^{w_l × w_{l-1}} and D(w) = dim M(w) (over C).  Pre-activations z^(l) = W_l u^(l-1), activations
u^(0) = x, u^(l) = σ(z^(l)); the output is z^(m).  N(n, e) = C(n + e − 1, e) is the number of monomials of
degree e in n variables.  Every rule below holds with D replaced by an upper bound for D wherever D
occurs with a plus sign, which is how the rules are applied recursively.

The rules, with their proofs:

**affine map** (m = 1).  M = V, D = w_0 w_1 (w_1 (w_0 + 1) with a bias): exact.

**linear** (σ of degree 1).  The exact dimension r(w_0 + w_m − r), r = min w_i, of the determinantal
variety (plus w_m with biases), capped by dim V.

**ambient**.  D ≤ dim V.

**parameters**.  D ≤ (number of weights) − (dimension of the continuous symmetries).  For σ with
:attr:`~neurom2.model.architecture.Architecture.monomial_degree` r ≥ 2 the torus (C*)^h, h = number of
hidden neurons, acts on Θ (neuron i of layer l: its input weights (and bias) times t, its output weights
times t^(−r); with σ = a(x + s)^r + c the bias also moves by (t − 1)s and the next bias absorbs the
constant).  The network is unchanged, and at weights where every hidden neuron has a nonzero input weight
(a dense open set) the stabilizer is finite, so the fibers of Θ → M have dimension ≥ h (fiber dimension
theorem).  Other activations: no symmetry is used (the bound is the number of weights).  Extra symmetries
(e.g. O(d) for σ = x² with biases) only lower D; this bound stays an upper bound.

**width cap** (σ = x^r, no biases).  Let c_0 = w_0 and c_j = min(N(w_0, r^j), N(min(w_{j−1}, c_{j−1}), r))
for 0 < j < m.  Then M(w) = M(w'), where w' lowers every w_j to min(w_j, c_j).  Proof: for every θ, the span
U of u^(j−1) has dimension ≤ min(w_{j−1}, c_{j−1}) (induction), and u^(j) = σ(z^(j)) with z^(j) ∈ U lies in
the span of {ℓ^r : ℓ ∈ U}, the image of Sym^r U, of dimension ≤ N(dim U, r), inside the forms of degree r^j,
of dimension N(w_0, r^j).  If s = dim span u^(j) < w_j, choose neurons I (|I| = s) whose activations form a
basis: u^(j) = B u_I^(j), and f is computed by the network that keeps only the neurons I in layer j and has
W_{j+1} B as next layer: a point of M(w_0..s..w_m) ⊆ M(w') (padding with zero neurons, below).  So widths
beyond the cap add nothing, which is what makes unbounded regions of widths finite (:mod:`neurom2.filling`).

**composition** (σ of monomial degree r ≥ 2, with or without biases).  For 0 < k < m,
D(w) ≤ D(w_0..w_k) + D(w_k..w_m) − w_k.  Proof: f = g ∘ σ ∘ h with h ∈ M_L = M(w_0..w_k) (the
pre-activations of layer k) and g ∈ M_R = M(w_k..w_m), so M(w) lies in the closure of the image of
Ψ: M_L × M_R → V, Ψ(h, g) = g ∘ σ ∘ h.  The torus (C*)^{w_k} acts on M_L × M_R by
(h, g) ↦ (t·h, g ∘ diag(t)^(−r)) (both sets are stable: the scalings are absorbed by W_k and W_{k+1}) and Ψ
is invariant (σ(t h) = t^r σ(h)).  At h with no zero component (generic in M_L) the stabilizer is finite,
so the generic fiber of Ψ has dimension ≥ w_k.

**span after activation** (σ = x^r, no biases).  For 0 < k < m let s be the generic dimension of the span
W of u^(k) (1 ≤ s ≤ w_k after the width cap), e = r^k and E = r^(m−k−1).  Then
D(w) ≤ max over s of [min(s(N(w_0, e) − s), D(w_0..w_k) − w_k) + min(D(s, w_{k+1}..w_m), w_m·H(s, e, E))].
Proof: on the dense open set Θ° where dim W = s, θ ↦ W is a morphism to the Grassmannian Gr(s, N(w_0, e));
let S be the closure of its image, dim S ≤ s(N − s).  The torus of layer k preserves W (σ(t z) = t^r σ(z))
and acts with finite stabilizers on the pre-activations z^(k) ∈ M(w_0..w_k), so dim S ≤ D(w_0..w_k) − w_k.
On an affine chart of the Grassmannian, W has a basis b(W) that is regular in W; u^(k) = B b(W), so
f = g(b(W)) where g is the network (s, w_{k+1}, ..., w_m) with first layer W_{k+1} B.  Hence M(w) lies in
the closure of the image of (W, g) ↦ g(b(W)), of dimension ≤ dim S + the dimension of each fiber's image
{g(b(W)) : g ∈ M(s, w_{k+1}..w_m)}.  That image is the image of M(s, w_{k+1}..w_m) under the linear map
ρ_W: g ↦ g(b(W)) on (C[y_1..y_s]_E)^{w_m}, so its dimension is ≤ min(D(s, ...), w_m · rank ρ_W), and
rank ρ_W ≤ H(s, e, E) (the **Hilbert bound**, below).

**span before activation** (σ = x^r, no biases; with biases below).  For 0 < k < m let s be the generic dimension of the span
T of z^(k) inside the span of u^(k−1) (s ≤ min(w_k, c_{k−1})), e = r^(k−1), E = r^(m−k).  Then
D(w) ≤ max over s of [min(s(N(w_0, e) − s), D(w_0..w_k) − w_k·s) + min(D(s, w_k, w_{k+1}..w_m), w_m·H(s, e, E))].
Proof: as above with z^(k) = B b(T) and f = g(b(T)), g the network (s, w_k, ..., w_m) with first layer B.
GL(w_k) acts on M(w_0..w_k) (absorbed by W_k) and preserves T (for invertible A, span A z = span z); the
orbit of z with dim span z = s has dimension w_k·s (its stabilizer {A : A B = B} has dimension w_k(w_k − s)),
so dim T ≤ D(w_0..w_k) − w_k·s; values of s with w_k·s > D(w_0..w_k) are impossible and skipped.  For k = 1,
T = span W_1 x has dimension exactly min(w_1, w_0), and the rule is used when w_1 < w_0: then
D(w) ≤ w_1(w_0 − w_1) + D(w_1, w_1, w_2..w_m).  For σ = x² and w = (n, a, 1), a < n, this gives
a n − a(a − 1)/2, the dimension of the quadrics of rank ≤ a: the orthogonal-group defect.
With biases (σ of monomial degree r ≥ 2), the same argument applies to Z = span(z^(k), 1) inside the
polynomials of degree ≤ r^(k−1), of dimension P = N(w_0 + 1, r^(k−1)): with s = dim Z − 1, Z/C lies in
Gr(s, P − 1), the affine maps of the outputs (absorbed by W_k and b_k) have orbits of dimension w_k(s + 1), and
f is the network (s, w_k..w_m) with biases applied to a basis v of Z modulo constants (z = B v + c is its first
affine layer): D(w) ≤ max over s of [min(s(P − 1 − s), D(w_0..w_k) − w_k(s + 1)) + D(s, w_k..w_m)].

**Hilbert bound** H(s, e, E): the dimension of the degree-E part of the algebra generated by s linearly
independent forms b_1..b_s of degree e in n = w_0 variables (the rank of ρ above).  Always H ≤ N(s, E) and
H ≤ N(n, eE).  When s > n, let X ⊆ P^(s−1) be the closure of the image of P^(n−1) ⇢ P^(s−1), t ↦ b(t): an
irreducible variety of dimension k ≤ n − 1 ≤ s − 2.  Cutting X by k general hyperplanes gives deg X points,
each the image of at least one component of the intersection of k general members of the linear system
spanned by the b_i in P^(n−1), which has degree e^k (Bézout); so deg X ≤ e^k ≤ e^(n−1).  A generic linear
projection maps X finitely onto a hypersurface of degree ≤ deg X in P^(k+1), and the cone over it is a
hypersurface of degree c ≤ e^(n−1) containing X.  Its equation F vanishes on b, so the kernel of ρ contains
F·C[y]_{E−c} and H ≤ N(s, E) − N(s, E − c) ≤ N(s, E) − N(s, E − e^(n−1)).  For n = 2, s = 3 this is the
plane curve of degree ≤ e traced by three binary forms (its nodes impose conditions); for n = 3, s = 4, the
quartic (Steiner) surface of four quadrics.

All bounds are computed recursively with memoization; :func:`upper_bound` returns the smallest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import comb
from typing import Any

from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace

RULES: dict[str, str] = {
    "affine map": "one affine layer: M = V (exact)",
    "linear": "linear network: the determinantal variety of rank ≤ min width (exact)",
    "ambient": "dim M ≤ dim V",
    "parameters": "weights minus the rescaling of each hidden neuron (a torus acting with finite stabilizers)",
    "width cap": "a hidden layer wider than the space its activations span adds nothing: M is unchanged when it is "
                 "narrowed to that dimension",
    "composition": "f = g ∘ σ ∘ h through one hidden layer: D ≤ D(before) + D(after) − width (the rescalings of that "
                   "layer)",
    "span after activation": "f depends on the activations of one layer only through their span W and a network on a "
                             "basis of W: D ≤ dim{W} + D(network on s inputs)",
    "span before activation": "f depends on the pre-activations of one layer only through their span T and a network on "
                              "a basis of T: D ≤ dim{T} + D(network on s inputs)",
}
"""Every rule of this module, in words (the module docstring has the proofs)."""


def monomials(n: int, degree: int) -> int:
    """N(n, e) = C(n + e − 1, e): the number of monomials of degree e in n variables."""
    return comb(n + degree - 1, degree)


def hilbert_bound(n_inputs: int, s: int, e: int, E: int) -> int:
    """H(s, e, E): the dimension of the degree-E part of the algebra generated by s linearly independent forms
    of degree e in ``n_inputs`` variables is at most this (module docstring, *Hilbert bound*)."""
    bound = min(monomials(s, E), monomials(n_inputs, e * E))
    if s > n_inputs:
        relation = e ** (n_inputs - 1)
        bound = min(bound, monomials(s, E) - (monomials(s, E - relation) if E >= relation else 0))
    return bound


@dataclass(frozen=True)
class Bound:
    """dim M(widths) ≤ value, by ``rule`` (a key of :data:`RULES`), from the sub-bounds ``parts``."""

    value: int
    rule: str
    widths: tuple[int, ...]
    detail: str
    parts: tuple[Bound, ...] = field(default_factory=tuple)
    exact: bool = False
    """True when the rule gives the dimension itself (one affine layer, linear networks)."""

    @property
    def reason(self) -> str:
        """One line: the rule and how the value was obtained (through a width cap, the rule after it)."""
        if self.rule == "width cap":
            return f"{self.rule}: {self.detail}; then {self.parts[0].reason}"
        return f"{self.rule}: {self.detail}"

    def explain(self, indent: str = "") -> str:
        """The whole derivation, one line per step, sub-bounds indented."""
        lines = [f"{indent}D({','.join(map(str, self.widths))}) ≤ {self.value}  [{self.reason}]"]
        lines += [part.explain(indent + "  ") for part in self.parts]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "rule": self.rule, "widths": list(self.widths), "detail": self.detail,
                "exact": self.exact, "parts": [part.to_json() for part in self.parts]}


def _widths(w: tuple[int, ...]) -> str:
    return "(" + ",".join(map(str, w)) + ")"


# --- σ = x^r without biases: the recursive engine ---------------------------------------------------------------

_Choice = tuple[str, int, int]
"""(rule, layer k or hidden index j, s): how a value was obtained."""


class MonomialBounds:
    """Upper bounds for σ = x^r (r ≥ 2) without biases, for every width tuple, memoized.

    :meth:`value` is the bound (an int, fast); :meth:`derive` rebuilds its :class:`Bound` tree.
    """

    def __init__(self, r: int) -> None:
        if r < 2:
            raise ValueError(f"MonomialBounds needs r ≥ 2, got {r}")
        self.r = r
        self._best: dict[tuple[int, ...], tuple[int, _Choice]] = {}

    # the width cap

    def caps(self, w: tuple[int, ...]) -> tuple[int, ...]:
        """c_1..c_{m−1} of the *width cap* rule (running: each cap uses the capped previous width)."""
        found, previous = [], w[0]
        for j in range(1, len(w) - 1):
            cap = min(monomials(w[0], self.r ** j), monomials(previous, self.r))
            found.append(cap)
            previous = min(w[j], cap)
        return tuple(found)

    def capped(self, w: tuple[int, ...]) -> tuple[int, ...]:
        return (w[0], *(min(width, cap) for width, cap in zip(w[1:-1], self.caps(w))), w[-1])

    def ambient(self, w: tuple[int, ...]) -> int:
        return w[-1] * monomials(w[0], self.r ** (len(w) - 2))

    # the bounds

    def value(self, w: tuple[int, ...]) -> int:
        """The best upper bound for D(w) that the rules give."""
        return self._solve(tuple(w))[0]

    def _solve(self, w: tuple[int, ...]) -> tuple[int, _Choice]:
        known = self._best.get(w)
        if known is None:
            known = self._best[w] = self._compute(w)
        return known

    def _compute(self, w: tuple[int, ...]) -> tuple[int, _Choice]:
        m = len(w) - 1
        if m == 1:
            return w[0] * w[1], ("affine map", 0, 0)
        narrowed = self.capped(w)
        if narrowed != w:
            return self._solve(narrowed)[0], ("width cap", 0, 0)
        best = (self.ambient(w), ("ambient", 0, 0))
        weights = sum(w[i - 1] * w[i] for i in range(1, m + 1)) - sum(w[1:-1])
        best = min(best, (weights, ("parameters", 0, 0)))
        for k in range(1, m):
            best = min(best, self._composition(w, k), self._span_after(w, k))
            before = self._span_before(w, k)
            if before is not None:
                best = min(best, before)
        return best

    def _composition(self, w: tuple[int, ...], k: int) -> tuple[int, _Choice]:
        return self.value(w[:k + 1]) + self.value(w[k:]) - w[k], ("composition", k, 0)

    def _span_after_term(self, w: tuple[int, ...], k: int, s: int) -> int:
        m, left = len(w) - 1, self.value(w[:k + 1])
        spans = min(s * (monomials(w[0], self.r ** k) - s), left - w[k])
        rest = min(self.value((s, *w[k + 1:])), w[-1] * hilbert_bound(w[0], s, self.r ** k, self.r ** (m - k - 1)))
        return max(spans, 0) + rest

    def _span_after(self, w: tuple[int, ...], k: int) -> tuple[int, _Choice]:
        return max((self._span_after_term(w, k, s), ("span after activation", k, s)) for s in range(1, w[k] + 1))

    def _span_before_range(self, w: tuple[int, ...], k: int) -> range:
        if k == 1:
            return range(w[1], w[1] + 1) if w[1] < w[0] else range(0)
        previous = min(w[k - 1], self.caps(w)[k - 2])
        left = self.value(w[:k + 1])
        return range(1, min(w[k], previous, left // w[k]) + 1)

    def _span_before_term(self, w: tuple[int, ...], k: int, s: int) -> int:
        m = len(w) - 1
        spans = min(s * (monomials(w[0], self.r ** (k - 1)) - s), self.value(w[:k + 1]) - w[k] * s)
        rest = min(self.value((s, *w[k:])), w[-1] * hilbert_bound(w[0], s, self.r ** (k - 1), self.r ** (m - k)))
        return max(spans, 0) + rest

    def _span_before(self, w: tuple[int, ...], k: int) -> tuple[int, _Choice] | None:
        choices = self._span_before_range(w, k)
        if not choices:
            return None
        return max((self._span_before_term(w, k, s), ("span before activation", k, s)) for s in choices)

    # the derivation

    def derive(self, w: tuple[int, ...]) -> Bound:
        """The :class:`Bound` of :meth:`value` with its derivation."""
        w = tuple(w)
        value, (rule, k, s) = self._solve(w)
        m, r = len(w) - 1, self.r
        if rule == "affine map":
            return Bound(value, rule, w, f"all {w[1]} × {w[0]} matrices", exact=True)
        if rule == "width cap":
            narrowed = self.capped(w)
            changed = ", ".join(f"layer {j} from {a} to {b}" for j, (a, b) in enumerate(zip(w, narrowed)) if a != b)
            return Bound(value, rule, w, f"M{_widths(w)} = M{_widths(narrowed)} ({changed})", (self.derive(narrowed),))
        if rule == "ambient":
            return Bound(value, rule, w, f"dim V = {w[-1]}·N({w[0]}, {r ** (m - 1)}) = {value}")
        if rule == "parameters":
            weights = sum(w[i - 1] * w[i] for i in range(1, m + 1))
            return Bound(value, rule, w, f"{weights} weights − {sum(w[1:-1])} rescalings = {value}")
        left = self.derive(w[:k + 1])
        if rule == "composition":
            right = self.derive(w[k:])
            return Bound(value, rule, w, f"through layer {k} (width {w[k]}): {left.value} + {right.value} − {w[k]}",
                         (left, right))
        if rule == "span after activation":
            e, E, n = r ** k, r ** (m - k - 1), monomials(w[0], r ** k)
            right = self.derive((s, *w[k + 1:]))
            hilbert = w[-1] * hilbert_bound(w[0], s, e, E)
            return Bound(value, rule, w,
                         f"the activations of layer {k} span s ≤ {w[k]} of the {n} forms of degree {e}; the maximum over s "
                         f"is at s = {s}: min({s}·({n}−{s}), {left.value}−{w[k]}) + min({right.value}, {w[-1]}·H = {hilbert})",
                         (left, right))
        e, E, n = r ** (k - 1), r ** (m - k), monomials(w[0], r ** (k - 1))
        right = self.derive((s, *w[k:]))
        hilbert = w[-1] * hilbert_bound(w[0], s, e, E)
        return Bound(value, rule, w,
                     f"the pre-activations of layer {k} span s ≤ {self._span_before_range(w, k)[-1]} of the {n} forms of "
                     f"degree {e}; the maximum over s is at s = {s}: min({s}·({n}−{s}), {left.value}−{w[k]}·{s}) + "
                     f"min({right.value}, {w[-1]}·H = {hilbert})",
                     (left, right))


@lru_cache(maxsize=8)
def monomial_bounds(r: int) -> MonomialBounds:
    """The shared (memoized) engine for σ = x^r without biases."""
    return MonomialBounds(r)


# --- every architecture ---------------------------------------------------------------------------------------


def _simple_bounds(arch: Architecture, space: AmbientSpace) -> Bound:
    w = arch.widths
    ambient = Bound(space.dim, "ambient", w, f"dim V = {space.dim}")
    detail = f"{arch.n_params} weights − {arch.symmetry_dim} rescalings = {arch.n_params - arch.symmetry_dim}" \
        if arch.symmetry_dim else f"{arch.n_params} weights (no continuous symmetry used)"
    weights = Bound(arch.n_params - arch.symmetry_dim, "parameters", w, detail)
    return min((ambient, weights), key=lambda b: b.value)


def _biased_bound(arch: Architecture, memo: dict[tuple[int, ...], Bound]) -> Bound:
    """Ambient, parameters, composition and the affine span before an activation (recursively), for σ of
    monomial degree ≥ 2 with biases."""
    if arch.widths in memo:
        return memo[arch.widths]
    space = AmbientSpace.of(arch)
    w = arch.widths
    if arch.depth == 1:
        best = Bound(space.dim, "affine map", w, f"all affine maps R^{w[0]} → R^{w[1]}", exact=True)
    else:
        best = _simple_bounds(arch, space)
        for k in range(1, arch.depth):
            left = _biased_bound(Architecture(w[:k + 1], arch.activation, arch.bias), memo)
            right = _biased_bound(Architecture(w[k:], arch.activation, arch.bias), memo)
            value = left.value + right.value - w[k]
            if value < best.value:
                best = Bound(value, "composition", w, f"through layer {k} (width {w[k]}): {left.value} + "
                                                      f"{right.value} − {w[k]}", (left, right))
            before = _affine_span_before(arch, k, left, memo)
            if before is not None and before.value < best.value:
                best = before
    memo[w] = best
    return best


def _affine_span_before(arch: Architecture, k: int, left: Bound, memo: dict[tuple[int, ...], Bound]) -> Bound | None:
    """*Span before activation* with biases: Z = span(z^(k), 1) inside the polynomials of degree ≤ r^(k−1),
    s = dim Z − 1 (exactly min(w_1, w_0) for k = 1), Z/C in Gr(s, P − 1), P = N(w_0 + 1, r^(k−1)); affine maps of
    the outputs (absorbed by W_k, b_k) have orbits of dimension w_k(s + 1), and f is the network (s, w_k..w_m)
    with biases applied to a basis of Z modulo constants (its first layer absorbs z = B v + c)."""
    w, r = arch.widths, arch.monomial_degree or 1
    spaces = monomials(w[0] + 1, r ** (k - 1)) - 1
    if k == 1:
        choices = range(w[1], w[1] + 1) if w[1] < w[0] else range(0)
    else:
        choices = range(1, min(w[k], w[k - 1], spaces) + 1)
    terms = []
    for s in choices:
        if w[k] * (s + 1) > left.value:
            continue  # impossible: the orbit would be larger than the block
        rest = _biased_bound(Architecture((s, *w[k:]), arch.activation, arch.bias), memo)
        terms.append((min(s * (spaces - s), left.value - w[k] * (s + 1)) + rest.value, s, rest))
    if not terms:
        return None
    value, s, rest = max(terms, key=lambda t: t[0])
    return Bound(value, "span before activation", w,
                 f"the pre-activations of layer {k} and 1 span s + 1 affine functions; the maximum over s is at s = {s}: "
                 f"min({s}·({spaces}−{s}), {left.value}−{w[k]}·{s + 1}) + {rest.value}", (left, rest))


def upper_bound(arch: Architecture) -> Bound:
    """The best proved upper bound for dim M of ``arch``, with its derivation (see the module docstring)."""
    space = AmbientSpace.of(arch)
    w = arch.widths
    if arch.depth == 1:
        return Bound(space.dim, "affine map", w, f"all {'affine' if arch.bias else 'linear'} maps", exact=True)
    r = arch.monomial_degree
    if r == 1:
        rank = min(w)
        value = min(space.dim, rank * (w[0] + w[-1] - rank) + (w[-1] if arch.bias else 0))
        return Bound(value, "linear", w, f"matrices of rank ≤ {rank}" + (" plus a translation" if arch.bias else ""),
                     exact=True)
    if r is not None and not arch.bias and arch.activation.is_monomial:
        return monomial_bounds(r).derive(w)
    if r is not None:
        return _biased_bound(arch, {})
    return _simple_bounds(arch, space)


__all__ = ["RULES", "Bound", "MonomialBounds", "hilbert_bound", "monomial_bounds", "monomials", "upper_bound"]
