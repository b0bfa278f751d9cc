"""Admin wiring for the roles in `members.roles`.

The image and document policies are registered for the exact model class:
Wagtail registers its own policies for those models (not exact-class) in
`wagtail.images`/`wagtail.documents` `AppConfig.ready()`, and hook modules can
be imported before that runs (`wagtail.snippets` looks hooks up while it gets
ready), so a plain registration here would be overwritten. The registry checks
exact-class entries first, whatever the order. The page policy is registered
for `Page`, which is nearer to every page class than Wagtail's `AbstractPage`.
"""

from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from films.media_access import may_see

from .roles import (
    OwnDraftsPagePermissionPolicy,
    document_permission_policy,
    image_permission_policy,
    without_others_drafts,
)
from .views.admin import badges_view, own_drafts_page_viewset, verification_viewset

register_permission_policy(Page, OwnDraftsPagePermissionPolicy())
register_permission_policy(get_image_model(), image_permission_policy(), exact_class=True)
register_permission_policy(get_document_model(), document_permission_policy(), exact_class=True)


@hooks.register("before_serve_document")
def serve_documents_only_to_those_who_may_see_them(document, request):
    """The same rule outside the admin as in it: a creator's document is theirs (and Staff's) to
    download, unless a live page uses it (films.media_access). Others learn nothing: 404."""

    if not may_see(request.user, document):
        raise Http404


@hooks.register("construct_explorer_page_queryset")
def hide_others_drafts_in_explorer(parent_page, pages, request):
    return without_others_drafts(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def hide_others_drafts_in_page_chooser(pages, request):
    return without_others_drafts(pages, request.user)


# Wagtail registers its own viewset for every page type at order -1; this one replaces it.
@hooks.register("register_admin_viewset")
def register_page_viewset():

    return own_drafts_page_viewset


@hooks.register("register_admin_viewset")
def register_verification_viewset():

    return verification_viewset


@hooks.register("insert_editor_js")
def stop_autosave_on_submit():
    """The page editor's autosave stops once the form is submitted (static/js/page-editor.js)."""

    return format_html('<script src="{}" defer></script>', static("js/page-editor.js"))


@hooks.register("register_admin_urls")
def register_badges_url():

    return [path("badges/", badges_view, name="member_badges")]


@hooks.register("register_admin_menu_item")
def register_badges_menu_item():

    class StaffMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("members.change_universityemail")

    return StaffMenuItem(_("Badges"), reverse("member_badges"), icon_name="pick", order=610)


@hooks.register("register_log_actions")
def register_verification_log_actions(actions):

    actions.register_action("members.university.verify", _("Verify university e-mail"), _("University e-mail verified"))
    actions.register_action("members.university.revoke", _("Revoke verification"), _("Creator verification revoked"))
    actions.register_action("members.university.restore", _("Restore verification"), _("Creator verification restored"))

    @actions.register_action("members.university.verify_by_hand")
    class VerifiedByHand(LogFormatter):
        label = _("Verify a creator by hand")

        def format_message(self, log_entry):
            return _("Verified by hand by staff: %(reason)s") % {"reason": log_entry.data.get("reason", "")}
