#!/usr/bin/env python3
"""rules_check.py LESSON_DIR SPEC MUTANTS_DIR - the rules table of a lesson
(tests/mutants/lessonNN/RULES.md) agrees with its spec and its mutants.

Each row of the table `| Rule | Test | Mutant |` names tests and mutants in
backticks. Checked: the names exist; every row has both; every test of the
spec and every mutant is in some row; and a row's mutant fails at least one
of the row's tests (its `expected` file says so), so that the mutant proves
the test. Prints one line per problem; exit 1 if any."""
import json
import os
import re
import sys


def rows(path):
    """The table's rows after its header, as lists of cells."""
    out, seen_header = [], False
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not seen_header:
            seen_header = [c.lower() for c in cells[:3]] == ["rule", "test", "mutant"]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        out.append(cells)
    return out, seen_header


def main():
    rules, spec, mutants = sys.argv[1:4]
    problems = []
    tests = [t["id"] for t in json.load(open(spec, encoding="utf-8"))["tests"]]
    names = sorted(d for d in os.listdir(mutants) if os.path.isdir(os.path.join(mutants, d)))
    table, header = rows(rules)
    if not header:
        problems.append("no table with the header | Rule | Test | Mutant |")
    used_t, used_m = set(), set()
    for cells in table:
        if len(cells) < 3:
            problems.append(f"row with fewer than 3 cells: {cells}")
            continue
        rt = re.findall(r"`([^`]+)`", cells[1])
        rm = re.findall(r"`([^`]+)`", cells[2])
        what = cells[0][:60]
        if not rt or not rm:
            problems.append(f"row without a test or a mutant: {what}")
        for t in rt:
            if t not in tests:
                problems.append(f"row names test {t}, not in the spec: {what}")
        for m in rm:
            if m not in names:
                problems.append(f"row names mutant {m}, not in {mutants}: {what}")
                continue
            exp = open(os.path.join(mutants, m, "expected"), encoding="utf-8").read().split()
            if "all" not in exp and rt and not set(exp) & set(rt):
                problems.append(f"mutant {m} fails none of the row's tests {rt}: {what}")
        used_t.update(rt)
        used_m.update(rm)
    for t in tests:
        if t not in used_t:
            problems.append(f"test {t} is in no row")
    for m in names:
        if m not in used_m:
            problems.append(f"mutant {m} is in no row")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
