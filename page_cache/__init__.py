"""The anonymous page cache: whole pages for visitors without a session (`cache.py`, a middleware),
emptied whenever something a visitor could see changes.

Connected like `wagtail.contrib.frontend_cache`: `register_signal_handlers()` connects each `Page`
subclass's publish, unpublish, move and delete; every other model whose changes show on pages is
declared by the app that owns it with `signal_handlers.invalidates_pages(...)` (films: genres, people and
funding totals), so this app imports none of ours.
"""
