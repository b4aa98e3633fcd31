"""Completeness certificates prove J = I(M) only when it holds; exact vanishing; cost guards for implicit."""

import random
from fractions import Fraction

import pytest
import sympy

from neurom2 import Architecture, Parametrization, TooExpensive, implicitize
from neurom2.cli import main
from neurom2.cost import Estimate
from neurom2.deadline import Deadline
from neurom2.errors import Macaulay2Timeout
from neurom2.geometry import implicitization
from neurom2.geometry.certificate import CERTIFICATE_PRIMES, MAX_PRIMES, certify
from neurom2.geometry.dimension import dimension
from neurom2.geometry.interpolation import equations_of_degree, interpolation_estimate, normalized
from neurom2.geometry.vanishing import ChartImage
from neurom2.m2 import package
from neurom2.model.space import AmbientSpace

QUARTIC_CONE = Architecture.create("2,1,1,1", "x^2")   # (a x + b y)^4 up to scale: the rational normal quartic cone


def quadrics():
    return list(equations_of_degree(QUARTIC_CONE, 2).basis)


def test_the_quadrics_of_the_rational_normal_quartic_are_certified_complete(session):
    found = certify(quadrics(), 2, 5, package.ready(session), Deadline(30))
    assert found.proved and found.degree == 4 and found.primes


def test_fewer_quadrics_are_not_certified(session):
    # five of the six quadrics cut out the curve together with other components: no proof may be claimed
    found = certify(quadrics()[:5], 2, 5, package.ready(session), Deadline(60))
    assert not found.proved and found.text.startswith("no proof")


def test_an_ideal_with_an_embedded_component_is_not_certified(session):
    # J = I(M) * (c_1, ..., c_5): the same variety, not saturated, hence not Cohen-Macaulay
    products = [{tuple(a + (j == i) for j, a in enumerate(e)): c for e, c in q.items()} for q in quadrics() for i in range(5)]
    found = certify(products, 2, 5, package.ready(session), Deadline(60))
    assert not found.proved


def test_a_deadline_inside_the_linear_section_step_is_a_timeout_and_the_session_goes_on(session):
    """The 609 cubics of (3,2,1) x^5 cut by random forms: over a second per prime, nearly all in mathicgb's F4, where
    the alarm surfaces as "computation was interrupted" (before the fix: a Macaulay2Error in 5 runs out of 5)."""
    arch = Architecture.create("3,2,1", "x^5")
    cubics = [{e: int(c) for e, c in normalized(dict(f)).items()} for f in equations_of_degree(arch, 3).basis]
    rng = random.Random(17)
    forms = [[rng.randint(-9, 9) for _ in range(AmbientSpace.of(arch).dim)] for _ in range(dimension(arch).dim - 1)]
    primes = list(CERTIFICATE_PRIMES[:MAX_PRIMES])
    m2 = package.ready(session)
    before = package.linear_section_lengths(m2, cubics, forms, primes[:1])  # warm, so the alarm falls in F4
    with pytest.raises(Macaulay2Timeout) as caught:
        package.linear_section_eliminants(m2, cubics, forms, primes, timeout=1)
    assert caught.value.seconds == 1
    assert package.linear_section_lengths(m2, cubics, forms, primes[:1]) == before


def test_exact_vanishing_agrees_with_sympy_composition():
    arch = Architecture.create("3,2,1", "x^2")
    param = Parametrization(arch)
    gram = equations_of_degree(arch, 3).basis[0]        # the determinant of the Gram matrix
    other = {(1, 1, 0, 0, 0, 1): Fraction(1)}           # a cubic monomial: does not vanish
    assert ChartImage(arch).vanishes([gram, other]) == [True, False]
    images = param.polynomials
    composed = sum((c * sympy.prod(images[i] ** k for i, k in enumerate(e)) for e, c in other.items()), param.weight_ring(0))
    assert composed != 0


def test_interpolation_estimate_grows_with_the_degree():
    arch = Architecture.create("3,2,1", "x^5")
    small, large = interpolation_estimate(arch, [2]), interpolation_estimate(arch, [5])
    assert small.operations < large.operations and "largest multidegree class" in large.what


def huge_interpolation(monkeypatch):
    """Interpolation estimated beyond the size guard (the estimate only; everything else is real)."""
    monkeypatch.setattr(implicitization, "interpolation_estimate",
                        lambda arch, degrees: Estimate(f"interpolation up to degree {max(degrees)}: huge", 1e15, 1e20))


def test_interpolate_refuses_up_front_and_runs_with_force(monkeypatch):
    huge_interpolation(monkeypatch)
    arch = Architecture.create("2,2,1", "x^4")
    with pytest.raises(TooExpensive, match="interpolation up to degree 1: huge.*--force"):
        implicitize(arch, strategy="interpolate")
    assert implicitize(arch, strategy="interpolate", force=True).complete


@pytest.mark.macaulay2
def test_auto_eliminates_when_interpolation_is_refused(monkeypatch):
    huge_interpolation(monkeypatch)
    variety = implicitize(Architecture.create("3,2,1", "x^3"))  # codimension 4: neither linear nor a hypersurface
    assert variety.strategy == "eliminate" and variety.complete and variety.degree == 15


def test_cli_refusal_exits_2_without_a_traceback(monkeypatch, capsys):
    huge_interpolation(monkeypatch)
    assert main(["implicit", "--widths", "2,2,1", "--activation", "x^4", "--strategy", "interpolate"]) == 2
    _, err = capsys.readouterr()
    assert "interpolation up to degree 1: huge" in err and "--force" in err and "Traceback" not in err
