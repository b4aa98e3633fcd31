"""The Macaulay2 boundary: one typed Python function per entry point of the package ``Neurom2.m2``.

Every line of Macaulay2 code that neurom2 sends is rendered here (or by the session's own protocol in
:mod:`neurom2.m2.session`), from numbers and fixed identifiers only (:mod:`neurom2.m2.codegen`), and every
answer is parsed here by the strict grammar of :mod:`neurom2.m2.parse` into plain Python values: ints,
``Fraction``s, and polynomials as ``{exponent vector: coefficient}`` (:data:`~neurom2.m2.parse.Terms`).
The rest of neurom2 calls these functions and never writes Macaulay2 source.  This module does not
import neurom2's mathematics: a network is anything with ``widths``, ``bias`` and ``activation.coefficients``
(:class:`Network`), e.g. :class:`neurom2.model.architecture.Architecture`.

Conventions shared with the package (and checked against Python's construction where an answer
depends on them): weights ``w_(l,i,j)``, ``b_(l,i)`` in θ's order; coordinates ``c_(k,e)`` ordered by
output, then monomials (total degree ascending, then lexicographically descending); all over QQ
unless a function says ZZ/p.

Every function takes the session first and a ``timeout`` in seconds for this one call (None: no limit;
:class:`~neurom2.errors.Macaulay2Timeout` beyond it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from neurom2.errors import Macaulay2OutputError
from neurom2.exact.terms import Terms
from neurom2.m2.codegen import PACKAGE_NAME, integer_list, m2_string, package_file, rational, rational_list
from neurom2.m2.parse import listform_terms, parse_value
from neurom2.m2.session import Macaulay2Session

Chart = Sequence[Fraction | None]
"""One entry per weight, in θ's order: a fixed rational value, or None for a free weight."""


class _Activation(Protocol):
    @property
    def coefficients(self) -> Sequence[Fraction]: ...


class Network(Protocol):
    """What the package needs of a network: widths, σ's ascending coefficients, biases."""

    @property
    def widths(self) -> tuple[int, ...]:
        """The layer widths (d0, ..., dL)."""

    @property
    def activation(self) -> _Activation:
        """The activation, whose ascending coefficients are rendered."""

    @property
    def bias(self) -> bool:
        """Whether the layers have biases."""


def network(net: Network) -> str:
    """``neuralNetwork({d0,...,dL}, {σ coefficients}, Bias => b)``, the package's constructor."""
    bias = "true" if net.bias else "false"
    return f"neuralNetwork({integer_list(net.widths)}, {rational_list(net.activation.coefficients)}, Bias => {bias})"


def ready(session: Macaulay2Session) -> Macaulay2Session:
    """The session with ``Neurom2.m2`` loaded (once; again after a restart)."""
    session.load_package(package_file())
    return session


def _value(session: Macaulay2Session, code: str, timeout: float | None) -> Any:
    return parse_value(ready(session).run(f"print({code})", timeout=timeout))


def _list(value: Any, length: int, what: str) -> list:
    if not (isinstance(value, list) and len(value) == length):
        raise Macaulay2OutputError(f"expected {what} (a list of {length} items) from Macaulay2, got {str(value)[:200]}")
    return value


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Macaulay2OutputError(f"expected an integer ({what}) from Macaulay2, got {str(value)[:200]}")
    return value


def _terms_list(value: Any, nvars: int | None, what: str) -> list[Terms]:
    if not isinstance(value, list):
        raise Macaulay2OutputError(f"expected a list of polynomials ({what}) from Macaulay2, got {str(value)[:200]}")
    return [listform_terms(terms, nvars) for terms in value]


def _listform_literal(terms: Terms) -> str:
    """A polynomial as an M2 list of (exponent list, coefficient) pairs, for ``fromListForm``."""
    return "{" + ", ".join(f"({integer_list(e)}, {rational(c)})" for e, c in terms.items()) + "}"


def _chart_literal(chart: Chart) -> str:
    return "{" + ", ".join("null" if v is None else rational(v) for v in chart) + "}"


# --- the package itself -------------------------------------------------------------------------------------


def version(session: Macaulay2Session) -> str:
    """The ``Version`` of the loaded ``Neurom2`` package."""
    return ready(session).run(f"<< (options {PACKAGE_NAME}).Version")


def parametrization(session: Macaulay2Session, net: Network, timeout: float | None = None) -> tuple[list[list[int]], list[Terms]]:
    """The package's own construction: its coordinates ``[k, e1..en]`` and each coordinate's polynomial
    in the weights (for comparison with Python's :class:`~neurom2.model.parametrization.Parametrization`)."""
    coordinates, images = _list(_value(session, f"parametrizationReport {network(net)}", timeout), 2, "a parametrization")
    return coordinates, _terms_list(images, None, "coordinate polynomials")


# --- the neurovariety ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdealReport:
    """``neurom2Report``: the ideal of the neurovariety computed in Macaulay2."""

    coordinates: list[list[int]]
    """``[k, e1, ..., en]`` per coordinate, in the package's order."""
    dim: int
    """Krull dimension of QQ[coordinates]/I."""
    degree: int
    generators: list[Terms]
    """Minimal generators in the coordinates."""


def neuromanifold_ideal(session: Macaulay2Session, net: Network, *, degree_limit: int | None = None,
                        fix_symmetries: bool = True, timeout: float | None = None) -> IdealReport:
    """``neurom2Report``: the ideal by elimination from the graph ideal (on the symmetry chart when
    ``fix_symmetries``); with ``degree_limit`` the Gröbner basis of the weighted-homogeneous graph ideal
    is truncated at that degree in the coordinates (needs a homogeneous parametrization)."""
    options = ""
    if degree_limit is not None:
        options += f", DegreeLimit => {int(degree_limit)}"
    if not fix_symmetries:
        options += ", FixSymmetries => false"
    coordinates, dim, degree, generators = _list(
        _value(session, f"neurom2Report({network(net)}{options})", timeout), 4, "{coordinates, dim, degree, generators}")
    nvars = len(coordinates) if isinstance(coordinates, list) else None
    return IdealReport(coordinates, _int(dim, "dim"), _int(degree, "degree"), _terms_list(generators, nvars, "generators"))


@dataclass(frozen=True)
class EquationsReport:
    """``equationsReport``: the ideal J generated by candidate equations, as Macaulay2 sees it."""

    generators: list[Terms]
    """Minimal generators of J."""
    vanish: list[bool]
    """Per minimal generator: whether it vanishes identically on the neuromanifold (exact, on the chart)."""
    dim: int
    degree: int


def equations_report(session: Macaulay2Session, net: Network, polynomials: Sequence[Terms], nvars: int,
                     timeout: float | None = None) -> EquationsReport:
    """Minimal generators of the ideal of ``polynomials`` (in the ``nvars`` coordinates), whether each
    vanishes on the neuromanifold (F(c(θ)) = 0 identically on the symmetry chart), dim and degree."""
    rendered = "{" + ", ".join(_listform_literal(p) for p in polynomials) + "}"
    vanish, dim, degree, generators = _list(
        _value(session, f"equationsReport({network(net)}, {rendered})", timeout), 4, "{vanish, dim, degree, generators}")
    generators = _terms_list(generators, nvars, "generators")
    if not (isinstance(vanish, list) and len(vanish) == len(generators) and set(vanish) <= {0, 1}):
        raise Macaulay2OutputError(f"expected one 0/1 per generator, got {str(vanish)[:200]}")
    return EquationsReport(generators, [v == 1 for v in vanish], _int(dim, "dim"), _int(degree, "degree"))


def neuromanifold_degree(session: Macaulay2Session, net: Network, dim: int, seed: int,
                         timeout: float | None = None) -> int:
    """``neuromanifoldDegree``: points of a random linear slice of codimension ``dim``, counted over ZZ/p
    through the weights, over the degree of a generic fiber (probabilistic; ``seed`` seeds M2's random)."""
    degree = _value(session, f"(setRandomSeed {int(seed)}; neuromanifoldDegree({network(net)}, {int(dim)}))", timeout)
    return _int(degree, "degree")


def fiber_discriminant(session: Macaulay2Session, net: Network, timeout: float | None = None) -> list[Terms]:
    """``fiberDiscriminant``: irreducible factors (in the coordinates) of the discriminant and leading
    coefficient of the fiber's eliminant, for networks whose chart has as many free weights as coordinates."""
    factors = _value(session, f"apply(fiberDiscriminant {network(net)}, listForm)", timeout)
    return _terms_list(factors, None, "boundary factors")


def determinantal(session: Macaulay2Session, net: Network, generators: Sequence[Terms],
                  timeout: float | None = None) -> bool:
    """``determinantalReport``: whether ``generators`` generate the ideal of (r+1)-minors of the
    d_L × d_0 coordinate matrix, r = min(widths) (a linear network without biases)."""
    rendered = "{" + ", ".join(_listform_literal(p) for p in generators) + "}"
    answer = ready(session).run(f"print determinantalReport({network(net)}, {rendered})", timeout=timeout).strip()
    if answer not in ("0", "1"):
        raise Macaulay2OutputError(f"expected 0 or 1 from determinantalReport, got {answer[:100]!r}")
    return answer == "1"


def same_ideal(session: Macaulay2Session, net: Network, first: Sequence[Terms], second: Sequence[Terms],
               timeout: float | None = None) -> bool:
    """``sameIdeal``: whether two lists of polynomials in the coordinates of ``net`` generate the same ideal."""
    rendered = ["{" + ", ".join(_listform_literal(p) for p in polys) + "}" for polys in (first, second)]
    answer = ready(session).run(f"print(if sameIdeal({network(net)}, {rendered[0]}, {rendered[1]}) then 1 else 0)",
                                timeout=timeout).strip()
    if answer not in ("0", "1"):
        raise Macaulay2OutputError(f"expected 0 or 1 from sameIdeal, got {answer[:100]!r}")
    return answer == "1"


# --- fibers: membership -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Points:
    """``pointsReport`` of an ideal J in the free weights of a chart.

    ``dim`` is its Krull dimension (−1 for the unit ideal).  Exactly one of the data fields is set:
    ``cofactors`` (J = 1: h_k with Σ h_k g_k = 1, g the generators), ``basis`` and ``multiplication``
    (dim 0: exponents of a monomial basis of QQ[free]/J and the matrices of multiplication by each
    variable, column k the product with the k-th basis element), or ``independent`` (dim > 0: positions
    of a maximal independent set of the free weights).
    """

    dim: int
    cofactors: list[Terms] | None = None
    basis: list[tuple[int, ...]] | None = None
    multiplication: list[list[list[Fraction]]] | None = None
    independent: list[int] | None = None


def _points(value: Any, nfree: int) -> Points:
    dim, data = _list(value, 2, "{dim, data}")
    dim = _int(dim, "dim")
    if dim < 0:
        return Points(dim=dim, cofactors=_terms_list(data, nfree, "cofactors"))
    if dim == 0:
        exponents, matrices = _list(data, 2, "{basis exponents, multiplication matrices}")
        n = len(exponents) if isinstance(exponents, list) else -1
        good = (n > 0
                and all(isinstance(e, list) and len(e) == nfree and all(isinstance(a, int) for a in e) for e in exponents)
                and isinstance(matrices, list) and len(matrices) == nfree
                and all(isinstance(m, list) and len(m) == n and all(isinstance(r, list) and len(r) == n for r in m)
                        for m in matrices)
                and all(isinstance(v, (int, Fraction)) for m in matrices for r in m for v in r))
        if not good:
            raise Macaulay2OutputError("malformed quotient data for a zero-dimensional ideal")
        return Points(dim=dim, basis=[tuple(e) for e in exponents],
                      multiplication=[[[Fraction(v) for v in row] for row in m] for m in matrices])
    if not (isinstance(data, list) and all(isinstance(i, int) and 0 <= i < nfree for i in data)):
        raise Macaulay2OutputError(f"malformed independent set {str(data)[:200]}")
    return Points(dim=dim, independent=list(data))


def _fiber_code(net: Network, point: Sequence[Fraction], chart: Chart) -> str:
    return f"fiberIdeal({network(net)}, {rational_list(point)}, {_chart_literal(chart)})"


@dataclass(frozen=True)
class Fiber:
    """A fiber {free weights : c(θ) = t} on a chart: its generators (c_k − t_k, chart values substituted,
    in the free weights) and their :class:`Points`."""

    generators: list[Terms]
    points: Points


def fiber(session: Macaulay2Session, net: Network, point: Sequence[Fraction], chart: Chart,
          timeout: float | None = None) -> Fiber:
    """``fiberIdeal`` and ``pointsReport`` of the fiber over ``point`` (one rational per coordinate) on ``chart``."""
    nfree = sum(v is None for v in chart)
    code = f"(J -> toString {{apply(flatten entries gens J, listForm), pointsReport J}}) {_fiber_code(net, point, chart)}"
    generators, points = _list(_value(session, code, timeout), 2, "{generators, points}")
    return Fiber(_terms_list(generators, nfree, "fiber generators"), _points(points, nfree))


def distance_critical_points(session: Macaulay2Session, net: Network, point: Sequence[Fraction], chart: Chart,
                             center: Sequence[Fraction], timeout: float | None = None) -> list[Points]:
    """``distanceCriticalIdeals`` of the fiber over ``point`` on ``chart``: per minimal prime P, the
    :class:`Points` of P + the (c+1)-minors of [Jacobian; θ − center] (contains the real points of V(P)
    nearest to ``center``)."""
    nfree = sum(v is None for v in chart)
    code = f"toString apply(distanceCriticalIdeals({_fiber_code(net, point, chart)}, {rational_list(center)}), pointsReport)"
    value = _value(session, code, timeout)
    if not isinstance(value, list):
        raise Macaulay2OutputError(f"expected a list of components, got {str(value)[:200]}")
    return [_points(component, nfree) for component in value]


# --- critical points of a quadratic loss on a variety (the loss landscape) ----------------------------------


def _matrix_literal(rows: Sequence[Sequence[Fraction]]) -> str:
    return "matrix{" + ", ".join(rational_list(row) for row in rows) + "}"


def _column_literal(values: Sequence[Fraction]) -> str:
    return "matrix{" + ", ".join("{" + rational(v) + "}" for v in values) + "}"


def _polynomials_literal(polynomials: Sequence[Terms]) -> str:
    return "{" + ", ".join(_listform_literal(p) for p in polynomials) + "}"


@dataclass(frozen=True, kw_only=True)
class CriticalReport:
    """``criticalReport``: the Lagrange ideal J ⊂ k[c_1..c_n, l_1..l_r] of the critical points of
    (c − u)ᵀQ(c − u) on the smooth part of V(P) (see ``criticalIdeal`` in the package), over QQ or ZZ/p."""

    codim: int
    """r = codim P, the number of multipliers l."""
    saturated: bool
    """Whether J was saturated by a random maximal minor (only when the Lagrange ideal was not zero-dimensional)."""
    dim: int
    degree: int
    """The degree of J: its number of points counted with multiplicity, when dim = 0."""
    combinations: list[Terms]
    """g_1..g_r ∈ P, in the n coordinates, whose gradients carry the multipliers."""
    points: Points | None
    """Over QQ and when dim = 0: the quotient data of J (variables c_1..c_n, l_1..l_r)."""


def critical_report(session: Macaulay2Session, generators: Sequence[Terms], gram: Sequence[Sequence[Fraction]],
                    center: Sequence[Fraction], prime: int = 0, *, saturate: str = "auto",
                    timeout: float | None = None) -> CriticalReport:
    """``criticalReport`` for the prime ideal P generated by ``generators`` in n = len(center) variables, the
    metric ``gram`` (n × n) and the center ``center``, over QQ (``prime`` 0) or ZZ/prime."""
    n = len(center)
    code = (f"criticalReport({_polynomials_literal(generators)}, {_matrix_literal(gram)}, {_column_literal(center)}, "
            f"{int(prime)}, Saturate => {m2_string(saturate)})")
    codim, saturated, dim, degree, combinations, points = _list(_value(session, code, timeout), 6,
                                                                 "{codim, saturated, dim, degree, g, points}")
    codim, dim = _int(codim, "codim"), _int(dim, "dim")
    quotient = _points(points, n + codim) if points != [] else None
    return CriticalReport(codim=codim, saturated=saturated == 1, dim=dim, degree=_int(degree, "degree"),
                          combinations=_terms_list(combinations, n, "g"), points=quotient)


@dataclass(frozen=True)
class ModularLagrange:
    """One entry of ``criticalCounts``: the Lagrange ideal J of :func:`critical_report` over ZZ/prime."""

    prime: int
    saturated: bool
    dim: int
    degree: int


def critical_counts(session: Macaulay2Session, generators: Sequence[Terms], gram: Sequence[Sequence[Fraction]],
                    center: Sequence[Fraction], primes: Sequence[int], *, saturate: str = "auto",
                    timeout: float | None = None) -> list[ModularLagrange]:
    """``criticalCounts``: the dimension and degree of the Lagrange ideal of :func:`critical_report` modulo each
    of ``primes`` (F4; fresh random combinations for each prime), in one Macaulay2 call."""
    code = (f"criticalCounts({_polynomials_literal(generators)}, {_matrix_literal(gram)}, {_column_literal(center)}, "
            f"{{{', '.join(str(int(p)) for p in primes)}}}, Saturate => {m2_string(saturate)})")
    rows = _list(_value(session, code, timeout), len(primes), "one {p, saturated, dim, degree} per prime")
    result = []
    for row in rows:
        prime, saturated, dim, degree = (_int(v, "criticalCounts entry") for v in _list(row, 4, "{p, saturated, dim, degree}"))
        result.append(ModularLagrange(prime, saturated == 1, dim, degree))
    return result


PARAMETRIC_COUNTS = ("waringCounts", "subspaceCounts")
"""The entry points that count critical points of a quadratic loss in a parametrization, modulo primes."""


def parametric_counts(session: Macaulay2Session, entry: str, exponents: Sequence[Sequence[int]],
                      gram: Sequence[Sequence[Fraction]], center: Sequence[Fraction], primes: Sequence[int],
                      timeout: float | None = None) -> list[tuple[int, int, int]]:
    """(prime, dim, degree) of the critical equations of the loss (c − u)ᵀ gram (c − u) in a parametrization, modulo
    each of ``primes``, in one Macaulay2 call; coordinates: the coefficients of the monomials ``exponents`` (all of one
    degree d).  ``entry`` is one of :data:`PARAMETRIC_COUNTS`: ``waringCounts`` (tangent equations on the sums of two
    d-th powers a_1 l_1^d + a_2 l_2^d) or ``subspaceCounts`` (the distance to the ternary forms in two linear forms
    killed by a derivation D_v, as a function of v)."""
    if entry not in PARAMETRIC_COUNTS:
        raise ValueError(f"unknown parametric count {entry!r}; expected one of {PARAMETRIC_COUNTS}")
    code = (f"{entry}({{{', '.join(integer_list(e) for e in exponents)}}}, {_matrix_literal(gram)}, "
            f"{_column_literal(center)}, {{{', '.join(str(int(p)) for p in primes)}}})")
    rows = _list(_value(session, code, timeout), len(primes), "one {p, dim, degree} per prime")
    result = []
    for row in rows:
        prime, dim, degree = (_int(v, f"{entry} entry") for v in _list(row, 3, "{p, dim, degree}"))
        result.append((prime, dim, degree))
    return result


def singular_primes(session: Macaulay2Session, generators: Sequence[Terms], nvars: int,
                    timeout: float | None = None) -> list[list[Terms]]:
    """``singularPrimes``: the minimal primes of the singular locus of the prime ideal of ``generators``
    (in ``nvars`` variables), each as its minimal generators."""
    value = _value(session, f"singularPrimes({int(nvars)}, {_polynomials_literal(generators)})", timeout)
    if not isinstance(value, list):
        raise Macaulay2OutputError(f"expected a list of prime ideals, got {str(value)[:200]}")
    return [_terms_list(prime, nvars, "generators of a prime") for prime in value]


def pullback_points(session: Macaulay2Session, net: Network, chart: Chart, generators: Sequence[Terms],
                    combinations: Sequence[Terms], gram: Sequence[Sequence[Fraction]], center: Sequence[Fraction],
                    timeout: float | None = None) -> Points:
    """``pullbackReport``: the :class:`Points` of the weights of ``chart`` whose network is a critical point of
    (c − u)ᵀG(c − u) on the smooth part of V(generators), with the multipliers of ``combinations``; variables:
    the free weights, then l_1..l_r."""
    nfree = sum(v is None for v in chart)
    code = (f"pullbackReport({network(net)}, {{{_chart_literal(chart)}, {_polynomials_literal(generators)}}}, "
            f"{_matrix_literal(gram)}, {_column_literal(center)}, Combinations => {_polynomials_literal(combinations)})")
    return _points(_value(session, code, timeout), nfree + len(combinations))


def lex_basis(session: Macaulay2Session, polynomials: Sequence[Terms], nvars: int, timeout: float | None = None) -> list[Terms]:
    """The reduced Gröbner basis of the ideal of ``polynomials`` (over QQ, in ``nvars`` variables) for the lexicographic
    order x_0 > x_1 > … (listForms)."""
    code = (f"(x := local x; F := QQ[x_0..x_{nvars - 1}, MonomialOrder => Lex]; "
            f"apply(flatten entries gens gb ideal apply({_polynomials_literal(polynomials)}, f -> fromListForm(F, f)), "
            "listForm))")
    return _terms_list(_value(session, f"toString {code}", timeout), nvars, "a lexicographic Gröbner basis")


def image_avoids_smooth_part(session: Macaulay2Session, net: Network, chart: Chart, generators: Sequence[Terms],
                             timeout: float | None = None) -> bool:
    """``imageAvoidsSmoothPart``: whether every network of ``chart`` lying on V(generators) lies in its singular
    locus (then no smooth point of V(P) is a network of this chart, over C)."""
    code = (f"print(if imageAvoidsSmoothPart({network(net)}, {_chart_literal(chart)}, {_polynomials_literal(generators)}) "
            "then 1 else 0)")
    answer = ready(session).run(code, timeout=timeout).strip()
    if answer not in ("0", "1"):
        raise Macaulay2OutputError(f"expected 0 or 1 from imageAvoidsSmoothPart, got {answer[:100]!r}")
    return answer == "1"


@dataclass(frozen=True)
class NumericalCount:
    """``numericalCriticalCount``: monodromy at generic centers, then tracking to the data (floating point)."""

    generic: int
    """Solutions found by monodromy at a generic complex center."""
    regular: int
    """Regular endpoints after tracking them to the data's center."""
    on_variety: int
    """Of those, the ones whose coordinates satisfy the variety's equations (relative 1e-6)."""
    paths: int


def numerical_critical_count(session: Macaulay2Session, net: Network, generators: Sequence[Terms],
                             combinations: Sequence[Terms], gram: Sequence[Sequence[Fraction]],
                             center: Sequence[Fraction], target: int | None, seed: int,
                             timeout: float | None = None) -> NumericalCount:
    """``numericalCriticalCount`` on the network's coordinate ring (``seed`` seeds M2's random numbers)."""
    target_option = f", SolutionCount => {int(target)}" if target else ""
    code = (f"(setRandomSeed {int(seed)}; numericalCriticalCount({network(net)}, {_polynomials_literal(generators)}, "
            f"{_matrix_literal(gram)}, {_column_literal(center)}, Combinations => {_polynomials_literal(combinations)}"
            f"{target_option}))")
    generic, regular, on_variety, paths = _list(_value(session, code, timeout), 4, "{generic, regular, on X, paths}")
    return NumericalCount(_int(generic, "solutions"), _int(regular, "regular"), _int(on_variety, "on X"), _int(paths, "paths"))


@dataclass(frozen=True)
class SliceCriticalCount:
    """``sliceCriticalCount``: the critical points of a quadratic loss in a slice of weight space, by monodromy."""

    fixed: tuple[tuple[int, Fraction], ...]
    """The slice: (weight index, value) of each fixed weight; the other ``dim`` weights are its coordinates."""
    rank: int
    """Rank of the Jacobian of the parametrization in the slice's coordinates at a random point modulo 32003."""
    solutions: int
    """Solutions of the gradient equations found by monodromy at the generic start center."""
    paths: int
    failed: int
    """Paths that ended singular or where another path of the same arc ended."""
    regular: int
    """Regular endpoints after tracking the solutions to the data's center."""
    images: int
    """Distinct images φ(θ) of those endpoints (relative 1e-6): critical points in function space."""
    class_sizes: tuple[int, ...]
    """The number of endpoints over each image, sorted (the fiber of the slice over each critical point)."""


def slice_critical_count(session: Macaulay2Session, net: Network, dim: int, gram: Sequence[Sequence[Fraction]],
                         center: Sequence[Fraction], repeats: int, seed: int,
                         timeout: float | None = None) -> SliceCriticalCount:
    """``sliceCriticalCount`` with ``dim`` free weights, monodromy stopped after ``repeats`` new loops without a new
    solution (``seed`` seeds Macaulay2's random numbers)."""
    code = (f"(setRandomSeed {int(seed)}; sliceCriticalCount({network(net)}, {int(dim)}, {_matrix_literal(gram)}, "
            f"{_column_literal(center)}, Repeats => {int(repeats)}))")
    fixed, rank, solutions, paths, failed, regular, images, sizes = _list(
        _value(session, code, timeout), 8, "{chart, rank, solutions, paths, failed, regular, images, class sizes}")
    pairs = tuple((_int(i, "weight index"), Fraction(v)) for i, v in (_list(pair, 2, "{index, value}") for pair in fixed))
    return SliceCriticalCount(pairs, _int(rank, "rank"), _int(solutions, "solutions"), _int(paths, "paths"),
                              _int(failed, "failed"), _int(regular, "regular"), _int(images, "images"),
                              tuple(_int(k, "class size") for k in _list(sizes, len(sizes) if isinstance(sizes, list) else -1,
                                                                          "class sizes")))


# --- linear sections modulo small primes (completeness certificates) ----------------------------------------

IntegerTerms = Mapping[tuple[int, ...], int]
"""A polynomial with integer coefficients: exponent vector → coefficient."""


def _section_code(function: str, polynomials: Sequence[IntegerTerms], forms: Sequence[Sequence[int]],
                  primes: Sequence[int]) -> str:
    exponents = sorted({e for f in polynomials for e in f})
    index = {e: i for i, e in enumerate(exponents)}
    rendered = "{" + ", ".join("{" + ", ".join(f"{{{index[e]}, {int(c)}}}" for e, c in f.items()) + "}"
                               for f in polynomials) + "}"
    return (f"{function}({{{', '.join(integer_list(e) for e in exponents)}}}, {rendered}, "
            f"{{{', '.join(integer_list(f) for f in forms)}}}, {integer_list(primes)})")


def _section_reports(value: Any, primes: Sequence[int], length: int) -> list[list]:
    reports = _list(value, len(primes), "one report per prime")
    for p, report in zip(primes, reports):
        fields = _list(report, length, "a linear section report")
        if _int(fields[0], "prime") != p:
            raise Macaulay2OutputError(f"expected the report for p = {p}, got {str(report)[:100]}")
    return reports


def linear_section_lengths(session: Macaulay2Session, polynomials: Sequence[IntegerTerms], forms: Sequence[Sequence[int]],
                           primes: Sequence[int], timeout: float | None = None) -> dict[int, int | None]:
    """``linearSectionLength``: per prime p (< 2^15), the length of ZZ/p[x]/(J + forms + x_n), or None when it is
    infinite; J is generated by the integer ``polynomials`` (exponent vector → integer coefficient)."""
    value = _value(session, _section_code("linearSectionLength", polynomials, forms, primes), timeout)
    return {p: (_int(length, "length") if _int(dim, "dim") == 0 else None)
            for p, dim, length in _section_reports(value, primes, 3)}


def linear_section_eliminants(session: Macaulay2Session, polynomials: Sequence[IntegerTerms], forms: Sequence[Sequence[int]],
                              primes: Sequence[int], timeout: float | None = None) -> dict[int, tuple[int, list[int]] | None]:
    """``linearSectionEliminant``: per prime p (< 2^15), the dimension of A = ZZ/p[x]/(J + forms + (x_n - 1))
    over ZZ/p and the ascending coefficients (mod p) of the minimal polynomial of x_(n-1) on A; None when A is
    not finite-dimensional or has no such polynomial in its Gröbner basis."""
    value = _value(session, _section_code("linearSectionEliminant", polynomials, forms, primes), timeout)
    found: dict[int, tuple[int, list[int]] | None] = {}
    for p, dim, size, coefficients in _section_reports(value, primes, 4):
        if not (isinstance(coefficients, list) and all(isinstance(c, int) for c in coefficients)):
            raise Macaulay2OutputError(f"malformed eliminant modulo {p}: {str(coefficients)[:100]}")
        usable = _int(dim, "dim") == 0 and coefficients
        found[p] = (_int(size, "size"), [c % p for c in coefficients]) if usable else None
    return found


def ideal_script(description: str, coordinates: Sequence[Sequence[int]], generators: Sequence[Terms],
                 notes: Sequence[str] = ()) -> str:
    """A Macaulay2 script defining the ring of V's coordinates and an ideal in it.

    ``coordinates`` are ``(k, e1, ..., en)`` in V's order (the variables ``c_(k,e1,...,en)`` of
    ``R = QQ[...]``); ``generators`` are polynomials over them (exponent vectors of that length).  The
    script defines ``R`` and ``I`` and prints ``dim I`` and ``degree I``.  ``description`` and ``notes``
    become comment lines (line breaks removed).
    """
    variables = [f"c_({','.join(map(str, c))})" for c in coordinates]

    def polynomial(terms: Terms) -> str:
        monomials = []
        for exponents, coefficient in terms.items():
            factors = [v if e == 1 else f"{v}^{e}" for v, e in zip(variables, exponents) if e]
            monomials.append("*".join([f"({rational(coefficient)})", *factors]))
        return " + ".join(monomials) if monomials else "0_R"

    comments = "".join(f"-- {' '.join(line.split())}\n" for line in (description, *notes))
    body = ",\n    ".join(polynomial(g) for g in generators) if generators else "0_R"
    return (f"{comments}-- c_(k,e1,...,en) = coefficient of x1^e1*...*xn^en in output k; all over QQ.\n"
            f"R = QQ[{', '.join(variables)}];\n"
            f"I = ideal(\n    {body});\n"
            'print("dim " | toString dim I);\n'
            'print("degree " | toString degree I);\n')


# --- singular locus and subnetworks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrimeReport:
    """A prime ideal in the coordinates: the Krull dimension of its quotient ring (of the affine cone; −1 for the
    unit ideal), its degree and minimal generators."""

    dim: int
    degree: int
    generators: list[Terms]


def _prime(value: Any, nvars: int | None) -> PrimeReport:
    dim, degree, generators = _list(value, 3, "{dim, degree, generators}")
    return PrimeReport(_int(dim, "dim"), _int(degree, "degree"), _terms_list(generators, nvars, "generators"))


def _primes(value: Any, nvars: int | None) -> list[PrimeReport]:
    if not isinstance(value, list):
        raise Macaulay2OutputError(f"expected a list of prime ideals, got {str(value)[:200]}")
    return [_prime(p, nvars) for p in value]


def subnetwork_ideal(session: Macaulay2Session, net: Network, zeros: Sequence[int],
                     timeout: float | None = None) -> PrimeReport:
    """``subnetworkReport``: the ideal of the image closure of ``net`` with the weights at the 0-based indices
    ``zeros`` (θ's order) set to zero, by elimination."""
    return _prime(_value(session, f"subnetworkReport({network(net)}, {integer_list(zeros)})", timeout), None)


@dataclass(frozen=True)
class SingularLocusReport:
    """``singularLocusReport``: the Jacobian ideal P + (c × c minors), c = codim P, and its minimal primes."""

    codim: int
    dim: int
    """Krull dimension of the singular locus's quotient ring (−1: empty)."""
    degree: int
    components: list[PrimeReport]


def singular_locus(session: Macaulay2Session, generators: Sequence[Terms], nvars: int,
                   timeout: float | None = None) -> SingularLocusReport:
    """``singularLocusReport`` of the prime ideal of ``generators`` in ``nvars`` variables over QQ."""
    value = _value(session, f"singularLocusReport({int(nvars)}, {_polynomials_literal(generators)})", timeout)
    codim, (dim, degree), components = _list(value, 3, "{codim, {dim, degree}, components}")
    return SingularLocusReport(_int(codim, "codim"), _int(dim, "dim"), _int(degree, "degree"),
                               _primes(components, nvars))


def critical_values(session: Macaulay2Session, net: Network, timeout: float | None = None) -> list[PrimeReport]:
    """``criticalValuesReport``: the minimal primes of the closure of the critical values of the parametrization
    on the symmetry chart (rank dμ < dim V)."""
    return _primes(_value(session, f"criticalValuesReport {network(net)}", timeout), None)


def radical_member(session: Macaulay2Session, generators: Sequence[Terms], polynomial: Terms, nvars: int,
                   timeout: float | None = None) -> bool:
    """``radicalMember``: whether ``polynomial`` vanishes on the complex zero set of ``generators`` (all in ``nvars``
    variables over QQ): 1 ∈ I + (1 − t·f)."""
    code = f"radicalMember({int(nvars)}, {_polynomials_literal(generators)}, {_listform_literal(polynomial)})"
    return _int(_value(session, code, timeout), "0 or 1") == 1


@dataclass(frozen=True)
class NonPropernessReport:
    """``nonPropernessReport``: how many chart weights are integral over QQ[c], and the minimal primes of X ∩ S, S the
    union over the chart weights t of the zero sets of the leading coefficients in t of the graph's eliminants."""

    integral: int
    components: list[PrimeReport]


def non_properness(session: Macaulay2Session, net: Network, timeout: float | None = None) -> NonPropernessReport:
    """``nonPropernessReport``: candidates for the points of X not reached by the symmetry chart (outside them the
    chart map is proper over X, hence onto)."""
    integral, components = _list(_value(session, f"nonPropernessReport {network(net)}", timeout), 2,
                                 "{integral, components}")
    return NonPropernessReport(_int(integral, "integral"), _primes(components, None))


@dataclass(frozen=True)
class SlicedPropernessReport:
    """``slicedPropernessReport``: the Krull dimension of X, how many slices were used (in order, until the set
    left has dimension ≤ 0), how many of them have every free weight integral over QQ[c], and the minimal primes of
    X ∩ (S_1 ∩ ... ∩ S_k), S_i the non-properness candidates of slice i."""

    dim: int
    used: int
    integral: int
    components: list[PrimeReport]


def sliced_properness(session: Macaulay2Session, net: Network, slices: Sequence[Mapping[int, Fraction]],
                      timeout: float | None = None) -> SlicedPropernessReport:
    """``slicedPropernessReport``: the candidates left unreached by sub-slices of the weights (each a map from
    0-based weight indices to fixed values, dense in X: the caller checks), as in :func:`non_properness`."""
    literal = "{" + ", ".join("{" + ", ".join(f"{{{int(k)}, {rational(v)}}}" for k, v in sorted(s.items())) + "}"
                              for s in slices) + "}"
    dim, used, integral, components = _list(
        _value(session, f"slicedPropernessReport({network(net)}, {literal})", timeout), 4,
        "{dim, used, integral, components}")
    return SlicedPropernessReport(_int(dim, "dim"), _int(used, "used"), _int(integral, "integral"),
                                  _primes(components, None))


# --- identifiability (fibers) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModularFiberCount:
    """``fiberCountModular``: the fiber in a chart over ZZ/p, saturated by the dead-neuron ideals if needed."""

    prime: int
    dim: int
    degree: int
    """Points with multiplicity over the algebraic closure of ZZ/p (−1 unless dim = 0)."""
    distinct: int
    """Degree of the squarefree part of a random linear form's eliminant: ≤ the number of distinct points,
    equal when the form separates them (−1 unless dim = 0)."""


def fiber_count_modular(session: Macaulay2Session, net: Network, points: Sequence[tuple[Sequence[int], int]],
                        chart: Chart, seed: int, timeout: float | None = None) -> list[ModularFiberCount]:
    """``fiberCountModular`` at each (integer weights θ0 in ``chart``, prime) of ``points``: one Macaulay2 call,
    the network built once."""
    counts = ", ".join(f"fiberCountModular(countN, {integer_list(theta0)}, {_chart_literal(chart)}, {int(prime)})"
                       for theta0, prime in points)
    code = f"(setRandomSeed {int(seed)}; (countN -> {{{counts}}}) {network(net)})"
    found = _list(_value(session, code, timeout), len(points), "one {dim, degree, distinct} per prime")
    return [ModularFiberCount(int(prime), _int(dim, "dim"), _int(degree, "degree"), _int(distinct, "distinct"))
            for (_, prime), (dim, degree, distinct) in
            zip(points, (_list(item, 3, "{dim, degree, distinct}") for item in found))]


@dataclass(frozen=True)
class MonodromyFiberCount:
    """``fiberCountMonodromy``: monodromy at a generic point of V, then tracking to a generic point of the image."""

    generic: int
    """Solutions of the (combined) square system found by monodromy."""
    regular: int
    """Regular endpoints after tracking to the image of random complex weights."""
    fiber: int
    """Of those, the points of the fiber there (relative 1e-6)."""


def fiber_count_monodromy(session: Macaulay2Session, net: Network, chart: Chart, repeats: int, seed: int,
                          timeout: float | None = None, modulo_first_layer: bool = False) -> MonodromyFiberCount:
    """``fiberCountMonodromy`` on ``chart``, stopped after ``repeats`` loops without a new solution; with
    ``modulo_first_layer`` every count is of classes modulo the permutations of the first hidden layer."""
    modulo = "true" if modulo_first_layer else "false"
    code = (f"(setRandomSeed {int(seed)}; fiberCountMonodromy({network(net)}, {_chart_literal(chart)}, "
            f"Repeats => {int(repeats)}, ModuloFirstLayer => {modulo}))")
    generic, regular, fiber = _list(_value(session, code, timeout), 3, "{generic, regular, fiber}")
    return MonodromyFiberCount(_int(generic, "solutions"), _int(regular, "regular"), _int(fiber, "fiber"))
