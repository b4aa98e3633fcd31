"""Proved defective blocks: each certificate recomputed from scratch, the rank over Q(t) re-checked by Macaulay2 on a
normal form it builds itself, the geometry behind (4,6,5) checked exactly, and the bound it gives in `dim --json`."""

from __future__ import annotations

import json
import random
import subprocess
from fractions import Fraction

import pytest
import sympy
from conftest import M2, float_rank

from neurom2 import Architecture
from neurom2.cli import main
from neurom2.variety.bounds import monomial_bounds
from neurom2.variety.defects import PROVED_DEFECTS, NormalForm, certify
from neurom2.variety.dimension import dimension

LISTED = [(widths, r, dim) for r, table in PROVED_DEFECTS.items() for widths, dim in table.items()]


@pytest.mark.parametrize("widths, r, dim", LISTED)
def test_every_listed_defect_is_certified_from_scratch_and_met_by_the_rank(widths, r, dim):
    """The theorem's hypotheses hold (Φ dominant: its differential has full rank at an integer point) and the rank over
    Q(t) is the listed dimension, below parameters − rescalings; the exact rank modulo primes and the float rank at
    random weights (independent lower bounds / sanity) reach it."""
    certificate = certify(widths, r)
    arch = Architecture(widths, f"x^{r}")
    assert certificate.dominant and certificate.orbit_rank == arch.n_params
    assert certificate.dimension == dim == arch.n_params - sum(arch.hidden_widths) - certificate.extra_fiber
    assert certificate.extra_fiber >= 1
    assert dimension(arch, seed=3).dim == dim == float_rank(arch, seed=3)


def test_a_block_that_is_not_defective_gets_parameters_minus_rescalings():
    """(4,5,4), σ = x²: 20 + 20 − 5 = 35 < dim V = 40, and the normal form gives 35 (it does not invent defects)."""
    certificate = certify((4, 5, 4), 2)
    assert certificate.dominant and certificate.extra_fiber == 0
    assert certificate.dimension == 35 == dimension(Architecture((4, 5, 4), "x^2")).dim


def test_the_normal_form_needs_a_hidden_layer_wider_than_the_input():
    with pytest.raises(ValueError, match="needs h ≥ n \\+ 1"):
        NormalForm((4, 4, 2), 2)


M2_NORMAL_FORM = """
K = (h - n - 1) * (n - 1);
T = QQ[t_1..t_(K + o * (h - o))];
A = T[a_(1,1)..a_(h,n), b_(1,1)..b_(o,h), x_1..x_n];
W1 = matrix table(h, n, (i,j) -> a_(i+1,j+1));
W2 = matrix table(o, h, (i,j) -> b_(i+1,j+1));
Z = W1 * transpose matrix {{x_1..x_n}};
F = flatten entries (W2 * matrix table(h, 1, (i,j) -> (Z_(i,0))^r));
mons = apply(compositions(n, r), e -> product(n, i -> x_(i+1)^(e#i)));
C = apply(F, f -> flatten entries last coefficients(f, Variables => toList(x_1..x_n), Monomials => mons));
weights = flatten entries W1 | flatten entries W2;
J = matrix table(#F * #mons, #weights, (k, l) -> diff(weights#l, (C#(k // #mons))#(k % #mons)));
P = if h == n + 1 then map(T^0, T^n, 0) else
    matrix table(h - n - 1, n, (i,j) -> if j == n - 1 then 1_T else t_(i * (n - 1) + j + 1));
nf1 = id_(T^n) || matrix{toList(n:1_T)} || P;
nf2 = id_(T^o) | matrix table(o, h - o, (i,j) -> t_(K + i * (h - o) + j + 1));
theta = flatten apply(h, i -> apply(n, j -> a_(i+1,j+1) => nf1_(i,j))) |
    flatten apply(o, i -> apply(h, j -> b_(i+1,j+1) => nf2_(i,j))) | apply(n, i -> x_(i+1) => 0);
print rank image sub(sub(J, theta), T)
"""


@pytest.mark.macaulay2
@pytest.mark.parametrize("widths, r, dim", LISTED)
def test_macaulay2_finds_the_rank_over_rational_functions_on_its_own_normal_form(widths, r, dim, tmp_path):
    """Independently of neurom2's sympy elimination: Macaulay2 (a script of its own, not the shared session) builds the
    network, its coefficient Jacobian in all the weights, substitutes the normal form [I; 1 ⋯ 1; P(t)], [I | C(t)] and
    computes the rank of the module its columns generate over QQ[t] (its rank over frac QQ[t])."""
    n, h, o = widths
    script = tmp_path / "normal_form.m2"
    script.write_text(f"(n, h, o, r) = ({n}, {h}, {o}, {r});" + M2_NORMAL_FORM)
    done = subprocess.run([str(M2), "--script", str(script)], capture_output=True, text=True, timeout=600, check=True)
    assert done.stdout.split()[-1] == str(dim)


def _cones_through_six_points(points: list[list[Fraction]]) -> sympy.Matrix:
    """For each point p_i: the quadric through the six points that is singular at p_i, as a row of its coefficients
    (exact, sympy)."""
    x = sympy.symbols("x1:5")
    monomials = [x[i] * x[j] for i in range(4) for j in range(i, 4)]
    q = sympy.symbols("q0:10")
    quadric = sum(c * m for c, m in zip(q, monomials))
    through = [quadric.subs(dict(zip(x, p))) for p in points]
    rows = []
    for p in points:
        singular = [sympy.diff(quadric, v).subs(dict(zip(x, p))) for v in x]
        solution = sympy.linsolve(through + singular, q)
        (vector,) = solution
        free = sorted(set().union(*(sympy.sympify(c).free_symbols for c in vector)), key=str)
        assert len(free) == 1  # exactly one cone with vertex p through the other five points
        rows.append([sympy.sympify(c).subs(free[0], 1) for c in vector])
    return sympy.Matrix(rows)


def test_the_six_cones_through_six_points_with_vertex_at_one_of_them_span_only_a_net():
    """The geometry of the defect of (4,6,5): six rational points in P^3 (three random choices), exact arithmetic — the
    quadrics through them form a 4-dimensional web, the six cones in it span a space of dimension 3.  By the Terracini
    count (5-tuples of quadrics singular at the six points of P^4 × P^3), that leaves 3 = 50 − 47 conditions unused."""
    for seed in range(3):
        rng = random.Random(seed)
        points = [[Fraction(rng.randint(-9, 9)) for _ in range(4)] for _ in range(6)]
        assert _cones_through_six_points(points).rank() == 3


def test_dim_proves_4_6_5_defective_with_the_proved_defect_rule(capsys):
    """`dim --json` for (4,6,5), σ = x²: rank 47 met by the proved bound 47 (was 48: probable only)."""
    assert main(["dim", "--widths", "4,6,5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["dim"], data["expected_dim"], data["upper_bound"], data["proved"]) == (47, 48, 47, True)
    assert data["upper_bound_reason"].endswith("6·4 + 5·6 − 6 − δ(4, 6, 5) = 6·4 + 5·6 − 6 − 1 = 47")
    assert data["upper_bound_derivation"]["rule"] == "proved defect" and data["upper_bound_derivation"]["exact"]


def test_the_defect_of_4_6_5_closes_the_open_depth_8_corner():
    """The corner (2,3,5,4,6,5,65,129,1) of the one open region of (2,·,1), σ = x², L = 8: composition through the
    block (4,6,5) gives 20 + (47 + 70 − 5) − 4 = 128 < 129 = dim V."""
    bound = monomial_bounds(2).derive((2, 3, 5, 4, 6, 5, 65, 129, 1))
    assert bound.value == 128
    assert "D(4, 6, 5) + D(5, 15, 120, 1) − 5 = 47 + 70 − 5 = 112" in bound.explain()
