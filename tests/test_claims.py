"""`neurom2 reproduce`: every slide claim passes by computation; failures and bad ids are reported."""

import json

import pytest
import sympy

from neurom2 import Architecture
from neurom2 import claims as claims_module
from neurom2.claims import CLAIMS, Claim, Evidence, run_claims
from neurom2.cli import main
from neurom2.model.space import AmbientSpace
from neurom2.properties.singular import singular_locus
from neurom2.real.boundary import algebraic_boundary
from neurom2.variety.implicitization import coordinate_symbols


@pytest.fixture(scope="module")
def outcomes():
    return run_claims()


def test_every_slide_claim_passes(outcomes):
    failed = [(o.claim.id, o.evidence.summary) for o in outcomes if not o.evidence.passed]
    assert failed == []
    assert {o.claim.id for o in outcomes} >= {
        "x2-fills-reals", "x3-not-filling-reals", "linear-2-2-1", "linear-2-1-2", "linear-determinantal",
        "polynomial-ambient", "leshno-span", "training-distance", "gram-inputs-only", "gram-moment", "loss-landscape",
        "x3-not-closed-complex", "singular-locus-subnetwork", "linear-strata", "identifiability-sylvester",
    }
    json.dumps([o.to_json() for o in outcomes])  # the evidence data is plain JSON


def test_a_singular_locus_of_the_wrong_stratum_fails_the_linear_strata_claim(monkeypatch):
    """The claim's second computation is independent: a locus computed for (3,1,3) (Sing = the origin) fails it."""
    narrower = Architecture.create("3,1,3", "x")
    monkeypatch.setattr(claims_module, "singular_locus", lambda arch, **options: singular_locus(narrower, **options))
    (outcome,) = run_claims(["linear-strata"])
    assert outcome.status == "FAIL" and "equality): False" in outcome.evidence.summary


@pytest.mark.macaulay2
def test_a_wrong_fiber_count_fails_the_identifiability_claim(monkeypatch):
    """The numpy and monodromy checks are independent: fibers of (2,2,1) x^3 (2 points) in place of (2,3,1) x^5 fail."""
    from neurom2.properties import fibers as fibers_module

    real = fibers_module.fibers
    wrong = Architecture.create("2,2,1", "x^3")
    monkeypatch.setattr(fibers_module, "fibers", lambda arch, **options: real(
        wrong if arch.widths == (2, 3, 1) else arch, **options))
    (outcome,) = run_claims(["identifiability-sylvester"])
    assert outcome.status == "FAIL" and "2 points in the slice" in outcome.evidence.summary


def test_the_cubic_boundary_is_the_discriminant_of_the_binary_cubic(session):
    """Computed from the fiber eliminant and membership; compared with sympy's discriminant of A t³ + B t² + C t + D."""
    arch = Architecture.create("2,2,1", "x^3")
    (component,) = algebraic_boundary(arch, session, seed=3)
    A, B, C, D = coordinate_symbols(AmbientSpace.of(arch))
    t = sympy.Symbol("t")
    classical = sympy.discriminant(A * t**3 + B * t**2 + C * t + D, t)
    assert sympy.simplify(component.polynomial / classical).is_number
    # reached side: a sum of two real cubes has one real root, where the classical discriminant is < 0
    assert component.reached_sign * sympy.sign(component.polynomial / classical) == -1


def test_reproduce_json_lists_claims_with_status_and_evidence(capsys):
    assert main(["reproduce", "--json", "--only", "leshno-span", "--only", "gram-inputs-only"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in data] == ["leshno-span", "gram-inputs-only"]
    assert all({"id", "statement", "status", "evidence"} <= set(c) and c["status"] == "PASS" for c in data)


def test_reproduce_exits_1_when_a_claim_fails(monkeypatch, capsys):
    failing = Claim("always-fails", "a claim that is false", lambda session: Evidence(False, "computed: it is false"))
    monkeypatch.setattr(claims_module, "CLAIMS", [*CLAIMS, failing])
    assert main(["reproduce", "--only", "always-fails"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  always-fails" in out and "0/1 claims PASS, 1 FAIL" in out


def test_a_crashing_check_is_a_failed_claim_with_its_error(monkeypatch):
    def crash(session):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(claims_module, "CLAIMS", [Claim("crash", "x", crash)])
    (outcome,) = run_claims()
    assert outcome.status == "FAIL" and "ZeroDivisionError: boom" in outcome.evidence.summary


def test_unknown_claim_id_is_a_usage_error(capsys):
    assert main(["reproduce", "--only", "no-such-claim"]) == 2
    assert "unknown claim id(s) no-such-claim" in capsys.readouterr().err


def test_picture_command_writes_a_png_with_exact_decisions(tmp_path, capsys):
    out = tmp_path / "slice.png"
    assert main(["picture", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000
    text = capsys.readouterr().out
    assert "boundary C**2*(B**2 - 4*C) = 0" in text and "(0,-1): not reached" in text and "(0,1): reached" in text
