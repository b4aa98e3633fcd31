"""Proved upper bounds for dimensions: never below a computed rank, tight where the geometry is known by hand,
and the Hilbert bound checked against the algebra it bounds."""

from __future__ import annotations

import ast
import csv
import gzip
import itertools
import json
import operator
import re
from math import comb
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from neurom2 import Architecture
from neurom2.cli import main
from neurom2.model.jacobian import ModularArithmetic, evaluation_jacobian, modular_rank
from neurom2.model.space import AmbientSpace
from neurom2.variety.bounds import (
    MonomialBounds,
    hilbert_bound,
    koszul_matrix,
    koszul_rank,
    monomial_bounds,
    monomials,
    upper_bound,
)
from neurom2.variety.defects import certify, proved_dimension
from neurom2.variety.dimension import dimension
from neurom2.variety.terms import INTEGERS, TERMS, Term

P = 2_147_483_647


def _grid():
    for r in (2, 3):
        for depth in (2, 3):
            for widths in itertools.product(range(1, 5), repeat=depth + 1):
                if widths[0] <= 3 and widths[-1] <= 3:
                    yield widths, r


@pytest.mark.parametrize("bias", [False, True])
def test_the_bound_is_never_below_the_rank_and_meets_it_without_biases(bias):
    """Two independent ways: the combinatorial bound against the rank of the whole evaluation Jacobian at every
    monomial's worth of points (a proved lower bound; not dimension(), which uses the bound).  A bound below the
    rank would be a false theorem."""
    unmet = []
    rng = np.random.default_rng(1)
    for widths, r in _grid():
        arch = Architecture(widths, f"x^{r}", bias)
        points = rng.integers(0, P, size=(AmbientSpace.of(arch).monomial_count, arch.input_dim))
        jacobian = evaluation_jacobian(arch, rng.integers(0, P, size=arch.n_params).tolist(), points, ModularArithmetic(P))
        bound, rank = upper_bound(arch).value, modular_rank(jacobian, P)
        assert rank <= bound, (widths, r, bias, rank, bound)
        if rank < bound:
            unmet.append(widths)
    assert unmet == []  # every one of these small networks has its dimension proved


def test_with_biases_a_quadratic_output_neuron_sees_its_inputs_only_through_their_affine_span():
    """σ = x² with biases, widths (n, a, 1), a < n: f = Σ c_i z_i² + b with z_i affine; the z_i and 1 span an
    (a + 1)-dimensional space of affine functions, and f is a quadric in a basis of it plus a constant: a(n − a) for
    the span, (a+1)(a+2)/2 for an inhomogeneous quadric in a variables (by hand); the rank agrees."""
    for n, a in [(3, 2), (4, 2), (4, 3), (5, 2)]:
        arch = Architecture((n, a, 1), "x^2", bias=True)
        by_hand = a * (n - a) + (a + 1) * (a + 2) // 2
        assert upper_bound(arch).value == by_hand == dimension(arch, seed=0).dim


@pytest.mark.parametrize("n, a", [(3, 1), (3, 2), (4, 2), (4, 3), (5, 3)])
def test_sums_of_a_squares_have_the_dimension_of_quadrics_of_rank_at_most_a(n, a):
    """σ = x², widths (n, a, 1): f = Σ c_i ℓ_i², the symmetric n × n matrices of rank ≤ a, of dimension
    a n − a(a − 1)/2 (by hand); the rank computes the same."""
    arch = Architecture((n, a, 1), "x^2")
    bound = upper_bound(arch)
    assert bound.value == a * n - a * (a - 1) // 2 == dimension(arch, seed=0).dim
    if a >= 2:
        assert bound.rule == "span before activation"


def test_widths_beyond_the_cap_compute_nothing_new():
    """Three linear forms in two variables: their squares span the 3 binary quadrics already, so a fourth
    neuron adds nothing: the same bound, and the same rank."""
    engine = monomial_bounds(2)
    assert engine.capped((2, 4, 7, 1)) == (2, 3, 5, 1)
    for widths in [(2, 4, 1), (2, 3, 1), (2, 7, 9, 1), (2, 3, 5, 1)]:
        arch = Architecture(widths, "x^2")
        assert dimension(arch, seed=0).dim == upper_bound(arch).value == monomials(2, 2 ** (len(widths) - 2))


def test_a_width_one_layer_caps_every_later_width():
    """Through a layer of width 1 a network computes ℓ^(r^k) composed with univariate maps: dim ≤ d0 (plus the
    one output scalar, minus its rescaling), whatever comes after."""
    for tail in [(1,), (5, 1), (9, 9, 1)]:
        widths = (3, 1, *tail)
        assert upper_bound(Architecture(widths, "x^2")).value == 3


def _forms(n_vars: int, degree: int, count: int, rng) -> list[dict[tuple[int, ...], int]]:
    monos = [e for e in itertools.product(range(degree + 1), repeat=n_vars) if sum(e) == degree]
    return [{e: int(rng.integers(1, P)) for e in monos} for _ in range(count)]


def _multiply(f, g):
    out: dict[tuple[int, ...], int] = {}
    for a, x in f.items():
        for b, y in g.items():
            key = tuple(i + j for i, j in zip(a, b))
            out[key] = (out.get(key, 0) + x * y) % P
    return out


def _degree_part_dimension(forms, E: int) -> int:
    """dim of the span of all products of E of the forms (with repetition), modulo P, at random forms."""
    powers: dict[tuple[int, ...], dict] = {(0,) * len(forms): {(0,) * len(next(iter(forms[0]))): 1}}
    for _ in range(E):
        grown = {}
        for exponent, poly in powers.items():
            for i, form in enumerate(forms):
                key = tuple(e + (j == i) for j, e in enumerate(exponent))
                if key not in grown:
                    grown[key] = _multiply(poly, form)
        powers = grown
    columns = sorted({m for poly in powers.values() for m in poly})
    matrix = np.array([[poly.get(m, 0) for m in columns] for poly in powers.values()], dtype=np.int64)
    return modular_rank(matrix, P)


@pytest.mark.parametrize("n, s, e, E", [(2, 3, 2, 3), (2, 3, 3, 4), (2, 3, 4, 6), (3, 4, 2, 4), (3, 4, 2, 5)])
def test_hilbert_bound_holds_and_is_attained_by_random_forms(n, s, e, E):
    """The degree-E part of C[b_1..b_s] for s random forms of degree e in n variables: at most the Hilbert
    bound (a plane curve of degree e for n = 2, s = 3; Steiner's quartic surface for n = 3, s = 4, e = 2),
    and equal to it for random forms.  Computed independently by multiplying polynomials modulo a prime."""
    rng = np.random.default_rng(5)
    found = _degree_part_dimension(_forms(n, e, s, rng), E)
    assert found == hilbert_bound(n, s, e, E) < monomials(s, E)


def test_dim_reports_a_proved_defective_dimension_with_the_derivation_of_its_bound(capsys):
    """(2,2,7,6,15,8,1), σ = x³: 84, far below the 240 of parameters minus symmetries, and now proved."""
    assert main(["dim", "--widths", "2,2,7,6,15,8,1", "--activation", "x^3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["dim"], data["expected_dim"], data["upper_bound"], data["proved"]) == (84, 240, 84, True)
    assert data["upper_bound_reason"].startswith("width cap")
    assert data["upper_bound_derivation"]["value"] == 84 and data["upper_bound_derivation"]["parts"]


def test_dim_says_probable_when_no_bound_meets_the_rank(capsys):
    """(4,9,1), σ = x⁴: quaternary quartics as sums of nine fourth powers, an Alexander–Hirschowitz exception (rank 34)
    not in the table of proved defects; the proved bound is 35."""
    assert main(["dim", "--widths", "4,9,1", "--activation", "x^4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["dim"], data["upper_bound"], data["proved"]) == (34, 35, False)
    assert 0 < data["error_bound"] < 1e-9


def _cross_flattening(quadrics) -> np.ndarray:
    """Σ_i [e_i]_× ⊗ A_i by numpy Kronecker products, [e]_× the matrix of u ↦ e × u (independent of koszul_matrix)."""
    units = np.eye(3, dtype=np.int64)
    return sum(np.kron(np.array([np.cross(units[i], units[b]) for b in range(3)]).T, np.array(a, dtype=np.int64))
               for i, a in enumerate(quadrics))


@pytest.mark.parametrize("n, h", [(4, 5), (6, 8), (8, 11)])
def test_three_quadrics_from_few_squares_lie_in_the_hypersurface_of_their_koszul_flattening(n, h):
    """(n, h, 3), σ = x²: at random integer weights the flattening of the three output quadrics A_i = Σ_j W2_ij ℓ_j ℓ_jᵀ
    has rank 2h (numpy, modulo a prime), while at the rule's integer point it has full rank 3n (exact, sympy); so
    D(n, h, 3) ≤ dim V − 1, and the Jacobian rank meets that bound: (6,8,3) and (8,11,3) are proved defective."""
    rng = np.random.default_rng(n)
    first, second = rng.integers(-9, 10, (h, n)), rng.integers(-9, 10, (3, h))
    quadrics = [sum(second[i, j] * np.outer(first[j], first[j]) for j in range(h)) for i in range(3)]
    flattening = _cross_flattening(quadrics)
    assert (flattening == np.array(koszul_matrix(tuple(q.tolist() for q in quadrics)))).all()
    assert (flattening == -flattening.T).all() and modular_rank(flattening % P, P) == 2 * h
    path = np.eye(n, k=1, dtype=np.int64) + np.eye(n, k=-1, dtype=np.int64)
    point = (np.eye(n, dtype=np.int64), np.diag(np.arange(1, n + 1)), path)
    assert sympy.Matrix(_cross_flattening(point).tolist()).rank() == koszul_rank(n) == 3 * n
    bound = monomial_bounds(2).derive((n, h, 3))
    assert bound.value == 3 * comb(n + 1, 2) - 1
    assert bound.rule == ("proved defect" if (n, h) == (4, 5) else "three-output flattening")
    result = dimension(Architecture.create(f"{n},{h},3", "x^2"), seed=0)
    assert result.proved and result.dim == bound.value


def test_cubes_of_combinations_of_three_cubes_satisfy_the_cubic_relation_of_their_generators():
    """σ = x³, (2,3,8,11): layer 2 holds combinations of the three cubes ℓ_i³, which satisfy one cubic relation
    (three binary cubics trace a plane cubic), so their cubes span at most 9 binary nonics, and the 8 of layer 2
    an 8-plane in that 9-space: dim ≤ 3 (the span of the ℓ_i³) + 8 + 11·8 = 99, the rank."""
    arch = Architecture((2, 3, 8, 11), "x^3")
    assert upper_bound(arch).value == dimension(arch, seed=0).dim == 99
    assert hilbert_bound(2, 3, 3, 3) == 9


# --- certificate texts that add up --------------------------------------------------------------------------------
#
# Every reason ends with an equation "formula = numbers = value": the formula names quantities N(n, e) (monomials,
# recomputed here with math.comb), H(s, e, E) (Hilbert bounds, n = the number of inputs), D(widths) (the bound of
# a smaller network) and δ(widths) (the proved defect of a block, recertified from scratch), the numbers are integers
# under +, −, ·, min and max.  A width cap first says to which widths the layers are narrowed, each cap with its own
# equation, then "; then " the reason of the narrowed network.
# The texts are parsed and evaluated here by a small evaluator on Python's ast (never eval of the text).


def _evaluate(text: str, functions: dict) -> int:
    """The integer value of ``text``: integers, +, −, ·, parentheses and calls of ``functions`` only."""
    operations = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}

    def value(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in operations:
            return operations[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions \
                and not node.keywords:
            return functions[node.func.id](*map(value, node.args))
        raise ValueError(f"not an arithmetic expression: {ast.dump(node)} in {text!r}")

    return value(ast.parse(text.replace("·", "*").replace("−", "-"), mode="eval").body)


ARITHMETIC = {"min": min, "max": max}


def _quantities(arch: Architecture) -> dict:
    """min, max and the named quantities of the reasons of ``arch``, each computed on its own."""
    return {**ARITHMETIC, "N": lambda n, e: comb(n + e - 1, e),
            "H": lambda s, e, E: hilbert_bound(arch.input_dim, s, e, E),
            "D": lambda *widths: upper_bound(Architecture(widths, arch.activation, arch.bias)).value,
            "δ": lambda *widths: certify(widths, arch.monomial_degree).extra_fiber}


def _check_equation(equation: str, functions: dict) -> int:
    """Every side of ``formula = numbers = value`` has the same value, the one before the value written in integers
    only; returns it."""
    *sides, value = equation.split(" = ")
    assert sides, equation
    for side in sides:
        assert _evaluate(side, functions) == int(value), (side, equation)
    return int(value)


def _checked_reason(reason: str, arch: Architecture) -> int:
    """The value the reason of a bound of ``arch`` proves, after checking every equation in it."""
    functions = _quantities(arch)
    if reason.startswith("width cap: "):
        cap, reason = reason.removeprefix("width cap: ").split("; then ", 1)
        narrowing, equation = cap.rsplit(": ", 1)
        caps = re.findall(r"layer \d+ from (\d+) to (min\(.*?\) = min\(.*?\) = \d+)", narrowing)
        assert caps and len(caps) == narrowing.count("layer"), narrowing
        for width, cap_equation in caps:
            assert _check_equation(cap_equation, functions) < int(width), narrowing
        narrowed = _checked_reason(reason, arch)
        assert _check_equation(equation, functions) == narrowed
        return narrowed
    rule, equation = reason.rsplit(": ", 1)
    assert _evaluate(equation.split(" = ")[-2], ARITHMETIC) == int(equation.split(" = ")[-1]), reason  # integers only
    return _check_equation(equation, functions)


def _sweep() -> list[Architecture]:
    """The 672 architectures of the dimension sweep of benchmarks/run.py: d0 ∈ {2,3}, dL = 1, σ = x², x³, one to three
    hidden layers of widths 1..4, without and with biases."""
    return [Architecture((d0, *hidden, 1), f"x^{r}", bias) for bias in (False, True) for d0 in (2, 3) for r in (2, 3)
            for depth in (2, 3, 4) for hidden in itertools.product(range(1, 5), repeat=depth - 1)]


def test_every_reason_of_the_sweep_recomputes_to_its_bound():
    """The 672 architectures of the sweep: each reason, parsed and evaluated independently, gives the bound."""
    architectures = _sweep()
    assert len(architectures) == 672
    for arch in architectures:
        bound = upper_bound(arch)
        assert _checked_reason(bound.reason, arch) == bound.value, (arch.widths, arch.activation, arch.bias, bound.reason)


@pytest.mark.parametrize("widths, activation, bias", [
    ((2, 2, 7, 6, 15, 8, 1), "x^3", False), ((3, 8, 15, 46, 39, 23, 13, 1), "x^2", False),
    ((2, 10, 28, 82, 244, 1), "x^3", False), ((3, 4, 15, 45, 153, 561, 1), "x^2", False), ((3, 4), "x^2", True),
    ((4, 6, 5), "x^2", False), ((2, 3, 5, 4, 6, 5, 65, 129, 1), "x^2", False), ((3, 5, 2), "x^3", False),
    ((2, 3, 1), "x^2 + x", False), ((2, 3, 1), "x^3 + x", True), ((4, 3, 2), "x", False), ((4, 3, 2), "x", True)])
def test_reasons_beyond_the_sweep_recompute_to_their_bounds(widths, activation, bias):
    """Width caps, filling corners with hundreds of neurons, proved defects (and the depth-8 corner they close),
    non-monomial and linear activations."""
    arch = Architecture(widths, activation, bias)
    bound = upper_bound(arch)
    assert _checked_reason(bound.reason, arch) == bound.value
    for part in bound.parts:  # the derivation: each step's reason adds up as well
        assert _checked_reason(part.reason, Architecture(part.widths, activation, bias)) == part.value


def test_the_cubic_relation_certificate_shows_the_term_that_gives_99(capsys):
    """Issue 17: (2,3,8,11), σ = x³, printed 'min(8·(10−8), 27−8) + min(88, 11·H = 88)' = 104 for the bound 99; the
    missing term is the span of the pre-activations: 3 + 8·(9 − 8) = 11 (three cubes, one cubic relation)."""
    assert main(["dim", "--widths", "2,3,8,11", "--activation", "x^3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    arch = Architecture((2, 3, 8, 11), "x^3")
    assert _checked_reason(data["upper_bound_reason"], arch) == data["upper_bound"] == 99
    assert "min(8·(10 − 8), 27 − 8, min(3·(4 − 3), 27 − 8·3) + 8·(min(10, 9) − 8))" in data["upper_bound_reason"]


def test_the_published_filling_results_are_reproduced_by_the_current_bounds():
    """docs/filling_results.json: every closed region's bound is what the rules give at its corner now, below dim V; the
    reason of every open region gives its best bound; a case is complete exactly when it has no open region."""
    results = json.loads((Path(__file__).parents[1] / "docs" / "filling_results.json").read_text(encoding="utf-8"))
    closed = 0
    for case in results["results"]:
        r = int(case["activation"].removeprefix("x^"))
        for region in case["closed_regions"]:
            bound = monomial_bounds(r).value((case["input"], *region["corner"], case["output"]))
            assert bound == region["upper_bound"] < case["ambient_dim"], (case["depth"], region)
            closed += 1
        for region in case["open_regions"]:
            arch = Architecture((case["input"], *region["corner"], case["output"]), case["activation"])
            assert _checked_reason(region["best_bound_reason"], arch) == region["best_bound"]
        assert case["complete"] == (case["open_regions"] == [] and case["minimality_not_proved"] == [])
    assert closed >= 1000


@given(st.recursive(st.integers(0, 30).map(Term), lambda inner: st.one_of(
    st.tuples(inner, inner).map(lambda pair: pair[0] + pair[1]), st.tuples(inner, inner).map(lambda pair: pair[0] - pair[1]),
    st.tuples(inner, inner).map(lambda pair: pair[0] * pair[1]),
    st.lists(inner, min_size=1, max_size=3).map(lambda terms: TERMS.minimum(*terms)),
    st.lists(inner, min_size=1, max_size=3).map(lambda terms: TERMS.maximum(*terms))), max_leaves=12))
def test_a_term_writes_exactly_the_parentheses_its_value_needs(term):
    """Random expressions: the text, evaluated independently, is the value (a − (b − c), a·(b + c), …)."""
    assert _evaluate(Term.of(term).numbers, ARITHMETIC) == Term.of(term).value


class EverySpanTerm(MonomialBounds):
    """The search without early exits: every rule, and every s of every span rule, computed (the definition)."""

    def _compute(self, w):
        m = len(w) - 1
        if m == 1 or self.capped(w) != w:
            return super()._compute(w)
        choices = [("ambient", 0, 0), ("parameters", 0, 0)] + [("proved defect", 0, 0)] * (
            m == 2 and proved_dimension(self.r, w) is not None) + [("three-output flattening", 0, 0)] * (
            m == 2 and self.r == 2 and w[2] == 3 and 2 * w[1] + 1 <= koszul_rank(w[0]))
        for k in range(1, m):
            choices.append(("composition", k, 0))
            for rule in ("span after activation", "span before activation"):
                terms = [(self._span_term(w, (rule, k, s), INTEGERS), s) for s in self._span_range(w, rule, k)]
                widest = max(((term, s) for term, s in terms if term is not None), default=None)
                if widest is not None:
                    choices.append((rule, k, widest[1]))
        return min(self._valued(w, choice) for choice in choices)


def _published_rows(every):
    path = Path(__file__).parents[1] / "benchmarks" / "data" / "published-sweep-2-2.csv.gz"
    with gzip.open(path, "rt") as rows:
        return [tuple(json.loads(row["architecture"])) for row in itertools.islice(csv.DictReader(rows), 0, None, every)]


def test_the_search_with_early_exits_finds_the_bound_and_derivation_of_every_term_computed():
    """Skipping span terms that cannot be the maximum, and span rules whose maximum already loses, changes nothing:
    against a search that computes every term, on every 200th published (2,…,2) architecture (σ = x²) and on deep
    narrow networks (σ = x³), the values, the chosen rules and the whole derivations agree."""
    cases = [(2, w) for w in _published_rows(200)] + [(3, (2, *w)) for w in itertools.product(range(1, 5), repeat=4)]
    assert len(cases) > 300
    fast, full = {r: MonomialBounds(r) for r in (2, 3)}, {r: EverySpanTerm(r) for r in (2, 3)}
    for r, w in cases:
        assert fast[r].derive(w) == full[r].derive(w), w
