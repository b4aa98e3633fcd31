"""The geometry task in a batch: job files with a list of parts, the result stored, shown and exported."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import float_rank

from neurom2.batch import ResultStore, parse_jobs, run_batch, write_rows
from neurom2.batch.results import format_table
from neurom2.model.architecture import Architecture

JOBS = """
[[job]]
task = "geometry"
widths = [3, 2, 1]
activation = "x^2"
only = ["fibers", "symmetries"]

[[grid]]
task = "geometry"
widths = [[2, 2, 1]]
activation = "x^3"
only = ["fibers"]
"""


def test_a_list_of_parts_is_the_same_job_as_the_comma_separated_text():
    listed, = parse_jobs(JOBS.split("[[grid]]")[0])
    written, = parse_jobs(JOBS.split("[[grid]]")[0].replace('["fibers", "symmetries"]', '"symmetries,fibers"'))
    assert listed.key == written.key and dict(listed.options)["only"] == "symmetries,fibers"


def test_in_a_grid_a_list_of_parts_is_one_value_and_a_list_of_lists_are_choices():
    grid = JOBS.split("[[grid]]")[1]
    (one,) = parse_jobs("[[grid]]" + grid.replace('["fibers"]', '["fibers", "symmetries"]'))
    assert dict(one.options)["only"] == "symmetries,fibers"
    two = parse_jobs("[[grid]]" + grid.replace('["fibers"]', '[["fibers"], ["symmetries", "fibers"]]'))
    assert [dict(job.options)["only"] for job in two] == ["fibers", "symmetries,fibers"]


@pytest.mark.macaulay2
def test_geometry_jobs_run_through_run_batch_and_are_stored(tmp_path):
    jobs = parse_jobs(JOBS)
    summary = run_batch(jobs, tmp_path / "geometry.sqlite", workers=1, progress=False)
    assert summary.ran["done"] == 2
    with ResultStore(tmp_path / "geometry.sqlite", write=False) as store:
        rows = {tuple(row.description["widths"]): row for row in store.rows()}
        out = io.StringIO()
        write_rows(store.rows(), out, "csv")
        table = format_table(store.rows())
    quadric, cubic = rows[(3, 2, 1)].result, rows[(2, 2, 1)].result
    # the fiber dimension is n − dim M, dim M checked by a float Jacobian rank in numpy
    assert quadric["fibers"]["fiber_dim"] == 8 - float_rank(Architecture.create("3,2,1", "x^2"))
    assert quadric["symmetries"]["continuous_dim"] == 2 and quadric["fibers"]["unexplained_dim"] == 1
    assert cubic["symmetries"] is None and cubic["fibers"]["orbits"] == 1
    assert cubic["fibers"]["fiber_dim"] == 6 - float_rank(Architecture.create("2,2,1", "x^3")) == 2
    exported = {line["widths"]: line for line in csv.DictReader(io.StringIO(out.getvalue()))}
    assert exported["3,2,1"]["identifiable"] == "false" and exported["3,2,1"]["unexplained_dim"] == "1"
    assert exported["2,2,1"]["identifiable"] == "true" and exported["2,2,1"]["orbits"] == "1"
    assert "identifiable: no (fiber dim 3, 1 more than G's orbits)" in table
    assert "identifiable: yes (1 orbit, 2 points, Groebner)" in table
