"""Admin wiring for the roles in `members.roles`.

The image and document policies are registered for the exact model class:
Wagtail registers its own policies for those models (not exact-class) in
`wagtail.images`/`wagtail.documents` `AppConfig.ready()`, and hook modules can
be imported before that runs (`wagtail.snippets` looks hooks up while it gets
ready), so a plain registration here would be overwritten. The registry checks
exact-class entries first, whatever the order. The page policy is registered
for `Page`, which is nearer to every page class than Wagtail's `AbstractPage`.
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
register_permission_policy(get_image_model(), image_permission_policy(), exact_class=True)
register_permission_policy(get_document_model(), document_permission_policy(), exact_class=True)


@hooks.register("construct_explorer_page_queryset")
def hide_others_drafts_in_explorer(parent_page, pages, request):
    return without_others_drafts(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_page_chooser(pages, request):
    return without_others_drafts(pages, request.user)
