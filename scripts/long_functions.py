#!/usr/bin/env python3
"""Lists the C++ functions in src/ whose bodies are longer than a limit.

STYLE.md asks for short functions; this counts them. A function's length is the
number of lines from its opening brace to its closing one. The scanner strips
comments and literals and follows braces: namespaces and classes are scopes to
look into; any other brace at scope level that follows a parameter list opens a
function body, whose inner braces (lambdas, blocks) belong to it.

Usage: scripts/long_functions.py [--max 60] [paths...]   (default: src)
Exit status 0; prints one line per long function and a count.
"""
import argparse
import pathlib
import re
import sys

SCOPE_RE = re.compile(r'\b(namespace|class|struct|union)\b|extern\s*"C"')


def strip(text: str) -> str:
    """Blanks comments, string and character literals, keeping newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + re.sub(r"[^\n]", " ", text[i + 2:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if c == "'" and j - i > 4:  # a digit separator (1'000), not a literal
                out.append(c)
                i += 1
                continue
            out.append(c + " " * (min(j, n) - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching_brace(text: str, open_at: int) -> int:
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def function_name(header: str) -> str:
    depth = 0
    for k, ch in enumerate(header):
        if ch == "(" and depth == 0:
            words = re.findall(r"[~\w:]+(?:\s*operator\s*\S+)?", header[:k])
            return words[-1] if words else "?"
        depth += ch == "<"
        depth -= ch == ">" and depth > 0
    return "?"


def functions(text: str):
    """Yields (name, first_line, line_count) for each function body."""
    code = strip(text)
    line_of = lambda pos: code.count("\n", 0, pos) + 1
    i, header_start, parens = 0, 0, 0
    while i < len(code):
        c = code[i]
        if c == "(":
            parens += 1
        elif c == ")":
            parens -= 1
        elif c in ";}" and parens == 0:
            header_start = i + 1
        elif c == "{" and parens == 0:
            header = code[header_start:i]
            close = matching_brace(code, i)
            after = code[close + 1:close + 80].lstrip()
            if SCOPE_RE.search(header) and "(" not in header.split("{")[0].split(":")[0]:
                header_start = i + 1  # a scope: look inside
            elif ")" in header and "=" not in re.sub(r"operator\s*[=!<>]=?|=\s*default", "", header) \
                    and not after.startswith((",", "{")):
                yield function_name(header), line_of(i), line_of(close) - line_of(i) + 1
                i, header_start = close, close + 1
            else:
                i = close  # an initializer or enum: skip it whole
        i += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=60)
    parser.add_argument("paths", nargs="*", default=["src"])
    args = parser.parse_args()
    long = []
    for root in args.paths:
        root = pathlib.Path(root)
        files = [root] if root.is_file() else sorted(
            p for p in root.rglob("*") if p.suffix in (".cpp", ".h"))
        for path in files:
            for name, line, count in functions(path.read_text(errors="replace")):
                if count > args.max:
                    long.append((count, f"{path}:{line}", name))
    for count, where, name in sorted(long, reverse=True):
        print(f"{count:5d}  {where}  {name}")
    print(f"long_functions: {len(long)} function(s) over {args.max} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
