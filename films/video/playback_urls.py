"""URLs: filled in by the playback_urls work."""

urlpatterns = []
