"""Verification catches wrong answers, loudly, and says exactly what it checked."""

import dataclasses
from fractions import Fraction

import pytest

from neurom2 import Architecture, VerificationError
from neurom2.cli import main
from neurom2.variety import implicitization
from neurom2.variety.certificate import CERTIFICATE_PRIMES
from neurom2.variety.dimension import PRIMES, PROOF_PRIME
from neurom2.variety.interpolation import INTERPOLATION_PRIMES
from neurom2.variety.verification import VERIFICATION_PRIME, verify

DET_2x2 = {(1, 0, 0, 1): Fraction(1), (0, 1, 1, 0): Fraction(-1)}  # c1_1_0 c2_0_1 - c1_0_1 c2_1_0 on (2,1,2), x


def test_an_equation_that_does_not_hold_on_the_neuromanifold_is_rejected():
    arch = Architecture.create("2,2,1", "x^2")
    wrong = {(1, 0, 1): Fraction(1), (0, 2, 0): Fraction(-1)}   # c_2,0 c_0,2 - c_1,1^2: false for these networks
    with pytest.raises(VerificationError, match="does not vanish"):
        verify([wrong], arch, jacobian_rank=3)


def test_an_equation_wrong_only_by_a_multiple_of_the_prime_is_caught_exactly_over_qq():
    arch = Architecture.create("2,1,2", "x")
    shifted = dict(DET_2x2)
    shifted[(1, 0, 0, 1)] += VERIFICATION_PRIME  # vanishes at every point modulo the prime, not over QQ
    with pytest.raises(VerificationError, match="rational|weights"):
        verify([shifted], arch, jacobian_rank=3)


def test_a_dimension_of_macaulay2_that_differs_from_the_jacobian_rank_is_rejected():
    with pytest.raises(VerificationError, match="rank 3"):
        verify([DET_2x2], Architecture.create("2,1,2", "x"), jacobian_rank=3, m2_dimension=4)


def test_a_true_equation_passes_and_the_report_says_what_was_checked():
    check = verify([DET_2x2], Architecture.create("2,1,2", "x"), jacobian_rank=3, m2_dimension=3)
    assert (check.samples, check.exact_samples, check.dimension) == (3, 1, 3)
    text = check.describe()
    assert f"modulo {VERIFICATION_PRIME}" in text and "exactly" in text and "dimension 3" in text
    assert 0 < check.error_bound < 1e-20


def test_without_equations_nothing_is_claimed_to_vanish():
    check = verify([], Architecture.create("2,2,1", "x^3"), jacobian_rank=4)
    assert check.samples == 0 and check.prime is None and "vanish" not in check.describe()


def test_the_verification_prime_is_used_by_no_computation():
    assert VERIFICATION_PRIME not in {PROOF_PRIME} | set(PRIMES) | set(INTERPOLATION_PRIMES) | set(CERTIFICATE_PRIMES)


def test_cli_exits_1_when_an_equation_is_tampered_with(monkeypatch, capsys):
    original = implicitization._run_strategy

    def tampered(*args):
        ideal = original(*args)
        first = dict(ideal.equations[0])
        first[next(iter(first))] += 1
        return dataclasses.replace(ideal, equations=(first, *ideal.equations[1:]))

    monkeypatch.setattr(implicitization, "_run_strategy", tampered)
    assert main(["implicit", "--widths", "2,2,1", "--activation", "x^4"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "the computed ideal is wrong" in err and "Traceback" not in err
