"""The strict parser of Macaulay2's serialised output, and listForm → sympy Poly."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from neurom2.errors import Macaulay2OutputError
from neurom2.m2.parse import parse_value, polynomial_from_listform

x, y, z = sympy.symbols("x y z")


# --- valid serialisations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("0", 0),
        ("42", 42),
        ("-7", -7),
        ("-3/4", Fraction(-3, 4)),
        ("5/2", Fraction(5, 2)),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        ("{}", []),
        ("{ }", []),
        ("{{}, {}}", [[], []]),
        ("{1, 2, 3}", [1, 2, 3]),
        ("{1,-2,3/5}", [1, -2, Fraction(3, 5)]),
        ("{{1, {2, {3}}}, {}}", [[1, [2, [3]]], []]),
        ("({1, 0}, -3/4)", ([1, 0], Fraction(-3, 4))),
        ("({}, 1)", ([], 1)),
        ("{({2, 0},1), ({0, 1},-1)}", [([2, 0], 1), ([0, 1], -1)]),
        ("  \n{ 1 ,\t-2 ,\n  ( 3 , 4 ) }  \n", [1, -2, (3, 4)]),
        (
            "{{{1, 1, 0}, {1, 0, 1}}, 2, 1, {{({1, 0},1)}}}",
            [[[1, 1, 0], [1, 0, 1]], 2, 1, [[([1, 0], 1)]]],
        ),
    ],
)
def test_valid_serialisation_parses_to_python_values(text, value):
    assert parse_value(text) == value


def test_numbers_are_ints_when_integral_and_fractions_otherwise():
    assert type(parse_value("4/2")) is int and parse_value("4/2") == 2
    assert type(parse_value("-3/4")) is Fraction
    assert type(parse_value("7")) is int


def test_pairs_are_tuples_and_lists_are_lists():
    value = parse_value("{(1, {2}), {3}}")
    assert type(value) is list
    assert type(value[0]) is tuple and type(value[0][1]) is list
    assert type(value[1]) is list


# --- garbage -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n", id="only-whitespace"),
        pytest.param("{x}", id="symbol"),
        pytest.param("x", id="bare-symbol"),
        pytest.param("{1, x_1}", id="symbol-in-list"),
        pytest.param(".5p53", id="real"),
        pytest.param("{.5p53}", id="real-in-list"),
        pytest.param("1.5", id="decimal"),
        pytest.param("{1, 2} extra", id="trailing-text"),
        pytest.param("{1}}", id="trailing-brace"),
        pytest.param("1 2", id="two-values"),
        pytest.param("{1,2", id="truncated"),
        pytest.param("{", id="open-brace"),
        pytest.param("({1}, 2", id="truncated-pair"),
        pytest.param("{1,,2}", id="double-comma"),
        pytest.param("{,1}", id="leading-comma"),
        pytest.param("{1,}", id="trailing-comma"),
        pytest.param("{1 2}", id="missing-comma"),
        pytest.param("(1)", id="one-element-pair"),
        pytest.param("(1, 2, 3)", id="three-element-pair"),
        pytest.param("()", id="empty-pair"),
        pytest.param("- 3", id="detached-minus"),
        pytest.param("3/-4", id="negative-denominator"),
        pytest.param("--3", id="double-minus"),
        pytest.param("stdio:1:1:(3): error: no method for adjacent objects", id="m2-error"),
        pytest.param("i1 : {1, 2}", id="m2-prompt"),
        pytest.param("1:2: error: division by zero", id="m2-error-starting-with-a-number"),
    ],
)
def test_garbage_raises_macaulay2_output_error(text):
    with pytest.raises(Macaulay2OutputError):
        parse_value(text)


def test_output_error_message_shows_position_and_found_text():
    with pytest.raises(Macaulay2OutputError, match=r"at character \d+: expected .* found ' ?x}'"):
        parse_value("{1, x}")


def test_zero_denominator_raises_macaulay2_output_error():
    with pytest.raises(Macaulay2OutputError):
        parse_value("{1/0}")


def test_non_ascii_digits_are_rejected():
    with pytest.raises(Macaulay2OutputError):
        parse_value("{١}")


# --- listForm → Poly ---------------------------------------------------------------------------------------


def test_listform_builds_the_polynomial_over_qq():
    terms = parse_value("{({2, 0, 0},1), ({0, 1, 1},-3/4), ({0, 0, 0},5)}")
    poly = polynomial_from_listform(terms, (x, y, z))
    assert poly == sympy.Poly(x**2 - sympy.Rational(3, 4) * y * z + 5, x, y, z, domain=sympy.QQ)
    assert poly.gens == (x, y, z)
    assert poly.domain == sympy.QQ
    assert poly.coeff_monomial(y * z) == sympy.Rational(-3, 4)


def test_listform_of_the_2x2_determinant():
    terms = [([1, 0, 0, 1], 1), ([0, 1, 1, 0], -1)]
    a, b, c, d = sympy.symbols("a b c d")
    assert polynomial_from_listform(terms, (a, b, c, d)).as_expr() == a * d - b * c


def test_empty_listform_is_the_zero_polynomial():
    poly = polynomial_from_listform([], (x, y))
    assert poly.is_zero
    assert poly.gens == (x, y)


@pytest.mark.parametrize(
    "terms",
    [
        pytest.param([([1, 0, 0], 1)], id="exponents-too-long"),
        pytest.param([([1], 1)], id="exponents-too-short"),
        pytest.param([([1, -1], 1)], id="negative-exponent"),
        pytest.param([([Fraction(1, 2), 0], 1)], id="rational-exponent"),
        pytest.param([[[1, 0], 1]], id="term-is-a-list"),
        pytest.param([(1, 1)], id="exponents-not-a-list"),
        pytest.param([([1, 0], [1])], id="coefficient-is-a-list"),
        pytest.param([([1, 0], (1, 2))], id="coefficient-is-a-pair"),
        pytest.param([([2, 0], 1), ([0, 1, 0], 1)], id="second-term-malformed"),
    ],
)
def test_malformed_listform_term_raises_macaulay2_output_error(terms):
    with pytest.raises(Macaulay2OutputError):
        polynomial_from_listform(terms, (x, y))


@pytest.mark.parametrize("terms", [[([1, 0],)], [()], [([1, 0], 1, 2)]], ids=["one", "empty", "three"])
def test_listform_term_that_is_not_a_pair_raises_macaulay2_output_error(terms):
    with pytest.raises(Macaulay2OutputError):
        polynomial_from_listform(terms, (x, y))


def test_listform_with_a_repeated_monomial_raises_macaulay2_output_error():
    with pytest.raises(Macaulay2OutputError):
        polynomial_from_listform([([1, 0], 1), ([1, 0], 2)], (x, y))
