"""Staff's view of members (university verifications, badges) and the page explorer's draft guard."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .. import badges, university
from ..models import BadgeAward, UniversityEmail, User
from ..page_editing import PageEditView
from ..verification_by_hand import verify_by_hand


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The member receives it by e-mail."),
    )


class VerificationFilterSet(WagtailFilterSet):
    class Meta:
        model = UniversityEmail
        fields = ["status"]


class MemberColumn(Column):
    def get_value(self, instance):
        user = instance.user
        return f"{user.get_short_name()} <{user.email}>"


class VerificationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user")

    @cached_property
    def header_buttons(self):
        if not self.request.user.has_perm("members.change_universityemail"):
            return super().header_buttons
        by_hand = reverse("university_verifications:verify_by_hand")
        return [*super().header_buttons, HeaderButton(_("Verify a creator by hand"), url=by_hand, icon_name="user")]


class VerifyByHandForm(forms.Form):
    member = forms.EmailField(
        label=gettext_lazy("Member's account e-mail"),
        help_text=gettext_lazy("The address they log in with."),
    )
    email = forms.EmailField(
        label=gettext_lazy("University e-mail"),
        help_text=gettext_lazy("The address they are known by at the university (any domain)."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why you verify them by hand. Kept in the verification's history."),
    )

    def clean_member(self):
        member = User.objects.filter(email__iexact=self.cleaned_data["member"], is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("No active member logs in with this address."))
        return member


def verify_by_hand_view(request):
    """GET: the form; POST: verify the member (members.verification_by_hand) and open the record."""
    _change_allowed(request)
    form = VerifyByHandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = verify_by_hand(data["member"], data["email"], by=request.user, reason=data["reason"])
        except university.VerificationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("%(email)s verified by hand; the reason is in its history.") % {"email": record.email}
            )
            return redirect("university_verifications:edit", record.pk)
    return TemplateResponse(
        request,
        "members/admin/verify_by_hand.html",
        {
            "page_title": _("Verify a creator by hand"),
            "header_icon": "user",
            "form": form,
            "action_url": reverse("university_verifications:verify_by_hand"),
            "back_url": reverse("university_verifications:index"),
        },
    )


class VerificationEditView(generic.EditView):
    """No free-form editing: the page shows the record and offers revoke / restore."""

    template_name = "members/admin/verification.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        context.update(
            {
                "record": record,
                "revoke_form": RevokeForm(),
                "revoke_url": reverse("university_verifications:revoke", args=[record.pk]),
                "restore_url": reverse("university_verifications:restore", args=[record.pk]),
            }
        )
        return context

    def get_header_buttons(self):
        return []

    def post(self, request, *args, **kwargs):
        raise PermissionDenied


def _change_allowed(request):
    if not request.user.has_perm("members.change_universityemail"):
        raise PermissionDenied


def revoke_view(request, pk: int):
    _change_allowed(request)
    record = get_object_or_404(UniversityEmail, pk=pk)
    if request.method != "POST":
        return redirect("university_verifications:edit", pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            university.revoke(record, request.user, form.cleaned_data["reason"])
            messages.success(
                request, _("Verification of %(email)s revoked; the member was told.") % {"email": record.email}
            )
        except university.VerificationError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give a reason: the member is told it."))
    return redirect("university_verifications:edit", pk)


def restore_view(request, pk: int):
    _change_allowed(request)
    record = get_object_or_404(UniversityEmail, pk=pk)
    if request.method == "POST":
        try:
            university.restore(record, request.user)
            messages.success(request, _("Verification of %(email)s restored.") % {"email": record.email})
        except university.VerificationError as error:
            messages.error(request, error.message)
    return redirect("university_verifications:edit", pk)


class UniversityVerificationViewSet(ModelViewSet):
    model = UniversityEmail
    icon = "user"
    menu_label = gettext_lazy("Creator verifications")
    menu_order = 600
    add_to_admin_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    index_view_class = VerificationIndexView
    edit_view_class = VerificationEditView
    filterset_class = VerificationFilterSet
    search_fields = ["email", "user__email", "user__display_name"]
    list_display = [
        "email",
        MemberColumn("member", label=gettext_lazy("Member")),
        "status",
        DateColumn("verified_at", label=gettext_lazy("Verified")),
        DateColumn("revoked_at", label=gettext_lazy("Revoked")),
    ]
    # Nothing is edited by hand, and staff have no add or delete permission (members verify
    # themselves), so Wagtail shows neither button.
    form_fields = ["revoke_reason"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/revoke/", revoke_view, name="revoke"),
            path("<int:pk>/restore/", restore_view, name="restore"),
            path("by-hand/", verify_by_hand_view, name="verify_by_hand"),
        ]


verification_viewset = UniversityVerificationViewSet("university_verifications")


def badges_view(request):
    if not request.user.has_perm("members.change_universityemail"):
        raise PermissionDenied
    counts = dict(BadgeAward.objects.values_list("code").annotate(n=Count("id")))
    rows = [{"badge": badge, "count": counts.get(code, 0)} for code, badge in badges.BADGES.items()]
    return TemplateResponse(request, "members/admin/badges.html", {"rows": rows, "page_title": _("Badges")})


class OwnDraftsExplorableIndexView(ExplorableIndexView):
    """The page explorer, refusing to explore a page the user may not explore (another creator's draft).

    Wagtail filters the children listed here through the page policy's
    `explorable_instances()`, but not the explored page itself, whose title and
    status would show in "Exploring: …" (and its children listing) by direct
    URL. Refused like the editor refuses it.
    """

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
            if not explorable.filter(pk=parent_page_id).exists() and Page.objects.filter(pk=parent_page_id).exists():
                raise PermissionDenied
        return super().get(request, parent_page_id)


class OwnDraftsPageViewSet(PageViewSet):
    """Wagtail's viewset for every page type, with the explorer above and the editor of `page_editing`."""

    index_view_class = OwnDraftsExplorableIndexView
    edit_view_class = PageEditView


own_drafts_page_viewset = OwnDraftsPageViewSet()
