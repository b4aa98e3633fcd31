"""The covering family of symmetry charts of the weights (module docstring of
:mod:`neurom2.real.membership`, step 3).

A :class:`CoveringChart` fixes some weights to rational values; :func:`covering_charts` gives finitely many
of them that together meet every orbit of the rescalings and permutations of hidden neurons, over R and
over C, so a fiber has a (real) point if and only if it has one in some chart.  (Not to be confused with
the single *dense* chart of Macaulay2's ``symmetryChart``, which meets almost every orbit and serves
elimination, where a dense subset is enough.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations_with_replacement, product
from math import comb, prod

from neurom2.model.architecture import Architecture


@dataclass(frozen=True)
class CoveringChart:
    """Weights fixed to rational values (None: free), in θ's order; one member of a covering family."""

    values: tuple[Fraction | None, ...]

    def fixed(self, names: Sequence[str]) -> dict[str, str]:
        """The fixed weights of the chart, by name, as text."""
        return {name: str(v) for name, v in zip(names, self.values) if v is not None}

    def free(self) -> list[int]:
        """The indices of the weights the chart leaves free."""
        return [i for i, v in enumerate(self.values) if v is None]

    def with_values(self, values: dict[int, Fraction]) -> CoveringChart:
        """The chart with more weights fixed: ``values`` by index."""
        return CoveringChart(tuple(values.get(i, v) for i, v in enumerate(self.values)))


def covering_charts(arch: Architecture) -> list[CoveringChart]:
    """Charts covering all weights up to rescalings and permutations of hidden neurons (module docstring, 3).

    One chart with every weight free when σ has no rescaling symmetry (monomial degree None or 1).
    """
    r = arch.monomial_degree
    if r is None or r < 2:
        return [CoveringChart((None,) * arch.n_params)]
    sigma = arch.activation.coefficients
    shift = sigma[r - 1] / (r * sigma[r]) if arch.bias else Fraction(0)  # σ = a (x + shift)^r + constant
    offsets, position = [], 0
    for rows, cols in arch.weight_shapes:
        offsets.append(position)
        position += rows * cols + (rows if arch.bias else 0)
    choices = [list(combinations_with_replacement(range(1, cols + (2 if arch.bias else 1)), rows))
               for rows, cols in arch.weight_shapes[:-1]]
    charts = []
    for positions in product(*choices):
        values: list[Fraction | None] = [None] * arch.n_params
        for l, layer_positions in enumerate(positions):
            rows, cols = arch.weight_shapes[l]
            for i, j in enumerate(layer_positions):
                row = offsets[l] + i * cols
                for k in range(1, min(j, cols + 1)):
                    values[row + k - 1] = Fraction(0)
                if j <= cols:
                    values[row + j - 1] = Fraction(1)
                else:  # bias slot: w = 0 and b + shift = 1
                    values[offsets[l] + rows * cols + i] = 1 - shift
        charts.append(CoveringChart(tuple(values)))
    return charts


def covering_chart_count(arch: Architecture) -> int:
    """``len(covering_charts(arch))`` without listing them: per hidden layer of d_l neurons with p positions
    (d_(l-1) input weights, one more with biases), the C(p + d_l − 1, d_l) non-decreasing choices."""
    r = arch.monomial_degree
    if r is None or r < 2:
        return 1
    positions = [(cols + (1 if arch.bias else 0), rows) for rows, cols in arch.weight_shapes[:-1]]
    return prod(comb(p + rows - 1, rows) for p, rows in positions)
