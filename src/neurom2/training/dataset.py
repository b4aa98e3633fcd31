"""Data sets: S = ((a_1, b_1), ..., (a_m, b_m)) ⊂ QQ^{d0} × QQ^{dL}, exactly, and their matrices.

A :class:`Dataset` is an *ordered* list of pairs with exact rational entries (``Fraction``).  The order of
the pairs is the row order of the data matrices.  For an ambient space V (:mod:`neurom2.model.space`) with
per-output monomial basis m_1, ..., m_N (neurom2's order: total degree ascending, then exponent vectors
lexicographically descending):

* ``A(space)``: the m × N Veronese matrix, row j = (m_1(a_j), ..., m_N(a_j));
* ``B(space)``: the m × dL matrix of outputs, row j = b_j;
* ``Q(space)`` = AᵀA, the Gram matrix of the inputs (a moment matrix), N × N;
* ``u(space)`` = A⁺B, N × dL, the minimum-norm least-squares fit in V (column k: output k's coefficients);

all python-flint ``fmpq_mat`` over QQ (see :mod:`neurom2.training.loss` for the loss as a distance
L(f) = ‖C_f − u‖²_Q + const).

**CSV files** (:meth:`Dataset.read_csv`).  The first line is a header naming the columns ``x1 .. x_d0``
(inputs) and ``y1 .. y_dL`` (outputs), each exactly once, in any order; every following non-blank line
is one pair, one number per column.  A number is an integer, a decimal (``-0.25``, ``.5``, ``1e-3``) or a
fraction (``1/3``), and is read exactly as written: ``0.1`` is 1/10, not the nearest double.  Anything
else (empty fields, ``nan``, ``inf``, text, thousands separators, a wrong number of fields, missing or
extra columns, a file without data) is refused with :class:`~neurom2.errors.InvalidDataset` and the
message ``FILE:LINE: reason``.  Whether the numbers of inputs and outputs fit a network is checked when
the data meet one (:meth:`Dataset.check`), with the header's line number.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from random import Random
from typing import Any

import numpy as np
from flint import fmpq, fmpq_mat

from neurom2.errors import InvalidDataset
from neurom2.exact.linear import pseudoinverse
from neurom2.exact.rationals import fmpq as as_fmpq
from neurom2.exact.rationals import fraction
from neurom2.files import Unreadable, read_bounded
from neurom2.model.architecture import Architecture
from neurom2.model.space import AmbientSpace, Exponents

SpaceLike = Architecture | AmbientSpace

HEIGHT = 9
"""Random data: outputs in [−HEIGHT, HEIGHT] (:meth:`Dataset.random`); entries p/q with |p|, q ≤ HEIGHT (:meth:`Dataset.draw`)."""
MAX_EXPONENT = 400
"""Decimal exponents beyond ±MAX_EXPONENT are refused (``1e999999999`` would be a number with a billion digits)."""
MAX_DIGITS = 2000
"""Numbers longer than this many characters are refused."""
MAX_FILE_BYTES = 64 << 20
"""CSV files larger than this (64 MiB) are refused, as are FIFOs and devices (:mod:`neurom2.files`)."""

_NUMBER = re.compile(r"[+-]?(?:(?P<fraction>\d+/\d+)|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE](?P<exponent>[+-]?\d+))?)")
_COLUMN = re.compile(r"(?P<kind>[xy])(?P<index>[1-9]\d*)")


@dataclass(frozen=True)
class Dataset:
    """S = ((a_1, b_1), ..., (a_m, b_m)): rational inputs a_j ∈ QQ^{d0} and outputs b_j ∈ QQ^{dL}.

    The order of the pairs is the row order of the data matrices.  Entries are stored as ``Fraction``.
    ``source`` (a file name) and ``header_line`` (its header's line), for messages, do not take part in
    equality.
    """

    inputs: tuple[tuple[Fraction, ...], ...]
    outputs: tuple[tuple[Fraction, ...], ...]
    source: str | None = field(default=None, compare=False)
    header_line: int = field(default=1, compare=False)

    def __post_init__(self) -> None:
        inputs = tuple(tuple(fraction(v) for v in a) for a in self.inputs)
        outputs = tuple(tuple(fraction(v) for v in b) for b in self.outputs)
        if len(inputs) != len(outputs):
            raise InvalidDataset(f"{len(inputs)} inputs but {len(outputs)} outputs")
        for name, rows in (("inputs", inputs), ("outputs", outputs)):
            if len({len(row) for row in rows}) > 1:
                raise InvalidDataset(f"the {name} do not all have the same length")
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "outputs", outputs)

    # --- construction ---------------------------------------------------------------------------------------

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[Sequence, Sequence]]) -> Dataset:
        """S from pairs ``(a, b)`` (entries of any type :func:`~neurom2.exact.rationals.fraction` reads)."""
        pairs = list(pairs)
        return cls(tuple(tuple(fraction(v) for v in a) for a, _ in pairs), tuple(tuple(fraction(v) for v in b) for _, b in pairs))

    @classmethod
    def random(cls, space_or_arch: SpaceLike, n: int, seed: int = 0) -> Dataset:
        """``n`` random pairs for a network's (or a space's) inputs and outputs, from ``Random(seed)`` (the same seed
        gives the same data): distinct integer inputs in [−h, h]^{d0}, h ≥ 3 the least with (2h + 1)^{d0} ≥ 2n,
        and integer outputs in [−9, 9].  Small integers keep the exact computations on the data (A⁺B has
        denominators of the size of det AᵀA) fast; distinct points in general position make A of full column
        rank once n ≥ N, except for unlucky draws."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InvalidDataset(f"the number of random data points must be a positive integer, got {n!r}")
        space = _space(space_or_arch)
        rng = Random(seed)
        h = 3
        while (2 * h + 1) ** space.n_inputs < 2 * n:
            h += 1
        inputs: list[tuple[Fraction, ...]] = []
        while len(inputs) < n:
            point = tuple(Fraction(rng.randint(-h, h)) for _ in range(space.n_inputs))
            if point not in inputs:
                inputs.append(point)
        outputs = tuple(tuple(Fraction(rng.randint(-HEIGHT, HEIGHT)) for _ in range(space.n_outputs)) for _ in range(n))
        return cls(tuple(inputs), outputs, source=f"random data ({n} points, seed {seed})")

    @classmethod
    def draw(cls, space_or_arch: SpaceLike, n: int, rng: Random, height: int = HEIGHT) -> Dataset:
        """``n`` random pairs drawn from ``rng``, rational entries p/q with |p| ≤ height and 1 ≤ q ≤ height."""
        space = _space(space_or_arch)

        def entry() -> Fraction:
            return Fraction(rng.randint(-height, height), rng.randint(1, height))

        inputs = tuple(tuple(entry() for _ in range(space.n_inputs)) for _ in range(n))
        outputs = tuple(tuple(entry() for _ in range(space.n_outputs)) for _ in range(n))
        return cls(inputs, outputs)

    @classmethod
    def read_csv(cls, path: str | Path) -> Dataset:
        """Read a CSV file (see the module docstring); InvalidDataset ``FILE:LINE: reason`` if it is not valid."""
        name = str(path)
        try:
            text = read_bounded(path, MAX_FILE_BYTES).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidDataset(f"{name}: not a text file (UTF-8)") from None
        except Unreadable as error:
            raise InvalidDataset(f"{name}: {error}") from None
        except OSError as error:
            raise InvalidDataset(f"{name}: cannot read the file: {error.strerror or error}") from None
        return cls.parse_csv(text, name)

    @classmethod
    def parse_csv(cls, text: str, name: str = "<data>") -> Dataset:
        """The data of a CSV text; ``name`` is used in the messages ``NAME:LINE: reason``."""
        rows = [(number, row) for number, row in enumerate(csv.reader(text.splitlines()), start=1)
                if any(cell.strip() for cell in row)]
        if not rows:
            raise InvalidDataset(f"{name}: the file is empty (expected a header x1,...,y1,... and data lines)")
        header_line, header = rows[0]
        inputs_at, outputs_at = _columns(header, name, header_line)
        if len(rows) == 1:
            raise InvalidDataset(f"{name}:{header_line}: the file has a header but no data lines")
        inputs, outputs = [], []
        for line, row in rows[1:]:
            if len(row) != len(header):
                raise InvalidDataset(f"{name}:{line}: {len(row)} field{'s' if len(row) != 1 else ''}, but the header "
                                     f"has {len(header)} columns")
            values = [_number(cell, header[k].strip(), name, line) for k, cell in enumerate(row)]
            inputs.append(tuple(values[k] for k in inputs_at))
            outputs.append(tuple(values[k] for k in outputs_at))
        return cls(tuple(inputs), tuple(outputs), source=name, header_line=header_line)

    # --- facts and checks -----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.inputs)

    def pairs(self) -> tuple[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], ...]:
        """The (input, output) pairs."""
        return tuple(zip(self.inputs, self.outputs))

    @property
    def n_inputs(self) -> int:
        """The number of input coordinates (d0)."""
        return len(self.inputs[0]) if self.inputs else 0

    @property
    def n_outputs(self) -> int:
        """The number of output coordinates (dL)."""
        return len(self.outputs[0]) if self.outputs else 0

    def check(self, space_or_arch: SpaceLike) -> None:
        """InvalidDataset unless the data fit the network's numbers of inputs and outputs (and are not empty)."""
        space = _space(space_or_arch)
        where = f"{self.source}:{self.header_line}: " if self.source and not self.source.startswith("random") else ""
        if not self.inputs:
            raise InvalidDataset(f"{where}the data set is empty")
        for what, letter, have, want in (("input", "x", self.n_inputs, space.n_inputs),
                                         ("output", "y", self.n_outputs, space.n_outputs)):
            if have != want:
                columns = ", ".join(f"{letter}{i}" for i in range(1, have + 1))
                raise InvalidDataset(f"{where}the network has {want} {what}{'s' if want != 1 else ''}, the data have "
                                     f"{have} ({columns})")

    # --- exact matrices -------------------------------------------------------------------------------------

    def A(self, space: SpaceLike) -> fmpq_mat:
        """The Veronese matrix (|S| × N) of the inputs in the space's monomial basis."""
        self.check(space)
        return veronese_matrix(space, self)

    def B(self, space: SpaceLike) -> fmpq_mat:
        """The outputs as an |S| × dL matrix."""
        self.check(space)
        return data_matrices(space, self)[1]

    def Q(self, space: SpaceLike) -> fmpq_mat:
        """Q = AᵀA (N × N), the Gram (moment) matrix of the inputs."""
        a = self.A(space)
        return a.transpose() * a

    def u(self, space: SpaceLike) -> fmpq_mat:
        """u = A⁺B (N × dL), the minimum-norm least-squares coefficients; column k is output k."""
        self.check(space)
        return target_coefficients(space, self)

    def as_float(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs of shape (m, d0), outputs of shape (m, dL)) in float64."""
        return (np.array([[float(v) for v in a] for a in self.inputs], dtype=float).reshape(len(self), -1),
                np.array([[float(v) for v in b] for b in self.outputs], dtype=float).reshape(len(self), -1))

    # --- identity -------------------------------------------------------------------------------------------

    def canonical(self) -> list[list[str]]:
        """Each pair as exact rationals in text, inputs then outputs (``"1/10"``): the data's identity."""
        return [[str(v) for v in a + b] for a, b in self.pairs()]

    def digest(self) -> str:
        """SHA-256 (hex) of the canonical content: equal data, equal digest, whatever file they came from."""
        text = "\n".join(",".join(row) for row in self.canonical())
        return hashlib.sha256(f"{self.n_inputs},{self.n_outputs}\n{text}".encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The data set in JSON: size, widths, source and SHA-256 of its content."""
        return {"n_points": len(self), "inputs": self.n_inputs, "outputs": self.n_outputs, "source": self.source,
                "sha256": self.digest()}


def _space(space: SpaceLike) -> AmbientSpace:
    return AmbientSpace.of(space) if isinstance(space, Architecture) else space


# --- the data matrices ------------------------------------------------------------------------------------


def veronese_matrix(space: SpaceLike, inputs: Dataset | Sequence[Sequence]) -> fmpq_mat:
    """The exact Veronese matrix A over QQ: row j = v(a_j), columns in the space's monomial order."""
    space = _space(space)
    points = input_points(inputs)
    for a in points:
        if len(a) != space.n_inputs:
            raise ValueError(f"{space.describe()} has {space.n_inputs} inputs, got a point with {len(a)}")
    entries = [monomial_value(e, a) for a in points for e in space.monomials]
    return fmpq_mat(len(points), len(space.monomials), entries)


def data_matrices(space: SpaceLike, data: Dataset) -> tuple[fmpq_mat, fmpq_mat]:
    """(A, B) over QQ: A = :func:`veronese_matrix` of the inputs (|S| × N), B the outputs (|S| × dL)."""
    space = _space(space)
    for b in data.outputs:
        if len(b) != space.n_outputs:
            raise ValueError(f"{space.describe()} has {space.n_outputs} outputs, got a value with {len(b)}")
    outputs = [as_fmpq(v) for b in data.outputs for v in b]
    return veronese_matrix(space, data), fmpq_mat(len(data), space.n_outputs, outputs)


def target_coefficients(space: SpaceLike, data: Dataset) -> fmpq_mat:
    """g = A⁺B, the N × dL coefficient matrix of the minimum-norm least-squares fit in V."""
    a, b = data_matrices(space, data)
    return pseudoinverse(a) * b


def input_points(inputs: Dataset | Sequence[Sequence]) -> Sequence[Sequence]:
    """The input points a_j of a data set, or the given points themselves."""
    return inputs.inputs if isinstance(inputs, Dataset) else inputs


def monomial_value(exponents: Exponents, point: Sequence) -> fmpq:
    """The monomial x^exponents at ``point``, exactly."""
    value = fmpq(1)
    for x, e in zip(point, exponents):
        if e:
            value *= as_fmpq(x) ** e
    return value


def _columns(header: list[str], name: str, line: int) -> tuple[list[int], list[int]]:
    """Positions of x1..x_d0 and y1..y_dL in the header (InvalidDataset for anything else)."""
    found: dict[tuple[str, int], int] = {}
    for position, cell in enumerate(header):
        label = cell.strip()
        match = _COLUMN.fullmatch(label)
        if not match:
            shown = "an empty column name" if not label else f"column {label!r}"
            raise InvalidDataset(f"{name}:{line}: {shown}: the header must name the inputs x1, x2, ... and the "
                                 "outputs y1, y2, ...")
        key = (match["kind"], int(match["index"]))
        if key in found:
            raise InvalidDataset(f"{name}:{line}: column {label!r} appears twice")
        found[key] = position
    result = []
    for kind, what in (("x", "input"), ("y", "output")):
        indices = sorted(i for k, i in found if k == kind)
        if not indices:
            raise InvalidDataset(f"{name}:{line}: no {what} columns ({kind}1, {kind}2, ...)")
        missing = [i for i in range(1, indices[-1] + 1) if i not in indices]
        if missing:
            raise InvalidDataset(f"{name}:{line}: column {kind}{missing[0]} is missing (the header has "
                                 f"{kind}{indices[-1]})")
        result.append([found[(kind, i)] for i in indices])
    return result[0], result[1]


def _number(cell: str, column: str, name: str, line: int) -> Fraction:
    text = cell.strip()
    if not text:
        raise InvalidDataset(f"{name}:{line}: empty field in column {column}")
    if len(text) > MAX_DIGITS:
        raise InvalidDataset(f"{name}:{line}: the number in column {column} is longer than {MAX_DIGITS} characters")
    match = _NUMBER.fullmatch(text)
    if not match:
        lowered = text.lower().lstrip("+-")
        if lowered in ("nan", "inf", "infinity"):
            raise InvalidDataset(f"{name}:{line}: {text!r} in column {column} is not a finite number")
        raise InvalidDataset(f"{name}:{line}: {text!r} in column {column} is not a number (write integers, decimals "
                             "such as -0.25 or 1e-3, or fractions such as 1/3)")
    if match["exponent"] is not None and abs(int(match["exponent"])) > MAX_EXPONENT:
        raise InvalidDataset(f"{name}:{line}: the exponent of {text!r} in column {column} is beyond ±{MAX_EXPONENT}")
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise InvalidDataset(f"{name}:{line}: {text!r} in column {column} divides by zero") from None
