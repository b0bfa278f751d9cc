"""The shape of the code, read from the source (`bin/import_graph.py`, nothing imported or run).

What each app may import is written in the README's architecture section; these tests hold the
rules that are already true, so they stay true.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "bin" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)


def project_graph():
    return import_graph.graph(import_graph.project_apps())


def test_no_import_circle_between_the_modules_of_videos_donations_and_members():
    modules, edges = project_graph()
    for app in ("videos", "donations", "members"):
        within = {m: {t for t in ts if t.split(".")[0] == app} for m, ts in edges.items() if m.split(".")[0] == app}
        assert import_graph.cycles(within) == [], app


def test_donations_and_videos_import_nothing_of_members():
    """They announce what happened (signals) and members listen; the user model comes from settings."""
    modules, edges = project_graph()
    for module, targets in edges.items():
        if module.split(".")[0] in ("donations", "videos"):
            assert not [t for t in targets if t.split(".")[0] == "members"], module


def test_films_imports_nothing_from_donations_when_it_loads():
    modules, _ = project_graph()
    for module, path in modules.items():
        if module.split(".")[0] != "films":
            continue
        loaded = [target for target, at_top in import_graph.imports_in(module, path) if at_top]
        assert not [t for t in loaded if t.split(".")[0] == "donations"], module


def test_no_test_module_imports_another_test_module():
    """Shared test code lives in helpers modules and conftest.py fixtures."""
    for path in ROOT.rglob("test_*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        imported = [target for target, _ in import_graph.imports_in(module, path)]
        assert not [t for t in imported if t.rpartition(".")[2].startswith("test_")], path
