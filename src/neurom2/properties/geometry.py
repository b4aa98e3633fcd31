"""The ``geometry`` task: which geometric properties does the neuromanifold M have?

Parts, computed in this order with one Macaulay2 session and one shared deadline (``timeout``):

``symmetries``
    the known symmetry group G of the parametrization (:mod:`neurom2.properties.symmetry`);
``fibers``
    identifiability up to G (:mod:`neurom2.properties.fibers`);
``singular``
    Sing X and the subnetworks filling its components, or the critical values of μ when X = V
    (:mod:`neurom2.properties.singular`);
``sparsity``
    whether critical points of the subnetworks' losses stay critical for the full network
    (:mod:`neurom2.properties.sparsity`, random data from ``seed``; not in the default parts);
``closedness``
    M(C) = X(C)?, the missing set, M(R) closed? (:mod:`neurom2.properties.closedness`);
``dictionary``
    each invariant next to what it means for learning (:class:`Dictionary`), after Marchetti, Kohn, Trager,
    Mereta, Shahverdi, *An invitation to neuroalgebraic geometry*, arXiv:2501.18915: dim M ↔ sample complexity,
    deg X ↔ the number of functions of M interpolating dim M generic data points, the learning degree ↔ the
    number of complex critical points of the squared loss, singular strata ↔ implicit bias towards
    subnetworks, fibers ↔ identifiability, closedness ↔ divergence of training when the infimum is not attained.

Without ``only`` (and without ``force``) every part runs at most :data:`PART_SECONDS`; parts run within what is
left of the deadline; a part
that runs out of time, or that a size guard refuses, is reported as :class:`Undecided` with the reason instead
of failing the whole task.  Each part says what is proved, what is probable and what is undecided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from neurom2.deadline import Deadline
from neurom2.errors import InvalidOption, TimeLimitExceeded, TooExpensive
from neurom2.m2.session import Macaulay2Session
from neurom2.model.architecture import Architecture
from neurom2.properties.closedness import Closedness, closedness
from neurom2.properties.fibers import Fibers, fibers
from neurom2.properties.singular import SingularLocus, singular_locus
from neurom2.properties.sparsity import SparsityBias, sparsity_bias
from neurom2.properties.symmetry import SymmetryGroup, symmetry_group
from neurom2.training.landscape import generic_learning_degree, learning_degree_command
from neurom2.typeset import Typeset
from neurom2.variety.dimension import Dimension, dimension
from neurom2.variety.implicitization import implicitize
from neurom2.variety.neurovariety import Neurovariety

PARTS = ("symmetries", "fibers", "singular", "sparsity", "closedness", "dictionary")
"""The parts of :func:`geometry`, in the order they are computed and reported."""
DEFAULT_PARTS = tuple(p for p in PARTS if p != "sparsity")
"""The parts computed without ``only``: all but ``sparsity``, which depends on random data and decides a radical
membership per candidate subnetwork (up to 30 s each)."""
PART_SECONDS = 120.0
"""Time given to each default part (within the deadline) before it is reported undecided; parts named in ``only``
and ``force`` have the whole deadline."""

T = TypeVar("T")


def parse_parts(only: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"fibers,symmetries"`` or ``["fibers", "symmetries"]`` → the parts in :data:`PARTS` order; None →
    :data:`DEFAULT_PARTS`; InvalidOption otherwise."""
    if only is None:
        return DEFAULT_PARTS
    names = [str(name).strip() for name in (only.split(",") if isinstance(only, str) else only)]
    for name in names:
        if name not in PARTS:
            shown = repr(name[:40]) if name else "an empty part"
            raise InvalidOption(f"only: unknown part {shown} (choose from {', '.join(PARTS)}, separated by commas)",
                                "only")
    return tuple(p for p in PARTS if p in names)


@dataclass(frozen=True, kw_only=True)
class Undecided:
    """A part that did not finish: out of time, or refused by a size guard (``reason`` says which)."""

    part: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """``{"status": "undecided", "reason": ...}``."""
        return {"status": "undecided", "reason": self.reason}


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One line of the dictionary: an invariant, its value and status, how it was obtained, what it means."""

    name: str
    value: str
    status: str
    """``proved``, ``probable``, ``undecided`` or ``not computed``."""
    method: str
    meaning: str
    """What the invariant means for learning."""
    source: str = "dictionary"
    """The part the entry is read from (its method is reported there), or ``dictionary`` (computed here)."""

    def to_json(self) -> dict[str, Any]:
        """The entry as plain strings."""
        return {"name": self.name, "value": self.value, "status": self.status, "method": self.method,
                "meaning": self.meaning, "source": self.source}


MEANINGS = {
    "dimension": "sample complexity: dim M generic data points determine the function (fewer leave a family of "
                 "interpolants)",
    "degree": "deg X functions of X interpolate dim M generic data points (over C)",
    "learning degree": "the number of complex critical points of the squared loss on X for generic data",
    "identifiability": "whether the weights are determined by the function up to the symmetries",
    "singular strata": "implicit bias: training is drawn to the singular strata, the functions of subnetworks",
    "closedness": "where M is not closed the infimum of the loss can be missed: weights diverge in training",
}
"""Each invariant's meaning for learning (Marchetti, Kohn, Trager, Mereta, Shahverdi, arXiv:2501.18915)."""


@dataclass(frozen=True, kw_only=True)
class Dictionary:
    """The invariants of M next to what they mean for learning (module docstring; arXiv:2501.18915)."""

    entries: tuple[Entry, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"entries": [...]}``, one per invariant."""
        return {"entries": [e.to_json() for e in self.entries]}


@dataclass(frozen=True, kw_only=True)
class Geometry(Typeset):
    """The geometric properties computed for an architecture (parts not asked for are None)."""

    architecture: Architecture
    parts: tuple[str, ...]
    seed: int
    symmetries: SymmetryGroup | None = None
    fibers: Fibers | Undecided | None = None
    singular: SingularLocus | Undecided | None = None
    sparsity: SparsityBias | Undecided | None = None
    closedness: Closedness | Undecided | None = None
    dictionary: Dictionary | None = None

    def to_json(self) -> dict[str, Any]:
        """The network, the parts asked for, and each part's JSON (None when not asked for)."""
        arch = self.architecture
        parts = {name: getattr(self, name) for name in PARTS}
        return {
            "widths": list(arch.widths), "activation": str(arch.activation), "bias": arch.bias,
            "parts": list(self.parts), "seed": self.seed,
            **{name: part.to_json() if part is not None else None for name, part in parts.items()},
        }


def geometry(architecture: Architecture | str | Sequence[int], activation: str | None = None, *,
             bias: bool | None = None, only: str | Sequence[str] | None = None, seed: int = 0,
             timeout: Deadline | float | None = None, force: bool = False,
             session: Macaulay2Session | None = None) -> Geometry:
    """The parts named in ``only`` (comma-separated or a list, default :data:`DEFAULT_PARTS`) of the geometry of
    ``architecture``'s M.  The network is an :class:`Architecture` or widths with an activation
    (``geometry("2,2,1", "x^3")``; :meth:`Architecture.coerce`)."""
    architecture = Architecture.coerce(architecture, activation, bias)
    parts = parse_parts(only)
    deadline = Deadline.coerce(timeout)
    m2 = session  # None: every part uses the process-wide default session, started by the first that needs it
    uncapped = force or only is not None

    def attempt(part: str, compute: Callable[[Deadline], T]) -> T | Undecided | None:
        if part not in parts:
            return None
        return _attempt(part, compute, deadline, uncapped)

    computed: list[Neurovariety] = []

    def variety(within: Deadline) -> Neurovariety:
        """X, computed once for the singular part and the dictionary (within the deadline of the first to ask)."""
        if not computed:
            computed.append(implicitize(architecture, session=m2, timeout=within, seed=seed, verify=False, force=force))
        return computed[0]

    found: dict[str, Any] = {
        "fibers": attempt("fibers", lambda d: fibers(architecture, seed=seed, timeout=d, force=force, session=m2)),
        "singular": attempt("singular", lambda d: singular_locus(architecture, session=m2, deadline=d, seed=seed,
                                                                 variety=variety(d))),
        "sparsity": attempt("sparsity", lambda d: sparsity_bias(architecture, session=m2, deadline=d, seed=seed)),
        "closedness": attempt("closedness", lambda d: closedness(architecture, session=m2, deadline=d, seed=seed)),
    }
    return Geometry(architecture=architecture, parts=parts, seed=seed,
                    symmetries=symmetry_group(architecture) if "symmetries" in parts else None,
                    fibers=found["fibers"], singular=found["singular"], sparsity=found["sparsity"],
                    closedness=found["closedness"],
                    dictionary=_dictionary(architecture, found, variety, m2, deadline, seed, force, uncapped)
                    if "dictionary" in parts else None)


def _attempt(part: str, compute: Callable[[Deadline], T], deadline: Deadline, uncapped: bool) -> T | Undecided:
    """``compute`` with what is left of ``deadline``, at most :data:`PART_SECONDS` unless ``uncapped``; Undecided on
    a timeout or a size guard's refusal."""
    if deadline.expired():
        return Undecided(part=part, reason=f"not started, the budget of {deadline.seconds:g} s is spent (timeout)")
    left = deadline.remaining()
    cap = left if uncapped else min(left if left is not None else PART_SECONDS, PART_SECONDS)
    try:
        return compute(Deadline(cap))
    except TimeLimitExceeded:
        whose = ("the whole budget" if deadline.expired() else
                 f"{cap:g} s for this part (--force or --only {part} lifts it)")
        return Undecided(part=part, reason=f"not finished within {whose} (timeout)")
    except TooExpensive as error:
        return Undecided(part=part, reason=str(error))


def _dictionary(arch: Architecture, found: dict[str, Any], variety_of: Callable[[Deadline], Neurovariety],
                session: Macaulay2Session | None, deadline: Deadline, seed: int, force: bool, uncapped: bool) -> Dictionary:
    """The six entries: dim M, deg X and the learning degree computed here (each within its share of the
    deadline), identifiability, singular strata and closedness read from the parts computed."""
    part = found.get("fibers")
    dim = part.dimension if isinstance(part, Fibers) else _attempt(
        "dictionary", lambda d: dimension(arch, seed=seed, timeout=d, force=force), deadline, uncapped)
    variety = _attempt("dictionary", variety_of, deadline, uncapped)
    return Dictionary(entries=(
        _dimension_entry(dim), _degree_entry(variety),
        _learning_entry(arch, variety, session, deadline, seed, force, uncapped),
        _identifiability_entry(found.get("fibers")), _singular_entry(found.get("singular")),
        _closedness_entry(found.get("closedness")),
    ))


def _not_computed(name: str, why: str) -> Entry:
    return Entry(name=name, value="not computed", status="not computed", method=why, meaning=MEANINGS[name])


def _undecided(name: str, part: Undecided) -> Entry:
    return Entry(name=name, value="undecided", status="undecided", method=part.reason, meaning=MEANINGS[name])


def _missing_part(name: str, part: str) -> Entry:
    return _not_computed(name, f"the part {part} was not asked for (--only ...,{part})")


def _dimension_entry(dim: Dimension | Undecided) -> Entry:
    if isinstance(dim, Undecided):
        return _undecided("dimension", dim)
    if dim.proved:
        return Entry(name="dimension", value=f"dim M = {dim.dim}", status="proved",
                     method="Jacobian rank modulo primes reaching a proved upper bound", meaning=MEANINGS["dimension"])
    return Entry(name="dimension", value=f"dim M = {dim.dim}", status="probable",
                 method=f"Jacobian ranks modulo primes, error bound {dim.error_bound:.1e}", meaning=MEANINGS["dimension"])


def _degree_entry(variety: Neurovariety | Undecided) -> Entry:
    if isinstance(variety, Undecided):
        return _undecided("degree", variety)
    if variety.fills:
        return Entry(name="degree", value="deg X = 1 (X = V)", status="proved", method="M fills V (dimension)",
                     meaning=MEANINGS["degree"])
    if not variety.complete or variety.degree is None:
        return _not_computed("degree", f"the ideal of X is not proved complete ({variety.proof})")
    return Entry(name="degree", value=f"deg X = {variety.degree}", status="proved",
                 method=f"from the complete ideal of X ({variety.proof})", meaning=MEANINGS["degree"])


def _learning_entry(arch: Architecture, variety: Neurovariety | Undecided, session: Macaulay2Session | None,
                    deadline: Deadline, seed: int, force: bool, uncapped: bool) -> Entry:
    name, command = "learning degree", learning_degree_command(arch)
    if isinstance(variety, Undecided):
        return _not_computed(name, f"the neurovariety is undecided; {command} computes it")
    if not variety.fills and not variety.complete:
        return _not_computed(name, f"the ideal of X is not proved complete; {command} computes it with more time")
    counts = _attempt("dictionary", lambda d: generic_learning_degree(arch, variety=variety, session=session, timeout=d,
                                                                      seed=seed, force=force), deadline, uncapped)
    if isinstance(counts, Undecided):
        return _not_computed(name, f"{counts.reason}; {command} computes it")
    value = counts.get("learning_degree")
    if value is None:
        return Entry(name=name, value="undecided", status="undecided",
                     method="the counts modulo two primes disagree or are not finite", meaning=MEANINGS[name])
    status = "proved" if variety.fills else "probable"
    return Entry(name=name, value=str(value), status=status, method=counts["method"], meaning=MEANINGS[name])


def _identifiability_entry(part: Fibers | Undecided | None) -> Entry:
    name = "identifiability"
    if part is None:
        return _missing_part(name, "fibers")
    if isinstance(part, Undecided):
        return _undecided(name, part)
    if part.identifiable is None:
        return Entry(name=name, value="undecided", status="undecided", method=part.undecided or part.method,
                     meaning=MEANINGS[name])
    value = (f"identifiable up to G ({part.orbits} orbit)" if part.identifiable else
             f"not identifiable: {part.unexplained_dim} fiber dimension(s) beyond G" if part.unexplained_dim else
             f"not identifiable: {part.orbits} G-orbits in a generic fiber")
    return Entry(name=name, value=value, status="proved" if part.proved and not part.probable else "probable",
                 method=part.method, meaning=MEANINGS[name], source="fibers")


def _singular_entry(part: SingularLocus | Undecided | None) -> Entry:
    name = "singular strata"
    if part is None:
        return _missing_part(name, "singular")
    if isinstance(part, Undecided):
        return _undecided(name, part)
    if part.dim is None:
        return Entry(name=name, value="undecided", status="undecided", method=part.proof, meaning=MEANINGS[name])
    labels = [c.subnetwork or "no subnetwork found" for c in part.components]
    value = (f"{part.kind}: empty" if part.dim < 0 else
             f"{part.kind}: dim {part.dim}, components " + ", ".join(labels))
    return Entry(name=name, value=value, status="proved", method=part.proof, meaning=MEANINGS[name], source="singular")


def _closedness_entry(part: Closedness | Undecided | None) -> Entry:
    name = "closedness"
    if part is None:
        return _missing_part(name, "closedness")
    if isinstance(part, Undecided):
        return _undecided(name, part)
    over = {True: "closed", False: "not closed", None: "undecided"}
    value = f"M(C) {over[part.closed_over_c]} in X, M(R) {over[part.closed_over_r]}"
    status = "undecided" if part.closed_over_c is None else "proved"
    return Entry(name=name, value=value, status=status, method=part.proof, meaning=MEANINGS[name], source="closedness")
