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


def test_no_import_circle_between_apps():
    """Each app imports only the apps below it (the README's architecture table), in-function imports included."""
    _, edges = project_graph()
    assert import_graph.cycles(import_graph.between_apps(edges)) == []


def test_films_imports_nothing_from_donations_or_watching_and_videos_nothing_from_films():
    """Films show funding figures and owned films through template tags and their own models; videos
    ask hooks about the pages that show them."""
    _, edges = project_graph()
    app_edges = import_graph.between_apps(edges)
    assert not app_edges["films"] & {"donations", "watching", "members", "home"}
    assert not app_edges["videos"] & {"films", "watching", "donations", "members", "home"}


def test_recommendations_reads_the_apps_below_it_and_none_of_them_imports_it():
    """It reads films, videos, watching and donations; they, and members, never import it (pages that
    show its rows, such as the home page, call it from above)."""
    _, edges = project_graph()
    app_edges = import_graph.between_apps(edges)
    assert app_edges["recommendations"] <= {"reelvision", "page_cache", "films", "videos", "watching", "donations"}
    for app in ("page_cache", "videos", "films", "watching", "donations", "members", "search", "legal"):
        assert "recommendations" not in app_edges[app], app


def test_no_test_module_imports_another_test_module():
    """Shared test code lives in helpers modules and conftest.py fixtures."""
    for path in ROOT.rglob("test_*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        imported = [target for target, _ in import_graph.imports_in(module, path)]
        assert not [t for t in imported if t.rpartition(".")[2].startswith("test_")], path


def test_analytics_reads_the_apps_below_it_and_none_of_them_imports_it():
    """Analytics reads films, videos, watching and donations; none of the apps imports it (the player
    learns where to report through the `playback_config` hook)."""
    _, edges = project_graph()
    app_edges = import_graph.between_apps(edges)
    assert app_edges["analytics"] <= {"reelvision", "page_cache", "films", "videos", "watching", "donations"}
    for app in (
        "page_cache",
        "videos",
        "films",
        "watching",
        "donations",
        "members",
        "search",
        "recommendations",
        "home",
    ):
        assert "analytics" not in app_edges[app], app
