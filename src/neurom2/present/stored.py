"""Stored batch results typeset: the summary of one row (:class:`~neurom2.batch.store.ResultRow`) and
:class:`ResultTable`, rows of a results store as an HTML table or a LaTeX ``tabular``."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neurom2.latex import table
from neurom2.present.display import equation_rows
from neurom2.typeset import TABLE_CLASS, Row, Style, Summary

if TYPE_CHECKING:
    from neurom2.batch.store import ResultRow


def result_row_summary(row: ResultRow, style: Style) -> Summary:
    """A stored job: its network, status and answer, the headline numbers and, for ``implicit``, the equations."""
    from neurom2.batch.results import RESULT_FIELDS, answer

    d, result = row.description, row.result or {}
    widths = ",".join(map(str, d.get("widths", [])))
    rows: list[Row] = [
        Row("status", (row.status,)),
        Row("answer", (answer(row),)),
        *(Row(name.replace("_", " "), (str(result[name]),)) for name in RESULT_FIELDS if result.get(name) is not None),
    ]
    if row.task == "implicit" and result.get("equations") and "coordinates" in result:
        rows += _stored_equations(result, style)
    rows += [
        Row("key", (row.key,)),
        Row("computed", (f"{row.seconds or 0:.2f} s on {row.host}, neurom2 {row.neurom2_version}"
                         + (f", Macaulay2 {row.m2_version}" if row.m2_version else ""),)),
    ]
    title = (f"{row.task}: widths ({widths}), activation {d.get('activation')}, "
             f"{'with' if d.get('bias') else 'no'} biases",)
    return Summary(title, tuple(rows))


def _stored_equations(result: dict, style: Style) -> list[Row]:
    """The equations of a stored ``implicit`` result (sympy text over the stored coordinates), typeset."""
    import sympy

    from neurom2.model.space import AmbientSpace

    coordinates = result["coordinates"]
    n_inputs = len(coordinates[0]["exponents"])
    space = AmbientSpace(n_inputs, tuple(sorted({sum(c["exponents"]) for c in coordinates})),
                         max(c["output"] for c in coordinates))
    symbols = [sympy.Symbol(c["name"]) for c in coordinates]
    equations = [sympy.Poly(sympy.sympify(text, locals={s.name: s for s in symbols}), *symbols)
                 for text in result["equations"]]  # written by neurom2 itself into the store
    return list(equation_rows(equations, space, style, fills=False))



@dataclass(frozen=True)
class ResultTable:
    """Rows of a results store as one table: HTML in a notebook, a LaTeX ``tabular`` for a paper.

    Columns: task, status, widths, activation, bias, then those of :data:`neurom2.batch.results.RESULT_FIELDS`
    that some row's result has (empty where a task has none).
    """

    rows: tuple[ResultRow, ...]

    @classmethod
    def read(cls, path: Any, *, status: str | None = None, task: str | None = None) -> ResultTable:
        """The rows of the store at ``path`` (read-only), filtered by status and task."""
        from neurom2.batch.store import ResultStore

        with ResultStore(path, write=False) as store:
            return cls(tuple(store.rows(status=status, task=task)))

    def _fields(self) -> list[str]:
        from neurom2.batch.results import RESULT_FIELDS

        return [name for name in RESULT_FIELDS if any((row.result or {}).get(name) is not None for row in self.rows)]

    def cells(self) -> list[list[str]]:
        """One list of cell texts per row, in the order of :meth:`header`."""
        fields = self._fields()
        table = []
        for row in self.rows:
            d, result = row.description, row.result or {}
            values = [result.get(name) for name in fields]
            table.append([row.task, row.status, ",".join(map(str, d.get("widths", []))), str(d.get("activation")),
                          "yes" if d.get("bias") else "no",
                          *("" if v is None else "yes" if v is True else "no" if v is False else str(v) for v in values)])
        return table

    def header(self) -> list[str]:
        """The column names: task, status, network, then the result fields of the rows' tasks."""
        return ["task", "status", "widths", "activation", "bias", *self._fields()]

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header())
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>" for cells in self.cells())
        return f'<table class="{TABLE_CLASS}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'

    def to_latex(self) -> str:
        """A ``tabular`` that fits a page (:func:`neurom2.latex.table`), cells escaped."""
        return table(self.header(), self.cells())
