"""One strict parser of polynomials over QQ, shared by activations and targets.

Conventions
-----------
* A polynomial in the variables x_0, ..., x_{n-1} over the field QQ is a ``Polynomial``: a dict mapping the
  exponent tuple ``(e_0, ..., e_{n-1})`` of the monomial x_0^e_0 ... x_{n-1}^e_{n-1} to its coefficient, a
  nonzero ``fractions.Fraction``.  Zero coefficients are never stored: the zero polynomial is ``{}`` and a
  nonzero constant c is ``{(0,) * n: c}``.
* Grammar of the text (whitespace is ignored)::

      expr  := term (('+' | '-') term)*
      term  := unary (('*' | '/') unary)*
      unary := ('+' | '-') unary | power
      power := atom (('^' | '**') unary)?      -- right-associative: x^2^3 = x^(2^3); -x^2 = -(x^2)
      atom  := number | variable | '(' expr ')'

  Numbers are integers or decimals (``2``, ``0.5``, ``.25``, ``1e-3``), read exactly as fractions.  There is
  no implicit multiplication (write ``2*x``).  Exponents must be integer constants, non-negative unless the
  base is a nonzero constant (``2^-1 = 1/2``); division is allowed only by nonzero constants.  The text is
  parsed, never evaluated: it reaches neither ``eval`` nor SymPy nor Macaulay2.
* Limits, checked before the work they bound: every intermediate result has total degree at most
  ``MAX_DEGREE`` and at most ``MAX_TERMS`` terms; a power of coefficients stays within ``MAX_BITS`` bits; a
  literal has at most ``MAX_LITERAL`` digits; parentheses, signs and exponents nest at most ``MAX_NESTING``
  deep.
* Each kind of text (an activation, a target) is a subclass of ``PolynomialParser`` that names itself
  (``noun``), its error type (``error_type``), how it words the rules that differ between kinds, and what
  an unknown name means (``unknown_name``).  Every error carries ``text`` (the whole input) and ``position``
  (a 0-based index into ``text`` for a caret line, or ``None``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import ClassVar, NamedTuple

from neurom2.errors import Neurom2Error

MAX_DEGREE = 64
MAX_TERMS = 100_000
MAX_BITS = 4096  # bound on numerators/denominators: keeps arithmetic cheap and str() under Python's digit limit
MAX_LITERAL = 1000  # digits of one number literal, and |exponent| of its e-notation
MAX_NESTING = 100  # parentheses / unary signs / exponents; the parser recurses on each

NUMBER = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # a number literal, as a regular expression
NON_POLYNOMIAL = frozenset(  # names of common non-polynomial functions, for a precise error
    "relu relu6 leakyrelu leaky_relu prelu elu selu celu gelu silu swish mish sigmoid logistic hardsigmoid "
    "tanh hardtanh softplus softsign softmax exp log ln sqrt abs sign max min step heaviside erf "
    "sin cos tan sinh cosh arcsin arccos arctan asin acos atan".split()
)
_TOKEN = re.compile(
    rf"(?P<space>[ \t\r\n]+)|(?P<number>{NUMBER})|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/^()])"
)

Exponents = tuple[int, ...]
Polynomial = dict[Exponents, Fraction]  # exponent tuple -> nonzero coefficient in QQ; {} is zero


def quote(text: str) -> str:
    """``repr`` of user text for an error message, cut to about 50 characters."""
    return repr(text) if len(text) <= 60 else repr(text[:50]) + "..."


# --- polynomial arithmetic over QQ ---------------------------------------------------------------------------


def constant(value: Fraction, n: int) -> Polynomial:
    """The constant polynomial ``value`` in n variables."""
    return {(0,) * n: Fraction(value)} if value else {}


def gen(index: int, n: int) -> Polynomial:
    """The generator x_index of QQ[x_0, ..., x_{n-1}]."""
    return {tuple(int(i == index) for i in range(n)): Fraction(1)}


def add(a: Polynomial, b: Polynomial, sign: int = 1) -> Polynomial:
    """a + sign*b."""
    result = dict(a)
    for e, c in b.items():
        value = result.get(e, 0) + sign * c
        if value:
            result[e] = value
        else:
            result.pop(e, None)
    return result


def scale(a: Polynomial, factor: Fraction) -> Polynomial:
    """factor*a."""
    return {e: c * factor for e, c in a.items()} if factor else {}


def multiply(a: Polynomial, b: Polynomial) -> Polynomial:
    """a*b."""
    result: Polynomial = {}
    for ea, ca in a.items():
        for eb, cb in b.items():
            e = tuple(i + j for i, j in zip(ea, eb))
            result[e] = result.get(e, 0) + ca * cb
    return {e: c for e, c in result.items() if c}


def degree(a: Polynomial) -> int:
    """Total degree; 0 for the zero polynomial."""
    return max((sum(e) for e in a), default=0)


def as_constant(a: Polynomial) -> Fraction | None:
    """The value of a constant polynomial (0 for ``{}``); ``None`` if ``a`` is not constant."""
    if not a:
        return Fraction(0)
    (e, c), *rest = a.items()
    return c if not rest and not any(e) else None


def bits(coefficients: Iterable[Fraction]) -> int:
    """The largest bit length of a numerator or denominator among ``coefficients``; 0 if there are none."""
    return max((max(c.numerator.bit_length(), c.denominator.bit_length()) for c in coefficients), default=0)


# --- parsing -------------------------------------------------------------------------------------------------


class Token(NamedTuple):
    """A token of the polynomial grammar: its kind, text and position."""
    kind: str  # "number", "name" or "op"
    text: str
    position: int  # index into the whole text


class PolynomialParser(ABC):
    """Recursive descent over ``text[start:end]`` into a ``Polynomial`` (grammar in the module docstring).

    ``variables`` maps each allowed name to its index; the ring is QQ[x_0, ..., x_{n-1}] with n one more
    than the largest index.  Positions in errors refer to the whole ``text``.  A subclass sets ``noun`` and
    ``error_type``, implements ``unknown_name`` and may reword the class attributes below; the other phrases
    are common to all kinds of text.
    """

    noun: ClassVar[str]  # "activation": "malformed activation 'x^': ..."
    error_type: ClassVar[type[Neurom2Error]]
    atoms: ClassVar[str] = "a number, a variable or '('"  # what may start a factor
    exponents: ClassVar[str] = "non-negative integer"  # exponents must be {exponents} constants / {exponents}s
    negative_exponents: ClassVar[str] = "exponents of variables must be non-negative integers"
    degree_limit: ClassVar[str] = "beyond the supported maximum"  # "... reaches degree 65 at position 1, {...} 64"
    ending: ClassVar[str] = "the polynomial"  # "expected ')' but {ending} ended"

    def __init__(self, text: str, variables: Mapping[str, int], start: int = 0, end: int | None = None) -> None:
        self.text, self.variables, self.index, self.depth = text, variables, 0, 0
        self.n = max(variables.values(), default=-1) + 1
        self.start, self.end = start, len(text) if end is None else end
        self.tokens: list[Token] = []
        position = start
        while position < self.end:
            match = _TOKEN.match(text, position, self.end)
            if match is None:
                raise self.malformed(f"unexpected character {text[position]!r}", position)
            kind = match.lastgroup or "space"
            if kind != "space":
                self.tokens.append(Token(kind, match.group(), position))
            position = match.end()

    # --- errors ---

    @classmethod
    def error(cls, message: str, text: str | None = None, position: int | None = None) -> Neurom2Error:
        """An ``error_type`` carrying ``text`` and ``position``."""
        error = cls.error_type(message)
        error.text, error.position = text, position  # type: ignore[attr-defined]
        return error

    @classmethod
    def number(cls, literal: str, text: str, position: int) -> Fraction:
        """The exact value of the number ``literal`` found at ``position`` of ``text``, within ``MAX_LITERAL``."""
        mantissa, _, exponent = literal.lower().partition("e")
        if len(mantissa) > MAX_LITERAL or (exponent and abs(int(exponent[: MAX_LITERAL + 2])) > MAX_LITERAL):
            raise cls.error(f"number too large in {cls.noun} {quote(text)} at position {position}: literals are "
                            f"limited to {MAX_LITERAL} digits and exponents to 1e±{MAX_LITERAL}", text, position)
        return Fraction(literal)

    def fail(self, message: str, position: int) -> Neurom2Error:
        """The parser's error for ``message`` at ``position``."""
        return self.error(message, self.text, position)

    def malformed(self, what: str, position: int, note: str = "") -> Neurom2Error:
        """The error for malformed input: what is wrong, where."""
        return self.fail(f"malformed {self.noun} {quote(self.text)}: {what} at position {position}{note}", position)

    def not_polynomial(self, what: str, position: int) -> Neurom2Error:
        """The error for input that is not a polynomial (a function, a negative or fractional power, ...)."""
        return self.fail(f"{self.noun} {quote(self.text)} is not a polynomial: {what}", position)

    def unexpected(self, expected: str) -> Neurom2Error:
        """The error for the next token, or the end of the range, standing where ``expected`` should be."""
        token = self.peek()
        if token is None:
            return self.malformed(f"expected {expected} but {self.ending} ended", self.end)
        return self.misplaced(token, expected)

    def misplaced(self, token: Token, expected: str) -> Neurom2Error:
        """The error for a token where something else was expected."""
        return self.malformed(f"expected {expected}, found {token.text!r}", token.position)

    @abstractmethod
    def unknown_name(self, token: Token) -> Neurom2Error:
        """The error for a name that is not a variable; ``self.peek()`` is the token after it."""

    def check_degree(self, value: int, position: int) -> None:
        """Refuse a degree beyond MAX_DEGREE."""
        if value > MAX_DEGREE:
            raise self.fail(f"{self.noun} {quote(self.text)} reaches degree {value} at position {position}, "
                            f"{self.degree_limit} {MAX_DEGREE}", position)

    def check_size(self, a: Polynomial, position: int, factor: int = 1) -> None:
        """Refuse a polynomial with more than MAX_TERMS terms (``factor`` times its length, for a product about to be formed)."""
        if len(a) * factor > MAX_TERMS:
            raise self.fail(f"{self.noun} {quote(self.text)} has too many terms at position {position} "
                            f"(more than {MAX_TERMS})", position)

    # --- tokens ---

    def peek(self) -> Token | None:
        """The next token, or None at the end."""
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def position(self) -> int:
        """The position of the next token (the end of the text at the end)."""
        token = self.peek()
        return token.position if token else self.end

    def accept(self, *ops: str) -> Token | None:
        """Consume and return the next token if it is one of the operators ``ops``, else None."""
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in ops:
            self.index += 1
            return token
        return None

    # --- the grammar ---

    def parse(self) -> Polynomial:
        """The polynomial of the whole range; raises ``error_type`` on anything else."""
        if not self.tokens:
            raise self.malformed("empty expression", self.start)
        result = self.expr()
        if (token := self.accept(")")) is not None:
            raise self.malformed("unmatched ')'", token.position)
        if self.peek() is not None:
            raise self.unexpected("an operator")
        return result

    def expr(self) -> Polynomial:
        """expr := term (("+" | "-") term)*"""
        result = self.term()
        while (token := self.accept("+", "-")) is not None:
            result = add(result, self.term(), 1 if token.text == "+" else -1)
            self.check_size(result, token.position)
        return result

    def term(self) -> Polynomial:
        """term := unary (("*" | "/") unary)*; division only by a nonzero constant."""
        result = self.unary()
        while (token := self.accept("*", "/")) is not None:
            start = self.position()
            rhs = self.unary()
            if token.text == "*":
                self.check_degree(degree(result) + degree(rhs), token.position)
                self.check_size(result, token.position, len(rhs))
                result = multiply(result, rhs)
                continue
            divisor = as_constant(rhs)
            if divisor is None:
                source = self.text[start:self.position()].strip()
                raise self.not_polynomial(f"division by the non-constant {quote(source)} at position {start}; "
                                          "only division by a nonzero constant is allowed", start)
            if divisor == 0:
                raise self.fail(f"division by zero in {self.noun} {quote(self.text)} at position {start}", start)
            result = scale(result, 1 / divisor)
        return result

    def unary(self) -> Polynomial:
        """unary := ("+" | "-") unary | power"""
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                raise self.malformed(f"expression nested more than {MAX_NESTING} levels deep", self.position())
            token = self.accept("+", "-")
            if token is None:
                return self.power()
            operand = self.unary()
            return operand if token.text == "+" else scale(operand, Fraction(-1))
        finally:
            self.depth -= 1

    def power(self) -> Polynomial:
        """power := atom (("^" | "**") non-negative integer)?"""
        base = self.atom()
        if self.accept("^", "**") is None:
            return base
        start = self.position()
        exponent = as_constant(self.unary())
        source = self.text[start:self.position()].strip()
        if exponent is None:
            raise self.not_polynomial(f"non-constant exponent {quote(source)} at position {start}; "
                                      f"exponents must be {self.exponents} constants", start)
        if exponent.denominator != 1:
            raise self.not_polynomial(f"fractional exponent {exponent} at position {start}; "
                                      f"exponents must be {self.exponents}s", start)
        value = as_constant(base)
        if exponent < 0 and value is None:
            raise self.not_polynomial(f"negative exponent {exponent} at position {start}; "
                                      f"{self.negative_exponents}", start)
        if exponent < 0 and value == 0:
            raise self.fail(f"division by zero in {self.noun} {quote(self.text)}: 0 raised to the negative power "
                            f"{exponent} at position {start}", start)
        e = int(exponent)
        self.check_degree(degree(base) * e, start)  # before computing anything
        if value not in (1, -1) and bits(base.values()) * abs(e) > MAX_BITS:
            raise self.fail(f"numbers too large in {self.noun} {quote(self.text)}: the power at position {start} "
                            f"would exceed {MAX_BITS} bits", start)
        if value is not None:
            return constant(value ** e, self.n)
        result = constant(Fraction(1), self.n)
        for _ in range(e):
            self.check_size(result, start, len(base))
            result = multiply(result, base)
        return result

    def atom(self) -> Polynomial:
        """atom := number | variable | ( expr ), the parentheses as written."""
        token = self.peek()
        if token is None or (token.kind == "op" and token.text != "("):
            raise self.unexpected(self.atoms)
        self.index += 1
        if token.kind == "number":
            return constant(self.number(token.text, self.text, token.position), self.n)
        if token.kind == "op":  # "("
            result = self.expr()
            if self.accept(")") is None:
                if self.peek() is None:
                    raise self.malformed("missing ')' for the '(' opened", token.position)
                raise self.unexpected("')'")
            return result
        return self.variable(token)

    def variable(self, token: Token) -> Polynomial:
        """The generator named by ``token``; ``unknown_name`` for any other name."""
        index = self.variables.get(token.text)
        if index is None:
            raise self.unknown_name(token)
        return gen(index, self.n)
