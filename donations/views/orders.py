"""Checkout, the provider round trip (success / failure), receipts, and the sandbox's own page."""

from __future__ import annotations

import hmac
import secrets

from allauth.account.decorators import verified_email_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from films.models import FilmBasePage, FundingProjectPage
from watching.access import age_gate
from watching.models import Entitlement

from .. import payments, tickets
from ..forms import SHIPPING_FIELDS, DonationForm, PurchaseForm
from ..models import Order, OrderKind, OrderStatus, ProviderEvent
from ..providers import ProviderError, WebhookRefused, get_provider
from ..providers.sandbox import DECLINE_REASONS, payment_key
from ..splits import format_percent

# The failure codes that mean the payer stopped, not that anything was refused.
PAYER_STOPPED = {"PAY_PROCESS_CANCELED", "PAY_PROCESS_ABORTED", "USER_CANCEL"}


def _token(request) -> str:
    return request.POST.get("client_token") or secrets.token_urlsafe(24)


def _begin(request, order, form):
    """Send the payer on to the provider; if the provider cannot start, say so on the form.

    The order stays pending (nothing was charged) and expires through reconciliation; the form
    gets a fresh token so the next click makes a new order.
    """
    try:
        return redirect(get_provider(order.provider).begin(order, request).redirect_url)
    except ProviderError:
        payments.fail(order, "PROVIDER_UNAVAILABLE", _("The payment provider could not start the payment."))
        form.data = form.data.copy()
        form.data["client_token"] = secrets.token_urlsafe(24)
        form.add_error(None, _("The payment provider is not answering. Nothing was charged; please try again."))
        return None


@never_cache
@verified_email_required
def donate(request, project_id: int):

    project = get_object_or_404(FundingProjectPage.objects.live().public(), pk=project_id)
    initial = {"client_token": _token(request)}
    if request.GET.get("tier", "").isdigit():
        initial["tier"] = int(request.GET["tier"])
    initial.update({name: getattr(request.user, name) for name in SHIPPING_FIELDS})  # from the profile
    form = DonationForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = payments.start_checkout(
                request.user,
                project=project,
                tier=data["tier_object"],
                amount=data["amount"],
                provider=data["provider"],
                client_token=data["client_token"],
                anonymous=data["anonymous"],
                message=data["message"],
                shipping=data["shipping"],
            )
        except payments.CheckoutRefused as refused:
            form.add_error(None, refused.message)
        else:
            if data["shipping"] and data.get("save_shipping"):
                get_user_model().objects.filter(pk=request.user.pk).update(**data["shipping"])
            if order.status != OrderStatus.PENDING:  # the same click, already finished
                return redirect("donations:order_detail", order.public_id)
            response = _begin(request, order, form)
            if response:
                return response

    fee = format_percent(settings.PLATFORM_FEE_PERCENT)
    return render(request, "donations/donate.html", {"project": project, "form": form, "platform_fee": fee})


@never_cache
@verified_email_required
def buy(request, film_id: int):

    film = get_object_or_404(FilmBasePage.objects.live().public().select_related("main_video"), pk=film_id)
    if Entitlement.objects.active().filter(user=request.user, film=film).exists():
        return redirect("watching:watch_film", film.slug)
    if refusal := payments.purchase_refusal(film):
        messages.error(request, refusal)
        return redirect(film.url)
    if age_gate(request.user, film) is not None:
        messages.error(request, payments.AGE_CHECK_FIRST)
        return redirect("watching:watch_film", film.slug)  # where the age form is
    form = PurchaseForm(request.POST or None, initial={"client_token": _token(request)})
    response = _pay_with(request, form, film=film)
    return response or render(request, "donations/buy.html", {"film": film, "form": form})


def _pay_with(request, form: PurchaseForm, **target):
    """The purchase form's button (a film's or a ticket's `target`, as `start_checkout` takes it):
    the redirect to the provider, or to the order this click already finished; None to show the
    form again with what went wrong on it."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        order = payments.start_checkout(
            request.user,
            provider=form.cleaned_data["provider"],
            client_token=form.cleaned_data["client_token"],
            **target,
        )
    except payments.CheckoutRefused as refused:
        form.add_error(None, refused.message)
        return None
    if order.status != OrderStatus.PENDING:
        return redirect("donations:order_detail", order.public_id)
    return _begin(request, order, form)


@never_cache
@verified_email_required
def buy_ticket(request, item: str):
    """Checkout for a ticket (`donations.tickets`): the price and what it admits to come from the
    app that sells it, never from the form."""

    ticket = tickets.find(item)
    if ticket is None:
        raise Http404
    if tickets.holds(request.user, item):
        return redirect(ticket.url)
    if ticket.refusal:
        messages.error(request, ticket.refusal)
        return redirect(ticket.url)
    form = PurchaseForm(request.POST or None, initial={"client_token": _token(request)})
    response = _pay_with(request, form, ticket=ticket)
    return response or render(request, "donations/buy_ticket.html", {"ticket": ticket, "form": form})


def _own_order(request, public_id: str) -> Order:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Order.objects.select_related("project", "film", "member"), public_id=public_id, member=request.user
    )


@never_cache
@verified_email_required
def payment_success(request):
    """The provider's success redirect: Toss's format (paymentKey, orderId, amount), also the sandbox's."""
    order = _own_order(request, request.GET.get("orderId", ""))
    order = payments.confirm_return(order, request.GET.get("paymentKey", ""), request.GET.get("amount"))
    return redirect("donations:order_detail", order.public_id)


@never_cache
@verified_email_required
def payment_failure(request):
    order = _own_order(request, request.GET.get("orderId", ""))
    code = request.GET.get("code", "")[:64] or "UNKNOWN"
    if order.status == OrderStatus.PENDING:
        if code in PAYER_STOPPED:
            payments.close_pending(order, OrderStatus.CANCELLED, code, _("You stopped the payment."))
        else:
            payments.fail(order, code, request.GET.get("message", "")[:500])
    return redirect("donations:order_detail", order.public_id)


@never_cache
@verified_email_required
def order_detail(request, public_id: str):
    order = _own_order(request, public_id)
    if order.kind == "donation":
        retry_url = reverse("donations:donate", args=[order.project_id]) + (
            f"?tier={order.tier_id}" if order.tier_id else ""
        )
    elif order.kind == OrderKind.TICKET:
        retry_url = order.ticket.url if order.ticket else order.film.url
    else:
        retry_url = reverse("donations:buy", args=[order.film_id])
    return render(request, "donations/order.html", {"order": order, "retry_url": retry_url, "reason": _reason(order)})


def _reason(order: Order) -> str:
    """The failure in plain words."""
    plain = {
        "AMOUNT_MISMATCH": _("The amount did not match the order, so nothing was charged. Please start again."),
        "REJECT_CARD_COMPANY": _("Your card company refused the payment. Try another card or method."),
        "PAY_PROCESS_CANCELED": _("You cancelled the payment. Nothing was charged."),
        "PAY_PROCESS_ABORTED": _("The payment was interrupted. Nothing was charged."),
        "NOT_FOUND_PAYMENT": _("The payment could not be found at the provider. Nothing was charged."),
        "EXPIRED": _("The payment was not completed in time. Nothing was charged."),
        "ALREADY_OWNED": _("You already own this film, so this payment was stopped and nothing was charged."),
        "PURCHASE_UNDER_WAY": _(
            "Another payment for this film is already on its way, so this one was stopped and nothing was charged."
        ),
    }
    # The sandbox's reasons are worded here too, so they follow the reader's language, not the payer's.
    reason = plain.get(order.failure_code) or (order.provider == "sandbox" and DECLINE_REASONS.get(order.failure_code))
    return reason or order.failure_message or _("The payment did not go through.")


@never_cache
@verified_email_required
def sandbox_checkout(request, public_id: str):
    """The sandbox's payment page: pay, decline with a Toss-like reason, or walk away."""
    order = _own_order(request, public_id)
    if order.provider != "sandbox" or order.status != OrderStatus.PENDING:
        return redirect("donations:order_detail", order.public_id)
    if request.method == "POST":
        outcome = request.POST.get("outcome")
        if outcome == "decline":
            outcome = request.POST.get("decline", "")
        if outcome == "pay":
            query = {"paymentType": "NORMAL", "orderId": order.public_id, "amount": order.amount}
            query["paymentKey"] = payment_key(order.public_id, order.amount)
            return redirect(f"{reverse('donations:payment_success')}?{urlencode(query)}")
        if outcome in DECLINE_REASONS:
            query = {"code": outcome, "message": DECLINE_REASONS[outcome], "orderId": order.public_id}
            return redirect(f"{reverse('donations:payment_failure')}?{urlencode(query)}")
        query = {"code": "PAY_PROCESS_CANCELED", "message": "The payer closed the window.", "orderId": order.public_id}
        return redirect(f"{reverse('donations:payment_failure')}?{urlencode(query)}")
    return render(request, "donations/sandbox.html", {"order": order, "declines": DECLINE_REASONS})


@never_cache
@verified_email_required
def toss_checkout(request, public_id: str):
    """Our checkout page with Toss's payment widget (the SDK from our own static files)."""
    order = _own_order(request, public_id)
    if order.provider != "toss" or order.status != OrderStatus.PENDING:
        return redirect("donations:order_detail", order.public_id)
    return render(
        request, "donations/toss.html", {"order": order, "widget": get_provider("toss").widget(order, request)}
    )


@csrf_exempt
@require_POST
def provider_webhook(request, provider: str):
    """A provider's webhook: the provider reads (and verifies) it, then we ask the provider again.

    Whatever the notice says, only the order it names is taken from it: `payments.reconcile` fetches
    the payment from the provider and brings the order in line with that answer. A request the
    provider refuses, or an unknown order, is a 400 and changes nothing; an event with an id is
    handled once; a known order is always a 200 (providers retry anything else), even when there
    was nothing to do.
    """
    try:
        notice = get_provider(provider).parse_webhook(request)
    except WebhookRefused as error:
        return HttpResponseBadRequest(str(error))
    if notice.ignored:
        return HttpResponse("ignored")
    order = Order.objects.filter(public_id=notice.order_number, provider=provider).first()
    if order is None:
        return HttpResponseBadRequest("unknown order")
    if notice.secret is not None and order.provider_secret:
        if not hmac.compare_digest(notice.secret.encode(), order.provider_secret.encode()):
            return HttpResponseBadRequest("secret does not match")
    seen = None
    if notice.event_id:
        try:
            with transaction.atomic():
                seen = ProviderEvent.objects.create(provider=provider, event_id=notice.event_id)
        except IntegrityError:
            return HttpResponse("already handled")
    try:
        # A paid payment also brings in an order we had closed meanwhile: the payer's money is counted.
        payments.reconcile(order)
    except Exception:
        if seen is not None:
            seen.delete()  # not handled after all: the provider's retry must get through
        raise
    return HttpResponse("ok")


@never_cache
@verified_email_required
def stripe_return(request):
    """Back from Stripe Checkout: read the session back from Stripe, never the URL's word."""
    order = _own_order(request, request.GET.get("orderId", ""))
    order = payments.confirm_return(order, request.GET.get("session_id", ""), order.amount)
    return redirect("donations:order_detail", order.public_id)
