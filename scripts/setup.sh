#!/usr/bin/env bash
# Set up neurom2 on Debian/Ubuntu (Macaulay2 from the distribution, neurom2 in ./.venv), then act:
#   bash scripts/setup.sh          set up, then run the main job on its built-in default
#   bash scripts/setup.sh test     set up (also pdflatex: texlive-latex-base), then run the linter, the type checker and the test suite (stops at the first failure)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
packages=()
command -v M2 >/dev/null 2>&1 || packages+=(macaulay2)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv)
[ "$mode" != test ] || command -v pdflatex >/dev/null 2>&1 || packages+=(texlive-latex-base)  # the LaTeX tests compile with it
if [ "${#packages[@]}" -gt 0 ]; then
    echo "setup: installing ${packages[*]} (Debian packages, no recommends)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,plot]'
echo "setup: $(M2 --version 2>/dev/null | head -1 | sed 's/^/Macaulay2 /'), $(.venv/bin/neurom2 --version)"

case "$mode" in
    demo) exec .venv/bin/neurom2 reproduce ;;
    test)
        .venv/bin/ruff check src tests benchmarks
        .venv/bin/mypy
        exec .venv/bin/python -m pytest -q ;;
    *) echo "usage: bash scripts/setup.sh [demo|test]" >&2; exit 2 ;;
esac
