"""My page (library, donations, projects, badges, profile, university, account) and public profiles."""

from __future__ import annotations

import json

from allauth.account.decorators import verified_email_required
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from films.models import FilmBasePage
from reelvision.korean import agree

from .. import account, badges, my_page, university
from ..forms import DeleteAccountForm, PayoutAccountForm, ProfileForm, UniversityCodeForm, UniversityEmailForm
from ..models import PayoutAccount, UniversityEmail, User
from ..tasks import send_payout_account_changed


def _render(request, template, section, **context):
    return render(request, template, {"section": section, **context})


@login_required
def library(request):
    shelf = my_page.library_of(request.user)
    return _render(
        request,
        "members/library.html",
        "library",
        continue_watching=shelf.continue_watching,
        bought=shelf.bought,
        watched_free=shelf.watched_free,
    )


@login_required
def donations(request):
    orders = my_page.settled_orders_of(request.user)
    return _render(
        request,
        "members/donations.html",
        "donations",
        donations=[o for o in orders if o.kind == "donation"],
        purchases=[o for o in orders if o.kind == "purchase"],
        tickets=[o for o in orders if o.kind == "ticket"],
    )


@login_required
def projects(request):
    rows = my_page.project_rows(request.user)
    return _render(
        request,
        "members/projects.html",
        "projects",
        rows=rows,
        is_creator=request.user.is_creator,
        can_edit=request.user.has_perm("wagtailadmin.access_admin"),
    )


@login_required
def badge_list(request):
    items = my_page.badge_items(request.user)
    return _render(request, "members/badges.html", "badges", items=items)


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:my_profile")
    payout = PayoutAccount.objects.filter(user=request.user).first()
    about = ["display_name", "avatar", "department", "admission_year", "show_badges", "marketing_email", "language"]
    return _render(
        request,
        "members/profile.html",
        "profile",
        form=form,
        about_fields=[form[name] for name in about],
        shipping_fields=[form[name] for name in form.fields if name not in about],
        payout=payout,
        may_be_paid=payout is not None or account.may_be_paid(request.user),
    )


@verified_email_required
def payout(request):
    current = PayoutAccount.objects.filter(user=request.user).first()
    if current is None and not account.may_be_paid(request.user):
        # Payouts go to creators and rights holders; there is nothing to pay anyone else.
        response = render(request, "members/no_payout.html", {"section": "profile"})
        response.status_code = 403
        return response
    form = PayoutAccountForm(request.POST or None, user=request.user, fresh_login=account.logged_in_just_now(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            account_row = current or PayoutAccount(user=request.user)
            account_row.bank = form.cleaned_data["bank"]
            account_row.holder = form.cleaned_data["holder"]
            account_row.set_number(form.cleaned_data["number"])
            account_row.save()
        language = get_language()
        transaction.on_commit(lambda: send_payout_account_changed.enqueue(account_row.pk, language))
        messages.success(request, _("Your payout account has been saved. We sent you an e-mail about the change."))
        return redirect("members:my_profile")
    return _render(
        request,
        "members/payout.html",
        "profile",
        form=form,
        current=current,
        log_in_again=account.providers_to_log_in_again(request),
    )


@verified_email_required
def university_view(request):
    records = request.user.university_emails.all()
    pending = records.filter(status=UniversityEmail.Status.PENDING).first()
    email_form = UniversityEmailForm(request.POST if request.POST.get("action") == "send" else None)
    code_form = UniversityCodeForm(request.POST if request.POST.get("action") == "confirm" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send" and email_form.is_valid():
                record = university.start(request.user, email_form.cleaned_data["email"])
                messages.success(
                    request, agree(_("We sent a code to %(email)s.") % {"email": record.email}, [record.email])
                )
                return redirect("members:my_university")
            if request.POST.get("action") == "confirm" and code_form.is_valid():
                record_id = int(request.POST.get("record") or 0)
                university.confirm(request.user, record_id, code_form.cleaned_data["code"])
                messages.success(request, _("Verified. You are a creator now: you can create film and funding pages."))
                return redirect("members:my_university")
        except university.VerificationError as error:
            (code_form if request.POST.get("action") == "confirm" else email_form).add_error(None, error.message)
        except ValueError:
            code_form.add_error(None, _("This code is no longer valid. Ask for a new one."))
    return _render(
        request,
        "members/university.html",
        "university",
        records=records,
        pending=pending,
        email_form=email_form,
        code_form=code_form,
        domains=", ".join("@" + d for d in university.settings.UNIVERSITY_EMAIL_DOMAINS),
        is_creator=request.user.is_creator,
    )


@login_required
def account_view(request):
    emails = EmailAddress.objects.filter(user=request.user)
    return _render(request, "members/account.html", "account", emails=emails)


@login_required
def export(request):
    data = account.export_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="reelvision-my-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user, fresh_login=account.logged_in_just_now(request))
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account.delete_account(user)
        messages.success(request, _("Your account has been deleted. Thank you for watching with us."))
        return redirect("/")
    return _render(
        request, "members/delete.html", "account", form=form, log_in_again=account.providers_to_log_in_again(request)
    )


def public_profile(request, pk: int):

    member = get_object_or_404(User, pk=pk, is_active=True, deleted_at__isnull=True)
    films = FilmBasePage.objects.live().public().filter(owner=member).select_related("poster").specific()
    shown_badges = []
    if member.show_badges:
        shown_badges = [(badges.BADGES[a.code], a) for a in member.badges.all() if a.code in badges.BADGES]
    if not films and not shown_badges and not member.is_creator:
        # Members who neither create nor show badges have no public page: nothing to show, nothing to leak.
        from django.http import Http404

        raise Http404
    response = render(
        request, "members/public_profile.html", {"member": member, "films": films, "badges": shown_badges}
    )
    # Not kept by the anonymous page cache: a member's changes (name, badges shown or hidden, a
    # deletion) must show at once, and no publish event would retire the cached copy.
    patch_cache_control(response, private=True, max_age=0)
    return response


@require_POST
@verified_email_required
def resend_university_code(request, pk: int):
    record = get_object_or_404(UniversityEmail, pk=pk, user=request.user, status=UniversityEmail.Status.PENDING)
    try:
        university.start(request.user, record.email)
        messages.success(
            request, agree(_("We sent a new code to %(email)s.") % {"email": record.email}, [record.email])
        )
    except university.VerificationError as error:
        messages.error(request, error.message)
    return redirect("members:my_university")


def admin_login(request):
    """The studio's log-in page (WAGTAILADMIN_LOGIN_URL).

    The studio has no separate log-in: Wagtail's form would skip e-mail verification and
    allauth's rate limits, so visitors are sent to the site's log-in (keeping ?next=). A member
    who is logged in but may not use the studio (not a creator, or no longer one) gets a page
    saying so and how to become a creator; sending them to the log-in would send them straight
    back here, round and round.
    """

    if not request.user.is_authenticated:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))
    if request.user.has_perm("wagtailadmin.access_admin"):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("wagtailadmin_home")
        return HttpResponseRedirect(target)
    list(messages.get_messages(request))  # Wagtail's "no permission" note: this page says it better
    revoked = UniversityEmail.objects.filter(user=request.user, status=UniversityEmail.Status.REVOKED).exists()
    # (The context's empty "messages" hides the note the loop above marked as read.)
    response = render(request, "members/no_studio.html", {"revoked": revoked, "messages": []})
    response.status_code = 403
    return response
