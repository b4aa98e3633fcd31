"""The Macaulay2 package Neurom2 on its own: same parametrization as Python, its TESTs, its docs."""

import subprocess

import pytest
import sympy

from neurom2 import Architecture, Macaulay2Error, Parametrization
from neurom2.exact.terms import polynomial_from_terms
from neurom2.m2 import codegen, package

PACKAGE = codegen.package_file()
LOAD = f'loadPackage("Neurom2", FileName => {codegen.m2_string(str(PACKAGE))})'


@pytest.fixture(scope="module")
def m2(session):
    session.load_package(PACKAGE)
    return session


@pytest.mark.parametrize(
    "widths, activation, bias",
    [
        ("2,2,1", "x^3", False),
        ("3,2,3", "x", False),
        ("2,2,1", "x^2", True),
        ("2,3,2,1", "1/2*x^2 - x + 3", True),
        ("1,2,2", "x^2+x", False),
    ],
)
def test_macaulay2_builds_the_same_parametrization_as_python(m2, widths, activation, bias):
    arch = Architecture.create(widths, activation, bias)
    param = Parametrization(arch)
    coordinates, images = package.parametrization(m2, arch)
    assert coordinates == [[c.output, *c.exponents] for c in param.space.coordinates]
    weights = sympy.symbols(arch.weight_names)
    ours = [sympy.Poly(p, *weights, domain="QQ") for p in param.sympy_polynomials()]
    theirs = [polynomial_from_terms(terms, weights) for terms in images]
    assert ours == theirs


def test_package_checks_its_arguments(m2):
    with pytest.raises(Macaulay2Error, match="at least two positive integers"):
        m2.run("neuralNetwork({2}, {0,1})")
    with pytest.raises(Macaulay2Error, match="non-constant"):
        m2.run("neuralNetwork({2,1}, {5,0})")


def test_package_tests_pass_with_check(tmp_path):
    script = tmp_path / "check.m2"
    script.write_text(f'{LOAD}\ncheck "Neurom2"\n')
    result = subprocess.run(["M2", "--script", str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("capturing check") >= 4


def test_package_documentation_builds_and_its_examples_run(tmp_path):
    script = tmp_path / "install.m2"
    script.write_text(
        f'installPackage("Neurom2", FileName => {codegen.m2_string(str(PACKAGE))}, '
        f'InstallPrefix => {codegen.m2_string(str(tmp_path / "prefix"))} | "/", RunExamples => true, '
        "IgnoreExampleErrors => false, CheckDocumentation => true, MakeInfo => false, MakePDF => false)\n"
    )
    result = subprocess.run(["M2", "--script", str(script)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    html = list((tmp_path / "prefix").rglob("_neuromanifold__Ideal.html"))
    assert html and "o2 = (8, 3)" in html[0].read_text()  # the example ran: (dim, degree) of the 3x3 determinant
