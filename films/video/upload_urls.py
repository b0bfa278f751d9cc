"""URLs: filled in by the upload_urls work."""

urlpatterns = []
