from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_urls, admin_views, moderation
from .follows import followers_of
from .media import may_stream_post_video
from .models import WatchedWord


@hooks.register("notification_followers")
def page_followers(page):
    """Whom a page's news reaches: its followers, its owner's and its directors' (notifications)."""
    return followers_of(page)


# Exact class, like members' file policies: hook modules can be imported before the snippet
# viewset would register a fallback (model permissions) policy of its own.
register_permission_policy(WatchedWord, admin_views.StaffOnlyPermissionPolicy(WatchedWord), exact_class=True)
register_snippet(admin_views.watched_word_viewset)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("moderation/", include(admin_urls))]


class ModerationMenuItem(MenuItem):
    """ "Moderation", for staff only, with the number of posts waiting for them as a badge
    (moderation-admin.css draws it from `data-waiting`)."""

    def is_shown(self, request):
        return moderation.is_staff(request.user)

    def render_component(self, request):
        attrs = dict(self.attrs)
        waiting = admin_views.waiting_count()
        if waiting:
            attrs["data-waiting"] = f"{waiting:,}" if waiting < 1000 else "999+"
            attrs["aria-label"] = _("Moderation: %(count)s waiting") % {"count": f"{waiting:,}"}
        return LinkMenuItem(
            self.name, self.label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=attrs
        )


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(
        gettext_lazy("Moderation"),
        reverse("community_moderation:queue"),
        name="moderation",
        icon_name="warning",
        order=260,
    )


@hooks.register("insert_global_admin_css")
def moderation_admin_css():
    """The menu's badge shows on every admin page; the queue's own styles are in the same file."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/moderation-admin.css"))


# A post's videos are for those who may read the post (community.media).
hooks.register("may_stream_video", may_stream_post_video)
