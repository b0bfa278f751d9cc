"""Creators' posts' addresses, in the community app's namespace: `community/urls.py` includes them
under /community/ (`path("community/", include("community.post_urls"))`). The API's are in
`community.post_api`.

Deleting is below editing (`posts/<id>/edit/delete/`) so that no address here has the shape of the
app's `<kind>/<id>/delete/` for comments and reviews.
"""

from django.urls import path

from . import post_views

urlpatterns = [
    path("pages/<int:page_id>/posts/", post_views.page_posts, name="page_posts"),
    path("pages/<int:page_id>/posts/manage/", post_views.manage, name="page_posts_manage"),
    path("pages/<int:page_id>/posts/new/", post_views.create, name="post_create"),
    path("posts/<int:post_id>/", post_views.detail, name="post"),
    path("posts/<int:post_id>/edit/", post_views.edit, name="post_edit"),
    path("posts/<int:post_id>/edit/delete/", post_views.delete, name="post_delete"),
    path("posts/images/<int:image_id>/", post_views.image, name="post_image"),
    path("posts/<int:post_id>/videos/<int:video_id>/playback/", post_views.video_playback, name="post_video_playback"),
    path("posts/videos/progress/", post_views.video_progress, name="post_video_progress"),
]
