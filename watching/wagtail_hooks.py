"""The Entitlements section of the admin, and the films' rule for who may stream a video."""

from wagtail import hooks

from .access import may_stream_video
from .admin import entitlement_viewset

hooks.register("may_stream_video", may_stream_video)


@hooks.register("register_admin_viewset")
def register_entitlement_viewset():

    return entitlement_viewset
