"""Django's `{# … #}` comments end at the end of their line: one left open is printed on the page.

Every template of ours (the project's folder and each app's) is read as text and checked for a `{#`
whose `#}` is not on the same line; longer comments use `{% comment %}`.
"""

import re
from pathlib import Path

from django.conf import settings

OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def our_templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html") if ".venv" not in path.parts)


def test_templates_are_found():
    names = {path.name for path in our_templates()}
    assert {"base.html", "film_page.html", "film_index_page.html"} <= names


def test_no_comment_runs_over_a_line():
    open_comments = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in our_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OPEN_COMMENT.search(line)
    ]
    assert open_comments == [], "use {% comment %} for comments longer than a line: " + ", ".join(open_comments)
