#!/usr/bin/env python3
"""Who imports whom: the project's apps as a graph, with the circles in it.

    python bin/import_graph.py              # app → app edges (module-level and in-function imports)
    python bin/import_graph.py --modules videos donations members   # module circles inside apps
    python bin/import_graph.py --check      # exit 1 on any circle between apps or inside those apps

Reads the source with `ast` (nothing is imported or run). Tests, migrations and the project
package's settings are left out: they may import anything. An import inside a function counts like
any other: moving an import into a function hides a circle from Python, not from the design.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_PARTS = {"tests", "migrations", ".venv", "node_modules", "bench", "bin"}
# The project's URLconfs and entry points put the apps together, so they import every app by design;
# they count as a node of their own ("root"), above every app. The rest of the project package
# (`reelvision`: API and request utilities, Korean text, the public address) sits below them all.
ROOT_MODULES = {"reelvision.urls", "reelvision.api_urls", "reelvision.asgi", "reelvision.wsgi"}


def project_apps() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in SKIP_PARTS and (path.parent / "apps.py").exists() or path.parent.name == "reelvision"
    )


def modules_of(app: str) -> dict[str, Path]:
    found = {}
    for path in (ROOT / app).rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIP_PARTS & set(relative.parts) or relative.parts[:2] == ("reelvision", "settings"):
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports_in(module: str, path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` blocks import nothing at run time
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top_level.discard(id(node))
    found = []

    def visit(node, at_top: bool):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, at_top) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from package import module` imports that module
            found.extend((f"{target}.{alias.name}", at_top) for alias in node.names)
            found.append((target, at_top))
        inside_function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, at_top and not inside_function)

    for node in tree.body:
        visit(node, id(node) in top_level)
    return found


def graph(apps: list[str]):
    modules = {}
    for app in apps:
        modules.update(modules_of(app))
    edges = defaultdict(set)  # module → modules it imports (project modules only)
    for module, path in modules.items():
        for target, _at_top in imports_in(module, path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges[module].add(target)
    return modules, edges


def app_of(module: str) -> str:
    return "root" if module in ROOT_MODULES else module.split(".")[0]


def between_apps(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """App → the apps its modules import."""
    app_edges = defaultdict(set)
    for source, targets in edges.items():
        for target in targets:
            if app_of(source) != app_of(target):
                app_edges[app_of(source)].add(app_of(target))
    return app_edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def strongconnect(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                strongconnect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in list(edges):
        if node not in index:
            strongconnect(node)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", nargs="*", default=None, help="apps whose modules are checked for circles")
    parser.add_argument("--check", action="store_true", help="exit 1 when a circle is found")
    args = parser.parse_args(argv)

    apps = project_apps()
    modules, edges = graph(apps)
    app_edges = between_apps(edges)

    print("Apps and what they import:")
    for app in [*apps, "root"]:
        print(f"  {app:<11} → {', '.join(sorted(app_edges.get(app, ()))) or '(nothing of ours)'}")
    found = False
    for component in cycles(app_edges):
        found = True
        print("Circle between apps: " + " ↔ ".join(component))
    inside = args.modules if args.modules is not None else (["videos", "donations", "members"] if args.check else [])
    for app in inside:
        within = {m: {t for t in ts if app_of(t) == app} for m, ts in edges.items() if app_of(m) == app}
        for component in cycles(within):
            found = True
            print(f"Circle inside {app}: " + " ↔ ".join(component))
    return 1 if (args.check and found) else 0


if __name__ == "__main__":
    sys.exit(main())
