"""Cost estimates and size guards: every command says up front what a computation will cost.

An :class:`Estimate` names the dominant object of a computation (a matrix, a family of charts, a system
of equations), its size, the memory it needs and the arithmetic operations it takes.  :func:`guard`
lets it run when it is within :data:`MEMORY_FRACTION` of this machine's memory and :data:`SECONDS_LIMIT`
of estimated time, and otherwise raises :class:`~neurom2.errors.TooExpensive` with the estimate and the
option that runs it anyway (``--force`` on the command line, ``force = true`` in a job file).

Operation counts are turned into seconds at :data:`OPERATIONS_PER_SECOND`, a deliberately round figure
for one core of a current machine doing word-size modular arithmetic (measured: the rank of a 2145 × 3837
matrix modulo a 31-bit prime, 1.8e10 operations, takes 11–17 s here).  Estimates are orders of magnitude,
not promises; they decide only whether to ask for ``--force``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from neurom2.errors import TooExpensive

OPERATIONS_PER_SECOND = 1e9
SECONDS_LIMIT = 3600.0
"""Estimated seconds beyond which a computation needs ``force``."""
MEMORY_FRACTION = 0.5
"""Fraction of physical memory beyond which a computation needs ``force``."""
SATURATED = 10 ** 30
"""Counts (of entries, of width tuples) are capped here before becoming floats in an estimate: beyond it, every
count is refused alike, and a float cannot overflow."""


def physical_memory() -> int:
    """Bytes of physical memory (8 GiB when the system does not say)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def size(value: float) -> str:
    """``512 MiB``, ``4.1 TiB``: a byte count for people."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} PiB"


def duration(seconds: float) -> str:
    """``0.2 s``, ``3 min``, ``5 h``, ``2e+03 years``."""
    if seconds < 60:
        return f"{seconds:.2g} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 365:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / (86400 * 365):.2g} years"


@dataclass(frozen=True)
class Estimate:
    """What a computation will cost: ``what`` (the dominant object, in words), bytes, operations."""

    what: str
    memory: float
    operations: float

    @property
    def seconds(self) -> float:
        """The estimated running time in seconds."""
        return self.operations / OPERATIONS_PER_SECOND

    def describe(self) -> str:
        """The estimate in words: memory, operations and time."""
        return (f"{self.what}: about {size(self.memory)} of memory and {self.operations:.2g} operations "
                f"(~{duration(self.seconds)})")

    def to_json(self) -> dict[str, object]:
        """The estimate as JSON."""
        return {"what": self.what, "memory_bytes": self.memory, "operations": self.operations,
                "seconds": round(self.seconds, 3)}


def guard(estimate: Estimate, force: bool, *, memory: int | None = None) -> Estimate:
    """Return ``estimate`` if it is affordable or ``force`` is set; else raise TooExpensive."""
    memory = physical_memory() if memory is None else memory
    too_big = estimate.memory > MEMORY_FRACTION * memory
    too_long = estimate.seconds > SECONDS_LIMIT
    if force or not (too_big or too_long):
        return estimate
    reasons = []
    if too_big:
        reasons.append(f"more than {MEMORY_FRACTION:.0%} of this machine's {size(memory)}")
    if too_long:
        reasons.append(f"more than {duration(SECONDS_LIMIT)}")
    raise TooExpensive(f"refused: {estimate.describe()}, {' and '.join(reasons)}; "
                       "use --force (force = true in a job file) to run it anyway")
