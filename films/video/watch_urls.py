"""URLs of the watch page: filled in by the player work."""

urlpatterns = []
