"""The shared polynomial parser: polynomials over QQ as dicts {exponent tuple: Fraction}, read strictly."""

from __future__ import annotations

from fractions import Fraction

import pytest

from neurom2.errors import Neurom2Error
from neurom2.model.polyparse import (
    MAX_BITS,
    MAX_DEGREE,
    MAX_NESTING,
    MAX_TERMS,
    PolynomialParser,
    Token,
    add,
    as_constant,
    bits,
    constant,
    degree,
    gen,
    multiply,
    quote,
    scale,
)


class InvalidExample(Neurom2Error, ValueError):
    """The error type of the example kind of text below."""


class ExampleParser(PolynomialParser):
    """A kind of text for these tests: polynomials in a, b, worded as "example"."""

    noun = "example"
    error_type = InvalidExample

    def unknown_name(self, token: Token) -> Neurom2Error:
        return self.fail(f"unknown name {token.text!r} at position {token.position}", token.position)


def parse(text: str, variables: dict[str, int] | None = None, start: int = 0, end: int | None = None) -> dict:
    return ExampleParser(text, {"a": 0, "b": 1} if variables is None else variables, start, end).parse()


def error(text: str, **kwargs) -> InvalidExample:
    with pytest.raises(InvalidExample) as info:
        parse(text, **kwargs)
    return info.value


# --- arithmetic ---------------------------------------------------------------------------------------------


def test_monomials_are_exponent_tuples_and_zero_coefficients_are_not_stored() -> None:
    assert gen(1, 3) == {(0, 1, 0): 1}
    assert constant(Fraction(2, 3), 2) == {(0, 0): Fraction(2, 3)}
    assert constant(Fraction(0), 2) == {}
    a, b = gen(0, 2), gen(1, 2)
    assert add(a, b, -1) == {(1, 0): 1, (0, 1): -1}
    assert add(a, a, -1) == {}
    assert scale(a, Fraction(0)) == {}
    assert multiply(add(a, b), add(a, b, -1)) == {(2, 0): 1, (0, 2): -1}


def test_degree_constants_and_bits() -> None:
    assert degree({(2, 1): Fraction(1), (0, 1): Fraction(5)}) == 3 and degree({}) == 0
    assert as_constant({}) == 0 and as_constant(constant(Fraction(7), 2)) == 7
    assert as_constant(gen(0, 2)) is None and as_constant(add(gen(0, 2), constant(Fraction(1), 2))) is None
    assert bits([Fraction(1, 1024), Fraction(3)]) == 11 and bits([]) == 0


def test_quote_cuts_long_text() -> None:
    assert quote("x^2") == "'x^2'"
    assert quote("x" * 100) == repr("x" * 50) + "..."


# --- parsing ------------------------------------------------------------------------------------------------


def test_text_is_expanded_exactly_over_QQ() -> None:
    assert parse("(a - b)*(a + b) + 0.5*b^2") == {(2, 0): 1, (0, 2): Fraction(-1, 2)}
    assert parse("a^2^3") == parse("a^8") and parse("-a^2") == {(2, 0): -1}
    assert parse("2^-1*a + 1e-1") == {(1, 0): Fraction(1, 2), (0, 0): Fraction(1, 10)}
    assert parse("a - a") == {} and parse("0^0") == {(0, 0): 1}


def test_the_variables_are_the_mapping_given_and_names_may_share_an_index() -> None:
    assert parse("alpha*a", {"a": 0, "alpha": 0}) == {(2,): 1}
    assert "unknown name 'b' at position 4" in str(error("a + b", variables={"a": 0}))


def test_a_range_is_parsed_alone_and_errors_point_into_the_whole_text() -> None:
    text = "a^2; b + *"
    assert parse(text, start=0, end=3) == {(2, 0): 1}
    failure = error(text, start=4)
    assert failure.text == text and failure.position == 9 and text[failure.position] == "*"


def test_errors_name_the_kind_of_text_and_carry_text_and_position() -> None:
    failure = error("a +")
    assert str(failure) == "malformed example 'a +': expected a number, a variable or '(' but the polynomial ended " \
                           "at position 3"
    assert (failure.text, failure.position) == ("a +", 3)
    assert str(error("2a")) == "malformed example '2a': expected an operator, found 'a' at position 1"
    assert str(error("a/b")) == "example 'a/b' is not a polynomial: division by the non-constant 'b' at position 2; " \
                                "only division by a nonzero constant is allowed"
    assert "division by zero in example 'a/(b-b)' at position 2" in str(error("a/(b-b)"))


@pytest.mark.parametrize("text, fragment", [
    ("a^b", "non-constant exponent 'b' at position 2; exponents must be non-negative integer constants"),
    ("a^(1/2)", "fractional exponent 1/2 at position 2; exponents must be non-negative integers"),
    ("a^-1", "negative exponent -1 at position 2; exponents of variables must be non-negative integers"),
    ("0^-1", "division by zero in example '0^-1': 0 raised to the negative power -1 at position 2"),
    ("a;b", "unexpected character ';' at position 1"),
    ("__import__('os')", "unexpected character \"'\" at position 11"),
    ("(a", "missing ')' for the '(' opened at position 0"),
    ("a)", "unmatched ')' at position 1"),
    ("", "empty expression at position 0"),
])
def test_what_is_not_a_polynomial_is_rejected_with_its_own_message(text: str, fragment: str) -> None:
    assert fragment in str(error(text))


def test_a_subclass_rewords_the_rules_that_differ_between_kinds_of_text() -> None:
    class Strict(ExampleParser):
        exponents = "integer"

    with pytest.raises(InvalidExample, match="exponents must be integer constants"):
        Strict("a^b", {"a": 0, "b": 1}).parse()


@pytest.mark.parametrize("text, fragment", [
    (f"a^{MAX_DEGREE + 1}", f"reaches degree {MAX_DEGREE + 1} at position 2, beyond the supported maximum"),
    ("a^40*b^40", "reaches degree 80 at position 4"),
    ("(" * (MAX_NESTING + 1) + "a" + ")" * (MAX_NESTING + 1), f"nested more than {MAX_NESTING} levels deep"),
    ("2^9999*a", f"the power at position 2 would exceed {MAX_BITS} bits"),
    ("(2^100*a)^50", f"the power at position 10 would exceed {MAX_BITS} bits"),
    ("1" * 1001, "literals are limited to 1000 digits"),
    ("1e1001", "literals are limited to 1000 digits"),
])
def test_limits_are_checked_before_the_work_they_bound(text: str, fragment: str) -> None:
    assert fragment in str(error(text))


def test_the_number_of_terms_is_bounded() -> None:
    variables = {f"v{i}": i for i in range(10)}
    text = "(" + " + ".join(variables) + ")^8"
    message = str(error(text, variables=variables))
    assert f"has too many terms at position {len(text) - 1} (more than {MAX_TERMS})" in message


def test_number_literals_are_read_exactly() -> None:
    assert ExampleParser.number("0.1", "0.1", 0) == Fraction(1, 10)
    assert ExampleParser.number(".25e2", ".25e2", 0) == 25
