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
from neurom2.exact.terms import terms_from_polynomial
from neurom2.m2 import package
from neurom2.model.space import AmbientSpace
from neurom2.variety import implicitization
from neurom2.variety.certificate import CERTIFICATE_PRIMES, MAX_PRIMES, Certificate, certify
from neurom2.variety.dimension import dimension
from neurom2.variety.interpolation import equations_of_degree, interpolation_estimate, normalized
from neurom2.variety.vanishing import ChartImage

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


def unlucky_sections(monkeypatch):
    """Every linear section fails, as after an unlucky ℓ (injected; interpolation, elimination and checks are real)."""
    monkeypatch.setattr(implicitization, "certify",
                        lambda *args: Certificate(proved=False, degree=None, primes=(), cycle_types=(),
                                                  text="no proof: an unlucky section (injected)"))


def interpolated_degrees(monkeypatch) -> list[int]:
    """The degrees ``implicitize`` interpolates, in order (the interpolation itself is real)."""
    degrees: list[int] = []
    real = implicitization.equations_of_degree

    def counting(arch, degree, **options):
        degrees.append(degree)
        return real(arch, degree, **options)

    monkeypatch.setattr(implicitization, "equations_of_degree", counting)
    return degrees


@pytest.mark.macaulay2
def test_auto_stops_interpolating_when_the_certificate_failed_and_a_degree_adds_nothing(monkeypatch, session):
    """(3,2,1) x^3: 20 cubics, no quartic generator.  Before: degrees 5..8 were interpolated as well (an hour
    for larger networks); now elimination answers after degree 4, with the ideal of the certified cubics."""
    arch = Architecture.create("3,2,1", "x^3")
    certified = implicitize(arch, session=session)
    unlucky_sections(monkeypatch)
    degrees = interpolated_degrees(monkeypatch)
    eliminated = implicitize(arch, session=session)
    assert degrees == [1, 2, 3, 4]
    assert (certified.strategy, eliminated.strategy) == ("interpolate", "eliminate") and eliminated.complete
    assert package.same_ideal(package.ready(session), arch, [terms_from_polynomial(f) for f in certified.equations],
                              [terms_from_polynomial(f) for f in eliminated.equations])


@pytest.mark.macaulay2
def test_when_elimination_does_not_finish_either_the_ideal_is_reported_incomplete_with_what_is_known(monkeypatch):
    unlucky_sections(monkeypatch)
    degrees = interpolated_degrees(monkeypatch)

    def hang(*args):
        raise Macaulay2Timeout(60.0)

    monkeypatch.setattr(implicitization, "_eliminate", hang)  # injected: elimination exceeds its budget
    variety = implicitize(Architecture.create("3,2,1", "x^3"))
    assert degrees == [1, 2, 3, 4]
    assert not variety.complete and variety.up_to_degree == 4 and variety.strategy == "interpolate"
    assert len(variety.equations) == 20 and {f.total_degree() for f in variety.equations} == {3}
    assert variety.proof.endswith("no proof: an unlucky section (injected); degree 4 adds no generator, so interpolation "
                                  "stopped there; elimination did not finish within 60 s")


def test_cli_refusal_exits_2_without_a_traceback(monkeypatch, capsys):
    huge_interpolation(monkeypatch)
    assert main(["implicit", "--widths", "2,2,1", "--activation", "x^4", "--strategy", "interpolate"]) == 2
    _, err = capsys.readouterr()
    assert "interpolation up to degree 1: huge" in err and "--force" in err and "Traceback" not in err
