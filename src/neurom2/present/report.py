"""Human-readable rendering of results (the CLI's default output)."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported lazily: the command line loads only what its task needs
    from neurom2.filling.certificates import FillingResult
    from neurom2.model.architecture import Architecture
    from neurom2.real.membership import Membership
    from neurom2.variety.dimension import Dimension
    from neurom2.variety.neurovariety import Neurovariety


MAX_SHOWN = 20
"""Equations printed in the text output; --json has all."""


def format_dimension(result: Dimension) -> str:
    """The ``dim`` report."""
    space = result.space
    arch = result.architecture
    if result.proved:
        status = "proved: the exact rank reached the proved upper bound"
    else:
        status = f"below the proved upper bound {result.bound.value}; wrong with probability < {result.error_bound:.1e}"
    lines = [
        f"dimension of the neuromanifold of {arch}",
        f"  ambient space V    {space.describe()}  (dim {space.dim})",
        f"  parameters         {arch.n_params}  (continuous symmetries {arch.symmetry_dim})",
        f"  dimension          {result.dim}  (expected {result.expected_dim}, defect {result.defect}; {status})",
        f"  upper bound        {result.bound.value}  ({result.bound.reason})",
        f"  fills V over C     {'yes' if result.fills else 'no'}"
        + ("" if result.fills or result.bound.value < space.dim or not result.ranks else "  (probably; not proved)"),
        f"  method             {result.method}"
        + (f": ranks {', '.join(map(str, result.ranks))} modulo {', '.join(map(str, result.primes))}" if result.ranks else ""),
    ]
    if result.float_rank is not None:
        lines.append(f"  float cross-check  numerical rank {result.float_rank}")
    lines += [f"  note               {note}" for note in result.notes]
    lines.append(f"  {result.seconds:.3f} s")
    return "\n".join(lines)


def format_neurovariety(variety: Neurovariety) -> str:
    """The ``implicit`` report."""
    space = variety.space
    kind = "homogeneous part" if space.is_homogeneous else "all degrees " + ",".join(map(str, space.degrees))
    fills = "yes: the Zariski closure is V (the ideal is zero); real points may still be missed" if variety.fills else "no"
    lines = [
        f"neuromanifold of {variety.architecture}",
        f"  ambient space V    {space.describe()}  (dim {space.dim}; {kind}; coordinates c<output>_<exponents>)",
        f"  parameters         {variety.architecture.n_params}",
        f"  dimension          {variety.dim}  (expected {variety.expected_dim}, defect {variety.defect})",
        f"  fills V over C     {fills}",
    ]
    if variety.complete:
        lines.append(f"  ideal              complete ({variety.strategy}): {variety.proof}")
    else:
        lines.append(f"  ideal              all equations up to degree {variety.up_to_degree}, "
                     f"not proved complete ({variety.strategy}): {variety.proof}")
    if variety.equations:
        counts = Counter(variety.equation_degrees)
        degrees = ", ".join(f"{d}" if n == 1 else f"{d} (x{n})" for d, n in sorted(counts.items()))
        shown = variety.equations[:MAX_SHOWN]
        degree = variety.degree if variety.degree is not None else "unknown"
        plural = "s" if len(variety.equations) > 1 else ""
        lines.append(f"  degree             {degree} ({variety.degree_method})")
        lines.append(f"  equations          {len(variety.equations)} minimal generator{plural} over QQ, of degree {degrees}")
        lines += [f"    {eq.as_expr()} = 0" for eq in shown]
        if len(variety.equations) > len(shown):
            lines.append(f"    ... and {len(variety.equations) - len(shown)} more (all of them with --json)")
    if variety.verification:
        lines.append(f"  verified           {variety.verification.describe()}")
    else:
        lines.append("  verified           no (--no-verify)")
    macaulay2 = f"Macaulay2 {variety.m2_version}, " if variety.m2_version else "without Macaulay2, "
    lines.append(f"  {macaulay2}{sum(variety.timings.values()):.2f} s")
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
    failed = len(outcomes) - passed
    lines.append(f"{passed}/{len(outcomes)} claims PASS" + ("" if failed == 0 else f", {failed} FAIL"))
    return "\n".join(lines)


def format_membership(result: Membership) -> str:
    """The CLI's human-readable rendering of a :class:`Membership`."""
    from neurom2.real.membership.result import METHOD_FIBERS, METHOD_RANK

    arch, space = result.architecture, result.target.space
    answer = result.answer
    over = "real" if result.field == "real" else "complex"
    if result.member is False and result.method == METHOD_FIBERS and result.field == "real":
        if all(c.get("dim", 0) < 0 for c in result.certificate.get("charts", [])):
            answer += " (not even over C)"
    lines = [
        f"membership of {result.target} in the neuromanifold of {arch}",
        f"  ambient space V    {space.describe()}  (dim {space.dim})",
        f"  field              {result.field} (weights in {'R' if over == 'real' else 'C'})",
        f"  answer             {answer}" + (f": {result.reason}" if result.reason else ""),
        f"  method             {result.method}",
    ]
    if result.weights is not None:
        lines.append(f"  weights            {_format_layers(arch, result.weights)}")
        if result.algebraic_weights:
            described = [f"{name} = root of {a['minimal_polynomial']} in [{a['interval'][0]}, {a['interval'][1]}]"
                         for name, a in zip(arch.weight_names, result.algebraic_weights) if a]
            lines.append("  algebraic          " + "; ".join(described))
        point = result.certificate.get("point", {})
        verified = point.get("verified") or result.certificate.get("verified", "")
        lines.append(f"  verified           {verified}")
    lines += textwrap.wrap(result.certificate["method"], 110, initial_indent="  certificate        ",
                           subsequent_indent=" " * 21)
    if result.method == METHOD_RANK:
        c = result.certificate
        matrix = "[" + ", ".join("[" + ", ".join(row) + "]" for row in c["matrix"]) + "]"
        text = f"rank of the target's matrix {matrix}: {c['rank']} (at most {c['max_rank']} is reached)"
        if "minor" in c:
            minor = c["minor"]
            text += (f"; the minor on rows {minor['rows']} and columns {minor['columns']} is "
                     f"{minor['determinant']} != 0")
        lines.append("    " + text)
    for k, chart in enumerate(result.certificate.get("charts", []), start=1):
        fixed = ", ".join(f"{name} = {value}" for name, value in chart["fixed"].items()) or "no weight fixed"
        lines.append(f"    chart {k}  {fixed}: {_chart_text(chart)}")
    if "note" in result.certificate:
        lines.append(f"  note               {result.certificate['note']}")
    version = f"Macaulay2 {result.m2_version}, " if result.m2_version else ""
    lines.append(f"  {version}{result.seconds:.2f} s")
    return "\n".join(lines)


def _chart_text(chart: dict[str, Any]) -> str:
    dim = chart["dim"]
    if dim < 0:
        text = "empty over C (Gröbner basis {1}"
        if "nullstellensatz" in chart:
            text += "; Nullstellensatz cofactors verified"
        return text + ")"
    if dim == 0 or "eliminant" in chart:
        return (f"{chart['points_over_C']} point(s) over C, {chart['real_points']} real (eliminant "
                f"{_shorten(chart['eliminant'])} of u = {chart['separating_form']}: {chart['real_points']} real "
                f"root(s) by {chart['real_roots_counted_by']}; trace form signature {chart['real_points_trace_form']})")
    text = f"fiber of dimension {dim}, {chart.get('status', '')}"
    for s in chart.get("slices", []):
        fixed = ", ".join(f"{n} = {v}" for n, v in s["fixed"].items())
        text += f"; slice {fixed}: {s['points_over_C']} point(s) over C, {s['real_points']} real"
    critical = chart.get("critical_points")
    if critical:
        parts = [f"{c['status']}" + (f" ({c['points_over_C']} over C, {c['real_points']} real)" if "points_over_C" in c else "")
                 for c in critical.get("components", [])]
        text += f"; critical points of the distance to p = ({', '.join(critical['point'])}): " + (
            "; ".join(parts) if parts else critical.get("status", ""))
    return text


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 20] + f" ... ({len(text)} characters)"


def _format_layers(arch: Architecture, weights: Sequence[str]) -> str:
    parts, position = [], 0
    for l, (rows, cols) in enumerate(arch.weight_shapes, start=1):
        matrix = [list(weights[position + i * cols: position + (i + 1) * cols]) for i in range(rows)]
        position += rows * cols
        parts.append(f"W{l} = [" + ", ".join("[" + ", ".join(row) + "]" for row in matrix) + "]")
        if arch.bias:
            parts.append(f"b{l} = [" + ", ".join(weights[position:position + rows]) + "]")
            position += rows
    return "; ".join(parts)


MAX_REGIONS_SHOWN = 40
"""Regions printed by ``filling`` in text; --json has all, with their derivations."""


def format_filling(result: FillingResult) -> str:
    """``neurom2 filling``: the minimal architectures, whether unimodal, the regions and their certificates."""
    def widths(w: Sequence[int]) -> str:
        return "(" + ",".join(map(str, w)) + ")"

    hidden = ", ".join(f"a{j}" for j in range(1, result.depth))
    box = "all hidden widths" if result.whole_space else f"hidden widths ≤ {widths(result.box)} (--max-width)"
    lines = [
        f"minimal filling architectures (d0, {hidden}, dL) = ({result.input_dim}, ..., {result.output_dim}), "
        f"σ = {result.activation}, depth {result.depth}",
        f"  ambient space V    dim {result.ambient}",
        f"  searched           {box}; widths beyond {widths(result.caps)} compute nothing new (width cap)",
        f"  minimal            {len(result.minimal)} architecture{'s' if len(result.minimal) != 1 else ''}, each proved "
        "filling (Jacobian rank = dim V modulo primes, an exact lower bound)",
    ]
    for m in result.minimal:
        shape = "unimodal" if m.unimodal else "NOT unimodal"
        minimal = "minimal: every one-smaller neighbour proved not filling" if m.minimal_proved else \
            "minimality not proved (a neighbour lies in an open region)"
        lines.append(f"    {widths(m.widths):<28} {shape:<13} {minimal}")
    closed = sum(region.closed for region in result.regions)
    if result.complete:
        verdict = "yes: every other width tuple is proved not to fill, region by region (no probabilistic step)"
    elif result.complete_in_box:
        verdict = "within the searched box only: every other width tuple there is proved not to fill"
    else:
        verdict = (f"no: {len(result.open_regions)} open region(s) that no proved bound closes; the list is complete up "
                   "to them")
    lines.append(f"  complete           {verdict}")
    lines.append(f"  regions            {closed} closed, {len(result.open_regions)} open (a ≤ corner; 'any': every width)")
    shown = sorted(result.regions, key=lambda region: region.closed)[:MAX_REGIONS_SHOWN]
    for region in shown:
        if region.closed:
            lines.append(f"    {region.describe()}: dim ≤ {region.bound.value} < {result.ambient} [{region.bound.reason}]")
        else:
            rank = (f"rank {region.rank.rank} at the corner: probably not filling (wrong with probability < "
                    f"{region.rank.error_bound:.1e})" if region.rank else region.failure or "no rank")
            lines.append(f"    OPEN {region.describe()}: best proved bound {region.bound.value} ≥ {result.ambient}; {rank}")
    if len(result.regions) > len(shown):
        lines.append(f"    ... and {len(result.regions) - len(shown)} more closed regions (all of them with --json)")
    odd = result.not_unimodal
    if odd:
        lines.append(f"  unimodality        {len(odd)} of the {len(result.minimal)} {'is' if len(odd) == 1 else 'are'} not "
                     "unimodal, e.g. "
                     f"{widths(odd[0].widths)}: Conjecture 12 of Kileel, Trager and Bruna fails")
    else:
        lines.append("  unimodality        all unimodal")
    work = result.work
    lines.append(f"  work               {work.rank_jobs} rank jobs ({work.computed} computed now, the rest from the store "
                 f"{work.store}; {work.backend}), {work.rounds} round{'s' if work.rounds != 1 else ''}, {work.bound_evaluations} "
                 "bound evaluations; "
                 f"{work.seconds:.1f} s")
    return "\n".join(lines)


LISTED_POINTS = 20
"""The landscape report lists this many critical points, by loss (a linear network can have C(m, r) of them)."""


def format_landscape(result: Any) -> str:
    """The ``landscape`` report: data, the learning degree and its checks, the real critical points, the
    infimum over M(R) with what is proved, generic counts and the training runs."""
    arch, space, counts, inf = result.architecture, result.space, result.counts, result.infimum
    width = 110

    def wrapped(label: str, text: str) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=f"  {label:<19}", subsequent_indent=" " * 21) or [f"  {label}"]

    def vector(values: Sequence[float]) -> str:
        return "(" + ", ".join(f"{v:.6g}" for v in values) + ")"

    definite = "positive definite" if result.metric_rank == space.dim else "singular: a pseudometric"
    lines = [f"loss landscape of {arch}"]
    lines += wrapped("data", f"{result.dataset.to_json()['n_points']} points ({result.dataset.source or 'given'}); "
                             f"G = I ⊗ AᵀA of rank {result.metric_rank} of {space.dim} ({definite})")
    lines += wrapped("neuromanifold", f"dim {result.dim} in V = {space.describe()} (dim {space.dim})"
                     + (": fills V" if result.fills else f"; ideal: {result.ideal.get('equations')} equation(s) of degree "
                        f"{', '.join(map(str, result.ideal.get('degrees', [])))}"))
    degree = counts.learning_degree
    status = "proved" if counts.proved else "a proved lower bound, equal with high probability"
    lines += wrapped("learning degree", (f"{degree} ({status}): " if degree is not None else "not finite: ") + counts.method)
    checks = [f"modulo {m.prime}: {m.degree if m.dim == 0 else f'dimension {m.dim}'}" for m in counts.modular]
    if counts.numerical:
        numerical = counts.numerical
        checks.append("numerically: " + (f"{numerical['status']} (monodromy {numerical['monodromy_solutions']} solutions, "
                                         f"{numerical['on_X']} tracked to the data)" if "monodromy_solutions" in numerical
                                         else numerical["status"]))
    if checks:
        lines += wrapped("checks", "; ".join(checks))
    if result.minimizers:
        m = result.minimizers
        tried = ", ".join(f"{t['point'][:3]}...: {'reached' if t['reached'] else 'not shown reached'}" for t in m["tried"])
        lines += wrapped("minimizers", f"u + ker G, an affine space of dimension {m['dimension']} (basis in --json); " + tried)
    lines += wrapped("critical points", f"{len(result.critical_points)} real" + (
        f" of {degree}" if degree is not None else ""))
    # listed by loss, numbered as in .critical_points (the numbers the training lines refer to)
    listed = sorted(enumerate(result.critical_points, start=1), key=lambda item: item[1].loss)
    for k, p in listed[:LISTED_POINTS]:
        reached = {True: "reached by real weights", False: "not reached by real weights",
                   None: "reachability undecided"}[p.reached]
        kind = p.type + (f" (index {p.index})" if p.type == "saddle" else "")
        loss = f"{p.loss:.12g} (exactly {p.loss_interval})" if "/" in p.loss_interval else p.loss_interval
        lines.append(f"    {k}. {kind}, L = {loss}, {reached}")
        lines += textwrap.wrap(f"c = {vector(p.approximate)}", width, initial_indent=" " * 7, subsequent_indent=" " * 9)
        if p.weights:
            lines += textwrap.wrap(f"weights {', '.join(p.weights)}", width, initial_indent=" " * 7, subsequent_indent=" " * 9)
    if len(listed) > LISTED_POINTS:
        lines.append(f"    ... and {len(listed) - LISTED_POINTS} more, of higher loss (all in --json)")
    if inf.value is not None:
        status = {True: "attained", False: "NOT attained (only approached, as the weights go to infinity)",
                  None: "attainment undecided"}[inf.attained]
        lines += wrapped("infimum over M(R)", f"{inf.interval or inf.value}, {status}")
    else:
        bounds = f"between {inf.lower_bound:.10g} and {inf.upper_bound:.10g}" if inf.lower_bound is not None and \
            inf.upper_bound is not None else (f"≥ {inf.lower_bound:.10g}" if inf.lower_bound is not None else "unknown")
        lines += wrapped("infimum over M(R)", f"not decided: {bounds}")
    if inf.argmin is not None:
        lines += wrapped("argmin", f"on {inf.argmin_stratum}: c = {vector(inf.argmin)}"
                         + (f"; weights {', '.join(inf.weights)}" if inf.weights else ""))
    for step in inf.approach:
        if step.get("reached"):
            lines.append(f"    approach t = {step['t']}: L = {step['loss']:.12g} with exact real weights, ‖θ‖ = "
                         f"{step['weight_norm']:.4g}")
    lines += wrapped("proved", inf.proved)
    if inf.strata:
        lines += wrapped("strata", "; ".join(f"{s.stratum.label}: " + (f"{s.count} critical point(s), {s.real} real"
                                                                         if s.count is not None else s.note) for s in inf.strata))
        network = {True: "a network", False: "not a network", None: "reachability undecided"}
        for c in sorted(inf.candidates, key=lambda c: c.facts.loss):
            kind = c.facts.type + (f" (index {c.facts.index})" if c.facts.type == "saddle" else "")
            lines.append(f"    on {c.stratum}: {kind} on the stratum, L = {c.facts.loss_interval}, {network[c.reach.member]}")
    if "rank_strata" in inf.extra:
        lines += wrapped("strata", "; ".join(f"rank {s['rank']}: {s['critical_points'] or 'not isolated or not counted'} "
                                             f"critical point(s), least loss {s['least_loss']}"
                                             for s in inf.extra["rank_strata"]))
    if result.generic:
        g = result.generic
        text = f"learning degree {g.get('learning_degree')}"
        if "ed_degree_generic_metric" in g:
            text += (f"; ED degree for a generic symmetric metric {g['ed_degree_generic_metric']}, for the unit metric "
                     f"{g['ed_degree_unit_metric']}")
        if "eckart_young" in g:
            text += f"; Eckart–Young C(min(d0,dL), r) = {g['eckart_young']}"
        lines += wrapped("generic data", f"{text} ({g['method']})")
    for note in result.notes:
        lines += wrapped("note", note)
    if result.training is not None:
        lines += wrapped("training", result.training.format())
        for c in result.runs:
            point = f", at critical point {c.critical_point + 1}" if c.critical_point is not None else ""
            lines.append(f"    run {c.run.index + 1:>3}: {c.outcome:<10} L = {c.run.final_loss:.10g}, ‖θ‖ = "
                         f"{c.run.weight_norms[-1] if c.run.weight_norms else float('nan'):.3g}, rank dμ "
                         f"{c.run.jacobian_rank}{point}")
    lines.append(f"  {f'Macaulay2 {result.m2_version}' if result.m2_version else 'without Macaulay2'}, {result.seconds:.1f} s")
    return "\n".join(lines)
