"""Whole documents for ``neurom2 implicit --format latex|m2``: a result as a LaTeX display, a neurovariety's ideal
as a Macaulay2 script."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neurom2.variety.neurovariety import Neurovariety


def latex_block(result: Any) -> str:
    """A result as a LaTeX fragment for a page (nothing truncated), its first line a comment naming the packages
    it needs (``\\usepackage{amsmath,amssymb}``)."""
    return str(result.to_latex())


def m2_script(variety: Neurovariety) -> str:
    """The ideal of a neurovariety as a Macaulay2 script (:func:`neurom2.m2.package.ideal_script`): the ring of
    V's coordinates ``c_(k,e)`` and the minimal generators, with what is proved about them as comments."""
    from neurom2.m2.package import ideal_script

    space = variety.space
    index = {c.name: i for i, c in enumerate(space.coordinates)}
    generators = []
    for eq in variety.equations:  # exponent vectors over all of V's coordinates, whatever the Poly's generators
        positions = [index[str(g)] for g in eq.gens]
        terms = {}
        for monomial, c in eq.terms():
            exponents = [0] * space.dim
            for position, e in zip(positions, monomial):
                exponents[position] = e
            terms[tuple(exponents)] = Fraction(int(c.p), int(c.q))
        generators.append(terms)
    proved = (f"the ideal is complete ({variety.strategy}): {variety.proof}" if variety.complete else
              f"all equations of degree <= {variety.up_to_degree}, not proved complete ({variety.strategy}): {variety.proof}")
    return ideal_script(f"Neuromanifold of {variety.architecture}: its ideal, computed by neurom2 "
                        f"(Macaulay2 {variety.m2_version}); dim {variety.dim}"
                        + (f", degree {variety.degree}" if variety.degree is not None else ""),
                        [(c.output, *c.exponents) for c in space.coordinates], generators, [proved])
