"""Candidate subnetworks of an architecture, the closures of their images in V, and the comparison of ideals.

A *subnetwork* of a network with widths (d0, ..., dL) is one of

* a **narrower network**: hidden widths d'_l ≤ d_l (at least 1, not all equal), embedded by switching off the
  neurons d'_l + 1 .. d_l of each hidden layer l (their input weights, biases and output weights zero), or
* a **sparsity pattern**: one weight (or bias) forced to zero.  Up to permuting hidden neurons, which leaves
  the image unchanged, it is enough to zero ``w{l}_1_j`` in a layer l < L (any hidden neuron is the first)
  and ``w{l}_i_1`` in a layer l > 1; the single weights of (the first neuron of) each layer are listed.

Every subnetwork computes a subset of the network's neuromanifold M, and has the same inputs, outputs and
output degrees, so its image lies in the same V with the same coordinates (:mod:`neurom2.model.space`).
The closure of its image is an ideal in those coordinates, computed in Macaulay2 by elimination (``ker`` of
the parametrization with the zero weights substituted; :func:`neurom2.m2.package.subnetwork_ideal`): the
complete ideal, proved.  Two ideals are compared in Macaulay2 (equality of ideals: both inclusions, by
Gröbner bases), which proves equality of the varieties they cut out when both are radical (primes here).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from neurom2.deadline import Deadline
from neurom2.exact.terms import Terms
from neurom2.m2 import package
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace


@dataclass(frozen=True, kw_only=True)
class Subnetwork:
    """A subnetwork of ``parent``: the network ``architecture`` with the weights at ``zeros`` (0-based, in the
    order of its θ) set to zero; ``embedding`` sends it into the parent's weight space: per weight of the
    parent, the index of the subnetwork's weight it equals, or None (zero)."""

    label: str
    parent: Architecture
    architecture: Architecture
    zeros: tuple[int, ...]
    embedding: tuple[int | None, ...]

    @property
    def switched_off(self) -> tuple[str, ...]:
        """Names of the parent's weights that are zero on the subnetwork."""
        return tuple(name for name, k in zip(self.parent.weight_names, self.embedding) if k is None)

    def embed(self, weights: list) -> list:
        """The parent's θ for the subnetwork's θ (entries at ``zeros`` are ignored: zero)."""
        return [0 if k is None else weights[k] for k in self.embedding]

    def to_json(self) -> dict[str, Any]:
        """This part as JSON (plain types; equations as strings in the coordinates of V)."""
        return {"label": self.label, "widths": list(self.architecture.widths),
                "zeros": [self.architecture.weight_names[k] for k in self.zeros],
                "switched_off": list(self.switched_off)}


@dataclass(frozen=True, kw_only=True)
class Image:
    """The closure of a subnetwork's image: its prime ideal in V's coordinates (complete, by elimination)."""

    subnetwork: Subnetwork
    dim: int
    """Krull dimension of the affine cone (= dimension of the image closure in V)."""
    degree: int
    generators: tuple[Terms, ...]


def narrower(arch: Architecture, widths: tuple[int, ...]) -> Subnetwork:
    """The network of hidden ``widths`` (each ≤ the parent's), embedded by switching off the last neurons."""
    full = (arch.input_dim, *widths, arch.output_dim)
    sub = Architecture(full, arch.activation, arch.bias)
    index = {name: k for k, name in enumerate(sub.weight_names)}
    return Subnetwork(label=_widths_label(sub), parent=arch, architecture=sub, zeros=(),
                      embedding=tuple(index.get(name) for name in arch.weight_names))


def sparse(arch: Architecture, weight: int) -> Subnetwork:
    """The network ``arch`` with its weight number ``weight`` (0-based, θ's order) forced to zero."""
    label = f"{_widths_label(arch)} with {arch.weight_names[weight]} = 0"
    return Subnetwork(label=label, parent=arch, architecture=arch, zeros=(weight,),
                      embedding=tuple(None if k == weight else k for k in range(arch.n_params)))


def candidates(arch: Architecture, *, sparsity: bool = True) -> list[Subnetwork]:
    """The narrower networks (widest first), then, with ``sparsity``, the single-weight sparsity patterns up to
    permuting hidden neurons (module docstring)."""
    hidden = arch.hidden_widths
    shapes = sorted((w for w in product(*(range(d, 0, -1) for d in hidden)) if w != hidden), key=lambda w: -sum(w))
    found = [narrower(arch, w) for w in shapes]
    if sparsity:
        found += [sparse(arch, k) for k, name in enumerate(arch.weight_names) if _canonical(name, arch.depth)]
    return found


def image(sub: Subnetwork, session: Macaulay2Session, deadline: Deadline) -> Image:
    """The ideal of the closure of the subnetwork's image in the parent's V (Macaulay2, elimination)."""
    if AmbientSpace.of(sub.architecture) != AmbientSpace.of(sub.parent):
        raise ValueError(f"{sub.label} does not map to the same space V as its parent")  # impossible for widths ≥ 1
    report = package.subnetwork_ideal(session, sub.architecture, sub.zeros, timeout=deadline.remaining())
    return Image(subnetwork=sub, dim=report.dim, degree=report.degree, generators=tuple(report.generators))


def same_variety(arch: Architecture, first: tuple[Terms, ...], second: tuple[Terms, ...], session: Macaulay2Session,
                 deadline: Deadline) -> bool:
    """Whether two lists of polynomials in V's coordinates generate the same ideal (Macaulay2; both inclusions)."""
    return package.same_ideal(session, arch, first, second, timeout=deadline.remaining())


def _canonical(name: str, depth: int) -> bool:
    """A representative weight up to permuting hidden neurons: row 1 below the output layer, column 1 above
    the input layer; biases of the first neuron of hidden layers and all output biases."""
    parts = name[1:].split("_")
    layer, row = int(parts[0]), int(parts[1])
    if name.startswith("b"):
        return layer == depth or row == 1
    column = int(parts[2])
    return (layer == depth or row == 1) and (layer == 1 or column == 1)


def _widths_label(arch: Architecture) -> str:
    return "(" + ",".join(map(str, arch.widths)) + ")"
