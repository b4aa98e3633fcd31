"""neurom2 filling: minimal filling architectures, proved; against answers known by hand, the published list,
a certificate that must fail, the open-region path and a resumed search."""

from __future__ import annotations

import itertools
import json
import random
from math import comb
from pathlib import Path

import pytest

from neurom2 import Architecture
from neurom2.batch.filling import BatchRanks, minimal_filling
from neurom2.cli import main
from neurom2.filling import Staircase, is_unimodal, width_caps
from neurom2.filling.search import FrontierSearch
from neurom2.variety.bounds import MonomialBounds, upper_bound
from neurom2.variety.dimension import dimension

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "filling_results.json"


def search(tmp_path, **options):
    return minimal_filling(db=str(tmp_path / "filling.sqlite"), workers=1, **options)


# --- the staircase ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("points", [[(2, 2)], [(1, 3), (3, 1)], [(2, 3, 1), (1, 1, 4), (3, 2, 2)], []])
def test_corners_cover_exactly_the_points_not_above_a_generator(points):
    """Checked point by point on the whole box against the definition."""
    box = (3, 4, 4)[:len(points[0])] if points else (3, 3)
    staircase = Staircase(box, points)
    for a in itertools.product(*(range(1, c + 1) for c in box)):
        above = any(all(x >= y for x, y in zip(a, p)) for p in points)
        in_corner_box = any(all(x <= y for x, y in zip(a, c)) for c in staircase.corners)
        assert above != in_corner_box, a


@pytest.mark.parametrize("seed", range(4))
def test_corners_are_exactly_the_maximal_points_not_above_a_generator(seed):
    """Random generators added one by one; after each, the corners are recomputed by enumerating the box: the points
    not above a generator whose one-larger neighbours in the box all are (no corner is missing or redundant)."""
    rng = random.Random(seed)
    box = tuple(rng.randint(1, 5) for _ in range(4))
    staircase, generators = Staircase(box), []
    for _ in range(12):
        generators.append(tuple(rng.randint(1, c) for c in box))
        staircase.add(generators[-1])
        free = {a for a in itertools.product(*(range(1, c + 1) for c in box))
                if not any(all(x >= y for x, y in zip(a, g)) for g in generators)}
        tops = sorted(a for a in free if all(a[:j] + (a[j] + 1,) + a[j + 1:] not in free for j in range(len(a))))
        assert staircase.corners == tops


def test_unimodal_means_up_then_down():
    assert is_unimodal((3, 4, 5, 5, 4, 2)) and is_unimodal((1,)) and is_unimodal((4, 3, 3))
    assert not is_unimodal((3, 4, 5, 4, 6, 4)) and not is_unimodal((2, 1, 2))


# --- answers known by hand ------------------------------------------------------------------------------------


def test_binary_quadrics_need_two_squares(tmp_path):
    """(2, a, 1), σ = x²: f = Σ c_i ℓ_i² is a binary quadric of rank ≤ a; rank 2 is generic (dim V = 3), one
    square is not.  So (2,2,1) is the only minimal filling architecture, and a1 = 1 gives dim 2."""
    result = search(tmp_path, input=2, output=1, depth=2)
    assert [m.widths for m in result.minimal] == [(2, 2, 1)] and result.complete
    assert [(r.corner, r.bound.value) for r in result.regions] == [((1,), 2)]
    assert result.minimal[0].proof.rank == 3 and result.minimal[0].minimal_proved


def test_depth_three_needs_two_neurons_in_each_layer(tmp_path):
    """(2, a1, a2, 1), σ = x², binary quartics (dim 5).  A width-1 layer makes f a power of one form times a
    constant: a1 = 1 gives (ℓ²)² composed with a univariate map, dim ≤ 2; a2 = 1 gives c·q² for a quadric q,
    dim ≤ 3.  (2,2,2,1) fills (its rank is 5), so it is the only minimal one."""
    result = search(tmp_path, input=2, output=1, depth=3)
    assert [m.widths for m in result.minimal] == [(2, 2, 2, 1)] and result.complete
    assert sorted((r.describe(), r.bound.value) for r in result.regions) == [("a1 any, a2 ≤ 1", 3), ("a1 ≤ 1, a2 any", 2)]
    assert all(r.bound.value == dimension(Architecture((2, *r.corner, 1), "x^2")).dim for r in result.regions)


def test_binary_cubics_as_sums_of_two_cubes(tmp_path):
    """σ = x³, (2, a, 1): a generic binary cubic is a sum of two cubes (Sylvester), one cube is not."""
    result = search(tmp_path, input=2, output=1, depth=2, activation="x^3")
    assert [m.widths for m in result.minimal] == [(2, 2, 1)] and result.complete


# --- a certificate that must fail, and open regions ------------------------------------------------------------


def test_no_bound_closes_a_region_that_contains_a_filling_architecture():
    """Every box whose corner fills (by its rank) must stay open: a proved bound below dim V there would be a
    false theorem.  Checked on every box of (2, a1, a2, 1), σ = x², up to the caps."""
    engine = MonomialBounds(2)
    for corner in itertools.product(range(1, 4), range(1, 6)):
        widths = (2, *corner, 1)
        if dimension(Architecture(widths, "x^2")).dim == 5:
            assert engine.value(widths) >= 5, corner


def test_the_alexander_hirschowitz_exception_is_closed_by_its_proved_defect(tmp_path):
    """σ = x³, (5, a, 1): seven cubes do not give every quinary cubic (Alexander–Hirschowitz: dim 34 < 35),
    eight do.  The proved defect D(5,7,1) = 34 closes the region a1 ≤ 7: the list (5,8,1) is complete."""
    result = search(tmp_path, input=5, output=1, depth=2, activation="x^3")
    assert [m.widths for m in result.minimal] == [(5, 8, 1)]
    assert result.complete and result.minimal[0].minimal_proved
    (region,) = result.regions
    assert (region.corner, region.bound.value, region.bound.rule) == ((7,), 34, "proved defect")


def test_a_defect_without_a_proved_bound_is_reported_open(tmp_path):
    """σ = x⁴, (4, a, 1): nine fourth powers do not give a general quaternary quartic (an Alexander–Hirschowitz
    exception: rank 34 < 35), ten do.  No bound of neurom2 proves the defect, so the region a1 ≤ 9 is open, with its
    rank 34."""
    result = search(tmp_path, input=4, output=1, depth=2, activation="x^4")
    assert [m.widths for m in result.minimal] == [(4, 10, 1)]
    assert not result.complete and not result.minimal[0].minimal_proved
    (region,) = result.open_regions
    assert (region.corner, region.bound.value, region.rank.rank) == ((9,), 35, 34)
    assert 0 < region.rank.error_bound < 1e-9
    data = result.to_json()
    assert data["complete"] is False and data["open_regions"][0]["rank_at_corner"]["rank"] == 34


def test_three_senary_quadrics_need_nine_squares_by_the_koszul_flattening(tmp_path):
    """σ = x², (6, a, 3): eight squares do not give three general senary quadrics (a defective Segre–Veronese secant,
    rank 62 < 63), nine do; the three-output flattening proves D(6, 8, 3) ≤ 62, so the list is complete."""
    result = search(tmp_path, input=6, output=3, depth=2, activation="x^2")
    assert [m.widths for m in result.minimal] == [(6, 9, 3)] and result.complete
    (region,) = result.regions
    assert (region.corner, region.bound.value, region.bound.rule) == ((8,), 62, "three-output flattening")
    assert dimension(Architecture.create("6,8,3", "x^2"), seed=0).dim == 62  # the rank meets the bound


class ParametersOnly(MonomialBounds):
    """A weaker engine: dim V and parameters minus rescalings only (no composition or span rules)."""

    def _compute(self, w):
        if len(w) == 2:
            return w[0] * w[1], ("affine map", 0, 0)
        weights = sum(a * b for a, b in zip(w, w[1:])) - sum(w[1:-1])
        return min((self.ambient(w), ("ambient", 0, 0)), (weights, ("parameters", 0, 0)))


def test_weaker_bounds_leave_regions_open_but_never_claim_them(tmp_path):
    """With parameter counts only, the width-1 bottlenecks a1 = 1 and a2 = 1 cannot be closed (the weights of the
    other layer are too many); they are reported open with the ranks at their corners, 2 and 3 as by hand, and the
    list is not called complete."""
    from neurom2.batch import ResultStore
    from neurom2.deadline import Deadline

    with ResultStore(tmp_path / "weak.sqlite") as store:
        oracle = BatchRanks(store, "x^2", seed=0, workers=1, scheduler=None, force=False, deadline=Deadline(None))
        caps = width_caps(2, 2, 3)
        frontier = FrontierSearch(2, 1, 2, 3, caps, oracle, engine=ParametersOnly(2))
        frontier.run()
        result = frontier.result(caps, "x^2", "1 local worker", 0.0)
    assert [m.widths for m in result.minimal] == [(2, 2, 2, 1)]
    assert not result.complete
    assert [(r.corner, r.rank.rank) for r in result.open_regions] == [((1, 5), 2), ((3, 1), 3)]


# --- the published result and the command -----------------------------------------------------------------------


def test_depth_seven_gives_thirteen_minimal_architectures_complete_as_published(tmp_path, capsys):
    """Dao and Rodriguez (2026): thirteen minimal filling architectures for (2, ·, 1), σ = x², L = 7, among them
    the non-unimodal (2,3,4,5,4,6,4,1); here found and proved without hand work, and equal to the committed list."""
    db = tmp_path / "f.sqlite"
    assert main(["filling", "--input", "2", "--output", "1", "--activation", "x^2", "--depth", "7", "--json",
                 "--db", str(db), "--workers", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["minimal"]) == 13 and data["complete"] is True and data["open_regions"] == []
    assert [2, 3, 4, 5, 4, 6, 4, 1] in data["minimal"]
    assert not data["unimodal"]["2,3,4,5,4,6,4,1"]
    assert {"certificates", "seconds", "seed"} <= set(data) and len(data["certificates"]["regions"]) == 21
    assert data["seed"] == 0
    for m in data["certificates"]["minimal"]:
        assert m["filling_proof"]["rank"] == 65 and m["minimal_proved"]
    committed = json.loads(RESULTS.read_text())["results"]
    entry = next(e for e in committed if (e["input"], e["output"], e["activation"], e["depth"]) == (2, 1, "x^2", 7))
    assert entry["minimal"] == data["minimal"] and entry["complete"]


def test_an_interrupted_search_resumes_from_its_store(tmp_path):
    """The same search twice into one store: the second computes no rank and gives the same answer."""
    first = search(tmp_path, input=2, output=1, depth=5)
    again = search(tmp_path, input=2, output=1, depth=5)
    assert again.work.computed == 0 and again.work.rank_jobs == first.work.rank_jobs > 0
    assert [m.widths for m in again.minimal] == [m.widths for m in first.minimal] == [(2, 3, 3, 3, 2, 1)]


def test_max_width_limits_the_claim_to_the_box(tmp_path):
    result = search(tmp_path, input=2, output=1, depth=4, max_width=3)
    assert result.box == (3, 3, 3) and result.caps == (3, 5, 9)
    assert [m.widths for m in result.minimal] == [(2, 3, 3, 2, 1)]
    assert result.complete_in_box and not result.complete


@pytest.mark.parametrize("args, fragment", [
    (["--activation", "x^2 + x"], "power activation"),
    (["--activation", "x"], "power activation"),
    (["--workers", "2", "--scheduler", "tcp://localhost:8786"], "not both"),
    (["--scheduler", "localhost"], "tcp://HOST:PORT"),
    (["--depth", "1"], "≥ 2"),
])
def test_bad_options_exit_2_before_any_computation(capsys, tmp_path, args, fragment):
    code = main(["filling", "--input", "2", "--output", "1", "--depth", "3", *args, "--db", str(tmp_path / "x.sqlite")])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err
    assert not (tmp_path / "x.sqlite").exists()


def test_the_counterexample_claim_passes():
    """The claim of ``neurom2 reproduce`` (it needs no Macaulay2 session)."""
    from neurom2.claims import CLAIMS

    evidence = next(c for c in CLAIMS if c.id == "unimodal-conjecture-fails").check(None)
    assert evidence.passed, evidence.summary
    assert all(n["upper_bound"] < 65 and n["rank"] == n["upper_bound"] for n in evidence.data["neighbours"])


def test_every_neighbour_of_the_counterexample_has_a_bound_below_dim_v():
    """Independently of the search: the six one-smaller neighbours of (2,3,4,5,4,6,4,1)."""
    widths = (2, 3, 4, 5, 4, 6, 4, 1)
    for j in range(1, 7):
        smaller = widths[:j] + (widths[j] - 1,) + widths[j + 1:]
        assert upper_bound(Architecture(smaller, "x^2")).value < 65


def test_the_search_runs_on_a_dask_cluster(tmp_path):
    """The same rank jobs on a Dask LocalCluster (``--scheduler``), into the same kind of store."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = minimal_filling(input=2, output=1, depth=4, db=str(tmp_path / "dask.sqlite"),
                                 scheduler=cluster.scheduler_address)
    assert [m.widths for m in result.minimal] == [(2, 3, 3, 2, 1)] and result.complete
    assert result.work.backend.startswith("Dask scheduler")


def test_the_published_3_1_depth_6_entry_is_not_minimal_a_narrower_network_fills():
    """Dao and Rodriguez list (3,5,8,13,28,5,1) as minimal filling; (3,5,8,13,27,5,1) fills: its exact rank modulo a
    prime, at a point of this test's own seed, is 561 = dim V = N(3, 32) (a lower bound for dim M).  The committed
    results record the same, and the complete L = 6 list holds the narrower one."""
    arch = Architecture((3, 5, 8, 13, 27, 5, 1), "x^2")
    assert dimension(arch, seed=11).dim == 561 == comb(3 + 32 - 1, 32)
    results = json.loads((Path(__file__).parents[1] / "docs" / "filling_results.json").read_text(encoding="utf-8"))
    (erratum,) = results["published_errata"]
    assert erratum["published_as_minimal"] == [3, 5, 8, 13, 28, 5, 1] and erratum["proved_filling"]
    (case,) = [c for c in results["results"] if (c["input"], c["output"], c["depth"]) == (3, 1, 6)]
    assert case["complete"] and [3, 5, 8, 13, 27, 5, 1] in case["minimal"] and [3, 5, 8, 13, 28, 5, 1] not in case["minimal"]
