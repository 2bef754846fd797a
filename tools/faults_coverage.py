#!/usr/bin/env python3
"""Coverage of the FAULTS scenario catalogue by tagged tests. Run through tools/faults_coverage.sh;
--help says what it reads and when it fails."""
import argparse
import fnmatch
import os
import re
import sys

USAGE = """\
Prints, for every scenario ID of docs/FAULTS.md (the first column of the tables of
section 2, fault scenarios, and section 3, security checks), whether it is:

  tested    at least one running TEST_CASE carries the ID as a tag ([N07]); the test names follow
  excused   docs/faults.md, section "Excused", says why the scenario does not apply (excused) or
            which check outside the Catch2 tests covers it (elsewhere, naming an existing path)
  todo      docs/faults.md, section "Not yet covered", lists it with the test that would cover it
  partial   listed there too, though some tests carry its tag: they check only part of it
  MISSING   none of these

then a summary line. Only tags count, never a test's name. A test counts when it is in a file
tests/CMakeLists.txt builds (tests/unit/*_test.cpp, tests/unit/*/*_test.cpp,
tests/integration/*_test.cpp) and is not hidden ([.], [!hide], [!mayfail], [!shouldfail]).

Exit status 1 when an ID is MISSING, and in any mode when the documents disagree:
  - a tag shaped like an ID ([N7], [X01]) names nothing docs/FAULTS.md defines (scenarios,
    invariants I1..I8, goals G01..); invariant and goal tags are allowed, they just do not count;
  - an ID is both tested and excused (drop the excuse), excused or listed twice, or listed in
    docs/faults.md without being in docs/FAULTS.md;
  - an "elsewhere" excuse names no `path` or a path that does not exist.

Non-strict (the default, what CI runs while the list is not empty): IDs under "Not yet covered"
are reported as todo or partial and do not fail. --strict counts them as missing, so the run
fails until every ID is tested or excused; CI switches to --strict once the list is empty.
"""

ID = re.compile(r"^[A-Z][0-9]{2}$")
# Anything shaped like a catalogue, invariant or goal ID ("[N7]", "[X01]", "[I9]").
ID_SHAPED = re.compile(r"^[A-Z][0-9]{1,3}$")
# The test sources tests/CMakeLists.txt globs into the two test executables.
BUILT = ("tests/unit/*_test.cpp", "tests/unit/*/*_test.cpp", "tests/integration/*_test.cpp")
HIDDEN = ("!hide", "!mayfail", "!shouldfail")


def sections(path):
    """Yields (heading, line) for each line of a markdown file, heading being the last '## '."""
    heading = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                heading = line[3:].strip()
            yield heading, line


def cells(line):
    if not line.startswith("|"):
        return None
    return [c.strip() for c in line.strip().strip("|").split("|")]


def catalogue(path):
    """Scenario IDs: the first column of the tables of §2 and §3, with their fault text. Also
    every ID any table of the document defines (invariants, goals): tags may name those."""
    scenarios, known = {}, set()
    for heading, line in sections(path):
        row = cells(line)
        if not row or not ID_SHAPED.match(row[0]):
            continue
        known.add(row[0])
        if ID.match(row[0]) and (heading.startswith("2.") or heading.startswith("3.")):
            if row[0] in scenarios:
                sys.exit(f"faults_coverage: {row[0]} appears twice in {path}")
            scenarios[row[0]] = row[1] if len(row) > 1 else ""
    return scenarios, known


STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def literal_run(src, i):
    """Adjacent C++ string literals from src[i] on; returns (text, end) or None."""
    text, found = "", False
    while True:
        j = i
        while j < len(src) and src[j] in " \t\r\n":
            j += 1
        m = STRING.match(src, j)
        if not m:
            return (text, i) if found else None
        text += re.sub(r"\\(.)", r"\1", m.group(1))
        found, i = True, m.end()


def strip_comments(src):
    """Blanks // and /* */ comments outside literals, keeping offsets and line numbers."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"':
            m = STRING.match(src, i)
            end = m.end() if m else i + 1
        elif c == "'":
            m = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(src, i)
            end = m.end() if m else i + 1
        elif src.startswith("//", i):
            end = src.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
            continue
        elif src.startswith("/*", i):
            end = src.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", src[i:end]))
            i = end
            continue
        else:
            end = i + 1
        out.append(src[i:end])
        i = end
    return "".join(out)


def test_cases(root):
    """Every TEST_CASE("name", "[tags]") under tests/: (file, line, name, [tags]). Names and tags
    may be split over several adjacent literals and lines."""
    found = []
    for base, dirs, files in os.walk(os.path.join(root, "tests")):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8") as f:
                src = strip_comments(f.read())
            for m in re.finditer(r"\bTEST_CASE\s*\(", src):
                line = src.count("\n", 0, m.start()) + 1
                got = literal_run(src, m.end())
                if not got:
                    sys.exit(f"faults_coverage: {rel}:{line}: TEST_CASE without a literal name")
                test_name, i = got
                tags = []
                while i < len(src) and src[i] in " \t\r\n":
                    i += 1
                if i < len(src) and src[i] == ",":
                    got = literal_run(src, i + 1)
                    if got:
                        tags = re.findall(r"\[([^\]]*)\]", got[0])
                found.append((rel, line, test_name, tags))
    return found


def docs_lists(path, ids):
    """The two lists of docs/faults.md: "## Excused" rows | ID | excused or elsewhere | why |,
    "## Not yet covered" rows | ID | the test that would cover it |."""
    excused, todo, errors = {}, {}, []
    if not os.path.exists(path):
        return excused, todo, ["docs/faults.md is missing"]
    for heading, line in sections(path):
        row = cells(line)
        if not row or not ID.match(row[0]):
            continue
        key = heading.lower()
        if key.startswith("excused"):
            if len(row) < 3 or row[1] not in ("excused", "elsewhere") or not row[2]:
                errors.append(f"docs/faults.md: '{line}' needs | ID | excused or elsewhere | why |")
                continue
            target = excused
        elif key.startswith("not yet covered"):
            if len(row) < 2 or not row[1]:
                errors.append(f"docs/faults.md: '{line}' needs | ID | the test that would cover it |")
                continue
            target = todo
        else:
            continue
        if row[0] not in ids:
            errors.append(f"docs/faults.md lists {row[0]}, which docs/FAULTS.md does not have")
        elif row[0] in excused or row[0] in todo:
            errors.append(f"docs/faults.md lists {row[0]} twice")
        else:
            target[row[0]] = row[1:]
    return excused, todo, errors


def main():
    parser = argparse.ArgumentParser(
        prog="tools/faults_coverage.sh", description=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strict", action="store_true",
                        help='fail while "Not yet covered" lists anything (todo, partial)')
    parser.add_argument("--summary", action="store_true",
                        help="print only the problems and the summary line, not the table")
    parser.add_argument("--root", help="the source tree (default: this script's ../)")
    args = parser.parse_args()
    root = args.root or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ids, known = catalogue(os.path.join(root, "docs", "FAULTS.md"))
    if not ids:
        sys.exit("faults_coverage: no scenario IDs found in docs/FAULTS.md")
    excused, todo, errors = docs_lists(os.path.join(root, "docs", "faults.md"), ids)
    warnings = []

    tested = {}
    for rel, line, name, tags in test_cases(root):
        built = any(fnmatch.fnmatch(rel, p) and rel.count("/") == p.count("/") for p in BUILT)
        hidden = any(t.startswith(".") or t in HIDDEN for t in tags)
        for tag in tags:
            if ID_SHAPED.match(tag) and tag not in known:
                errors.append(f"{rel}:{line}: tag [{tag}] names nothing docs/FAULTS.md defines")
            elif tag in ids and (hidden or not built):
                why = "hidden or allowed to fail" if hidden else "not in a test executable"
                warnings.append(f"{rel}:{line}: [{tag}] does not count: the test is {why}")
            elif tag in ids:
                tested.setdefault(tag, []).append(f'"{name}" ({rel}:{line})')

    for i, (kind, why) in ((i, f[:2]) for i, f in excused.items()):
        if i in tested:
            errors.append(f"{i} is excused in docs/faults.md but tagged on {tested[i][0]}: "
                          "drop the excuse")
        if kind == "elsewhere":
            paths = re.findall(r"`([^`\s]*/[^`\s]*)`", why)
            if not paths:
                errors.append(f"{i} is checked 'elsewhere' but its line names no `path/of/it`")
            for p in paths:
                if not os.path.exists(os.path.join(root, p)):
                    errors.append(f"{i} is checked 'elsewhere' by `{p}`, which does not exist")

    counts = {"tested": 0, "excused": 0, "todo": 0, "partial": 0, "MISSING": 0}
    rows = []
    for i in ids:
        if i in todo:
            status = "partial" if i in tested else "todo"
            what = todo[i][0] + ("  [tagged: " + "; ".join(tested[i]) + "]" if i in tested else "")
        elif i in tested:
            status, what = "tested", "; ".join(tested[i])
        elif i in excused:
            status, what = "excused", f"{excused[i][0]}: {excused[i][1]}"
        else:
            status, what = "MISSING", "neither tested, nor excused, nor listed in docs/faults.md"
        counts[status] += 1
        rows.append((i, status, what))

    if not args.summary:
        print(f"{'ID':<4} {'status':<8} tests, or why not")
        for i, status, what in rows:
            print(f"{i:<4} {status:<8} {what}")
        print()
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    open_ids = counts["todo"] + counts["partial"]
    missing = counts["MISSING"] + (open_ids if args.strict else 0)
    print(f"faults: tested {counts['tested']}, excused {counts['excused']}, "
          f"not yet covered {open_ids} (partly tested {counts['partial']}), "
          f"missing {counts['MISSING']} of {len(ids)}"
          + (f"; strict: {missing} not covered" if args.strict else ""))
    return 1 if errors or missing else 0


if __name__ == "__main__":
    sys.exit(main())
