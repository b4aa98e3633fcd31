"""The known symmetry group G of the parametrization θ ↦ f_θ of an architecture.

Conventions: θ as in :mod:`neurom2.model.architecture`; hidden layer l (1 ≤ l ≤ L−1) has d_l neurons, neuron i
has input weights W_l[i, :] and bias b_l[i] (its pre-activation z_i) and outgoing weights W_(l+1)[:, i].
Each family below maps θ to weights with the same network function, for the reason given:

* **Permutations** of the neurons of a hidden layer (rows of W_l and b_l, columns of W_(l+1)): the sum
  Σ_i W_(l+1)[:, i] σ(z_i) does not depend on the order.  Finite, of order Π d_l!.
* **Rescalings**, when σ(t(z + s) − s) = t^r (σ(z) − c) + c for all t (σ = a(x + s)^r + c, i.e. monomial
  degree r ≥ 2; s = c = 0 without biases): z_i ↦ t(z_i + s) − s (input weights × t, bias b ↦ t(b + s) − s),
  outgoing weights × t^(−r), and the next bias absorbs the constant: b_(l+1) += c(1 − t^(−r)) W_(l+1)[:, i].
  One torus C* per hidden neuron (continuous dimension Σ d_l); over R its finite part t = −1 is the sign change.
* **Sign changes**, when the identity above holds for t = −1 only (σ odd, r = 1, or even, r = 0, about the
  center −s; s = 0 and, for odd σ, c = 0 without biases): e.g. x³ + x flips input weights, bias and outgoing
  weights, x⁴ + x² the input side only.  Finite, of order 2^(Σ d_l).
* **Linear networks** (σ = a·x + c, c = 0 without biases): z ↦ g z + k on the pre-activations of a hidden layer
  (g ∈ GL(d_l); k ∈ C^(d_l) only with biases), W_(l+1) ↦ W_(l+1) g⁻¹ and b_(l+1) absorbing the shift:
  each hidden layer carries GL(d_l) (the affine group with biases), continuous dimension Σ d_l² (+ d_l).

Other activations (e.g. x² + x) have the permutations only.  G is the group these generate; it need not be
all of the fiber (:mod:`neurom2.properties.fibers` compares dimensions and counts orbits).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import factorial, prod
from typing import Any

import numpy as np

from neurom2.model.activation import horner
from neurom2.model.architecture import Architecture


@dataclass(frozen=True)
class Law:
    """σ(t(z + s) − s) = t^r (σ(z) − c) + c: for every t when ``continuous``, else for t = −1 only."""

    r: int
    shift: Fraction
    constant: Fraction
    continuous: bool


def law(arch: Architecture) -> Law | None:
    """The rescaling law of σ in this architecture (None: σ has no rescaling or sign symmetry; linear σ too,
    whose symmetries are the larger GL(d) of the module docstring)."""
    sigma = arch.activation.coefficients
    r = arch.monomial_degree
    if r == 1:
        return None
    degree = arch.activation.degree
    lead = sigma[degree]
    shift = sigma[degree - 1] / (degree * lead) if arch.bias else Fraction(0)
    constant = horner(sigma, -shift)
    if r is not None:
        return Law(r, shift, constant, True)
    # p(x) = σ(x − s) − c: odd p gives r = 1, even p gives r = 0 (then c plays no role)
    centered = _shifted(sigma, -shift)
    centered = (centered[0] - constant, *centered[1:])
    if all(a == 0 for a in centered[0::2]) and (arch.bias or constant == 0):
        return Law(1, shift, constant, False)
    if all(a == 0 for a in centered[1::2]):
        return Law(0, shift, Fraction(0), False)
    return None


def _shifted(coefficients: tuple[Fraction, ...], u: Fraction) -> tuple[Fraction, ...]:
    """Ascending coefficients of σ(x + u)."""
    result = [Fraction(0)] * len(coefficients)
    for k, a in enumerate(coefficients):
        for j in range(k + 1):
            result[j] += a * factorial(k) // (factorial(j) * factorial(k - j)) * u ** (k - j)
    return tuple(result)


@dataclass(frozen=True)
class Generator:
    """One generator of G, acting on hidden layer ``layer`` (1-based); ``neuron`` (1-based) for rescalings and
    sign changes, the first of the two swapped neurons for transpositions, 0 for GL(d_l)."""

    kind: str
    """``transposition``, ``rescaling``, ``sign`` or ``linear``."""
    layer: int
    neuron: int
    description: str


@dataclass(frozen=True, kw_only=True)
class SymmetryGroup:
    """The known symmetry group G of an architecture's parametrization (module docstring)."""

    architecture: Architecture
    continuous_dim: int
    """Dimension of G over C (of its identity component)."""
    continuous: str
    """The identity component in words (``none`` when G is finite)."""
    finite_order: int
    """Order of the finite group acting on a slice transverse to the identity component over C: the
    permutations, times the sign changes when they are not in a torus (1 for linear networks, whose
    permutations lie in GL(d))."""
    real_components: int
    """The number of connected components of G(R) (sign changes included: t = −1, det g < 0)."""
    generators: tuple[Generator, ...]
    biases: str
    """What biases change about G."""

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; generators in words)."""
        arch = self.architecture
        return {
            "widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
            "continuous_dim": self.continuous_dim, "continuous": self.continuous,
            "finite_order": self.finite_order, "real_components": self.real_components,
            "generators": [g.description for g in self.generators], "biases": self.biases,
        }


def symmetry_group(arch: Architecture) -> SymmetryGroup:
    """G for ``arch`` (see the module docstring for the families and why each is a symmetry)."""
    hidden = arch.hidden_widths
    permutations = prod(factorial(d) for d in hidden)
    transpositions = tuple(Generator("transposition", l, i, f"swap neurons {i} and {i + 1} of hidden layer {l}")
                           for l, d in enumerate(hidden, start=1) for i in range(1, d))
    neurons = [(l, i) for l, d in enumerate(hidden, start=1) for i in range(1, d + 1)]
    if arch.monomial_degree == 1:
        dim = sum(d * d + (d if arch.bias else 0) for d in hidden)
        group = "affine" if arch.bias else "general linear"
        generators = tuple(Generator("linear", l, 0, f"z -> g z{' + k' if arch.bias else ''} on the pre-activations "
                                     f"of hidden layer {l} (g in GL({d})), W{l + 1} -> W{l + 1} g^-1")
                           for l, d in enumerate(hidden, start=1))
        return SymmetryGroup(architecture=arch, continuous_dim=dim, continuous=f"{group} groups of the hidden layers",
                             finite_order=1, real_components=2 ** len(hidden), generators=generators,
                             biases="translations of the hidden pre-activations join GL(d) (the affine group)"
                             if arch.bias else "with biases GL(d) becomes the affine group")
    found = law(arch)
    if found is None:
        return SymmetryGroup(architecture=arch, continuous_dim=0, continuous="none", finite_order=permutations,
                             real_components=permutations, generators=transpositions,
                             biases="biases do not change G (permutations only)")
    r, s = found.r, found.shift
    z = "z" if s == 0 else f"z + {s}" if s > 0 else f"z - {-s}"
    if found.continuous:
        generators = tuple(Generator("rescaling", l, i, f"neuron {i} of hidden layer {l}: {z} -> t({z}), outgoing "
                                     f"weights * t^-{r}") for l, i in neurons)
        return SymmetryGroup(architecture=arch, continuous_dim=len(neurons),
                             continuous=f"a torus (C*)^{len(neurons)}: one rescaling per hidden neuron",
                             finite_order=permutations, real_components=permutations * 2 ** len(neurons),
                             generators=transpositions + generators,
                             biases="biases are rescaled with the input weights" if arch.bias else
                             "with biases the bias is rescaled with the input weights")
    outgoing = "outgoing weights * -1" if r == 1 else "outgoing weights unchanged"
    generators = tuple(Generator("sign", l, i, f"neuron {i} of hidden layer {l}: {z} -> -({z}), {outgoing}")
                       for l, i in neurons)
    order = permutations * 2 ** len(neurons)
    return SymmetryGroup(architecture=arch, continuous_dim=0, continuous="none", finite_order=order,
                         real_components=order, generators=transpositions + generators,
                         biases="biases change sign with the input weights" if arch.bias else
                         "with biases the bias changes sign with the input weights")


# --- the action on weights -------------------------------------------------------------------------------------


def _blocks(arch: Architecture) -> list[tuple[slice, slice | None]]:
    """Per layer, the positions of W_l (row by row) and b_l in θ."""
    blocks, position = [], 0
    for rows, cols in arch.weight_shapes:
        weights = slice(position, position + rows * cols)
        position += rows * cols
        bias = slice(position, position + rows) if arch.bias else None
        position += rows if arch.bias else 0
        blocks.append((weights, bias))
    return blocks


def act(arch: Architecture, theta: np.ndarray, generator: Generator, value: Any = None) -> np.ndarray:
    """The weights ``generator`` maps θ to (floats).  ``value``: t for a rescaling; (g, k) for ``linear``
    (k None without biases); ignored for transpositions and sign changes."""
    theta = np.array(theta, dtype=float)
    l = generator.layer
    (w_in, b_in), (w_out, b_out) = _blocks(arch)[l - 1], _blocks(arch)[l]
    rows, cols = arch.weight_shapes[l - 1]
    outputs = arch.weight_shapes[l][0]
    W, V = theta[w_in].reshape(rows, cols), theta[w_out].reshape(outputs, rows)
    b = theta[b_in] if b_in is not None else np.zeros(rows)
    c = theta[b_out] if b_out is not None else np.zeros(outputs)
    if generator.kind == "linear":
        sigma = arch.activation.coefficients
        a, constant = float(sigma[1]), float(sigma[0])
        g, k = value
        k = np.zeros(rows) if k is None else np.asarray(k, dtype=float)
        ginv = np.linalg.inv(g)
        ones = np.full(rows, constant)
        W, b, c, V = g @ W, g @ b + k, c + V @ ones - V @ ginv @ (a * k + ones), V @ ginv
    elif generator.kind == "transposition":
        i = generator.neuron - 1
        order = list(range(rows))
        order[i], order[i + 1] = order[i + 1], order[i]
        W, b, V = W[order], b[order], V[:, order]
    else:
        found = law(arch)
        assert found is not None
        t = -1.0 if generator.kind == "sign" else float(value)
        i, s, constant = generator.neuron - 1, float(found.shift), float(found.constant)
        W, b, V = W.copy(), b.copy(), V.copy()
        W[i] *= t
        b[i] = t * (b[i] + s) - s
        c = c + constant * (1 - t ** -found.r) * V[:, i]
        V[:, i] *= t ** -found.r
    theta[w_in], theta[w_out] = W.ravel(), V.ravel()
    if b_in is not None and b_out is not None:
        theta[b_in], theta[b_out] = b, c
    return theta


def tangent_vectors(arch: Architecture, theta: list[int]) -> list[list[int]]:
    """The tangent vectors at θ (integers) of the identity component of G, one per Lie algebra basis element:
    for a rescaling d/dt at t = 1, for GL(d_l) the elementary matrices E_ab and (with biases) the unit
    translations.  Integers when σ's shift and constant are (else scaled by their common denominator)."""
    found = law(arch)
    vectors: list[list[Fraction]] = []
    blocks = _blocks(arch)
    for l, d in enumerate(arch.hidden_widths, start=1):
        (w_in, b_in), (w_out, b_out) = blocks[l - 1], blocks[l]
        cols = arch.weight_shapes[l - 1][1]
        outputs = arch.weight_shapes[l][0]

        def at(block: slice, index: int) -> int:
            return theta[block.start + index]

        if arch.monomial_degree == 1:
            a, constant = arch.activation.coefficients[1], arch.activation.coefficients[0]
            for p in range(d):
                for q in range(d):  # E_pq: W_l row p += row q, W_(l+1) column q -= column p
                    v = [Fraction(0)] * arch.n_params
                    for j in range(cols):
                        v[w_in.start + p * cols + j] = Fraction(at(w_in, q * cols + j))
                    for k in range(outputs):
                        v[w_out.start + k * d + q] = -Fraction(at(w_out, k * d + p))
                    if b_in is not None and b_out is not None:
                        v[b_in.start + p] = Fraction(at(b_in, q))
                        for k in range(outputs):
                            v[b_out.start + k] = at(w_out, k * d + p) * constant
                    vectors.append(v)
                if b_in is not None and b_out is not None:  # translation e_p
                    v = [Fraction(0)] * arch.n_params
                    v[b_in.start + p] = Fraction(1)
                    for k in range(outputs):
                        v[b_out.start + k] = -a * at(w_out, k * d + p)
                    vectors.append(v)
        elif found is not None and found.continuous:
            for i in range(d):
                v = [Fraction(0)] * arch.n_params
                for j in range(cols):
                    v[w_in.start + i * cols + j] = Fraction(at(w_in, i * cols + j))
                for k in range(outputs):
                    v[w_out.start + k * d + i] = -found.r * Fraction(at(w_out, k * d + i))
                if b_in is not None and b_out is not None:
                    v[b_in.start + i] = at(b_in, i) + found.shift
                    for k in range(outputs):
                        v[b_out.start + k] = found.constant * found.r * at(w_out, k * d + i)
                vectors.append(v)
    denominator = prod({x.denominator for v in vectors for x in v})
    return [[int(x * denominator) for x in v] for v in vectors]
