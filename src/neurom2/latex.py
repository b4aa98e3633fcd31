"""LaTeX for a printed page: ASCII text, formulas broken into lines that fit, page breaks allowed.

A result's page fragment (``to_latex()``, ``neurom2 ... --format latex``) is text mode and compiles with
pdflatex in a document whose preamble is :data:`PREAMBLE` (``\\usepackage{amsmath,amssymb}`` and nothing else):

* the title as a bold paragraph, then a ``description`` list, one item per row (label, wrapped text with
  inline math that may break after ``+``, ``-``, ``=`` and ``,``);
* a row's displayed formulas (e.g. the equations ``F = 0`` of an ideal) in one top-level ``align*``, with
  ``\\allowdisplaybreaks`` in a group around it (inside, it would hold only for the first cell), so a large
  ideal runs over pages: one formula per row, a long formula split before its top-level ``+``/``-`` (and after
  ``, ``) into lines whose estimated width is at most :data:`LINE_WIDTH` points, continuation lines indented
  by ``\\quad``;
* every character ASCII: text is escaped (:func:`text`), Unicode letters and symbols become their LaTeX
  (``\\leq``, ``\\theta``, ``\\times``, ``\\mathbb{Q}``, accents); the word ``QQ`` (Macaulay2's rationals) is typeset
  :math:`\\mathbb{Q}`.

Widths are estimated from the LaTeX source at 10 pt (:func:`width`); the estimate is deliberately generous,
and the typesetting test compiles the fragments with pdflatex and bounds every overfull box.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

PREAMBLE = r"\documentclass{article}" "\n" r"\usepackage{amsmath,amssymb}"
"""The document a fragment is written for: the standard article class with amsmath and amssymb."""
PACKAGES = r"\usepackage{amsmath,amssymb}"
"""The only packages a fragment needs (stated in its leading comment)."""
LINE_WIDTH = 290.0
"""Estimated width, in points, of the widest line of a displayed formula (an article's text is 345 pt wide;
a description item takes 25 pt of it, the continuation indent 10 pt, the rest is the estimate's margin)."""
INDENT = r"\quad "
"""The indentation of a formula's continuation lines."""

SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
           "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
"""LaTeX's special characters, as text."""
TEXT_SYMBOLS = {"\u2013": "--", "\u2014": "---", "\u2018": "`", "\u2019": "'", "\u201c": "``", "\u201d": "''",
                "\u2026": r"\ldots{}", "\u00b0": r"\ensuremath{^\circ}", "\u00a0": "~", "<": r"\textless{}",
                ">": r"\textgreater{}", "|": r"\textbar{}", "\u2500": "-", "\u25ba": r"\ensuremath{\triangleright}",
                "\u2605": r"\ensuremath{\star}", "\u220e": r"\ensuremath{\blacksquare}"}
"""Unicode (and ASCII that the OT1 font lacks) set in text mode."""
MATH_SYMBOLS = {
    "\u2212": "-", "\u00d7": r"\times", "\u00b7": r"\cdot", "\u2264": r"\leq", "\u2265": r"\geq", "\u2260": r"\neq",
    "\u2248": r"\approx", "\u2261": r"\equiv", "\u2245": r"\cong", "\u00b1": r"\pm", "\u2016": r"\|", "\u2208": r"\in",
    "\u2209": r"\notin", "\u2282": r"\subset", "\u2286": r"\subseteq", "\u2287": r"\supseteq", "\u228a": r"\subsetneq",
    "\u2229": r"\cap", "\u222a": r"\cup", "\u22c3": r"\bigcup", "\u2218": r"\circ", "\u2297": r"\otimes", "\u2295": r"\oplus",
    "\u22a5": r"\perp", "\u27c2": r"\perp", "\u221e": r"\infty", "\u2202": r"\partial", "\u2207": r"\nabla",
    "\u221a": r"\surd", "\u2211": r"\sum", "\u220f": r"\prod", "\u2192": r"\to", "\u2190": r"\leftarrow",
    "\u21a6": r"\mapsto", "\u21e2": r"\dashrightarrow", "\u22ef": r"\cdots", "\u2032": r"\prime", "\u27e8": r"\langle",
    "\u27e9": r"\rangle", "\u2271": r"\ngeq", "\u2113": r"\ell", "\u00b5": r"\mu", "\u211a": r"\mathbb{Q}",
    "\u211d": r"\mathbb{R}", "\u2102": r"\mathbb{C}", "\u2124": r"\mathbb{Z}", "\u2115": r"\mathbb{N}",
    "\u03b5": r"\varepsilon", "\u03c6": r"\varphi", "\u03c2": r"\varsigma",
}
"""Unicode symbols set in math mode (Greek letters and super- and subscripts are found by name)."""
GREEK_NAMES = {"LAMDA": "lambda"}
"""Unicode's names of Greek letters where LaTeX spells them otherwise."""
GREEK_OTHERS = {"gamma", "delta", "theta", "lambda", "xi", "pi", "sigma", "upsilon", "phi", "psi", "omega"}
"""The Greek letters LaTeX has in both cases (``\\theta``, ``\\Theta``)."""
LATIN_CAPITALS = {"alpha": "A", "beta": "B", "epsilon": "E", "zeta": "Z", "eta": "H", "iota": "I", "kappa": "K", "mu": "M",
                  "nu": "N", "omicron": "O", "rho": "P", "tau": "T", "chi": "X"}
"""The Greek letters whose capital looks like a Latin one (LaTeX has only the small one, ``\\alpha``)."""
SCRIPT_NAMES = {"ZERO": "0", "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5", "SIX": "6", "SEVEN": "7",
                "EIGHT": "8", "NINE": "9", "PLUS SIGN": "+", "MINUS": "-", "EQUALS SIGN": "=", "LATIN SMALL LETTER I": "i",
                "LATIN SMALL LETTER N": "n"}
"""Unicode's names of super- and subscripts that are not a single letter."""
ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0308": '"', "\u0327": "c",
           "\u030c": "v"}
"""Combining accents as text accent commands (``\\"o``)."""
MATH_ACCENTS = {"\u0300": "grave", "\u0301": "acute", "\u0302": "hat", "\u0303": "tilde", "\u0304": "bar", "\u0308": "ddot",
                "\u030c": "check"}
"""Combining accents on a symbol set in math (``\\ddot{\\mathrm{I}}``)."""


def text(value: str) -> str:
    """``value`` as LaTeX text, ASCII only: special characters escaped, Unicode as LaTeX (module docstring)."""
    out: list[str] = []
    for ch in value:
        if ch in SPECIAL:
            out.append(SPECIAL[ch])
        elif ch in TEXT_SYMBOLS:
            out.append(TEXT_SYMBOLS[ch])
        elif ch.isascii():
            out.append(ch)
        elif ch in ACCENTS and out:
            out[-1] = _accented(out[-1], ch)
        elif ch not in MATH_SYMBOLS and _accents(ch):  # a letter with accents: é, ö, Greek with tonos
            base = unicodedata.normalize("NFD", ch)
            out.append(text(base[0]))
            for mark in base[1:]:
                out[-1] = _accented(out[-1], mark)
        else:
            out.append(rf"\ensuremath{{{symbol(ch)}}}")
    return re.sub(r"\bQQ\b", r"\\ensuremath{\\mathbb{Q}}", "".join(out))


def _accents(ch: str) -> bool:
    """Whether ``ch`` decomposes into a base character and accents LaTeX has (``≮`` has a slash: it does not)."""
    marks = unicodedata.normalize("NFD", ch)[1:]
    return bool(marks) and all(mark in ACCENTS for mark in marks)


def _accented(previous: str, mark: str) -> str:
    """The text ``previous`` (one character's LaTeX) with the combining accent ``mark``: a text accent on a
    letter (``\\"{o}``), a math accent on a symbol (``\\ensuremath{\\ddot{...}}``); an accent LaTeX lacks is dropped."""
    if len(previous) == 1 and previous.isalpha() and mark in ACCENTS:
        return f"\\{ACCENTS[mark]}{{{previous}}}"
    if previous.startswith(r"\ensuremath{") and mark in MATH_ACCENTS:
        return rf"\ensuremath{{\{MATH_ACCENTS[mark]}{{{previous[12:-1]}}}}}"
    return previous


def symbol(ch: str) -> str:
    """The math-mode LaTeX of a non-ASCII character: a symbol, a Greek letter, a super- or subscript; an
    unknown character as its code point in text (never raw Unicode)."""
    if ch in MATH_SYMBOLS:
        return MATH_SYMBOLS[ch]
    name = unicodedata.name(ch, "")
    greek = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER (\w+)", name)
    if greek:
        letter = GREEK_NAMES.get(greek[2], greek[2].lower())
        if letter in LATIN_CAPITALS and greek[1] == "CAPITAL":
            return rf"\mathrm{{{LATIN_CAPITALS[letter]}}}"
        if letter in LATIN_CAPITALS:
            return "o" if letter == "omicron" else "\\" + letter
        if letter in GREEK_OTHERS:
            return "\\" + (letter if greek[1] == "SMALL" else letter.capitalize())
    script = re.fullmatch(r"(SUPERSCRIPT|SUBSCRIPT|MODIFIER LETTER CAPITAL|MODIFIER LETTER SMALL) (.+)", name)
    if script:
        body = SCRIPT_NAMES.get(script[2], script[2])
        body = body.lower() if script[1] == "MODIFIER LETTER SMALL" else body
        if len(body) == 1:
            return ("_" if script[1] == "SUBSCRIPT" else "^") + f"{{{body}}}"
    return rf"\text{{[U+{ord(ch):04X}]}}"


# --- formulas ----------------------------------------------------------------------------------------------

TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}]|.", re.DOTALL)
ZERO = {r"\left", r"\right", r"\displaystyle", r"\mathbb", r"\mathcal", r"\mathrm", r"\allowbreak", r"\,", r"\!",
        r"\phantom"}
RELATIONS = {"=", "<", ">", r"\approx", r"\in", r"\notin", r"\leq", r"\geq", r"\neq", r"\equiv", r"\subseteq", r"\to",
             r"\mapsto", r"\mid"}
BINARY = {"+", "-", r"\cdot", r"\times", r"\otimes", r"\pm", r"\cap", r"\cup", r"\circ"}
WIDE = {r"\cdots": 13.0, r"\ldots": 13.0, r"\dots": 13.0, r"\quad": 10.0, r"\qquad": 20.0, r"\ ": 3.4, r"\;": 2.8,
        r"\|": 5.0, r"\infty": 10.0, r"\sum": 10.0, r"\inf": 12.0, r"\min": 18.0, r"\dim": 16.0}
NARROW = set(",.;:()[]|'!")


def width(formula: str, scale: float = 1.0) -> float:
    """An upper estimate, in points at 10 pt, of the width of ``formula`` (LaTeX math): letters 6 pt,
    punctuation 3.5 pt, binary operators and relations with their spacing 14 pt, scripts at 70 %, a fraction
    as its wider part (display style), ``\\text{...}`` 5.5 pt a character."""
    tokens = TOKEN.findall(formula)
    total, k = 0.0, 0

    def group(start: int) -> tuple[str, int]:
        """The source of the group or token at ``start`` and the index after it."""
        if start >= len(tokens):
            return "", start
        if tokens[start] != "{":
            return tokens[start], start + 1
        depth, end = 0, start
        while end < len(tokens):
            depth += {"{": 1, "}": -1}.get(tokens[end], 0)
            end += 1
            if depth == 0:
                break
        return "".join(tokens[start + 1:end - 1]), end

    while k < len(tokens):
        token = tokens[k]
        k += 1
        if token in ("^", "_"):
            body, k = group(k)
            total += 0.7 * width(body)
        elif token == r"\frac":
            numerator, k = group(k)
            denominator, k = group(k)
            total += max(width(numerator), width(denominator)) + 2
        elif token in (r"\text", r"\textit", r"\textbf", r"\mathrm"):
            body, k = group(k)
            total += 5.5 * len(body)
        elif token in ZERO or token in "{} " or token == "&":
            continue
        elif token in RELATIONS or token in BINARY:
            total += 14.0
        elif token in WIDE:
            total += WIDE[token]
        elif token in NARROW:
            total += 3.5
        else:
            total += 6.0 if not token.startswith("\\") else 9.0
    return total * scale


def pieces(formula: str) -> list[str]:
    """``formula`` cut where a line may break: before each ``+``/``-`` between terms and after each ``,``
    outside braces and ``\\left ... \\right``; the pieces concatenate back to ``formula``."""
    out, start, depth = [], 0, 0
    for match in TOKEN.finditer(formula):
        token, at = match[0], match.start()
        if token in ("{", r"\left"):
            depth += 1
        elif token in ("}", r"\right"):
            depth -= 1
        elif depth == 0 and token in "+-" and formula[at - 1:at] == " " and formula[at + 1:at + 2] == " " and at > start:
            out.append(formula[start:at])
            start = at
        elif depth == 0 and token == "," and formula[at + 1:at + 2] in (" ", "\\"):
            out.append(formula[start:at + 1])
            start = at + 1
    out.append(formula[start:])
    return [p for p in out if p.strip()]


def lines(formula: str, limit: float = LINE_WIDTH) -> list[str]:
    """``formula`` broken into lines of estimated width at most ``limit`` (each line at least one piece of
    :func:`pieces`); continuation lines are measured with their :data:`INDENT`."""
    rows: list[str] = []
    current, used, indent = "", 0.0, 0.0
    for piece in pieces(formula):
        size = width(piece)  # pieces are at the top level, so widths add up
        if current and indent + used + size > limit:
            rows.append(current.strip())
            current, used, indent = piece, size, width(INDENT)
        else:
            current, used = current + piece, used + size
    rows.append(current.strip())
    return rows


def breakable(formula: str) -> str:
    """Inline math that may break after its top-level commas too (TeX breaks inline math only after
    binary operators and relations), with ``\\left``/``\\right`` delimiters made plain so nothing is one box."""
    plain = re.sub(r"\\(left|right)(?=[()\[\]])", "", formula)
    return "".join(p + (r"\allowbreak " if p.endswith(",") else "") for p in pieces(plain))


def display(formulas: Sequence[str]) -> str:
    """Formulas in one top-level ``align*`` with ``\\allowdisplaybreaks``: one formula per row, broken by
    :func:`lines`, left-aligned, continuation lines indented."""
    rows = []
    for formula in formulas:
        first, *more = lines(formula)
        rows.append("& " + first)
        rows += ["& " + INDENT + line for line in more]
    return "{\\allowdisplaybreaks\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}}"


def inline(parts: Iterable[tuple[bool, str]]) -> str:
    """Text and formulas (``(is_math, source)`` in reading order) as text with breakable ``$...$``."""
    return "".join(f"${breakable(source)}$" if is_math else text(source) for is_math, source in parts)


def document(title: str, rows: Sequence[tuple[str, str, Sequence[str]]]) -> str:
    """The page fragment: the bold ``title`` (LaTeX text), then a ``description`` item per row
    ``(label, content, formulas)`` (label plain text; content LaTeX text, e.g. from :func:`inline`; formulas
    LaTeX math shown by :func:`display`)."""
    items = []
    for label, content, formulas in rows:
        item = rf"\item[{{{text(label)}:}}] {content}".rstrip()
        items.append(item + ("\n" + display(formulas) if formulas else ""))
    return (f"% typeset by neurom2; a LaTeX fragment for a document with {PACKAGES}\n"
            f"{{\\raggedright\n\\par\\noindent\\textbf{{{title}}}\n\\begin{{description}}\n" + "\n".join(items)
            + "\n\\end{description}\\par}")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A ``tabular`` of text cells for a page: scriptsize, 2 pt between columns, each word of a header on its
    own line (``expected_dim``: expected / dim) and ``\\hline`` under the header, so that a results store's
    twelve columns fit an article's text (bold headers, or footnotesize, would not)."""
    head = " & ".join(r"\shortstack[l]{" + r"\\".join(text(word) for word in name.split("_")) + "}" for name in header)
    body = [" & ".join(text(cell) for cell in cells) + r" \\" for cells in rows]
    return ("{\\scriptsize\\setlength{\\tabcolsep}{2pt}\n\\begin{tabular}{" + "l" * len(header) + "}\n"
            + head + " \\\\ \\hline\n" + "\n".join(body) + "\n\\end{tabular}}")


__all__ = ["LINE_WIDTH", "PACKAGES", "PREAMBLE", "breakable", "display", "document", "inline", "lines", "pieces",
           "symbol", "table", "text", "width"]
