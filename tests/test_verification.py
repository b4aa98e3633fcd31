"""Verification catches wrong answers, loudly: a wrong equation or a wrong dimension is an error."""

import dataclasses

import pytest
import sympy

from neurom2 import Architecture, Parametrization, VerificationError
from neurom2.geometry import implicitization
from neurom2.cli import main
from neurom2.geometry.implicitization import coordinate_symbols
from neurom2.geometry.verification import verify


def test_an_equation_that_does_not_hold_on_the_neuromanifold_is_rejected():
    param = Parametrization(Architecture.create("2,2,1", "x^2"))
    c = coordinate_symbols(param.space)
    wrong = sympy.Poly(c[0] * c[2] - c[1] ** 2, *c, domain="QQ")   # a discriminant: false for these networks
    with pytest.raises(VerificationError, match="does not vanish"):
        verify([wrong], 3, param)


def test_a_dimension_that_differs_from_the_jacobian_rank_is_rejected():
    param = Parametrization(Architecture.create("3,2,3", "x"))
    with pytest.raises(VerificationError, match="generic rank 8"):
        verify([], 9, param)


def test_a_true_equation_and_dimension_pass():
    param = Parametrization(Architecture.create("2,1,2", "x"))
    c = coordinate_symbols(param.space)
    det = sympy.Poly(c[0] * c[3] - c[1] * c[2], *c, domain="QQ")
    assert verify([det], 3, param).jacobian_rank == 3


def test_cli_exits_1_when_macaulay2_output_fails_verification(monkeypatch, capsys):
    original = implicitization._run_strategy

    def tampered(*args):
        ideal = original(*args)
        return dataclasses.replace(ideal, dim=ideal.dim + 1)

    monkeypatch.setattr(implicitization, "_run_strategy", tampered)
    assert main(["implicit", "--widths", "2,2,1", "--activation", "x^4"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "the computed ideal is wrong" in err and "Traceback" not in err
