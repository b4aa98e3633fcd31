"""Exact proof that polynomials vanish on a neuromanifold: F(c(θ)) = 0 in QQ[θ], computed with FLINT.

A polynomial F in the coordinates of V vanishes on M (hence on its Zariski closure) if and only if the
polynomial F(c(θ)) in the weights is zero.  The test is exact over QQ: c(θ) is built by one forward pass of
the network on FLINT polynomials (``fmpq_mpoly``) in the weights and the inputs, and F(c(θ)) is expanded.

The rescaling chart.  When σ has a rescaling symmetry (``Architecture.monomial_degree`` is not None: σ =
a·x^r, or with biases a·(x + s)^r + t), every network with nonzero first input weights in its hidden layers
has the same output as one with those weights equal to 1 (scale the neuron's incoming row by λ and its
outgoing column by λ^(-r)).  Those networks are Zariski dense among all weights, so F vanishes on M if and
only if F(c(θ)) = 0 on the chart {first input weight of every hidden neuron = 1}, which has fewer variables.
Without that symmetry all weights stay free.

Shared work: the images of monomials are built from the images of smaller monomials and kept, so a family
of equations (the 609 cubics of σ = x^5 on (3,2,1), say) costs one product per distinct monomial.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import flint

from neurom2.exact.rationals import fmpq
from neurom2.model.architecture import Architecture
from neurom2.model.parametrization import forward
from neurom2.model.space import AmbientSpace, Exponents

Terms = Mapping[Exponents, Fraction]
"""A polynomial in the coordinates of V: exponent vector (one entry per coordinate) → rational coefficient."""


def chart_weights(arch: Architecture) -> tuple[int, ...]:
    """Positions in θ of the weights fixed to 1 by the rescaling chart (empty without rescaling symmetry)."""
    if arch.monomial_degree is None:
        return ()
    fixed = []
    position = 0
    for layer, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        if layer < arch.depth:
            fixed += [position + i * cols for i in range(rows)]
        position += rows * cols + (rows if arch.bias else 0)
    return tuple(fixed)


class ChartImage:
    """c(θ) on the rescaling chart, as FLINT polynomials over QQ in the free weights."""

    def __init__(self, arch: Architecture) -> None:
        self.architecture = arch
        self.space = AmbientSpace.of(arch)
        fixed = set(chart_weights(arch))
        free = [i for i in range(arch.n_params) if i not in fixed]
        names = [arch.weight_names[i] for i in free]
        inputs = [f"x{i}" for i in range(1, arch.input_dim + 1)]
        both = flint.fmpq_mpoly_ctx.get(tuple(names + inputs), "lex")
        gens = both.gens()
        theta, k = [], 0
        for i in range(arch.n_params):
            if i in fixed:
                theta.append(both.constant(1))
            else:
                theta.append(gens[k])
                k += 1
        self.ring = flint.fmpq_mpoly_ctx.get(tuple(names), "lex")  # never empty: the last layer is free
        index = {e: j for j, e in enumerate(self.space.monomials)}
        coordinates: list[flint.fmpq_mpoly] = []
        for output in forward(arch, theta, gens[len(free):]):
            parts: list[dict] = [{} for _ in index]
            for exponents, c in output.to_dict().items():
                parts[index[tuple(exponents[len(free):])]][tuple(exponents[:len(free)])] = c
            coordinates += [self.ring.from_dict(part) if part else self.ring.constant(0) for part in parts]
        self.coordinates = tuple(coordinates)
        self._images: dict[Exponents, flint.fmpq_mpoly] = {}

    def image(self, monomial: Exponents) -> flint.fmpq_mpoly:
        """The monomial c^μ evaluated at c(θ), built from a smaller monomial's image (kept for reuse)."""
        found = self._images.get(monomial)
        if found is not None:
            return found
        j = next((i for i, e in enumerate(monomial) if e), None)
        if j is None:
            return self.ring.constant(1)
        smaller = monomial[:j] + (monomial[j] - 1,) + monomial[j + 1:]
        found = self.coordinates[j] if not any(smaller) else self.image(smaller) * self.coordinates[j]
        self._images[monomial] = found
        return found

    def compose(self, polynomial: Terms) -> flint.fmpq_mpoly:
        """F(c(θ)) in QQ[free weights]."""
        total = self.ring.constant(0)
        for monomial, c in polynomial.items():
            total += self.image(tuple(monomial)) * fmpq(c)
        return total

    def vanishes(self, polynomials: Sequence[Terms]) -> list[bool]:
        """For each F: whether F(c(θ)) = 0 exactly, i.e. F vanishes on M."""
        return [self.compose(f).is_zero() for f in polynomials]


def network_coefficients(arch: Architecture, weights: Sequence[Fraction]) -> list[flint.fmpq]:
    """c(θ) for rational θ, exactly, by running the network on QQ[x] (FLINT); V's coordinate order."""
    space = AmbientSpace.of(arch)
    ring = flint.fmpq_mpoly_ctx.get(tuple(f"x{i}" for i in range(1, arch.input_dim + 1)), "lex")
    outputs = forward(arch, [ring.constant(fmpq(w)) for w in weights], ring.gens())
    coefficients: list[flint.fmpq] = []
    for output in outputs:
        terms = {tuple(e): c for e, c in output.to_dict().items()}
        if not set(terms) <= set(space.monomials):
            raise AssertionError("network output has monomials outside the ambient space")
        coefficients += [terms.get(e, flint.fmpq(0)) for e in space.monomials]
    return coefficients


def evaluate(polynomial: Terms, point: Sequence[flint.fmpq]) -> flint.fmpq:
    """F(point), exactly."""
    total = flint.fmpq(0)
    for monomial, c in polynomial.items():
        term = fmpq(c)
        for x, k in zip(point, monomial):
            if k:
                term *= x ** k
        total += term
    return total
