"""The cached pages the community's changes retire: posts and films' rating figures show on pages
(reviews and comments retire them in the services that change what is public)."""

from page_cache.signal_handlers import invalidates_pages

invalidates_pages("community.Post", "community.PostImage", "films.FilmRating")
