"""Proved upper bounds for the dimension of a neuromanifold, each with its derivation.

A Jacobian rank modulo a prime is a proved *lower* bound for dim M (:mod:`neurom2.variety.dimension`).
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

**proved defect** (σ = x^r, no biases, one hidden layer).  D(n, h, o) = the exact dimension of a block listed in
:data:`~neurom2.variety.defects.PROVED_DEFECTS`, below parameters − rescalings: the rank of the Jacobian over a
field of rational functions on a normal form of the weights whose orbits under GL_n × GL_o × (C*)^h are dense
(the theorem and its proof are in :mod:`neurom2.variety.defects`).  It is written as parameters − rescalings
− δ(n, h, o), where δ is the dimension of the generic fiber beyond the rescalings; for σ = x²,
D(4, 6, 5) = 24 + 30 − 6 − 1 = 47.

**three-output flattening** (σ = x², no biases, one hidden layer, three outputs).  D(n, h, 3) ≤ dim V − 1 when
2h + 1 ≤ κ(n), the rank of the Koszul flattening below at one integer point.  Proof: the outputs are three quadrics
x^T A_i x, and the 3n × 3n matrix K(A) = Σ_i [e_i]_× ⊗ A_i ([e]_× the 3 × 3 matrix of u ↦ e × u) is linear in
(A_1, A_2, A_3), a linear function of the point of V.  One neuron gives A_i = a_i ℓℓ^T, so K = [a]_× ⊗ ℓℓ^T, of
rank 2·1 = 2; a sum of h neurons has rank ≤ 2h.  So every (2h + 1)-minor of K vanishes on the image of the weights,
hence on M, while one of them is nonzero at the point A = (I, diag(1, …, n), the 0/1 matrix of the path
1 − 2 − ⋯ − n), where K has rank κ(n) ≥ 2h + 1 (exact integer rank; κ(n) = 3n for even n, 3n − 1 for odd n, K
being skew-symmetric).  M lies in that minor's hypersurface of the irreducible V.  The blocks (2k + 2, 3k + 2, 3)
are the case where this is below parameters − rescalings: D(6, 8, 3) = 62 and D(8, 11, 3) = 107 (Ottaviani's
defective secant varieties of P² × P^(2k+1) embedded by O(1, 2); the flattening is his).

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
D(w) ≤ max over s of [min(s(N(w_0, e) − s), D(w_0..w_k) − w_k, max_t [d(t) + s(h(t) − s)]) +
min(D(s, w_{k+1}..w_m), w_m·H(s, e, E))].
Proof: on the dense open set Θ° where dim W = s, θ ↦ W is a morphism to the Grassmannian Gr(s, N(w_0, e));
let S be the closure of its image, dim S ≤ s(N − s).  The torus of layer k preserves W (σ(t z) = t^r σ(z))
and acts with finite stabilizers on the pre-activations z^(k) ∈ M(w_0..w_k), so dim S ≤ D(w_0..w_k) − w_k.
Moreover W lies in R(U), the span of {ℓ^r : ℓ ∈ U} for the span U of the pre-activations z^(k): if t is the
generic dimension of U, then dim{U} ≤ d(t) (the bound of *span before activation* below, t(w_0 − t) for
k = 1) and dim R(U) ≤ h(t) = min(N(w_0, r^k), H(t, r^(k−1), r)) (R(U) is the degree-r part of the algebra
generated by a basis of U), so the pairs (U, W) give dim S ≤ max over t with h(t) ≥ s of
[d(t) + s(h(t) − s)] (a Grassmannian of s-planes in R(U) over the family of U); a value of s above every h(t)
is impossible.  For example three binary cubics ℓ_i³ satisfy a cubic relation, so the cubes of their
combinations span at most 9 of the 10 binary nonics: D(2,3,8,11) = 99 for σ = x³.
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

All bounds are computed recursively with memoization; :func:`upper_bound` returns the smallest.  The search
skips only what cannot change its result: a term of a span rule whose ceiling (the term with D(rest) left out of
its minimum) is at most the maximum already found, and the rest of a span rule once its maximum so far loses to a
bound already found (``scripts/compare_bounds.py`` compares every bound and derivation with another revision).

**The texts.**  Every :class:`Bound` states its reason as prose ending in an equation ``formula = numbers = value``
(:meth:`neurom2.variety.terms.Term.equation`): the formula names the quantities N(n, e), H(s, e, E) (n = w_0) and
D(widths), the bound of a smaller network (its own line in :meth:`Bound.explain`); the numbers are integers under
+, −, ·, min and max, every term shown.  A width cap writes each cap c_j as its equation.  The value and the text
come from one computation: each rule is one function over an :class:`~neurom2.variety.terms.Arithmetic`, run with
ints to find the best bound and with terms for the text of the bound found.  For the span rules, the text is the
term of the maximizing s (the prose names it); the other values of s give at most that term.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import comb
from typing import Any

import flint

from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.variety.defects import proved_dimension
from neurom2.variety.terms import INTEGERS, TERMS, Arithmetic, Term, Value, evaluate

RULES: dict[str, str] = {
    "affine map": "one affine layer: M = V (exact)",
    "linear": "linear network: the determinantal variety of rank ≤ min width (exact)",
    "ambient": "dim M ≤ dim V",
    "parameters": "weights minus the rescaling of each hidden neuron (a torus acting with finite stabilizers)",
    "proved defect": "one hidden layer: the exact dimension, below parameters − rescalings, from the Jacobian rank over "
                     "rational functions on a normal form of the weights (neurom2.variety.defects)",
    "three-output flattening": "one hidden layer, three quadric outputs: the Koszul flattening of the outputs has rank "
                               "≤ 2 per neuron and more at one point, so M lies in a hypersurface: D ≤ dim V − 1",
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


@lru_cache(maxsize=4096)
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


def koszul_matrix(quadrics: tuple[list[list[int]], ...]) -> list[list[int]]:
    """K(A) = Σ_i [e_i]_× ⊗ A_i for three symmetric n × n matrices A_i (module docstring, *three-output flattening*):
    block (a, b) is Σ_i ε_{a i b} A_i, with ε the sign of the permutation (a, i, b) of (0, 1, 2), 0 if two agree."""
    n = len(quadrics[0])
    sign = {(0, 1, 2): 1, (1, 2, 0): 1, (2, 0, 1): 1, (0, 2, 1): -1, (2, 1, 0): -1, (1, 0, 2): -1}
    return [[sum(sign.get((a, i, b), 0) * quadrics[i][x][y] for i in range(3)) for b in range(3) for y in range(n)]
            for a in range(3) for x in range(n)]


@lru_cache(maxsize=64)
def koszul_rank(n: int) -> int:
    """κ(n): the exact rank of :func:`koszul_matrix` at (I, diag(1, …, n), the path 1 − 2 − ⋯ − n), n variables."""
    identity = [[int(x == y) for y in range(n)] for x in range(n)]
    diagonal = [[(x + 1) * (x == y) for y in range(n)] for x in range(n)]
    path = [[int(abs(x - y) == 1) for y in range(n)] for x in range(n)]
    return int(flint.fmpz_mat(koszul_matrix((identity, diagonal, path))).rank())


@dataclass(frozen=True, kw_only=True)
class Bound:
    """dim M(widths) ≤ value, by ``rule`` (a key of :data:`RULES`), from the sub-bounds ``parts``.

    ``detail`` ends with the equation that computes ``value`` (module docstring, *The texts*)."""

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

    @classmethod
    def of(cls, term: Term, *, rule: str, widths: tuple[int, ...], prose: str, parts: tuple[Bound, ...] = (),
           exact: bool = False) -> Bound:
        """The bound ``term`` with the detail ``prose: formula = numbers = value`` (:meth:`Term.equation`)."""
        return cls(value=term.value, rule=rule, widths=widths, detail=f"{prose}: {term.equation()}", parts=parts, exact=exact)

    def to_json(self) -> dict[str, Any]:
        """The bound as JSON, with the bounds of its parts."""
        return {"value": self.value, "rule": self.rule, "widths": list(self.widths), "detail": self.detail,
                "exact": self.exact, "parts": [part.to_json() for part in self.parts]}


def _widths(w: tuple[int, ...]) -> str:
    return "(" + ",".join(map(str, w)) + ")"


_AMBIENT = "dim V (outputs × monomials)"


# --- σ = x^r without biases: the recursive engine ---------------------------------------------------------------

_Choice = tuple[str, int, int]
"""(rule, layer k or hidden index j, s): how a value was obtained."""

_SPAN_RULES = ("span after activation", "span before activation")


def _monomials(n: int, degree: int, arithmetic: Arithmetic) -> Value:
    """N(n, e) as a quantity of ``arithmetic``."""
    return arithmetic.named(monomials(n, degree), "N", (n, degree))


def _parameters(widths: tuple[int, ...], bias: bool, rescaled: bool, arithmetic: Arithmetic) -> Value:
    """Σ w_l·w_(l−1) weights (w_l·(w_(l−1) + 1) with biases), minus one rescaling for each hidden neuron when
    ``rescaled`` (σ of monomial degree ≥ 2)."""
    weights = arithmetic.total(arithmetic.quantity(b) * (arithmetic.quantity(a) + 1 if bias else a)
                               for a, b in zip(widths, widths[1:]))
    return weights - arithmetic.total(widths[1:-1]) if rescaled and len(widths) > 2 else weights


class MonomialBounds:
    """Upper bounds for σ = x^r (r ≥ 2) without biases, for every width tuple, memoized.

    :meth:`value` is the bound (an int, fast); :meth:`derive` rebuilds its :class:`Bound` tree.  Each rule is
    one function over an :class:`~neurom2.variety.terms.Arithmetic` (:meth:`_rule_bound`): computed with ints
    to find the best bound, and again with terms for the text of the bound found.
    """

    def __init__(self, r: int) -> None:
        if r < 2:
            raise ValueError(f"MonomialBounds needs r ≥ 2, got {r}")
        self.r = r
        self._best: dict[tuple[int, ...], tuple[int, _Choice]] = {}
        self._known_caps: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._known_pre_spans: dict[tuple[tuple[int, ...], Arithmetic], list[tuple[Value, Value]]] = {}

    # the width cap

    def caps(self, w: tuple[int, ...]) -> tuple[int, ...]:
        """c_1..c_{m−1} of the *width cap* rule (running: each cap uses the capped previous width)."""
        known = self._known_caps.get(w)
        if known is None:
            known = self._known_caps[w] = tuple(map(evaluate, self._caps(w, INTEGERS)))
        return known

    def _caps(self, w: tuple[int, ...], arithmetic: Arithmetic) -> tuple[Value, ...]:
        found, previous = [], w[0]
        for j in range(1, len(w) - 1):
            cap = arithmetic.minimum(_monomials(w[0], self.r ** j, arithmetic), _monomials(previous, self.r, arithmetic))
            found.append(cap)
            previous = min(w[j], evaluate(cap))
        return tuple(found)

    def capped(self, w: tuple[int, ...]) -> tuple[int, ...]:
        """The widths with every hidden layer narrowed to its width cap."""
        return (w[0], *(min(width, cap) for width, cap in zip(w[1:-1], self.caps(w))), w[-1])

    def ambient(self, w: tuple[int, ...], arithmetic: Arithmetic = INTEGERS) -> Value:
        """dim V = w_m·N(w_0, r^(m−1))."""
        return arithmetic.quantity(w[-1]) * _monomials(w[0], self.r ** (len(w) - 2), arithmetic)

    # the bounds

    def value(self, w: tuple[int, ...]) -> int:
        """The best upper bound for D(w) that the rules give."""
        return self._solve(tuple(w))[0]

    def _solve(self, w: tuple[int, ...]) -> tuple[int, _Choice]:
        known = self._best.get(w)
        if known is None:
            known = self._best[w] = self._compute(w)
        return known

    def _sub(self, widths: tuple[int, ...], arithmetic: Arithmetic) -> Value:
        """D(widths) ≤ the best bound, as a quantity named D(widths)."""
        return arithmetic.named(self.value(widths), "D", widths)

    def _compute(self, w: tuple[int, ...]) -> tuple[int, _Choice]:
        """The least (value, choice) over the rules that apply to w, ties broken by the choice (rule, k, s).

        The span rules come last, each with an early exit (:meth:`_widest`): the result is the minimum over every
        rule, with the maximizing s of each span rule, as if every term had been computed."""
        m = len(w) - 1
        if m == 1:
            return self._valued(w, ("affine map", 0, 0))
        if self.capped(w) != w:
            return self._valued(w, ("width cap", 0, 0))
        choices: list[_Choice] = [("ambient", 0, 0), ("parameters", 0, 0)]
        if m == 2 and proved_dimension(self.r, w) is not None:
            choices.append(("proved defect", 0, 0))
        if m == 2 and self.r == 2 and w[2] == 3 and 2 * w[1] + 1 <= koszul_rank(w[0]):
            choices.append(("three-output flattening", 0, 0))
        choices += [("composition", k, 0) for k in range(1, m)]
        best = min(self._valued(w, choice) for choice in choices)
        for k in range(1, m):
            for rule in _SPAN_RULES:
                best = self._widest(w, rule, k, best)
        return best

    def _valued(self, w: tuple[int, ...], choice: _Choice) -> tuple[int, _Choice]:
        return evaluate(self._rule_bound(w, choice, INTEGERS)), choice

    def _widest(self, w: tuple[int, ...], rule: str, k: int, best: tuple[int, _Choice]) -> tuple[int, _Choice]:
        """The lesser of ``best`` and the span rule at layer k with the s that gives its maximum over s (the largest
        such s); ``best`` when the rule does not apply.

        The values of s are tried from the largest down.  A term is skipped when its ceiling
        nonnegative(spans) + w_m·H, which it cannot exceed, is at most the maximum found so far (it cannot become
        the maximizing s), and the search stops once the maximum found so far already loses to ``best`` (the
        maximum only grows)."""
        widest: tuple[int, int] | None = None
        for s in reversed(self._span_range(w, rule, k)):
            parts = self._span_parts(w, (rule, k, s), INTEGERS)
            if parts is None:
                continue
            spans, hilbert, rest = parts
            if widest is not None and evaluate(INTEGERS.nonnegative(spans)) + evaluate(hilbert) <= widest[0]:
                continue
            value = evaluate(self._span_total(parts, INTEGERS))
            if widest is None or value > widest[0]:
                widest = value, s
                if (value, (rule, k)) > (best[0], best[1][:2]):
                    return best
        return best if widest is None else min(best, (widest[0], (rule, k, widest[1])))

    def _span_range(self, w: tuple[int, ...], rule: str, k: int) -> range:
        return range(1, w[k] + 1) if rule == "span after activation" else self._span_before_range(w, k)

    def _rule_bound(self, w: tuple[int, ...], choice: _Choice, arithmetic: Arithmetic) -> Value:
        """The bound that ``choice`` gives for D(w) (see the module docstring for each rule)."""
        rule, k, _s = choice
        if rule == "affine map":
            return arithmetic.quantity(w[1]) * w[0]
        if rule == "width cap":
            return self._sub(self.capped(w), arithmetic)
        if rule == "ambient":
            return self.ambient(w, arithmetic)
        if rule == "parameters":
            return _parameters(w, False, True, arithmetic)
        if rule == "proved defect":
            return _parameters(w, False, True, arithmetic) - arithmetic.named(self._defect(w), "δ", w)
        if rule == "composition":
            return self._sub(w[:k + 1], arithmetic) + self._sub(w[k:], arithmetic) - w[k]
        if rule == "three-output flattening":
            return self.ambient(w, arithmetic) - 1
        term = self._span_term(w, choice, arithmetic)
        assert term is not None, choice  # _widest chose an s for which the rule applies
        return term

    def _defect(self, w: tuple[int, ...]) -> int:
        """δ(w): the generic fiber dimension beyond the rescalings of a block of :data:`PROVED_DEFECTS`."""
        dimension = proved_dimension(self.r, w)
        assert dimension is not None, w  # only asked for a listed block
        return evaluate(_parameters(w, False, True, INTEGERS)) - dimension

    def _pre_spans(self, block: tuple[int, ...], arithmetic: Arithmetic) -> list[tuple[Value, Value]]:
        """For the last layer k of ``block`` (widths w_0..w_k): (h, d) for each possible generic dimension t of
        the span U of z^(k), where d bounds dim{U} (as in *span before activation*) and h bounds the dimension of
        the span of {ℓ^r : ℓ ∈ U} (a Hilbert bound).  Memoized (the same for every s of *span after activation*)."""
        known = self._known_pre_spans.get((block, arithmetic))
        if known is None:
            known = self._known_pre_spans[block, arithmetic] = self._compute_pre_spans(block, arithmetic)
        return known

    def _compute_pre_spans(self, block: tuple[int, ...], arithmetic: Arithmetic) -> list[tuple[Value, Value]]:
        w, k, r = block, len(block) - 1, self.r
        e = r ** (k - 1)
        if k == 1:
            t = min(w[0], w[1])
            spans: list[tuple[int, Value]] = [(t, t * (arithmetic.quantity(w[0]) - t))]
        else:
            left = self._sub(block, arithmetic)
            spans = [(t, arithmetic.minimum(t * (_monomials(w[0], e, arithmetic) - t), left - arithmetic.quantity(w[k]) * t))
                     for t in self._span_before_range(block + (1,), k)]
        return [(self._spanned_powers(w[0], t, e, arithmetic), d) for t, d in spans]

    def _spanned_powers(self, n: int, t: int, e: int, arithmetic: Arithmetic) -> Value:
        """h(t) = min(N(n, r·e), H(t, e, r)): the r-th powers of a t-dimensional space of forms of degree e span
        at most this."""
        return arithmetic.minimum(_monomials(n, self.r * e, arithmetic), self._hilbert(n, t, e, self.r, arithmetic))

    @staticmethod
    def _hilbert(n: int, s: int, e: int, E: int, arithmetic: Arithmetic) -> Value:
        return arithmetic.named(hilbert_bound(n, s, e, E), "H", (s, e, E))

    def _span_term(self, w: tuple[int, ...], choice: _Choice, arithmetic: Arithmetic) -> Value | None:
        """The term at s of *span after activation* or *span before activation* at layer k (``choice``);
        None when no span of the pre-activations leaves room for s independent activations."""
        parts = self._span_parts(w, choice, arithmetic)
        return None if parts is None else self._span_total(parts, arithmetic)

    def _span_total(self, parts: tuple[Value, Value, tuple[int, ...]], arithmetic: Arithmetic) -> Value:
        """nonnegative(spans) + min(D(rest), w_m·H) from the parts of :meth:`_span_parts`."""
        spans, hilbert, rest = parts
        return arithmetic.nonnegative(spans) + arithmetic.minimum(self._sub(rest, arithmetic), hilbert)

    def _span_parts(self, w: tuple[int, ...], choice: _Choice,
                    arithmetic: Arithmetic) -> tuple[Value, Value, tuple[int, ...]] | None:
        """(the bound for dim{span}, w_m·H(s, e, E), the widths of the network on a basis of the span) of the term
        at s (``choice``); None as in :meth:`_span_term`."""
        rule, k, s = choice
        m, r = len(w) - 1, self.r
        if rule == "span after activation":
            e, E, block, rest = r ** k, r ** (m - k - 1), w[:k + 1], (s, *w[k + 1:])
            inside = [d + s * (h - s) for h, d in self._pre_spans(block, arithmetic) if evaluate(h) >= s]
            if not inside:
                return None
            spans = arithmetic.minimum(s * (_monomials(w[0], e, arithmetic) - s), self._sub(block, arithmetic) - w[k],
                                       arithmetic.maximum(*inside))
        else:
            e, E, block, rest = r ** (k - 1), r ** (m - k), w[:k + 1], (s, *w[k:])
            spans = arithmetic.minimum(s * (_monomials(w[0], e, arithmetic) - s),
                                       self._sub(block, arithmetic) - arithmetic.quantity(w[k]) * s)
        return spans, arithmetic.quantity(w[-1]) * self._hilbert(w[0], s, e, E, arithmetic), rest

    def _span_before_range(self, w: tuple[int, ...], k: int) -> range:
        if k == 1:
            return range(w[1], w[1] + 1) if w[1] < w[0] else range(0)
        previous = min(w[k - 1], self.caps(w)[k - 2])
        left = self.value(w[:k + 1])
        return range(1, min(w[k], previous, left // w[k]) + 1)

    # the derivation

    def derive(self, w: tuple[int, ...]) -> Bound:
        """The :class:`Bound` of :meth:`value` with its derivation."""
        w = tuple(w)
        _, choice = self._solve(w)
        rule, k, s = choice
        term = Term.of(self._rule_bound(w, choice, TERMS))
        if rule == "affine map":
            return Bound.of(term, rule=rule, widths=w, prose=f"all {w[1]} × {w[0]} matrices", exact=True)
        if rule == "width cap":
            return Bound.of(term, rule=rule, widths=w, prose=self._cap_prose(w), parts=(self.derive(self.capped(w)),))
        if rule == "ambient":
            return Bound.of(term, rule=rule, widths=w, prose=_AMBIENT)
        if rule == "parameters":
            return Bound.of(term, rule=rule, widths=w, prose="weights − one rescaling for each hidden neuron")
        if rule == "proved defect":
            return Bound.of(term, rule=rule, widths=w, exact=True,
                            prose=f"the Jacobian on a normal form of the weights has rank {term.value} over Q(t), so the "
                                  f"generic fiber is δ = {self._defect(w)} larger than the rescalings "
                                  f"(neurom2.variety.defects)")
        if rule == "composition":
            return Bound.of(term, rule=rule, widths=w, prose=f"through layer {k} (width {w[k]})",
                            parts=(self.derive(w[:k + 1]), self.derive(w[k:])))
        if rule == "three-output flattening":
            return Bound.of(term, rule=rule, widths=w,
                            prose=f"the {3 * w[0]} × {3 * w[0]} Koszul flattening of the 3 output quadrics has rank ≤ "
                                  f"2·{w[1]} = {2 * w[1]} on M and {koszul_rank(w[0])} at an integer point, so M lies in a "
                                  f"hypersurface of V")
        r = self.r
        after = rule == "span after activation"
        e, what, rest = (r ** k, "activations", (s, *w[k + 1:])) if after else (r ** (k - 1), "pre-activations", (s, *w[k:]))
        largest = self._span_range(w, rule, k)[-1]
        prose = (f"the {what} of layer {k} span s ≤ {largest} of the N({w[0]}, {e}) forms of degree {e}; "
                 f"the maximum over s is at s = {s}")
        return Bound.of(term, rule=rule, widths=w, prose=prose, parts=(self.derive(w[:k + 1]), self.derive(rest)))

    def _cap_prose(self, w: tuple[int, ...]) -> str:
        """M(w) = M(w') (layer j from a to c_j = min(N(w_0, r^j), N(previous, r)) = …)."""
        narrowed, caps = self.capped(w), self._caps(w, TERMS)
        changed = ", ".join(f"layer {j} from {a} to {Term.of(caps[j - 1]).equation()}"
                            for j, (a, b) in enumerate(zip(w, narrowed)) if a != b)
        return f"M{_widths(w)} = M{_widths(narrowed)} ({changed})"


@lru_cache(maxsize=8)
def monomial_bounds(r: int) -> MonomialBounds:
    """The shared (memoized) engine for σ = x^r without biases."""
    return MonomialBounds(r)


# --- every architecture ---------------------------------------------------------------------------------------


def _dim_v(space: AmbientSpace) -> Term:
    """dim V = outputs × monomials of each output: N(n + 1, D) for all degrees ≤ D, else Σ N(n, e) over the degrees."""
    degrees, n = space.degrees, space.n_inputs
    if len(degrees) > 1 and degrees == tuple(range(len(degrees))):
        per_output = TERMS.named(space.monomial_count, "N", (n + 1, degrees[-1]))
    else:
        per_output = TERMS.total(_monomials(n, e, TERMS) for e in degrees)
    return space.n_outputs * Term.of(per_output)


def _simple_bounds(arch: Architecture, space: AmbientSpace) -> Bound:
    w = arch.widths
    ambient = Bound.of(_dim_v(space), rule="ambient", widths=w, prose=_AMBIENT)
    rescaled = arch.symmetry_dim > 0
    weights = Bound.of(Term.of(_parameters(w, arch.bias, rescaled, TERMS)), rule="parameters", widths=w,
                       prose="weights − one rescaling for each hidden neuron" if rescaled
                       else "weights (no continuous symmetry used)")
    return min((ambient, weights), key=lambda b: b.value)


def _biased_bound(arch: Architecture, memo: dict[tuple[int, ...], Bound]) -> Bound:
    """Ambient, parameters, composition and the affine span before an activation (recursively), for σ of
    monomial degree ≥ 2 with biases."""
    if arch.widths in memo:
        return memo[arch.widths]
    space = AmbientSpace.of(arch)
    w = arch.widths
    if arch.depth == 1:
        best = Bound.of(_dim_v(space), rule="affine map", widths=w, prose=f"all affine maps R^{w[0]} → R^{w[1]}",
                        exact=True)
    else:
        best = _simple_bounds(arch, space)
        for k in range(1, arch.depth):
            left = _biased_bound(Architecture(w[:k + 1], arch.activation, arch.bias), memo)
            right = _biased_bound(Architecture(w[k:], arch.activation, arch.bias), memo)
            term = _named(left) + _named(right) - w[k]
            if term.value < best.value:
                best = Bound.of(term, rule="composition", widths=w, prose=f"through layer {k} (width {w[k]})",
                                parts=(left, right))
            before = _affine_span_before(arch, k, left, memo)
            if before is not None and before.value < best.value:
                best = before
    memo[w] = best
    return best


def _named(bound: Bound) -> Term:
    """The value of a sub-bound, named D(widths)."""
    return Term.of(TERMS.named(bound.value, "D", bound.widths))


def _affine_span_before(arch: Architecture, k: int, left: Bound, memo: dict[tuple[int, ...], Bound]) -> Bound | None:
    """*Span before activation* with biases: Z = span(z^(k), 1) inside the polynomials of degree ≤ r^(k−1),
    s = dim Z − 1 (exactly min(w_1, w_0) for k = 1), Z/C in Gr(s, P − 1), P = N(w_0 + 1, r^(k−1)); affine maps of
    the outputs (absorbed by W_k, b_k) have orbits of dimension w_k(s + 1), and f is the network (s, w_k..w_m)
    with biases applied to a basis of Z modulo constants (its first layer absorbs z = B v + c)."""
    w, r = arch.widths, arch.monomial_degree or 1
    polynomials = _monomials(w[0] + 1, r ** (k - 1), TERMS)
    spaces = evaluate(polynomials) - 1
    if k == 1:
        choices = range(w[1], w[1] + 1) if w[1] < w[0] else range(0)
    else:
        choices = range(1, min(w[k], w[k - 1], spaces) + 1)
    terms = []
    for s in choices:
        if w[k] * (s + 1) > left.value:
            continue  # impossible: the orbit would be larger than the block
        rest = _biased_bound(Architecture((s, *w[k:]), arch.activation, arch.bias), memo)
        spans = TERMS.minimum(s * (polynomials - 1 - s), _named(left) - w[k] * (Term(s) + 1))
        terms.append((Term.of(spans + _named(rest)), s, rest))
    if not terms:
        return None
    term, s, rest = max(terms, key=lambda t: t[0].value)
    return Bound.of(term, rule="span before activation", widths=w,
                    prose=f"the pre-activations of layer {k} and 1 span s + 1 of the N({w[0] + 1}, {r ** (k - 1)}) "
                          f"polynomials of degree ≤ {r ** (k - 1)}; the maximum over s is at s = {s}", parts=(left, rest))


def upper_bound(arch: Architecture) -> Bound:
    """The best proved upper bound for dim M of ``arch``, with its derivation (see the module docstring)."""
    space = AmbientSpace.of(arch)
    w = arch.widths
    if arch.depth == 1:
        return Bound.of(_dim_v(space), rule="affine map", widths=w,
                        prose=f"all {'affine' if arch.bias else 'linear'} maps", exact=True)
    r = arch.monomial_degree
    if r == 1:
        rank = min(w)
        by_rank = rank * (Term(w[0]) + w[-1] - rank)
        if arch.bias:
            by_rank = by_rank + w[-1]
        return Bound.of(Term.of(TERMS.minimum(_dim_v(space), by_rank)), rule="linear", widths=w,
                        prose=f"matrices of rank ≤ {rank}" + (" plus a translation" if arch.bias else ""), exact=True)
    if r is not None and not arch.bias and arch.activation.is_monomial:
        return monomial_bounds(r).derive(w)
    if r is not None:
        return _biased_bound(arch, {})
    return _simple_bounds(arch, space)


def width_capped(arch: Architecture) -> Architecture:
    """The network with every hidden layer narrowed to its *width cap* (σ = x^r, no biases; the module docstring
    proves M(w) = M(w′)): the same neuromanifold from fewer weights.  Any other network is returned unchanged."""
    r = arch.monomial_degree
    if r is None or r < 2 or arch.bias or not arch.activation.is_monomial:
        return arch
    capped = monomial_bounds(r).capped(arch.widths)
    return arch if capped == arch.widths else Architecture(capped, arch.activation, arch.bias)


__all__ = ["RULES", "Bound", "MonomialBounds", "hilbert_bound", "monomial_bounds", "monomials", "upper_bound",
           "width_capped"]
