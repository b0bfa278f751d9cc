"""Wagtail admin strings that Wagtail's own Korean catalogue lacks.

Listed here so that `makemessages` puts them in ours (`locale/ko`), which Django reads before
Wagtail's: the admin then has no English left in Korean (an empty listing, "just now").
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = [
    gettext_noop('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'),
    gettext_noop("just now"),
]
