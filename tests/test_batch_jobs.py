"""Job files: grids expand to their product, keys identify jobs, and every invalid file is rejected with
``FILE:LINE: reason`` and exit status 2 before anything runs (no store is created).  No Macaulay2 needed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from neurom2.batch import Job, JobFileError, load_jobs, parse_jobs
from neurom2.batch.jobs import DEFAULT_TIMEOUT, default_wall_timeout
from neurom2.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

DESIGN_GRID = """
[[grid]]
task = "dim"
input = [2, 3]
hidden = [[2], [3], [2, 2], [3, 3]]
output = [1]
activation = ["x^2", "x^3"]
bias = [false, true]
"""


def test_grid_is_the_product_of_its_lists_in_field_order():
    jobs = parse_jobs(DESIGN_GRID)
    assert len(jobs) == 2 * 4 * 1 * 2 * 2
    assert len({job.key for job in jobs}) == len(jobs)
    described = [(job.widths, job.activation, job.bias) for job in jobs[:5]]
    assert described == [((2, 2, 1), "x^2", False), ((2, 2, 1), "x^2", True), ((2, 2, 1), "x^3", False),
                         ((2, 2, 1), "x^3", True), ((2, 3, 1), "x^2", False)]
    assert jobs[-1].widths == (3, 3, 3, 1)


def test_hidden_range_gives_every_width_list_of_each_depth():
    jobs = parse_jobs('[[grid]]\ntask = "dim"\ninput = 2\noutput = 1\nhidden = {min = 1, max = 3, depth = [0, 1, 2]}\n')
    assert [job.widths for job in jobs][:5] == [(2, 1), (2, 1, 1), (2, 2, 1), (2, 3, 1), (2, 1, 1, 1)]
    assert len(jobs) == 1 + 3 + 9


def test_same_job_written_differently_has_the_same_key():
    spellings = [
        '[[job]]\ntask = "member"\nwidths = [2, 2, 1]\nactivation = "x^3"\ntarget = "x^3 - x*y^2"\n',
        '[[job]]\ntask = "member"\nwidths = "2, 2, 1"\nactivation = "x**3"\ntarget = "x1**3 - x1*x2^2"\n'
        'field = "real"\nseed = 0\nbias = false\n',
        '[defaults]\nactivation = "1*x^3"\ntimeout = 5\n[[grid]]\ntask = ["member"]\ninput = 2\nhidden = [[2]]\n'
        'output = 1\ntarget = ["-x*y^2 + x^3"]\n',
    ]
    keys = {parse_jobs(text)[0].key for text in spellings}
    assert len(keys) == 1


def test_limits_are_not_part_of_the_key_but_options_are():
    base = Job.create("implicit", [2, 2, 1], "x^2")
    assert Job.create("implicit", [2, 2, 1], "x^2", timeout=5, wall_timeout=7).key == base.key
    assert Job.create("implicit", [2, 2, 1], "x^2", seed=1).key != base.key
    assert Job.create("implicit", [2, 2, 1], "x^2", strategy="eliminate").key != base.key
    assert Job.create("implicit", [2, 2, 1], "x^2", True).key != base.key
    assert Job.create("dim", [2, 2, 1], "x^2").key != base.key


def test_key_is_sha256_of_the_canonical_json_of_the_identity():
    job = Job.create("dim", "3,2,1", "x**2")
    identity = {"task": "dim", "widths": [3, 2, 1], "activation": "x^2", "bias": False, "seed": 0, "float_check": False}
    assert job.identity == identity
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    assert job.key == hashlib.sha256(text.encode()).hexdigest()
    assert job.description == {**identity, "force": False, "timeout": DEFAULT_TIMEOUT,
                               "wall_timeout": default_wall_timeout(DEFAULT_TIMEOUT)}


def test_defaults_apply_only_where_the_option_exists():
    text = ('[defaults]\nstrategy = "eliminate"\ntimeout = 9\n[[grid]]\ntask = ["dim", "implicit"]\nwidths = [2, 2, 1]\n'
            '[[job]]\ntask = "implicit"\nwidths = [3, 2, 1]\nstrategy = "interpolate"\nmax_degree = 3\nwall_timeout = 50\n')
    grid_dim, grid_implicit, job = parse_jobs(text)
    assert "strategy" not in grid_dim.identity
    assert grid_implicit.identity["strategy"] == "eliminate" and grid_implicit.timeout == 9
    assert grid_implicit.wall_timeout == default_wall_timeout(9)
    assert job.identity["strategy"] == "interpolate" and job.identity["max_degree"] == 3 and job.wall_timeout == 50


def test_jobs_keep_the_order_of_the_file_across_job_and_grid_tables():
    text = ('[[grid]]\ntask = "dim"\nwidths = [[2, 2, 1], [3, 2, 1]]\n[[job]]\ntask = "dim"\nwidths = [4, 1]\n'
            '[[grid]]\ntask = "dim"\nwidths = [5, 1]\n')
    assert [job.widths for job in parse_jobs(text)] == [(2, 2, 1), (3, 2, 1), (4, 1), (5, 1)]


def test_examples_are_valid_job_files():
    single = load_jobs(EXAMPLES / "single.toml")
    assert {job.task for job in single} == {"dim", "implicit", "member"}
    sweep = load_jobs(EXAMPLES / "sweep.toml")
    assert len(sweep) == 320 and {job.task for job in sweep} == {"dim"}
    limits = load_jobs(EXAMPLES / "limits.toml")
    assert [job.wall_timeout for job in limits] == [default_wall_timeout(1), 2, default_wall_timeout(DEFAULT_TIMEOUT)]


INVALID = [
    # (file text, line, fragment of the reason)
    ('[[job]]\ntask = "dim"\nwidths = [2, 2, 1]\n\n[[job]]\ntask = "dimm"\nwidths = [2, 1]\n', 6,
     "job 2: unknown task 'dimm' (choose dim, implicit, member, landscape, geometry)"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 2\n', 3, "TOML syntax: unclosed array"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 2, 1]\ntask = "implicit"\n', 4, "TOML syntax: cannot overwrite a value (column"),
    ('[[job]]\ntask = "member"\nwidths = [2, 2, 1]\nactivation = "x^3"\n', 1, "job 1: member needs target"),
    ('[[job]]\ntask = "member"\nwidths = [2, 2, 1]\nactivation = "x^3"\ntarget = "x^2"\n', 5,
     "job 1: target: the target has the monomial x1^2 of degree 2, which is not in the ambient space"),
    ('[[grid]]\ntask = "dim"\nwidths = [2, 2, 1]\nactivation = ["x^2",\n  "tanh(x)"]\n', 4,
     "grid 1: activation: 'tanh(x)' is not a polynomial"),
    ('[[job]]\ntask = "dim"\n\nwidths = [2, 0, 1]\n', 4, "job 1: widths must be positive integers, got 0"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\nwidht = 3\n', 4, "job 1: unknown field 'widht' (did you mean 'widths'?)"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\nstrategy = "eliminate"\n', 4,
     "job 1: strategy applies only to implicit jobs, not to dim"),
    ('[[grid]]\ntask = "dim"\ninput = 2\nhidden = [2, 3]\noutput = 1\n', 4, "write [[2, 3]] for one network"),
    ('[[grid]]\ntask = "dim"\ninput = 2\nhidden = {min = 3, max = 2, depth = 1}\noutput = 1\n', 4, "max 2 is below min 3"),
    ('[[grid]]\ntask = "dim"\nwidths = [2, 1]\nactivation = []\n', 4, "grid 1: activation is an empty list"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\ninput = 2\n', 4, "give either widths or input/hidden/output, not both"),
    ('[[job]]\ntask = "dim"\nactivation = "x^2"\n', 1, "job 1: no widths"),
    ('[[job]]\ntask = "implicit"\nwidths = [2, 2, 1]\ntimeout = -1\n', 4, "timeout must be a positive number of seconds, got -1"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\nseed = -3\n', 4, "seed must be a non-negative integer, got -3"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\nbias = "yes"\n', 4, "bias must be true or false, got text"),
    ('[[job]]\ntask = "implicit"\nwidths = [2, 2, 1]\nstrategy = "fast"\n', 4, "unknown strategy 'fast' (choose auto, eliminate"),
    ('[[job]]\ntask = "dim"\nwidths = [2, 1]\n\n[jobs]\ntask = "dim"\n', 5, "unknown table 'jobs' (did you mean 'job'?)"),
    ('[job]\ntask = "dim"\nwidths = [2, 1]\n', 1, "job must be written as tables [[job]]"),
    ('[defaults]\nseeed = 1\n[[job]]\ntask = "dim"\nwidths = [2, 1]\n', 2,
     "defaults: unknown field 'seeed' (did you mean 'seed'?)"),
    ('[[grid]]\ntask = "dim"\ninput = 2\nhidden = {min = 1, max = 20, depth = 4}\noutput = 1\n'
     'seed = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n',
     1, "more than 1,000,000"),
]


@pytest.mark.parametrize("text, line, reason", INVALID, ids=[reason.split(":")[0][:40] for _, _, reason in INVALID])
def test_invalid_job_file_is_rejected_with_file_line_and_reason(tmp_path, capsys, text, line, reason):
    path = tmp_path / "jobs.toml"
    path.write_text(text)
    db = tmp_path / "results.sqlite"
    assert main(["batch", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}: " in err and reason in err, err
    problem = [l for l in err.splitlines() if l.startswith(f"{path}:{line}: ")]
    assert any(reason in l for l in problem), err
    assert err.strip().splitlines()[-1].startswith(f"neurom2: error: invalid job file {path}")
    assert "Traceback" not in err
    assert not db.exists(), "nothing may run (nor a store be created) for an invalid job file"


def test_file_level_problems_have_no_line(tmp_path, capsys):
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing\n")
    assert main(["batch", str(empty), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert f"{empty}: no [[job]] or [[grid]] tables: nothing to run" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read the job file" in capsys.readouterr().err
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[[job]]\ntask = "dim"\n# caf\xe9\n')
    assert main(["batch", str(latin)]) == 2
    assert f"{latin}:3: not UTF-8 text" in capsys.readouterr().err


def test_every_problem_of_a_file_is_reported_at_once():
    text = ('[[job]]\ntask = "dimm"\nwidths = [2, 1]\n'
            '[[job]]\ntask = "dim"\nwidths = [2, 0, 1]\nstrategy = "auto"\n'
            '[[grid]]\ntask = "dim"\nwidths = [2, 1]\nactivation = ["tanh", "x^", "x^2"]\n')
    with pytest.raises(JobFileError) as caught:
        parse_jobs(text, "f.toml")
    lines = caught.value.lines()
    assert [l.split(":")[1] for l in lines] == ["2", "6", "7", "11", "11"], lines
    assert lines[0] == "f.toml:2: job 1: unknown task 'dimm' (choose dim, implicit, member, landscape, geometry)"
