"""Human-readable rendering of results (the CLI's default output)."""

from __future__ import annotations

import textwrap
from collections import Counter

from neurom2.geometry.dimension import Dimension
from neurom2.geometry.neurovariety import Neurovariety


MAX_SHOWN = 20
"""Equations printed in the text output; --json has all."""


def format_dimension(result: Dimension) -> str:
    space = result.space
    arch = result.architecture
    if result.proved:
        status = "proved: the exact rank reached the upper bound"
    else:
        status = f"below the upper bound; wrong with probability < {result.error_bound:.1e}"
    lines = [
        f"dimension of the neuromanifold of {arch}",
        f"  ambient space V    {space.describe()}  (dim {space.dim})",
        f"  parameters         {arch.n_params}  (continuous symmetries {arch.symmetry_dim})",
        f"  dimension          {result.dim}  (expected {result.expected_dim}, defect {result.defect}; {status})",
        f"  fills V over C     {'yes' if result.fills else 'no'}",
        f"  method             {result.method}: ranks {', '.join(map(str, result.ranks))} "
        f"modulo {', '.join(map(str, result.primes))}",
    ]
    if result.float_rank is not None:
        lines.append(f"  float cross-check  numerical rank {result.float_rank}")
    lines += [f"  note               {note}" for note in result.notes]
    lines.append(f"  {result.seconds:.3f} s")
    return "\n".join(lines)


def format_neurovariety(variety: Neurovariety) -> str:
    space = variety.space
    kind = "homogeneous part" if space.is_homogeneous else "all degrees " + ",".join(map(str, space.degrees))
    lines = [
        f"neuromanifold of {variety.architecture}",
        f"  ambient space V    {space.describe()}  (dim {space.dim}; {kind}; coordinates c<output>_<exponents>)",
        f"  parameters         {variety.architecture.n_params}",
        f"  dimension          {variety.dim}  (expected {variety.expected_dim}, defect {variety.defect})",
        f"  fills V over C     {'yes: the Zariski closure is V (the ideal is zero); real points may still be missed' if variety.fills else 'no'}",
    ]
    if variety.complete:
        lines.append(f"  ideal              complete ({variety.strategy}): {variety.proof}")
    else:
        lines.append(f"  ideal              all equations up to degree {variety.up_to_degree}, not proved complete ({variety.strategy}): {variety.proof}")
    if variety.equations:
        counts = Counter(variety.equation_degrees)
        degrees = ", ".join(f"{d}" if n == 1 else f"{d} (x{n})" for d, n in sorted(counts.items()))
        shown = variety.equations[:MAX_SHOWN]
        lines.append(f"  degree             {variety.degree if variety.degree is not None else 'unknown'} ({variety.degree_method})")
        lines.append(f"  equations          {len(variety.equations)} minimal generator{'s' if len(variety.equations) > 1 else ''} over QQ, of degree {degrees}")
        lines += [f"    {eq.as_expr()} = 0" for eq in shown]
        if len(variety.equations) > len(shown):
            lines.append(f"    ... and {len(variety.equations) - len(shown)} more (all of them with --json)")
    if variety.verification:
        check = variety.verification
        lines.append(
            f"  verified           equations vanish at {check.samples} random rational networks; "
            f"Jacobian rank {check.jacobian_rank} modulo {len(check.primes)} primes"
        )
    else:
        lines.append("  verified           no (--no-verify)")
    lines.append(f"  Macaulay2 {variety.m2_version}, {sum(variety.timings.values()):.2f} s")
    return "\n".join(lines)


def format_outcomes(outcomes) -> str:
    """The ``reproduce`` table: one block per claim (status, id, time; the slide's statement; evidence)."""
    width = 100
    lines = []
    for outcome in outcomes:
        lines.append(f"{outcome.status}  {outcome.claim.id}  ({outcome.seconds:.2f} s)")
        lines += textwrap.wrap(outcome.claim.statement, width, initial_indent="      slide:    ", subsequent_indent=" " * 16)
        lines += textwrap.wrap(outcome.evidence.summary, width, initial_indent="      evidence: ", subsequent_indent=" " * 16)
    passed = sum(o.evidence.passed for o in outcomes)
    lines.append(f"{passed}/{len(outcomes)} claims PASS" + ("" if passed == len(outcomes) else f", {len(outcomes) - passed} FAIL"))
    return "\n".join(lines)
