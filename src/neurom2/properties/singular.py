"""Singular loci of neurovarieties and the subnetworks that fill their components.

Where neurom2 has the complete ideal P of X, the Zariski closure of the neuromanifold M
(:func:`neurom2.variety.implicitization.implicitize`), Sing X is computed by the **Jacobian criterion** in
Macaulay2: with c = codim X, Sing X = V(P + the c × c minors of the Jacobian of P's generators) (exact: P is
prime, so its generators' Jacobian has rank c exactly at the smooth points).  Its minimal primes
(``minimalPrimes``) are its irreducible components, each with dimension and degree (of the affine cone).
For a linear network, X = {rank ≤ r} (times the constants with biases), and Sing X = {rank ≤ r − 1}, the
r × r minors, by the classical theorem instead of a computation (Bruns–Vetter, *Determinantal Rings*, Thm 2.6).

Where X = V (the network fills V, P = 0), X is smooth; the interesting set is then the closure of the
**critical values** of μ: the images of weights where rank dμ < dim V, computed on the symmetry chart by
eliminating the weights from (c − μ(θ), maximal minors of dμ) (exact; only weights on the chart, a dense
open set, are considered — critical points off the chart can add values, which are not computed).

Each component is compared with the image closures of the candidate subnetworks
(:mod:`neurom2.properties.subnetworks`) of the same dimension: ideal equality in Macaulay2 (both inclusions,
proved).  "no subnetwork found among the candidates" means none of the narrower networks and single-zero
sparsity patterns has that image; larger sparsity patterns are not tried.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from neurom2.deadline import Deadline
from neurom2.exact.terms import Terms, polynomial_from_terms, terms_from_polynomial
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session, default_session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace
from neurom2.properties.subnetworks import Image, Subnetwork, candidates, image, same_variety
from neurom2.variety import determinantal
from neurom2.variety.implicitization import coordinate_symbols, implicitize
from neurom2.variety.neurovariety import Neurovariety

NO_SUBNETWORK = "no subnetwork found among the candidates"


@dataclass(frozen=True, kw_only=True)
class Component:
    """An irreducible component of Sing X (or of the critical values) and the subnetwork whose image closure it is."""

    dim: int
    """Dimension of the component in V (of its affine cone)."""
    degree: int
    generators: tuple[Terms, ...]
    equations: tuple[str, ...]
    subnetwork: str | None
    """Label of the subnetwork whose image closure equals this component (None: none among the candidates)."""
    match: str

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        return {"dim": self.dim, "degree": self.degree, "equations": list(self.equations),
                "subnetwork": self.subnetwork, "match": self.match}


@dataclass(frozen=True, kw_only=True)
class SingularLocus:
    """Sing X with its components and their subnetworks; for a filling network the critical values of μ instead."""

    architecture: Architecture
    kind: str
    """``"singular locus"`` (of X ≠ V) or ``"critical values"`` (X = V)."""
    variety_dim: int
    codim: int
    dim: int | None
    """Dimension of Sing X (or of the critical values), −1 when empty; None when not computed."""
    degree: int | None
    """Degree of the reduced locus: the sum of the degrees of its components of dimension ``dim`` (0 when empty)."""
    components: tuple[Component, ...]
    proof: str
    candidates: tuple[str, ...]
    timings: dict[str, float]
    """Seconds of each stage: ``variety`` (the ideal of X), ``locus`` (Sing X or the critical values), ``matching``."""

    @property
    def seconds(self) -> float:
        """Wall-clock seconds of all stages."""
        return sum(self.timings.values())

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        arch = self.architecture
        return {"widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
                "kind": self.kind, "variety_dim": self.variety_dim, "codim": self.codim, "dim": self.dim,
                "degree": self.degree,
                "components": [c.to_json() for c in self.components], "proof": self.proof,
                "candidates": list(self.candidates), "seconds": round(self.seconds, 6),
                "timings": {k: round(v, 6) for k, v in self.timings.items()}}


def singular_locus(architecture: Architecture, *, session: Macaulay2Session | None = None,
                   deadline: Deadline | float | None = None, seed: int = 0, sparsity: bool = True,
                   variety: Neurovariety | None = None) -> SingularLocus:
    """Sing X (or the critical values of μ when X = V), its components and their subnetworks (module docstring).

    ``sparsity`` also tries the single-zero sparsity patterns as candidates (else only narrower networks);
    ``variety`` is X when the caller has computed it already (else it is computed here)."""
    started = time.perf_counter()
    deadline = Deadline.coerce(deadline)
    m2 = package.ready(session or default_session())
    space = AmbientSpace.of(architecture)
    if variety is None:
        variety = implicitize(architecture, session=m2, timeout=deadline, seed=seed, verify=False)
    timings = {"variety": time.perf_counter() - started}
    if not variety.complete:
        return SingularLocus(architecture=architecture, kind="singular locus", variety_dim=variety.dim,
                             codim=space.dim - variety.dim, dim=None, degree=None, components=(), candidates=(),
                             proof=f"undecided: the ideal of X is not known to be complete ({variety.proof})",
                             timings=timings)
    started = time.perf_counter()
    if variety.fills:
        kind, codim = "critical values", 0
        primes = package.critical_values(m2, architecture, timeout=deadline.remaining())
        dim = max((p.dim for p in primes), default=-1)
        proof = ("X = V is smooth; critical values of μ on the symmetry chart: elimination of the weights from "
                 "(c − μ(θ), maximal minors of dμ), minimal primes in Macaulay2 (exact)")
    elif variety.strategy == "determinantal":
        kind, codim = "singular locus", space.dim - variety.dim
        primes = [_determinantal_singular_locus(architecture, space)]
        dim = primes[0].dim
        proof = (f"{variety.proof}; Sing{{rank ≤ r}} = {{rank ≤ r − 1}} for 0 < r < min(m, n) (Bruns–Vetter, "
                 "Determinantal Rings, Thm 2.6), the prime ideal of the r × r minors (classical, not computed)")
    else:
        equations = [terms_from_polynomial(f) for f in variety.equations]
        report = package.singular_locus(m2, equations, space.dim, timeout=deadline.remaining())
        kind, codim, dim, primes = "singular locus", report.codim, report.dim, report.components
        proof = (f"Jacobian criterion on the complete ideal of X ({variety.proof}): P + {codim} × {codim} minors of "
                 "the Jacobian, minimal primes in Macaulay2 (exact)")
    timings["locus"] = time.perf_counter() - started
    started = time.perf_counter()
    subnetworks = candidates(architecture, sparsity=sparsity)
    images: dict[str, Image] = {}
    symbols = coordinate_symbols(space)
    components = []
    for prime in primes:
        ideal = tuple(prime.generators)
        label = _matching(architecture, prime.dim, ideal, subnetworks, images, m2, deadline)
        match = (f"the image closure of {label} (ideal equality in Macaulay2, both inclusions)" if label
                 else NO_SUBNETWORK)
        components.append(Component(
            dim=prime.dim, degree=prime.degree, generators=ideal, subnetwork=label, match=match,
            equations=tuple(str(polynomial_from_terms(g, symbols).as_expr()) for g in ideal)))
    degree = sum(p.degree for p in primes if p.dim == dim)
    return SingularLocus(architecture=architecture, kind=kind, variety_dim=variety.dim, codim=codim, dim=dim,
                         degree=degree,
                         components=tuple(components), proof=proof, candidates=tuple(s.label for s in subnetworks),
                         timings={**timings, "matching": time.perf_counter() - started})


def _determinantal_singular_locus(arch: Architecture, space: AmbientSpace) -> package.PrimeReport:
    """{rank ≤ r − 1} (times the free constants with biases): its r × r minors, dimension and degree by the formulas
    of :mod:`neurom2.variety.determinantal` (for r − 1 = 0 the origin of the matrices: degree 1)."""
    lower = determinantal.rank_bound(arch) - 1
    narrower = Architecture((arch.input_dim, lower, arch.output_dim), arch.activation, arch.bias) if lower else None
    dim = determinantal.dimension(narrower) if narrower else (arch.output_dim if arch.bias else 0)
    return package.PrimeReport(dim, determinantal.degree(narrower) if narrower else 1,
                               determinantal.minors(arch, space, lower))


def _matching(arch: Architecture, dim: int, generators: tuple[Terms, ...], subnetworks: list[Subnetwork],
              images: dict[str, Image],
              session: Macaulay2Session, deadline: Deadline) -> str | None:
    """The first candidate whose image closure has this dimension and the same ideal (images computed once)."""
    for sub in subnetworks:
        if sub.label not in images:
            images[sub.label] = image(sub, session, deadline)
        found = images[sub.label]
        if found.dim == dim and same_variety(arch, generators, found.generators, session, deadline):
            return sub.label
    return None
