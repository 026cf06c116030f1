#!/usr/bin/env python3
"""Checks that docs/architecture.md's target tables are the build's.

Every library and program of the product folders (and bench/) must have one
row in a table of docs/architecture.md whose "target" column names it and
whose "links" column lists exactly the project targets it links (from its
target_link_libraries). Also: no file above the application layer writes to the
store itself (every write is an app/ function: the layer docs/architecture.md
describes). Run by CTest as `architecture_doc`; prints what differs and
exits 1.
Usage: scripts/check-architecture.py [SOURCE_DIR]
"""
import pathlib
import re
import sys

FOLDERS = ["proto", "domain", "store", "mapping", "app", "server", "report", "client",
           "lab_tools", "web", "bench"]


def calls(text, command):
    """The arguments of each `command(...)` in a CMake file, comments removed."""
    text = re.sub(r"#[^\n]*", "", text)
    for match in re.finditer(command + r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", text):
        yield match.group(1).split()


def build_targets(root):
    """{target: set of project targets it links} for the product folders."""
    defined, links = {}, {}
    every = set()
    for cmake in root.rglob("CMakeLists.txt"):
        if "build" in cmake.relative_to(root).parts:
            continue
        text = cmake.read_text()
        for command in ("add_library", "add_executable"):
            for args in calls(text, command):
                every.add(args[0])
                folder = cmake.parent.relative_to(root).as_posix()
                if folder in FOLDERS:
                    defined[args[0]] = folder
    for folder in FOLDERS:
        text = (root / folder / "CMakeLists.txt").read_text()
        for args in calls(text, "target_link_libraries"):
            links.setdefault(args[0], set()).update(a for a in args[1:] if a in every)
    return {t: links.get(t, set()) for t in defined}


def documented_targets(doc):
    """{target: set of linked targets} from the tables with target and links columns."""
    rows = {}
    header = None
    for line in doc.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set(cells) <= {"---", ""} or "target" not in header or "links" not in header:
            continue
        for target in re.findall(r"`([^`]+)`", cells[header.index("target")]):
            rows[target] = set(re.findall(r"`([^`]+)`", cells[header.index("links")]))
    return rows


# The store's writing calls: only app/ (and the store) may make them.
STORE_WRITES = re.compile(
    r"(\.|->)(Insert[A-Z]\w*|UpdateBatchSummary|AppendAudit|SetLoginFailures|SetPasswordHash|"
    r"SetUserDisabled|SetUserRoles|RevokeSession\w*)\(")
ABOVE_APP = ["server", "bench", "client", "lab_tools", "web", "report"]


def writes_outside_app(root):
    """file:line of each store write made above the application layer."""
    found = []
    for folder in ABOVE_APP:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".cc", ".h"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if STORE_WRITES.search(line):
                    found.append(f"{path.relative_to(root)}:{number}: writes to the store "
                                 f"outside app/: {line.strip()}")
    return found


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    built = build_targets(root)
    documented = documented_targets((root / "docs" / "architecture.md").read_text())
    problems = []
    for target in sorted(built.keys() - documented.keys()):
        problems.append(f"{target}: built but not in docs/architecture.md")
    for target in sorted(documented.keys() - built.keys()):
        problems.append(f"{target}: in docs/architecture.md but not built")
    for target in sorted(built.keys() & documented.keys()):
        if built[target] != documented[target]:
            problems.append(f"{target}: links {sorted(built[target])} in CMake, "
                            f"{sorted(documented[target])} in docs/architecture.md")
    problems += writes_outside_app(root)
    for problem in problems:
        print(problem)
    if "--print" in sys.argv:
        for target, deps in sorted(built.items()):
            print(target, sorted(deps))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
