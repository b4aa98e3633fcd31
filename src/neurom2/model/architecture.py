"""Network architectures: widths, a polynomial activation and biases.

A network with widths ``(d0, ..., dL)`` is the composition

    f = alpha_L ∘ σ ∘ alpha_{L-1} ∘ ... ∘ σ ∘ alpha_1,    alpha_l(h) = W_l h (+ b_l),

with ``W_l`` a ``d_l × d_{l-1}`` matrix, ``b_l`` a bias vector present on every layer when ``bias`` is
true, and σ applied entrywise.  ``L = len(widths) - 1`` is the number of affine layers (so ``L - 1``
activations); a network with ``L = 1`` is a single affine map.

Weight vector convention (used everywhere in neurom2, also in Macaulay2): θ lists, for ``l = 1..L``,
the entries of ``W_l`` row by row and then, with biases, the entries of ``b_l``.  Names are
``w{l}_{i}_{j}`` for ``W_l[i, j]`` and ``b{l}_{i}`` for ``b_l[i]``, indices 1-based.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import comb

from neurom2.errors import InvalidArchitecture
from neurom2.model.activation import Activation

MAX_WIDTH = 100_000
"""The widest layer neurom2 accepts (far beyond what any computation here can afford; a guard, not a promise)."""
MAX_DEPTH = 100
"""The most affine layers neurom2 accepts: the proved bounds recurse over the layers, and at a few hundred
layers Python's recursion limit would be reached; every practical network is far shallower."""


@dataclass(frozen=True)
class Architecture:
    """A fully connected network ``alpha_L ∘ σ ∘ ... ∘ σ ∘ alpha_1`` (see the module docstring)."""

    widths: tuple[int, ...]
    activation: Activation
    bias: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", _validate_widths(self.widths))
        object.__setattr__(self, "activation", Activation.coerce(self.activation))
        if not isinstance(self.bias, bool):
            raise InvalidArchitecture(f"bias must be true or false, got {self.bias!r}")

    @classmethod
    def create(cls, widths: str | Iterable[int], activation: Activation | str | Sequence, bias: bool = False) -> Architecture:
        """Build from user input: widths as ``"2,2,1"`` or a sequence, activation as a string or coefficients."""
        if isinstance(widths, str):
            widths = _parse_widths(widths)
        return cls(tuple(widths), Activation.coerce(activation), bias)

    @classmethod
    def coerce(cls, architecture: Architecture | str | Sequence[int], activation: Activation | str | Sequence | None = None,
               bias: bool | None = None) -> Architecture:
        """The network every entry point takes first: an :class:`Architecture`, or widths with an activation.

        ``coerce("3,2,1", "x^2")`` is ``Architecture.create("3,2,1", "x^2")`` (widths as text or a sequence of
        integers, ``bias`` false unless given); an :class:`Architecture` is returned as it is and must come
        without ``activation`` and ``bias`` (it has both already).  Anything else is an
        :class:`~neurom2.errors.InvalidArchitecture` saying what was expected.
        """
        if isinstance(architecture, Architecture):
            if activation is not None or bias is not None:
                given = "an activation" if activation is not None else "bias"
                raise InvalidArchitecture(f"{given} was given with an Architecture, which has its own "
                                          f"(σ = {architecture.activation}, bias {architecture.bias}); give either an "
                                          "Architecture, or widths with an activation such as ('3,2,1', 'x^2')")
            return architecture
        if not isinstance(architecture, (str, Sequence)) or isinstance(architecture, bytes):
            raise InvalidArchitecture(f"expected an Architecture or widths such as '3,2,1', got "
                                      f"{_shorten(repr(architecture))} ({type(architecture).__name__})")
        if activation is None:
            raise InvalidArchitecture(f"the widths {_shorten(repr(architecture))} need an activation, "
                                      "e.g. ('3,2,1', 'x^2')")
        return cls.create(architecture, activation, bool(bias))

    @property
    def depth(self) -> int:
        """The number ``L`` of affine layers."""
        return len(self.widths) - 1

    @property
    def input_dim(self) -> int:
        """The input width d0."""
        return self.widths[0]

    @property
    def output_dim(self) -> int:
        """The output width dL."""
        return self.widths[-1]

    @property
    def hidden_widths(self) -> tuple[int, ...]:
        """The hidden widths (d1, ..., d(L-1))."""
        return self.widths[1:-1]

    @property
    def weight_shapes(self) -> tuple[tuple[int, int], ...]:
        """``(d_l, d_{l-1})`` for each layer ``l = 1..L``."""
        return tuple((self.widths[l], self.widths[l - 1]) for l in range(1, len(self.widths)))

    @property
    def n_params(self) -> int:
        """The number of weights, biases included."""
        return sum(rows * cols + (rows if self.bias else 0) for rows, cols in self.weight_shapes)

    @property
    def weight_names(self) -> tuple[str, ...]:
        """Names of the entries of θ, in θ's order (see the module docstring)."""
        names: list[str] = []
        for l, (rows, cols) in enumerate(self.weight_shapes, start=1):
            names += [f"w{l}_{i}_{j}" for i in range(1, rows + 1) for j in range(1, cols + 1)]
            if self.bias:
                names += [f"b{l}_{i}" for i in range(1, rows + 1)]
        return tuple(names)

    @property
    def output_degrees(self) -> tuple[int, ...]:
        """The degrees (in the inputs) that the output polynomials can have, ascending.

        Pre-activations of layer 1 have degrees ``{1}`` (``{0, 1}`` with biases); σ with support ``S``
        sends a set ``T`` of degrees to the union over ``s ∈ S`` of the ``s``-fold sums of ``T``; biases
        add degree 0.  For a monomial σ = x^r without biases this is ``{r^(L-1)}``: the neuromanifold
        lies in the homogeneous part, as in the slides.
        """
        degrees = {0, 1} if self.bias else {1}
        for _ in range(self.depth - 1):
            image: set[int] = set()
            for s in self.activation.support:
                sums = {0}
                for _ in range(s):
                    sums = {a + b for a in sums for b in degrees}
                image |= sums
            degrees = image | ({0} if self.bias else set())
        return tuple(sorted(degrees))

    @property
    def monomial_degree(self) -> int | None:
        """``r`` when this network class is that of σ = x^r, else None.

        That is the case when σ = a·x^r, and, with biases, also when σ = a·(x + s)^r + t: the shift s
        and the constant t are absorbed by the biases of the adjacent layers.
        """
        coefficients = self.activation.coefficients
        r = self.activation.degree
        if self.activation.is_monomial:
            return r
        if not self.bias:
            return None
        lead = coefficients[r]
        shift = coefficients[r - 1] / (r * lead)
        shifted = [lead * comb(r, k) * shift ** (r - k) for k in range(r + 1)]
        return r if list(coefficients[1:]) == shifted[1:] else None

    @property
    def symmetry_dim(self) -> int:
        """Dimension of the continuous group of weight changes that leave the network unchanged.

        For σ of monomial degree 1 (linear networks) each hidden layer carries GL(d) (the affine group
        with biases); for monomial degree r ≥ 2 each hidden neuron carries a rescaling (input weights
        · t, output weights · t^(-r)); other activations have no such continuous symmetry in general.
        """
        r = self.monomial_degree
        if r is None:
            return 0
        if r == 1:
            return sum(d * d + (d if self.bias else 0) for d in self.hidden_widths)
        return sum(self.hidden_widths)

    def __str__(self) -> str:
        widths = ",".join(map(str, self.widths))
        return f"widths ({widths}), activation {self.activation}, {'with' if self.bias else 'no'} biases"


def _parse_widths(text: str) -> tuple[int, ...]:
    """Parse ``"2,2,1"`` (commas, optionally with spaces); every field must be an ASCII integer."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    for part in parts:
        if not re.fullmatch(r"[+-]?[0-9]+", part):
            shown = "an empty field" if not part else _shorten(repr(part))
            raise InvalidArchitecture(f"widths must be positive integers separated by commas, got {shown} in "
                                      f"{_shorten(repr(text))}")
        if len(part.lstrip("+-0")) > len(str(MAX_WIDTH)):  # before int(): Python refuses to convert 4300+ digits
            raise InvalidArchitecture(f"width {_shorten(part)} is larger than neurom2 supports ({MAX_WIDTH})")
    return _validate_widths(int(part) for part in parts)


def _validate_widths(widths: Iterable[int]) -> tuple[int, ...]:
    try:
        values = tuple(widths)
    except TypeError:
        raise InvalidArchitecture(f"widths must be a sequence of positive integers, got {widths!r}") from None
    for w in values:
        if isinstance(w, bool) or not isinstance(w, int):
            raise InvalidArchitecture(f"widths must be positive integers, got {_shorten(repr(w))} in {_shorten(repr(values))}")
        if w < 1:
            raise InvalidArchitecture(f"widths must be positive integers, got {w} in {_shorten(repr(values))}")
        if w > MAX_WIDTH:
            shown = w if w.bit_length() <= 64 else f"of {w.bit_length()} bits"
            raise InvalidArchitecture(f"width {shown} is larger than neurom2 supports ({MAX_WIDTH})")
    if len(values) > MAX_DEPTH + 1:
        raise InvalidArchitecture(f"a network of {len(values) - 1} affine layers is deeper than neurom2 supports "
                                  f"(at most {MAX_DEPTH} layers, {MAX_DEPTH + 1} widths)")
    if len(values) < 2:
        raise InvalidArchitecture(
            f"a network needs at least two widths (input and output), got {values!r}; "
            "e.g. widths 2,1 is a single affine map R^2 -> R"
        )
    return values


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` for a message, cut to about ``limit`` characters (a hostile width can have thousands)."""
    return text if len(text) <= limit else f"{text[:limit // 2]}...({len(text)} characters)...{text[-10:]}"
