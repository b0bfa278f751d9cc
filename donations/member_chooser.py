"""The member chooser: the modal behind a rights holder's "Choose a member" button.

Creators see no list of members: they type a display name or someone's exact e-mail address, and
the results show display names with masked addresses (`widgets.member_label`). Staff can also
browse everyone. Deleted and deactivated accounts are never offered. The widget is used on the
rights-holder form only (`register_widget = False`), so other forms with a member field keep theirs.

The "chosen" views (what a picked result sends back to the form: name and masked address) answer a
creator only for members their search finds, and for themselves. Each result's link carries the
search (`?q=`) and the chosen view runs it again, so looking a member up by id reveals nothing the
search did not; without that, counting through ids would list every member. Rights holders already
on a page need no lookup: the form renders them itself. Staff may choose anyone, as they browse.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from videos.access import is_staff_member

from .widgets import MemberChooser, member_label


def choosable_members():
    return get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)


def may_browse_members(user) -> bool:

    return is_staff_member(user)


def matching_members(members, query: str):
    """The members a search for `query` finds: part of a display name, or an exact e-mail address."""
    return members.filter(Q(display_name__icontains=query) | Q(email__iexact=query))


def members_choosable_by(user, query: str = ""):
    """Whom `user` may pick in the chooser: anyone for Staff; else themselves and what `query` finds."""
    members = choosable_members()
    if may_browse_members(user):
        return members
    query = query.strip()
    found = matching_members(members, query) if query else members.none()
    return found | members.filter(pk=user.pk)


class MemberSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Display name or e-mail address"),
        widget=forms.TextInput(attrs={"placeholder": _("Display name or exact e-mail address")}),
        required=False,
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            return matching_members(objects, query)
        return objects


class MemberChooseMixin:
    ordering = ("display_name", "pk")
    filter_form_class = MemberSearchForm
    results_template_name = "donations/admin/member_chooser_results.html"

    def get_object_list(self):
        return choosable_members()

    def filter_object_list(self, objects):
        objects = super().filter_object_list(objects)
        if not self.filter_form.is_searching and not may_browse_members(self.request.user):
            return objects.none()  # creators search; they do not browse the member list
        return objects

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Member"),
                accessor=member_label,
                get_url=self.chosen_url,
                link_attrs={"data-chooser-modal-choice": True},
            ),
            Column("department", label=_("Department"), accessor="department"),
        ]

    def chosen_url(self, member) -> str:
        url = reverse(self.chosen_url_name, args=(member.pk,))
        if self.filter_form.is_searching:
            url += "?" + urlencode({"q": self.filter_form.search_query})  # the chosen view searches again
        return self.append_preserved_url_parameters(url)


class MemberChooseView(MemberChooseMixin, chooser_views.ChooseView):
    pass


class MemberChooseResultsView(MemberChooseMixin, chooser_views.ChooseResultsView):
    pass


class MemberChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return get_object_or_404(members_choosable_by(self.request.user, self.request.GET.get("q", "")), pk=pk)

    def get_display_title(self, instance):
        return member_label(instance)

    def get_edit_item_url(self, instance):
        return ""


class MemberChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return members_choosable_by(self.request.user, self.request.GET.get("q", "")).filter(pk__in=pks)

    def get_display_title(self, instance):
        return member_label(instance)

    def get_edit_item_url(self, instance):
        return ""


class MemberChooserViewSet(ChooserViewSet):
    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = _("Choose a member")
    choose_another_text = _("Choose another member")
    page_title = _("Choose a member")
    per_page = 20
    register_widget = False
    base_widget_class = MemberChooser
    choose_view_class = MemberChooseView
    choose_results_view_class = MemberChooseResultsView
    chosen_view_class = MemberChosenView
    chosen_multiple_view_class = MemberChosenMultipleView


member_chooser_viewset = MemberChooserViewSet("member_chooser")
