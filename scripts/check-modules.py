#!/usr/bin/env python3
"""Checks the module graph of server/src (docs/architecture.md): a module is a folder of
server/src; an edge a -> b is any `#include "b/..."` in a file of a. Fails (exit 1) when:
  - an include closes a cycle between modules (it names the includes of the cycle);
  - a pure module includes a network or database header: torrent/ entirely, and the policy and
    limits part of auth/ (auth/policy.*, auth/limits.*, auth/denied.hpp, auth/validation.*).
Prints the graph, one line per module, lowest layers first. Standard library only."""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "server" / "src"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.M)
# What a pure module may not include: sockets and protocols, database engines and the stores.
IMPURE = re.compile(r"^(boost/(asio|beast)|curl/|sqlite3|SQLiteCpp/|libpq|http/(client|server)|"
                    r"store/(sqlite_db|pg|db|dialect|migrate)|qbt/|notify/|jackett/)")
PURE_FILES = [("torrent", None)] + [("auth", n) for n in ("policy", "limits", "denied",
                                                          "validation")]


def modules() -> dict:
    """module -> {other module -> [(file, line)]}"""
    graph: dict = {}
    for d in sorted(p for p in SRC.iterdir() if p.is_dir()):
        edges: dict = {}
        for f in sorted(d.rglob("*")):
            if f.suffix not in (".cpp", ".hpp"):
                continue
            text = f.read_text(encoding="utf-8")
            for m in INCLUDE.finditer(text):
                target = m.group(1).split("/")[0]
                if "/" in m.group(1) and target != d.name and (SRC / target).is_dir():
                    line = text.count("\n", 0, m.start()) + 1
                    edges.setdefault(target, []).append(f"{f.relative_to(SRC)}:{line}")
        graph[d.name] = edges
    return graph


def cycles(graph: dict) -> list:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def layers(graph: dict) -> list:
    """Modules ordered so that each comes after what it includes (the graph has no cycle)."""
    done, order = set(), []

    def place(v):
        if v in done:
            return
        done.add(v)
        for w in sorted(graph.get(v, {})):
            place(w)
        order.append(v)

    for v in sorted(graph):
        place(v)
    return order


def impure_includes() -> list:
    found = []
    for module, stem in PURE_FILES:
        for f in sorted((SRC / module).glob(f"{stem or '*'}.*")):
            text = f.read_text(encoding="utf-8")
            for m in INCLUDE.finditer(text):
                if IMPURE.match(m.group(1)):
                    line = text.count("\n", 0, m.start()) + 1
                    found.append(f"{f.relative_to(SRC)}:{line}: #include {m.group(1)}")
    return found


def main() -> int:
    graph = modules()
    failed = False
    for comp in cycles(graph):
        failed = True
        print(f"check-modules: cycle between {', '.join(comp)}:", file=sys.stderr)
        for a in comp:
            for b in comp:
                for where in graph[a].get(b, []):
                    print(f"  {a} -> {b}  ({where})", file=sys.stderr)
    for line in impure_includes():
        failed = True
        print(f"check-modules: a pure module includes a network or database header: {line}",
              file=sys.stderr)
    if failed:
        return 1
    for m in layers(graph):
        print(f"  {m:9} -> {' '.join(sorted(graph[m])) or '(nothing)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
