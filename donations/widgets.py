"""The member chooser widget on a rights holder: a button that opens the member chooser modal
(`donations.member_chooser`) instead of a drop-down that would list every member's name and e-mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets.chooser import BaseChooser


def member_label(user) -> str:
    """How a member is shown to page editors: display name and a masked e-mail ("k•••@dongguk.edu").

    Enough to tell two members of the same name apart, without handing a creator other members'
    addresses.
    """
    local, _at, domain = (user.email or "").partition("@")
    masked = f"{local[:1]}•••@{domain}" if domain else ""
    name = user.display_name or _("(no display name)")
    return f"{name} ({masked})" if masked else str(name)


class MemberChooser(BaseChooser):
    model = "members.User"
    chooser_modal_url_name = "member_chooser:choose"
    choose_one_text = _("Choose a member")
    choose_another_text = _("Choose another member")
    icon = "user"
    show_edit_link = False  # creators cannot edit members; staff have the Users area for that

    def get_display_title(self, instance):
        return member_label(instance)

    def get_value_data_from_instance(self, instance):
        return {"id": instance.pk, "edit_url": "", self.display_title_key: self.get_display_title(instance)}
