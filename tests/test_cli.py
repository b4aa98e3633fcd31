"""The ``neurom2`` command line, against the real Macaulay2.

Bad input is checked in-process through ``neurom2.cli.main`` (fast); the exit status of the real
program, the JSON of a full run and a missing Macaulay2 are checked through subprocesses; the ``--format m2``
scripts are run with ``M2 --script``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import neurom2
from neurom2.cli import main

M2 = shutil.which(os.environ.get("NEUROM2_M2") or "M2")
SUBPROCESS_TIMEOUT = 120


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "neurom2.cli", *args],
        capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT, env=env,
    )


def run_m2_script(path: Path) -> subprocess.CompletedProcess:
    assert M2 is not None, "Macaulay2 is required by these tests"
    return subprocess.run([M2, "--script", str(path)], capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)


def assert_one_line_error(err: str, *fragments: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("neurom2: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} missing from {lines[0]!r}"


def cli_json(capsys, *args: str) -> dict:
    """Run ``neurom2 implicit ARGS --json`` in-process; exit 0 and one JSON object on stdout."""
    code = main(["implicit", *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    return json.loads(out)


# --- bad input: exit 2, one line on stderr, no traceback ---------------------------------------------------

BAD_INPUTS = [
    pytest.param(["--activation", "tanh(x)"], ("'tanh(x)' is not a polynomial", "tanh"), id="tanh"),
    pytest.param(["--activation", "relu"], ("relu names a non-polynomial activation",), id="relu"),
    pytest.param(["--activation", "exp(x)"], ("'exp(x)' is not a polynomial", "exp"), id="exp"),
    pytest.param(["--activation", "x^-1"], ("negative exponent -1",), id="negative-exponent"),
    pytest.param(["--activation", "x^(1/2)"], ("fractional exponent 1/2",), id="fractional-exponent"),
    pytest.param(["--activation", "abs(x)"], ("'abs(x)' is not a polynomial", "abs"), id="abs"),
    pytest.param(["--activation", "3"], ("constant activation '3'",), id="constant"),
    pytest.param(["--activation", "x*y"], ("univariate", "second variable 'y'"), id="second-variable"),
    pytest.param(["--activation", "x^"], ("malformed activation 'x^'", "text ended"), id="malformed"),
    pytest.param(["--widths", "2,0,1"], ("positive integers", "got 0"), id="zero-width"),
    pytest.param(["--widths", "2,a,1"], ("positive integers", "'a'"), id="letter-width"),
    pytest.param(["--widths", "2"], ("at least two widths",), id="one-width"),
    pytest.param(["--timeout", "-1"], ("--timeout: must be a positive number",), id="negative-timeout"),
    pytest.param(["--emit-m2", "ideal.m2"], ("--emit-m2 was removed", "--format m2 > FILE"), id="removed-emit-m2"),
]


@pytest.mark.parametrize("args, fragments", BAD_INPUTS)
def test_bad_input_exits_2_with_a_one_line_message_naming_the_cause(capsys, args, fragments):
    code = main(["implicit", *args])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert_one_line_error(err, *fragments)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--activation", "tanh(x)"], "is not a polynomial"),
        (["--timeout", "-1"], "--timeout: must be a positive number"),
    ],
    ids=["tanh", "negative-timeout"],
)
def test_the_real_program_exits_2_on_bad_input_without_traceback(args, fragment):
    result = run_cli("implicit", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert_one_line_error(result.stderr, fragment)


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_timeout_is_a_usage_error(capsys, value):
    code = main(["implicit", "--timeout", value])
    _, err = capsys.readouterr()
    assert code == 2
    assert_one_line_error(err, "--timeout")


def test_superscript_digit_width_is_a_usage_error(capsys):
    code = main(["implicit", "--widths", "2,²"])
    _, err = capsys.readouterr()
    assert code == 2
    assert_one_line_error(err, "positive integers")


def test_negative_seed_is_a_usage_error(capsys):
    code = main(["implicit", "--seed", "-1"])
    _, err = capsys.readouterr()
    assert code == 2
    assert_one_line_error(err, "seed")


# --- a full run as a subprocess: JSON -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def linear_323():
    """``neurom2 implicit --widths 3,2,3 --activation x --json`` as a real program."""
    result = run_cli("implicit", "--widths", "3,2,3", "--activation", "x", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


@pytest.mark.macaulay2
def test_json_of_linear_323_has_the_documented_keys_and_values(linear_323):
    data = linear_323
    for key in ["widths", "activation", "bias", "ambient_dim", "coordinates", "dim", "expected_dim", "fills",
                "degree", "equations", "m2_version", "seed", "seconds", "verified"]:
        assert key in data, key
    assert data["widths"] == [3, 2, 3] and data["seed"] == 0
    assert data["activation"] == "x"
    assert data["bias"] is False
    assert data["ambient_dim"] == 9
    assert data["dim"] == 8
    assert data["expected_dim"] == 8
    assert data["fills"] is False
    assert data["degree"] == 3
    assert len(data["equations"]) == 1
    assert data["verified"] is True
    assert data["m2_version"] is None  # a hypersurface: interpolated and proved without Macaulay2
    assert isinstance(data["seconds"], (int, float)) and data["seconds"] >= 0
    assert len(data["coordinates"]) == 9
    for coordinate in data["coordinates"]:
        assert set(coordinate) == {"name", "output", "exponents"}
    assert sorted((c["output"], tuple(c["exponents"])) for c in data["coordinates"]) == sorted(
        (k, tuple(int(i == j) for j in range(3))) for k in (1, 2, 3) for i in range(3)
    )


@pytest.mark.macaulay2
def test_equation_of_linear_323_is_the_determinant_of_the_3x3_coefficient_matrix(linear_323):
    data = linear_323
    symbol = {(c["output"], tuple(c["exponents"])): sympy.Symbol(c["name"]) for c in data["coordinates"]}
    unit = [tuple(int(i == j) for j in range(3)) for i in range(3)]
    determinant = sympy.Matrix(3, 3, lambda k, i: symbol[(k + 1, unit[i])]).det()
    equation = sympy.sympify(data["equations"][0], locals={s.name: s for s in symbol.values()})
    assert equation.free_symbols <= set(symbol.values())
    assert sympy.expand(equation - determinant) == 0 or sympy.expand(equation + determinant) == 0


# --- --format m2: the ideal neurom2 computed, checked by Macaulay2 against an independent kernel -------------

SHALLOW_KERNEL = """
-- Independent of neurom2: the kernel of the coefficient map of x -> sum_j b_j (a_j . x)^{r}, widths ({n},{h},1),
-- each variable c_(1,e) of R sent to the coefficient of x^e.
W = QQ[a_(1,1)..a_({h},{n}), b_1..b_{h}];
X = W[x_1..x_{n}];
f = sum({h}, j -> b_(j+1) * (sum({n}, i -> a_(j+1,i+1) * x_(i+1)))^{r});
images = apply(gens R, v -> coefficient(product({n}, i -> x_(i+1)^((last baseName v)#(i+1))), f));
print("same ideal " | toString(I == kernel map(W, R, images)));
"""


@pytest.mark.macaulay2
@pytest.mark.parametrize("widths, power", [((2, 2, 1), 4), ((2, 2, 1), 5), ((3, 2, 1), 3)],
                         ids=["hypersurface", "certificate-4-quartics", "certificate-20-cubics"])
def test_format_m2_writes_the_ideal_neurom2_computed_and_macaulay2_finds_it_is_the_kernel(capsys, tmp_path, widths, power):
    arch = ["--widths", ",".join(map(str, widths)), "--activation", f"x^{power}"]
    data = cli_json(capsys, *arch)
    assert main(["implicit", *arch, "--format", "m2"]) == 0
    script = capsys.readouterr().out
    assert not re.search(r'"/|needsPackage|loadPackage', script)  # self-contained: no package, no absolute path
    path = tmp_path / "ideal.m2"
    path.write_text(script + SHALLOW_KERNEL.format(n=widths[0], h=widths[1], r=power))
    result = run_m2_script(path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"dim {data['dim']}", f"degree {data['degree']}", "same ideal true"]


# --- other options -----------------------------------------------------------------------------------------


@pytest.mark.macaulay2
def test_text_output_of_221_x2_states_dimension_3_and_that_it_fills_v(capsys):
    code = main(["implicit", "--widths", "2,2,1", "--activation", "x^2"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert re.search(r"^\s*dimension\s+3\b", out, re.MULTILINE), out
    assert re.search(r"fills V over C\s+yes", out), out


@pytest.mark.macaulay2
def test_no_verify_reports_verified_false(capsys):
    data = cli_json(capsys, "--widths", "2,2,1", "--activation", "x^3", "--no-verify")
    assert data["verified"] is False
    assert data["verification"] is None
    assert data["dim"] == 4


@pytest.mark.macaulay2
def test_small_computation_succeeds_within_a_timeout(capsys):
    data = cli_json(capsys, "--widths", "2,2,1", "--activation", "x^2", "--timeout", "30")
    assert data["dim"] == 3
    assert data["fills"] is True
    assert data["equations"] == []


def test_missing_macaulay2_exits_1_with_install_instructions():
    env = {**os.environ, "NEUROM2_M2": "/nonexistent/M2"}
    result = run_cli("implicit", "--widths", "2,2,1", "--strategy", "eliminate", env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert_one_line_error(result.stderr, "apt-get install", "macaulay2")


def test_version_flag_prints_the_package_version(capsys):
    assert main(["--version"]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == f"neurom2 {neurom2.__version__}"
