"""The parametrization θ ↦ c(θ) of a neuromanifold: weights to coefficients in the monomial basis of V.

One forward pass, :func:`forward`, serves every arithmetic: run on symbolic weights and inputs (sympy
sparse polynomials over QQ) it builds the exact coefficient polynomials layer by layer; run on rational
weights and symbolic inputs it gives the exact coefficient vector of one network; run on float weights
and numpy arrays of inputs it evaluates the network at points.  Conventions for θ are those of
:mod:`neurom2.model.architecture`, for coordinates those of :mod:`neurom2.model.space`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from fractions import Fraction
from functools import cached_property

import sympy
from sympy.polys.domains import QQ
from sympy.polys.rings import PolyElement, PolyRing, ring

from neurom2.exact.rationals import fraction
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace


def forward(architecture: Architecture, weights: Sequence, inputs: Sequence) -> list:
    """The network's outputs ``alpha_L(σ(... σ(alpha_1(inputs))))`` for weights θ (a flat sequence).

    Entries of ``weights`` and ``inputs`` may be any objects with ``+`` and ``*`` (numbers, numpy
    arrays of sample points, sympy ring elements); the result is the list of ``d_L`` outputs.
    """
    if len(weights) != architecture.n_params:
        raise ValueError(f"{architecture} has {architecture.n_params} weights, got {len(weights)}")
    if len(inputs) != architecture.input_dim:
        raise ValueError(f"{architecture} has {architecture.input_dim} inputs, got {len(inputs)}")
    values = list(inputs)
    position = 0
    for layer, (rows, cols) in enumerate(architecture.weight_shapes, start=1):
        matrix = weights[position:position + rows * cols]
        position += rows * cols
        values = [sum(matrix[i * cols + j] * values[j] for j in range(cols)) for i in range(rows)]
        if architecture.bias:
            values = [v + b for v, b in zip(values, weights[position:position + rows])]
            position += rows
        if layer < architecture.depth:
            values = [architecture.activation(v) for v in values]
    return values


class Parametrization:
    """The polynomial map θ ↦ c(θ) ∈ V of an architecture, exact over QQ."""

    def __init__(self, architecture: Architecture) -> None:
        self.architecture = architecture
        self.space = AmbientSpace.of(architecture)

    @cached_property
    def weight_ring(self) -> PolyRing:
        """QQ[θ], generators named as in :attr:`Architecture.weight_names`."""
        return ring(",".join(self.architecture.weight_names), QQ)[0]

    @cached_property
    def polynomials(self) -> tuple[PolyElement, ...]:
        """c(θ): one polynomial in QQ[θ] per coordinate of V, in coordinate order."""
        arch = self.architecture
        n, p = arch.input_dim, arch.n_params
        names = list(arch.weight_names) + [f"x{i}" for i in range(1, n + 1)]
        full, *gens = ring(",".join(names), QQ)
        outputs = forward(arch, gens[:p], gens[p:])
        index = {e: i for i, e in enumerate(self.space.monomials)}
        coefficients: list[list[dict]] = [[{} for _ in index] for _ in outputs]
        for k, poly in enumerate(outputs):
            for monom, coeff in poly.terms():
                terms = coefficients[k][index[monom[p:]]]
                terms[monom[:p]] = coeff
        return tuple(self.weight_ring.from_dict(terms) for per_output in coefficients for terms in per_output)

    def coefficients_at(self, weights: Sequence) -> tuple[Fraction, ...]:
        """c(θ) for rational θ, computed by running the network on QQ[x] (independent of :attr:`polynomials`)."""
        n = self.architecture.input_dim
        xring, *xs = ring(",".join(f"x{i}" for i in range(1, n + 1)), QQ)
        outputs = forward(self.architecture, [Fraction(w) for w in weights], xs)
        vector: list[Fraction] = []
        for poly in outputs:
            terms = dict(xring(poly).terms())
            vector += [fraction(terms.get(e, 0)) for e in self.space.monomials]
            if not set(terms) <= set(self.space.monomials):
                raise AssertionError("network output has monomials outside the ambient space")
        return tuple(vector)

    def sympy_polynomials(self) -> list[sympy.Expr]:
        """c(θ) as sympy expressions in the weight symbols (for display and interoperability)."""
        return [poly.as_expr() for poly in self.polynomials]


def random_rational_weights(architecture: Architecture, rng: random.Random, height: int = 9) -> list[Fraction]:
    """Random θ with entries p/q, |p| ≤ height, 1 ≤ q ≤ height: small, exact, generic enough to test."""
    return [Fraction(rng.randint(-height, height), rng.randint(1, height)) for _ in range(architecture.n_params)]
