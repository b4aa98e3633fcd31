"""Specification of polynomial activations σ ∈ QQ[x]: parsing, validation, printing and evaluation."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from neurom2.errors import InvalidActivation, InvalidArchitecture
from neurom2.model.activation import MAX_DEGREE, Activation, horner


def coeffs(*values: int | str) -> tuple[F, ...]:
    return tuple(F(v) for v in values)


# --- valid text ---------------------------------------------------------------------------------------------

VALID = [
    ("x^3", coeffs(0, 0, 0, 1)),
    ("x**2 + x", coeffs(0, 1, 1)),
    ("1/2*x^2 - 3", coeffs(-3, 0, "1/2")),
    ("2*x^3 - x", coeffs(0, -1, 0, 2)),
    ("(x+1)^2", coeffs(1, 2, 1)),
    ("x", coeffs(0, 1)),
    ("-x", coeffs(0, -1)),
    ("+x", coeffs(0, 1)),
    ("0.5*x^2", coeffs(0, 0, "1/2")),
    (".25*x", coeffs(0, "1/4")),
    ("1e-3*x", coeffs(0, "1/1000")),
    ("x*x*x", coeffs(0, 0, 0, 1)),
    ("(x^2)^2", coeffs(0, 0, 0, 0, 1)),
    (" x ^ 2 ", coeffs(0, 0, 1)),
    ("3*(x-1)*(x+1)", coeffs(-3, 0, 3)),
    ("x^2/2", coeffs(0, 0, "1/2")),
    ("x/2/2", coeffs(0, "1/4")),
    ("-x^2", coeffs(0, 0, -1)),
    ("x^2^3", coeffs(0, 0, 0, 0, 0, 0, 0, 0, 1)),
    ("2^-1*x", coeffs(0, "1/2")),
    ("x^0 + x", coeffs(1, 1)),
    ("x - -x", coeffs(0, 2)),
    ("x^2 - x^2 + x", coeffs(0, 1)),
    ("\tx\n^2", coeffs(0, 0, 1)),
    ("t^2 + t", coeffs(0, 1, 1)),
    (f"x^{MAX_DEGREE}", coeffs(*[0] * MAX_DEGREE, 1)),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_parse_gives_exact_ascending_coefficients(text: str, expected: tuple[F, ...]) -> None:
    sigma = Activation.parse(text)
    assert sigma.coefficients == expected
    assert all(type(c) is F for c in sigma.coefficients)


# --- invalid text: each category has its own message ---------------------------------------------------------

FUNCTION = "activation functions such as"
NAMED = "names a non-polynomial activation function"
NEGATIVE = "negative exponent"
FRACTIONAL = "fractional exponent"
NON_CONSTANT_EXPONENT = "non-constant exponent"
DIVISION = "is not a polynomial: division by the non-constant"
BY_ZERO = "division by zero"
CONSTANT = "constant activation"
SECOND_VARIABLE = "activation must be univariate in x; found a second variable"
MALFORMED = "malformed activation"
DEGREE = "exceeds the maximum supported degree"
TOO_LARGE = "too large"

INVALID = [
    ("tanh(x)", FUNCTION + " tanh are not allowed; neurom2 needs a polynomial activation like x^2 or x^3 + x"),
    ("exp(x)", FUNCTION + " exp"),
    ("abs(x)", FUNCTION + " abs"),
    ("sin(x)", FUNCTION + " sin"),
    ("x + tanh(x)", FUNCTION + " tanh"),
    ("f(x)", "function calls such as f(...) are not allowed"),
    ("relu", NAMED),
    ("ReLU", "ReLU " + NAMED),
    ("sigmoid", "sigmoid " + NAMED),
    ("tanh", "tanh " + NAMED),
    ("gelu", NAMED),
    ("softplus", NAMED),
    ("x + relu", NAMED),
    ("pi*x", "irrational constant pi"),
    ("x^-1", NEGATIVE + " -1"),
    ("x^(-1)", NEGATIVE + " -1"),
    ("(x+1)^-2", NEGATIVE + " -2"),
    ("x^(1/2)", FRACTIONAL + " 1/2"),
    ("x^0.5", FRACTIONAL + " 1/2"),
    ("x^x", NON_CONSTANT_EXPONENT + " 'x'"),
    ("2^(x+1)", NON_CONSTANT_EXPONENT + " '(x+1)'"),
    ("1/x", DIVISION + " 'x'"),
    ("1/(x+1)", DIVISION + " '(x+1)'"),
    ("x/0", BY_ZERO),
    ("x/(x-x)", BY_ZERO),
    ("0^-1*x", BY_ZERO),
    ("3", CONSTANT + " '3' = 3"),
    ("x - x", CONSTANT + " 'x - x' = 0"),
    ("0", CONSTANT),
    ("x^0", CONSTANT),
    ("x*y", SECOND_VARIABLE + " 'y'"),
    ("x + y", SECOND_VARIABLE + " 'y'"),
    ("X^2", SECOND_VARIABLE + " 'X' at position 0 (names are case-sensitive)"),
    ("x + t", "t is an alias of x only when x does not appear"),
    ("x^", MALFORMED + " 'x^': expected a number, x or '(' but the text ended at position 2"),
    ("2**", MALFORMED + " '2**': expected a number, x or '(' but the text ended at position 3"),
    ("(x+1", MALFORMED + " '(x+1': missing ')' for the '(' opened at position 0"),
    ("x+*2", MALFORMED + " 'x+*2': unexpected '*' at position 2"),
    ("x 2", MALFORMED + " 'x 2': unexpected '2' at position 2 (missing operator; write '*')"),
    ("2x", "unexpected 'x' at position 1 (missing operator"),
    ("x(x+1)", "unexpected '(' at position 1 (missing operator"),
    ("", MALFORMED + " '': empty expression at position 0"),
    ("   ", "empty expression"),
    ("x^^2", MALFORMED + " 'x^^2': unexpected '^' at position 2"),
    ("x* *2", "unexpected '*' at position 3"),
    ("x²", "unexpected character '²' at position 1"),
    ("σ(x)", "unexpected character 'σ' at position 0"),
    ("x;print(1)", "unexpected character ';' at position 1"),
    ("__import__('os')", "unexpected character \"'\" at position 11"),
    ("x)", "unmatched ')' at position 1"),
    (")", "unexpected ')' at position 0"),
    ("(" * 300 + "x" + ")" * 300, "nested more than"),
    ("-" * 3000 + "x", "nested more than"),
    ("x^100000000", DEGREE + f" {MAX_DEGREE}"),
    (f"x^{MAX_DEGREE + 1}", "reaches degree 65"),
    ("(x^8)^9", "reaches degree 72"),
    ("x^40*x^40", "reaches degree 80"),
    ("10^10^10", TOO_LARGE),
    ("1" * 2000 + "*x", TOO_LARGE),
    ("1e100000000*x", TOO_LARGE),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_text_is_rejected_with_its_own_message(text: str, message: str) -> None:
    with pytest.raises(InvalidActivation) as info:
        Activation.parse(text)
    assert message in str(info.value)
    assert info.value.text == text


def test_categories_have_distinct_messages() -> None:
    samples = {"tanh(x)": FUNCTION, "relu": NAMED, "x^-1": NEGATIVE, "x^0.5": FRACTIONAL,
               "x^x": NON_CONSTANT_EXPONENT, "1/x": DIVISION, "x/0": BY_ZERO, "x-x": CONSTANT,
               "x*y": SECOND_VARIABLE, "x+*2": MALFORMED, "x^99": DEGREE, "2^9999*x": TOO_LARGE}
    markers = set(samples.values())
    for text, marker in samples.items():
        with pytest.raises(InvalidActivation) as info:
            Activation.parse(text)
        assert [m for m in markers if m in str(info.value)] == [marker], text


def test_parse_errors_carry_a_caret_position() -> None:
    text = "x^2 + * x"
    with pytest.raises(InvalidActivation) as info:
        Activation.parse(text)
    assert info.value.position == 6
    assert text[info.value.position] == "*"


def test_invalid_activation_is_an_invalid_architecture_and_value_error() -> None:
    with pytest.raises(InvalidArchitecture):
        Activation.parse("relu")
    with pytest.raises(ValueError):
        Activation.parse("relu")


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(InvalidActivation, match="expects a string"):
        Activation.parse(3)  # type: ignore[arg-type]


# --- printing -----------------------------------------------------------------------------------------------

STRINGS = [
    ("x^3", "x^3"),
    ("x**2 + x", "x^2 + x"),
    ("1/2*x^2 - 3", "1/2*x^2 - 3"),
    ("-x^3 + 2*x", "-x^3 + 2*x"),
    ("(x+1)^2", "x^2 + 2*x + 1"),
    ("-x", "-x"),
    ("-2/3*x^2 - 1/2*x - 5", "-2/3*x^2 - 1/2*x - 5"),
    ("0.5*x^2", "1/2*x^2"),
]


@pytest.mark.parametrize(("text", "canonical"), STRINGS)
def test_str_is_canonical(text: str, canonical: str) -> None:
    assert str(Activation.parse(text)) == canonical


ROUND_TRIP = [text for text, _ in VALID] + ["-x^3 + 2*x", "(2*x - 1/3)^5", "-(x-1)^7/7 + x", "(x^3 - x)^3"]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_str_parses_back_to_an_equal_activation(text: str) -> None:
    sigma = Activation.parse(text)
    assert Activation.parse(str(sigma)) == sigma
    assert eval(repr(sigma), {"Activation": Activation}) == sigma  # repr is Activation.parse('...')


def test_str_is_valid_sympy_syntax() -> None:
    sigma = Activation.parse("-(x-1)^3/7 + x")
    x = sympy.Symbol("x")
    expected = sympy.expand(-(x - 1) ** 3 / 7 + x)
    assert sympy.expand(sympy.sympify(str(sigma)) - expected) == 0


# --- properties ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "degree", "support", "monomial", "linear"),
    [
        ("x^3", 3, (3,), True, False),
        ("-2*x^2", 2, (2,), True, False),
        ("x^3 + x", 3, (1, 3), False, False),
        ("x", 1, (1,), True, True),
        ("-1/2*x", 1, (1,), True, True),
        ("x + 1", 1, (0, 1), False, False),
        ("(x+1)^2", 2, (0, 1, 2), False, False),
    ],
)
def test_degree_support_monomial_linear(text: str, degree: int, support: tuple[int, ...], monomial: bool,
                                        linear: bool) -> None:
    sigma = Activation.parse(text)
    assert (sigma.degree, sigma.support, sigma.is_monomial, sigma.is_linear) == (degree, support, monomial, linear)


def test_derivative_coefficients() -> None:
    assert Activation.parse("x^3 + 1/2*x^2 - x + 4").derivative_coefficients() == coeffs(-1, 1, 3)
    assert Activation.parse("-3*x + 1").derivative_coefficients() == coeffs(-3)


def test_activation_is_a_hashable_value() -> None:
    assert Activation.parse("x^2 + x") == Activation.parse("x*(x+1)")
    assert len({Activation.parse("x^2"), Activation.parse("x*x"), Activation.parse("x^3")}) == 2
    with pytest.raises(AttributeError):
        Activation.parse("x").coefficients = ()  # type: ignore[misc]


# --- evaluation ---------------------------------------------------------------------------------------------


def test_call_on_ints_and_fractions_is_exact() -> None:
    sigma = Activation.parse("1/2*x^2 - 3")
    assert sigma(4) == 5
    assert sigma(3) == F(3, 2)
    assert sigma(F(1, 3)) == F(1, 18) - 3
    assert Activation.parse("x^3 - 2*x")(5) == 115
    assert type(Activation.parse("x^3 - 2*x")(5)) is int


def test_call_on_numpy_float_array_keeps_a_float_array() -> None:
    values = np.array([-1.5, 0.0, 2.0])
    result = Activation.parse("1/2*x^2 - x + 1/4")(values)
    assert result.dtype == np.float64
    np.testing.assert_allclose(result, 0.5 * values**2 - values + 0.25)


def test_call_on_numpy_int_array() -> None:
    values = np.array([[1, 2], [3, 4]])
    assert Activation.parse("x^2 + x")(values).tolist() == [[2, 6], [12, 20]]
    np.testing.assert_allclose(Activation.parse("x^2/2")(values), values**2 / 2)


def test_call_on_sympy_expressions_and_poly_elements() -> None:
    sigma = Activation.parse("1/2*x^3 - x")
    s = sympy.Symbol("s")
    assert sympy.expand(sigma(s) - (sympy.Rational(1, 2) * s**3 - s)) == 0
    ring, y, z = sympy.ring("y,z", sympy.QQ)
    assert sigma(y + z) == (y + z) ** 3 * sympy.QQ(1, 2) - (y + z)
    zz_ring, w = sympy.ring("w", sympy.ZZ)
    assert Activation.parse("x^2 - 3*x")(w) == w**2 - 3 * w


def test_derivative_at_keeps_the_type_of_the_argument() -> None:
    values = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(Activation.parse("x^3 + x")(values), values**3 + values)
    np.testing.assert_allclose(Activation.parse("x^3 + x").derivative_at(values), 3 * values**2 + 1)
    constant = Activation.parse("2*x + 1").derivative_at(values)  # σ' constant: still an array of the same shape
    assert constant.shape == (3,) and constant.tolist() == [2.0, 2.0, 2.0]
    assert Activation.parse("x^2").derivative_at(F(1, 2)) == 1


def test_horner_on_explicit_coefficients() -> None:
    assert horner(coeffs(1, 0, 2), 3) == 19
    assert horner(coeffs(5), 7) == 5


# --- from_coefficients and coerce ---------------------------------------------------------------------------


def test_from_coefficients_accepts_ints_fractions_and_strings_and_trims_zeros() -> None:
    sigma = Activation.from_coefficients([0, F(1, 2), "-1/3", "0.25", " 2 ", 0, 0])
    assert sigma.coefficients == coeffs(0, "1/2", "-1/3", "1/4", 2)
    assert Activation.from_coefficients(n for n in [1, 1]) == Activation.parse("x + 1")
    assert Activation.from_coefficients(np.array([0, 0, 3])) == Activation.parse("3*x^2")
    assert Activation.from_coefficients([0, sympy.Rational(2, 3)]) == Activation.parse("2/3*x")


@pytest.mark.parametrize(
    ("coefficients", "message"),
    [
        ([0, True], "is a bool"),
        ([0, 0.5], "is a float, which is inexact"),
        ([0, float("nan")], "is a float"),
        ([0, "abc"], "'abc' (of x^1) is not a rational number"),
        ([0, "1/0"], "zero denominator"),
        ([0, "x"], "is not a rational number"),
        ([0, None], "unsupported type NoneType"),
        ([0, "1e100000"], "too large"),
        ([5], "constant activation"),
        ([0, 0], "constant activation"),
        ([], "constant activation"),
        ("x^2", "not a string; use Activation.parse('x^2')"),
        ({0, 1}, "ordered sequence"),
        (7, "got int"),
    ],
)
def test_from_coefficients_validation(coefficients: object, message: str) -> None:
    with pytest.raises(InvalidActivation) as info:
        Activation.from_coefficients(coefficients)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_constructor_requires_normalized_fractions() -> None:
    assert Activation((F(0), F(1))).degree == 1
    with pytest.raises(InvalidActivation, match="tuple of Fractions"):
        Activation((0, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidActivation, match="trailing zeros"):
        Activation((F(0), F(1), F(0)))
    with pytest.raises(InvalidActivation, match="constant activation"):
        Activation((F(2),))
    with pytest.raises(InvalidActivation, match="too large"):
        Activation((F(0), F(2) ** 5000))


def test_coerce() -> None:
    sigma = Activation.parse("x^2 + 1")
    assert Activation.coerce(sigma) is sigma
    assert Activation.coerce("x^2 + 1") == sigma
    assert Activation.coerce([1, 0, 1]) == sigma
    assert Activation.coerce(("1", "0", "1")) == sigma
    with pytest.raises(InvalidActivation, match="names a non-polynomial"):
        Activation.coerce("relu")
    with pytest.raises(InvalidActivation, match="got float"):
        Activation.coerce(2.0)  # type: ignore[arg-type]
