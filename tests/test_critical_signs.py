"""The determinant test of the bordered Hessian's type (training/critical.py): a ball determinant that excludes 0
proves det ≠ 0 without the exact determinant over QQ[α]/(m); an exactly singular matrix is never declared
nonsingular.  Checked against the exact determinant and against the closed form α = ±√2."""

from __future__ import annotations

import flint

from neurom2.training.critical import RealPoint, _ball_nonzero, _determinant

SQRT2 = flint.fmpq_poly([-2, 0, 1])  # m = x² − 2: α = −√2 (index 0) or √2 (index 1)
ALPHA, ONE = flint.fmpq_poly([0, 1]), flint.fmpq_poly([1])


def test_a_ball_determinant_decides_nonzero_and_never_decides_an_exact_zero():
    for index in (0, 1):
        point = RealPoint(SQRT2, index, (), 0)
        singular = [[ALPHA, ONE * 2], [ONE, ALPHA]]  # det = α² − 2 = 0 in QQ[α]/(m)
        regular = [[ALPHA, ONE], [ONE, ALPHA]]  # det = α² − 1 = 1
        assert _determinant(singular, SQRT2) == 0 and not _ball_nonzero(point, singular)
        assert _determinant(regular, SQRT2) == 1 and _ball_nonzero(point, regular)
        # det = α − 1.4142135623731, about −5·10⁻¹⁴ at α = √2: still proved nonzero by the ball
        tiny = flint.fmpq_poly([flint.fmpq(-14142135623731, 10**13), 1])
        assert _determinant([[tiny]], SQRT2) != 0 and _ball_nonzero(point, [[tiny]])
