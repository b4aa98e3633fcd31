"""Property-based tests (hypothesis) of the parsers that read user text and Macaulay2's output.

Each parser either returns a value that round-trips, or raises its own error type; no input makes it
raise anything else, hang, or accept text it cannot represent.  Where possible the parsed value is
compared with an independent reading (sympy's parser for polynomials written in its syntax).
"""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from neurom2.batch import JobFileError, parse_jobs
from neurom2.errors import InvalidActivation, InvalidTarget, Macaulay2OutputError
from neurom2.m2.parse import listform_terms, parse_value
from neurom2.model.activation import Activation
from neurom2.model.space import AmbientSpace
from neurom2.model.target import Target

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

rationals = st.builds(Fraction, st.integers(-10**6, 10**6), st.integers(1, 10**4))
nonzero_rationals = rationals.filter(bool)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
formula_text = st.text(alphabet="x0123456789+-*/^().e ty", max_size=40)


# --- activations ------------------------------------------------------------------------------------------------


@st.composite
def activations(draw) -> Activation:
    degree = draw(st.integers(1, 8))
    coefficients = [draw(rationals) for _ in range(degree)] + [draw(nonzero_rationals)]
    return Activation.from_coefficients(coefficients)


@SETTINGS
@given(activations())
def test_activation_text_round_trips(activation):
    assert Activation.parse(str(activation)) == activation


@SETTINGS
@given(activations(), st.sampled_from(["^", "**"]), st.booleans())
def test_activation_agrees_with_sympy_on_other_spellings(activation, power, spaces):
    """The same polynomial written term by term with another power sign and spacing, read independently."""
    join = " + " if spaces else "+"
    terms = [f"({c})*x{power}{k}" for k, c in enumerate(activation.coefficients) if c]
    written = join.join(terms)
    expected = sympy.Poly(sympy.sympify(written.replace("^", "**")), sympy.Symbol("x"))
    assert Activation.parse(written).coefficients == tuple(
        Fraction(int(c.p), int(c.q)) for c in reversed(expected.all_coeffs()))


@SETTINGS
@given(st.one_of(text, formula_text))
def test_activation_parser_accepts_or_raises_its_own_error(written):
    try:
        activation = Activation.parse(written)
    except InvalidActivation:
        return
    assert Activation.parse(str(activation)) == activation


# --- targets ----------------------------------------------------------------------------------------------------

SPACES = [AmbientSpace(2, (3,), 1), AmbientSpace(3, (0, 1, 2), 2), AmbientSpace(1, (1, 2), 1)]


@SETTINGS
@given(st.sampled_from(SPACES), st.data())
def test_target_text_round_trips(space, data):
    coefficients = tuple(data.draw(rationals) for _ in range(space.dim))
    target = Target(space, coefficients)
    assert Target.parse(str(target), space) == target


@SETTINGS
@given(st.sampled_from(SPACES), st.one_of(text, st.text(alphabet="xyz123+-*/^(); ", max_size=40)))
def test_target_parser_accepts_or_raises_its_own_error(space, written):
    try:
        target = Target.parse(written, space)
    except InvalidTarget:
        return
    assert Target.parse(str(target), space) == target


# --- Macaulay2's listForm ----------------------------------------------------------------------------------------


@st.composite
def polynomials(draw) -> tuple[int, dict[tuple[int, ...], Fraction]]:
    nvars = draw(st.integers(0, 5))
    exponents = st.tuples(*[st.integers(0, 9)] * nvars)
    terms = draw(st.dictionaries(exponents, nonzero_rationals, max_size=12))
    return nvars, terms


def listform_text(terms: dict[tuple[int, ...], Fraction]) -> str:
    """What Macaulay2's ``toString listForm f`` prints for f."""
    def number(c: Fraction) -> str:
        return str(c.numerator) if c.denominator == 1 else f"{c.numerator}/{c.denominator}"

    return "{" + ", ".join("({" + ", ".join(map(str, e)) + "}," + number(c) + ")" for e, c in terms.items()) + "}"


@SETTINGS
@given(polynomials())
def test_listform_round_trips(polynomial):
    nvars, terms = polynomial
    assert listform_terms(parse_value(listform_text(terms)), nvars) == terms


@SETTINGS
@given(polynomials(), st.data())
def test_listform_with_a_repeated_exponent_is_rejected(polynomial, data):
    nvars, terms = polynomial
    assume(terms)
    exponent = data.draw(st.sampled_from(sorted(terms)))
    text = listform_text(terms)[:-1] + f", ({{{', '.join(map(str, exponent))}}},1)}}"
    try:
        listform_terms(parse_value(text), nvars)
    except Macaulay2OutputError as error:
        assert "repeats" in str(error)
    else:
        raise AssertionError("a repeated exponent vector was accepted")


@SETTINGS
@given(st.one_of(text, st.text(alphabet="{}(),-/0123456789 ", max_size=50)))
def test_serialisation_parser_accepts_or_raises_its_own_error(written):
    try:
        value = parse_value(written)
    except Macaulay2OutputError:
        return
    assert isinstance(value, (int, Fraction, list, tuple))


# --- job files --------------------------------------------------------------------------------------------------

FIELDS = ["task", "widths", "activation", "bias", "seed", "timeout", "strategy", "target", "field", "hidden",
          "input", "output", "wall_timeout", "float_check", "nonsense"]
VALUES = st.one_of(st.integers(-3, 5), st.booleans(), st.sampled_from(['"dim"', '"implicit"', '"member"', '"x^2"',
                   '"tanh"', '"2,2,1"', "[2, 2, 1]", "[[2], [3]]", "[]", '"x^3 - x*y^2"', "1.5", '"real"', "{min = 1}"]))


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["job", "grid", "defaults"]),
                          st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6)), max_size=4))
def test_job_file_parser_gives_jobs_or_reports_problems_with_lines(tables):
    lines = []
    for kind, fields in tables:
        lines.append(f"[{kind}]" if kind == "defaults" else f"[[{kind}]]")
        lines += [f"{name} = {str(value).lower() if isinstance(value, bool) else value}" for name, value in fields.items()]
    written = "\n".join(lines)
    try:
        jobs = parse_jobs(written, "jobs.toml")
    except JobFileError as error:
        assert error.problems and all(reason for _, reason in error.problems)
        assert all(line.startswith("jobs.toml") for line in error.lines())
        return
    for job in jobs:
        assert job.key == type(job).create(job.task, job.widths, job.activation, job.bias, **dict(job.options)).key


@SETTINGS
@given(text)
def test_job_file_parser_never_fails_otherwise(written):
    try:
        parse_jobs(written, "jobs.toml")
    except JobFileError:
        pass
