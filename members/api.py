"""`/api/v2/me/…`: my page for apps (profile, library, orders, badges, projects).

Authenticated only: an app's JWT access token (`Authorization: Bearer …`, from allauth's headless
API) or the site's session (with DRF's CSRF check on PATCH). Anonymous requests get a JSON 401.
There are no ids in these URLs: every answer is about the requester, built by the same code as
the HTML pages (`members.my_page`, `members.forms.ProfileForm`), so an app and the site always show
the same thing. Responses are personal: `Cache-Control: private, no-store`.
"""

from __future__ import annotations

from allauth.account.utils import has_verified_email
from django.forms.models import model_to_dict
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from wagtail.api.utils import get_full_url

from donations.models import SETTLED_STATUSES
from films.renditions import CARD_POSTER_FILTER
from reelvision.api import MemberAPIView
from reelvision.api_errors import NOT_AUTHENTICATED, ErrorSerializer

from . import account, my_page
from .forms import ProfileForm
from .models import UniversityEmail, User

# What PATCH /api/v2/me/ may change; the rest of the profile (avatar, shipping address, payout
# account) is changed on the site.
EDITABLE_PROFILE_FIELDS = ("display_name", "department", "admission_year", "show_badges")
STUDIO_PERMISSION = "wagtailadmin.access_admin"


# --- profile ------------------------------------------------------------------------------------


class UniversitySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["none", "pending", "verified", "revoked"],
        help_text="Creator verification: verified members are creators; revoked ones were, until staff revoked it.",
    )
    email = serializers.EmailField(allow_null=True, help_text="The university address in that status.")


class ShippingAddressSerializer(serializers.Serializer):
    recipient = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    postcode = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    address_detail = serializers.CharField(allow_blank=True)


class PayoutAccountSerializer(serializers.Serializer):
    bank = serializers.CharField()
    number = serializers.CharField(help_text="Masked: ••••1234. The full number is never sent.")
    holder = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(help_text="The log-in address; changed on the site (Account).")
    email_verified = serializers.BooleanField(help_text="Buying, donating and creating need a confirmed address.")
    display_name = serializers.CharField(allow_blank=True, help_text="Shown publicly instead of the e-mail.")
    public_name = serializers.CharField(help_text="What others see: the display name or a neutral placeholder.")
    avatar_url = serializers.URLField(allow_null=True)
    department = serializers.CharField(allow_blank=True)
    admission_year = serializers.IntegerField(allow_null=True, help_text="Student year (학번), e.g. 2022.")
    show_badges = serializers.BooleanField(help_text="Badges are shown on the public profile.")
    is_creator = serializers.BooleanField(help_text="In the Creators group: may create film and funding pages.")
    university = UniversitySerializer()
    shipping_address = ShippingAddressSerializer(help_text="Where rewards are sent; changed on the site.")
    payout_account = PayoutAccountSerializer(
        allow_null=True, help_text="Creators and rights holders; changed on the site (with the password)."
    )


class ProfileUpdateSerializer(serializers.Serializer):
    """The fields an app may change. Rules (lengths, the year's range) are the site's profile form's."""

    display_name = serializers.CharField(required=False, allow_blank=True, help_text="Up to 50 characters.")
    department = serializers.CharField(required=False, allow_blank=True, help_text="Up to 100 characters.")
    admission_year = serializers.IntegerField(required=False, allow_null=True, help_text="1950–2100, or null.")
    show_badges = serializers.BooleanField(required=False)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise ValidationError(
                {name: [_("This field cannot be changed here.")] for name in unknown},
            )
        return attrs


def university_status(user: User) -> dict:
    """The most telling of the member's university addresses: verified, else pending, else revoked
    (the newest of each, as the default ordering gives them)."""
    records = list(user.university_emails.all())
    for wanted in (UniversityEmail.Status.VERIFIED, UniversityEmail.Status.PENDING, UniversityEmail.Status.REVOKED):
        record = next((r for r in records if r.status == wanted), None)
        if record:
            return {"status": str(wanted), "email": record.email}
    return {"status": "none", "email": None}


def profile_data(request, user: User) -> dict:

    return {
        "id": user.pk,
        "email": user.email,
        "email_verified": has_verified_email(user),
        "display_name": user.display_name,
        "public_name": str(user.public_name),
        "avatar_url": get_full_url(request, user.avatar.url) if user.avatar else None,
        "department": user.department,
        "admission_year": user.admission_year,
        "show_badges": user.show_badges,
        "is_creator": user.is_creator,
        "university": university_status(user),
        "shipping_address": account.shipping_address_of(user),
        "payout_account": account.masked_payout_account(user),
    }


def update_profile(user: User, changes: dict) -> dict | None:
    """Apply `changes` through the site's ProfileForm; returns its errors, or None once saved.

    Fields the request leaves out keep their values; fields an app may not change are not on the
    form at all, so they are neither validated nor saved.
    """
    data = model_to_dict(user, fields=EDITABLE_PROFILE_FIELDS)
    data.update(changes)
    data = {name: ("" if value is None else value) for name, value in data.items()}
    form = ProfileForm(data, instance=user)
    for name in list(form.fields):
        if name not in EDITABLE_PROFILE_FIELDS:
            del form.fields[name]
    if not form.is_valid():
        return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
    form.save()
    return None


class ProfileAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me",
        summary="My profile",
        description="The requester's profile, e-mail verification and creator status.",
        responses={200: ProfileSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        return Response(ProfileSerializer(profile_data(request, request.user)).data)

    @extend_schema(
        operation_id="me_update",
        summary="Change my profile",
        description=(
            "Change the display name, department, year or whether badges are public; fields left out keep "
            "their values. Validated like the site's profile form (same messages). Other fields are refused. "
            "With a session, send the CSRF token (X-CSRFToken)."
        ),
        request=ProfileUpdateSerializer,
        responses={
            200: ProfileSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Invalid values: `code` is `invalid`, `fields` says why."
            ),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="A session without its CSRF token."),
        },
        tags=["me"],
    )
    def patch(self, request):
        changes = ProfileUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        user = User.objects.get(pk=request.user.pk)
        errors = update_profile(user, changes.validated_data)
        if errors:
            raise ValidationError(errors)
        return Response(ProfileSerializer(profile_data(request, user)).data)


# --- library ------------------------------------------------------------------------------------


class FilmRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Page id: /api/v2/pages/<id>/ has the details.")
    title = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    slug = serializers.CharField()
    price = serializers.IntegerField(help_text="KRW; 0 is free.")
    poster = serializers.URLField(allow_null=True, help_text="360×540 WebP; null without a poster.")
    html_url = serializers.URLField(allow_null=True, help_text="The film's page on the site.")
    watch_url = serializers.URLField(help_text="The site's watch page.")
    playback_url = serializers.URLField(help_text="GET: signed stream URLs for the requester.")


class ContinueWatchingSerializer(serializers.Serializer):
    film = FilmRefSerializer()
    video_id = serializers.IntegerField()
    position = serializers.FloatField(help_text="Seconds: where to resume.")
    duration = serializers.FloatField(help_text="Seconds.")
    percent = serializers.IntegerField(help_text="0–100.")
    updated_at = serializers.DateTimeField(help_text="Last watched.")


class BoughtFilmSerializer(serializers.Serializer):
    film = FilmRefSerializer()
    since = serializers.DateTimeField(help_text="Bought (or granted) on.")
    source = serializers.ChoiceField(choices=["purchase", "grant"])


class LibrarySerializer(serializers.Serializer):
    continue_watching = ContinueWatchingSerializer(many=True, help_text="Newest first, at most 12.")
    bought = BoughtFilmSerializer(many=True, help_text="Newest first; kept for good.")
    watched_free = FilmRefSerializer(many=True, help_text="By title.")


def page_url(request, page) -> str | None:
    """The page's absolute URL on the site, or None when it has none (e.g. not in a site's tree)."""
    url = page.get_url(request)
    return get_full_url(request, url) if url else None


def film_ref(request, film) -> dict:

    return {
        "id": film.pk,
        "title": film.title,
        "title_en": film.title_en,
        "slug": film.slug,
        "price": film.price,
        "poster": get_full_url(request, film.poster.get_rendition(CARD_POSTER_FILTER).url) if film.poster else None,
        "html_url": page_url(request, film),
        "watch_url": get_full_url(request, reverse("watching:watch_film", args=[film.slug])),
        "playback_url": get_full_url(request, reverse("api_playback", args=[film.pk])),
    }


class LibraryAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_library",
        summary="My library",
        description=(
            "Films started and not finished (with where to resume), films bought, and free films watched: the "
            "same lists as the site's library (/me/)."
        ),
        responses={200: LibrarySerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        shelf = my_page.library_of(request.user)
        body = {
            "continue_watching": [
                {
                    "film": film_ref(request, item.film),
                    "video_id": item.video_id,
                    "position": item.position,
                    "duration": item.duration,
                    "percent": item.percent,
                    "updated_at": item.updated_at,
                }
                for item in shelf.continue_watching
            ],
            "bought": [
                {"film": film_ref(request, e.film), "since": e.created_at, "source": e.source} for e in shelf.bought
            ],
            "watched_free": [film_ref(request, film) for film in shelf.watched_free],
        }
        return Response(LibrarySerializer(body).data)


# --- orders -------------------------------------------------------------------------------------


class OrderSerializer(serializers.Serializer):
    order_number = serializers.CharField()
    kind = serializers.ChoiceField(choices=["donation", "purchase", "ticket"])
    status = serializers.ChoiceField(choices=[str(status) for status in SETTLED_STATUSES])
    status_label = serializers.CharField(help_text="The status in the requester's language.")
    amount = serializers.IntegerField(help_text="KRW paid.")
    refunded_amount = serializers.IntegerField(help_text="KRW refunded so far.")
    date = serializers.DateTimeField(help_text="When it was paid.")
    title = serializers.CharField(help_text="The project's or the film's title; a ticket's event (a premiere's title).")
    page_id = serializers.IntegerField(help_text="The project's or the film's page id (for a ticket, its film's).")
    anonymous = serializers.BooleanField(help_text="A donation left off the public list of backers by name.")
    receipt_url = serializers.URLField(help_text="The receipt page on the site (needs the site's log-in).")
    provider_receipt_url = serializers.URLField(allow_null=True, help_text="The payment provider's receipt.")


class OrdersSerializer(serializers.Serializer):
    donations = OrderSerializer(many=True, help_text="Newest first.")
    purchases = OrderSerializer(many=True, help_text="Newest first.")
    tickets = OrderSerializer(many=True, help_text="Tickets to premieres, newest first.")


def order_data(request, order) -> dict:
    target = order.target
    return {
        "order_number": order.public_id,
        "kind": order.kind,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "amount": order.amount,
        "refunded_amount": order.refunded_amount,
        "date": order.paid_at or order.created_at,
        "title": order.name,
        "page_id": target.pk,
        "anonymous": order.is_anonymous,
        "receipt_url": get_full_url(request, reverse("donations:order_detail", args=[order.public_id])),
        "provider_receipt_url": order.receipt_url or None,
    }


class OrdersAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_orders",
        summary="My donations, purchases and tickets",
        description=(
            "Orders that went through (paid, partly or fully refunded), as on the site's donations page; pending, "
            "failed and abandoned checkouts are left out."
        ),
        responses={200: OrdersSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        orders = [order_data(request, order) for order in my_page.settled_orders_of(request.user)]
        body = {
            "donations": [o for o in orders if o["kind"] == "donation"],
            "purchases": [o for o in orders if o["kind"] == "purchase"],
            "tickets": [o for o in orders if o["kind"] == "ticket"],
        }
        return Response(OrdersSerializer(body).data)


# --- badges -------------------------------------------------------------------------------------


class BadgeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    how_to_earn = serializers.CharField()
    icon = serializers.CharField(help_text="The icon's name in the site's badge icon set.")
    earned_at = serializers.DateTimeField(allow_null=True, help_text="Null until earned.")


class BadgesSerializer(serializers.Serializer):
    earned = BadgeSerializer(many=True)
    not_earned = BadgeSerializer(many=True)
    shown_on_public_profile = serializers.BooleanField()


class BadgesAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_badges",
        summary="My badges",
        description="Badges earned (with the date) and the rest with how to earn them.",
        responses={200: BadgesSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        items = [
            {
                "code": item.badge.code,
                "name": str(item.badge.name),
                "how_to_earn": str(item.badge.how_to_earn),
                "icon": item.badge.icon,
                "earned_at": item.earned_at,
            }
            for item in my_page.badge_items(request.user)
        ]
        body = {
            "earned": [b for b in items if b["earned_at"]],
            "not_earned": [b for b in items if not b["earned_at"]],
            "shown_on_public_profile": request.user.show_badges,
        }
        return Response(BadgesSerializer(body).data)


# --- projects -----------------------------------------------------------------------------------


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Page id.")
    type = serializers.ChoiceField(choices=["film", "project"], help_text="A finished film or a funding project.")
    title = serializers.CharField()
    publication = serializers.ChoiceField(
        choices=list(my_page.Publication.CHOICES),
        help_text="draft, in_moderation (submitted, never published) or live.",
    )
    changes_in_moderation = serializers.BooleanField(help_text="Live, with newer changes waiting for review.")
    status_label = serializers.CharField(help_text="The status as my page words it, in the requester's language.")
    amount_raised = serializers.IntegerField(allow_null=True, help_text="KRW; null for finished films.")
    backers = serializers.IntegerField(allow_null=True, help_text="Null for finished films.")
    html_url = serializers.URLField(allow_null=True, help_text="The public page; null until published.")
    edit_url = serializers.URLField(allow_null=True, help_text="The studio's editor; null without studio access.")


class ProjectsSerializer(serializers.Serializer):
    is_creator = serializers.BooleanField()
    projects = ProjectSerializer(many=True, help_text="Newest change first.")


class ProjectsAPIView(MemberAPIView):
    @extend_schema(
        operation_id="me_projects",
        summary="My film and funding pages",
        description=(
            "The pages the requester owns, with their status and funding figures. Every member may ask: only "
            "creators make pages, so other members get an empty list (a creator whose verification was revoked "
            "still sees their pages, without edit links)."
        ),
        responses={200: ProjectsSerializer, 401: NOT_AUTHENTICATED},
        tags=["me"],
    )
    def get(self, request):
        can_edit = request.user.has_perm(STUDIO_PERMISSION)
        projects = []
        for row in my_page.project_rows(request.user):
            page = row.page
            projects.append(
                {
                    "id": page.pk,
                    "type": "project" if row.is_project else "film",
                    "title": page.title,
                    "publication": row.publication,
                    "changes_in_moderation": row.changes_in_moderation,
                    "status_label": row.status,
                    "amount_raised": (row.total.amount if row.total else 0) if row.is_project else None,
                    "backers": (row.total.backers if row.total else 0) if row.is_project else None,
                    "html_url": page_url(request, page) if page.live else None,
                    "edit_url": (
                        get_full_url(request, reverse("wagtailadmin_pages:edit", args=[page.pk])) if can_edit else None
                    ),
                }
            )
        return Response(ProjectsSerializer({"is_creator": request.user.is_creator, "projects": projects}).data)


# Under /api/v2/ (reelvision.api_urls): my page for apps (JWT or session).
urlpatterns = [
    path("me/", ProfileAPIView.as_view(), name="api_me"),
    path("me/library/", LibraryAPIView.as_view(), name="api_me_library"),
    path("me/orders/", OrdersAPIView.as_view(), name="api_me_orders"),
    path("me/badges/", BadgesAPIView.as_view(), name="api_me_badges"),
    path("me/projects/", ProjectsAPIView.as_view(), name="api_me_projects"),
]
