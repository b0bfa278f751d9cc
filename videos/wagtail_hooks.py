"""The Videos section of the admin, and the video chooser."""

from wagtail import hooks

from .admin import video_viewset


@hooks.register("register_admin_viewset")
def register_video_viewset():

    return video_viewset


@hooks.register("register_admin_viewset")
def register_video_chooser_viewset():
    # Registering it makes FieldPanel on a ForeignKey to Video use this chooser.
    from .chooser import video_chooser_viewset

    return video_chooser_viewset
