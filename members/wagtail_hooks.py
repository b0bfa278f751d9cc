"""Admin wiring for the roles in `members.roles`.

The permission policies are registered here rather than in `AppConfig.ready()`
because `members` is listed before `wagtail.images` and `wagtail.documents`,
whose `ready()` would register Wagtail's own policies over ours; hook modules
are loaded after every app is ready.
"""

from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from .roles import (
    OwnDraftsPagePermissionPolicy,
    document_permission_policy,
    image_permission_policy,
    without_others_drafts,
)

register_permission_policy(Page, OwnDraftsPagePermissionPolicy())
register_permission_policy(get_image_model(), image_permission_policy())
register_permission_policy(get_document_model(), document_permission_policy())


@hooks.register("construct_explorer_page_queryset")
def hide_others_drafts_in_explorer(parent_page, pages, request):
    return without_others_drafts(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_page_chooser(pages, request):
    return without_others_drafts(pages, request.user)
