"""Reading results back: a text table, JSON, JSON Lines and CSV of the rows of a store.

JSON and JSON Lines give each row whole, with ``description`` and ``result`` as objects.  CSV gives one
flat line per row (:data:`CSV_COLUMNS`): the architecture, the headline numbers of the result (empty
where the task has none), provenance, then ``description`` and ``result`` as JSON text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from neurom2.batch.store import ResultRow

RESULT_FIELDS = ("dim", "expected_dim", "ambient_dim", "defect", "fills", "degree", "member")
"""Fields copied from the result JSON into CSV columns (when the task's result has them)."""
FIBER_FIELDS = ("identifiable", "orbits", "unexplained_dim")
"""Fields copied from a ``geometry`` result's ``fibers`` part into CSV columns (when that part was computed)."""
CSV_COLUMNS = ("key", "task", "status", "widths", "activation", "bias", *RESULT_FIELDS, *FIBER_FIELDS, "seconds", "error",
               "neurom2_version", "m2_version", "started", "finished", "host", "runs", "description", "result")
FORMATS = ("jsonl", "csv", "json")


def flat(row: ResultRow) -> dict[str, Any]:
    """One CSV line's values (see :data:`CSV_COLUMNS`)."""
    description, result = row.description, row.result or {}
    values: dict[str, Any] = {
        "key": row.key, "task": row.task, "status": row.status,
        "widths": ",".join(map(str, description.get("widths", []))),
        "activation": description.get("activation"), "bias": description.get("bias"),
    }
    values.update({name: result.get(name) for name in RESULT_FIELDS})
    fibers = result.get("fibers") or {}
    values.update({name: fibers.get(name) for name in FIBER_FIELDS})
    values.update({name: getattr(row, name) for name in ("seconds", "error", "neurom2_version", "m2_version",
                                                          "started", "finished", "host", "runs")})
    values["description"] = json.dumps(description, sort_keys=True)
    values["result"] = json.dumps(row.result, sort_keys=True, ensure_ascii=False) if row.result is not None else None
    return values


def write_rows(rows: Iterable[ResultRow], out: TextIO, format: str) -> int:
    """Write ``rows`` to ``out`` as ``jsonl``, ``csv`` or ``json`` (one array); returns the count."""
    count = 0
    if format == "jsonl":
        for row in rows:
            out.write(json.dumps(row.to_json(), sort_keys=True, ensure_ascii=False) + "\n")
            count += 1
    elif format == "json":
        items = [row.to_json() for row in rows]
        json.dump(items, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
        count = len(items)
    elif format == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(v) for k, v in flat(row).items()})
            count += 1
    else:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return count


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def answer(row: ResultRow) -> str:
    """The result in a few words (or the first line of the error)."""
    if row.status != "done" or row.result is None:
        first = (row.error or "").strip().splitlines()
        return first[0] if first else ""
    r = row.result
    if row.task == "member":
        said = {True: "yes", False: "no", None: "undecided"}[r.get("member")]
        return f"member: {said} ({r.get('field')}, {r.get('method')})"
    if row.task == "landscape":
        return _landscape_answer(r)
    if row.task == "geometry":
        return _geometry_answer(r)
    text = f"dim {r.get('dim')} of {r.get('ambient_dim')}"
    if r.get("fills"):
        text += ", fills V"
    elif r.get("defect"):
        text += f", defect {r['defect']}"
    if row.task == "implicit" and not r.get("fills"):
        equations = len(r.get("equations") or [])
        text += f", degree {r.get('degree')}, {equations} equation{'s' if equations != 1 else ''}"
    return text


def _landscape_answer(r: dict[str, Any]) -> str:
    """``learning degree 2, inf L = 207.131 attained``: the count and the infimum, as the result states them."""
    degree = r.get("learning_degree")
    infimum = r.get("infimum") or {}
    value, attained = infimum.get("value"), infimum.get("attained")
    text = f"learning degree {degree if degree is not None else 'unknown'}"
    if value is not None:
        text += f", inf L = {value:.6g} " + {True: "attained", False: "not attained", None: "(attainment undecided)"}[attained]
    return text


def _geometry_answer(r: dict[str, Any]) -> str:
    """``identifiable: yes (1 orbit, 6 points, Groebner)`` or the unexplained fiber dimension; else G's dimension."""
    fibers, group = r.get("fibers"), r.get("symmetries")
    if fibers is None:
        return f"G: dim {group['continuous_dim']}, finite order {group['finite_order']}" if group else ""
    said = {True: "yes", False: "no", None: "undecided"}[fibers.get("identifiable")]
    if fibers.get("unexplained_dim"):
        return f"identifiable: {said} (fiber dim {fibers['fiber_dim']}, {fibers['unexplained_dim']} more than G's orbits)"
    orbits, solutions = fibers.get("orbits"), fibers.get("solutions")
    if solutions is None:
        return f"identifiable: {said} (fiber dim {fibers['fiber_dim']} = G's orbits; orbits not counted)"
    method = (fibers.get("method") or "").split(" ")[0]
    return f"identifiable: {said} ({orbits} orbit{'s' if orbits != 1 else ''}, {solutions} points, {method})"


def format_table(rows: Iterable[ResultRow], width: int = 60) -> str:
    """An aligned text table: key prefix, task, status, architecture, answer, seconds."""
    header = ("key", "task", "status", "widths", "activation", "bias", "answer", "seconds")
    lines = [header]
    for row in rows:
        d = row.description
        text = answer(row)
        text = text if len(text) <= width else text[: width - 1] + "…"
        seconds = f"{row.seconds:.3f}" if row.seconds is not None else ""
        lines.append((row.key[:12], row.task, row.status, ",".join(map(str, d.get("widths", []))),
                      str(d.get("activation")), "yes" if d.get("bias") else "no", text, seconds))
    sizes = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(size) for cell, size in zip(line, sizes)).rstrip() for line in lines)
