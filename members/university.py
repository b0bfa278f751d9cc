"""University e-mail verification: who may create.

A member adds an address at an allowed domain (settings.UNIVERSITY_EMAIL_DOMAINS, subdomains
included) and types the six-digit code we mail to it. Then they join the Creators group. Staff
can revoke a verification with a reason (the member leaves Creators; their pages stay) and
restore it; every step is in Wagtail's log and the member is told by e-mail.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, WorkflowState

from films.models import FilmBasePage

from .badges import recompute
from .models import UniversityEmail, User
from .roles import CREATORS
from .signals import creator_verified
from .tasks import queue_email

RESEND_AFTER = timedelta(seconds=60)
MAX_PENDING_CLAIMS = 3  # addresses a member may be verifying at once


def _spend(name: str, limit: int, seconds: int) -> bool:
    """Count one use of `name` in a fixed window; False once `limit` uses are spent (cache-backed,
    so shared by every worker in production)."""

    key = f"university-limit:{name}"
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, seconds)
        used = 1
    return used <= limit


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


class VerificationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def allowed_domain(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in settings.UNIVERSITY_EMAIL_DOMAINS)


def _hash(record_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"university:{record_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _taken_by_other(user: User, email: str) -> bool:
    return (
        UniversityEmail.objects.filter(email__iexact=email, status__in=["verified", "revoked"])
        .exclude(user=user)
        .exists()
    )


def _send(user: User, subject: str, template: str, context: dict, to: str | None = None) -> None:
    """Queue the e-mail for the task worker (through the outbox: codes never sit in task arguments)."""
    body = render_to_string(template, {"user": user, **context})
    queue_email(EmailMessage(f"[ReelVision] {subject}", body, None, [to or user.email]))


def start(user: User, email: str) -> UniversityEmail:
    """Create (or renew) the member's pending claim on `email` and mail a fresh code to it."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise VerificationError(_("Enter a valid e-mail address.")) from error
    if not allowed_domain(email):
        raise VerificationError(
            _("Use your university address (%(domains)s).")
            % {"domains": ", ".join("@" + d for d in settings.UNIVERSITY_EMAIL_DOMAINS)}
        )
    mine = UniversityEmail.objects.filter(user=user, email__iexact=email).first()
    if mine and mine.status == UniversityEmail.Status.VERIFIED:
        raise VerificationError(_("You have verified this address already."))
    if mine and mine.status == UniversityEmail.Status.REVOKED:
        raise VerificationError(_("Staff revoked this verification. Please contact the department office."))
    if _taken_by_other(user, email):
        raise VerificationError(_("This university address is already verified by another account."))
    now = timezone.now()
    lifetime = timedelta(seconds=settings.UNIVERSITY_CODE_LIFETIME)
    last_sent = mine.code_expires_at - lifetime if mine and mine.code_expires_at else None
    if last_sent and last_sent > now - RESEND_AFTER:
        raise VerificationError(_("We sent a code a moment ago. Please wait a minute before asking for another."))
    if not mine and user.university_emails.filter(status=UniversityEmail.Status.PENDING).count() >= MAX_PENDING_CLAIMS:
        raise VerificationError(_("Finish or remove the addresses you are verifying before adding another."))
    # Limits across records and accounts: one member cannot mail codes without end, and nobody can
    # flood one address with codes (each account's own one-a-minute rule alone would allow that).
    per_hour = settings.UNIVERSITY_CODE_SENDS_PER_HOUR
    if not _spend(f"send:member:{user.pk}", per_hour, 3600) or not _spend(
        f"send:address:{_address_key(email)}", per_hour, 3600
    ):
        raise VerificationError(_("Too many codes were sent. Please try again in an hour."))
    record = mine or UniversityEmail(user=user, email=email)
    record.save()
    code = f"{secrets.randbelow(1_000_000):06d}"
    record.code_hash = _hash(record.pk, code)
    record.code_expires_at = now + lifetime
    record.attempts = 0
    record.save(update_fields=["code_hash", "code_expires_at", "attempts"])
    _send(
        user,
        _("Your university verification code"),
        "members/email/university_code.txt",
        {"code": code, "minutes": settings.UNIVERSITY_CODE_LIFETIME // 60, "email": email},
        to=email,
    )
    return record


def confirm(user: User, record_id: int, code: str) -> UniversityEmail:
    """Check the code; on success the address is the member's and they are a creator."""
    record = UniversityEmail.objects.filter(pk=record_id, user=user).first()
    if record is None or record.status != UniversityEmail.Status.PENDING or not record.code_hash:
        raise VerificationError(_("This code is no longer valid. Ask for a new one."))
    if record.code_expires_at is None or record.code_expires_at < timezone.now():
        raise VerificationError(_("This code has expired. Ask for a new one."))
    # Tries at one address are also counted across accounts: many accounts each claiming the same
    # address get no more guesses between them than the daily allowance.
    if not _spend(f"guess:address:{_address_key(record.email)}", settings.UNIVERSITY_CODE_TRIES_PER_DAY, 86400):
        raise VerificationError(_("Too many tries for this address today. Please try again tomorrow."))
    # Count the attempt before checking it, atomically, so parallel guesses cannot share one try.
    counted = UniversityEmail.objects.filter(
        pk=record.pk, attempts__lt=settings.UNIVERSITY_CODE_MAX_ATTEMPTS, code_hash=record.code_hash
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise VerificationError(_("Too many wrong codes. Ask for a new one."))
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not hmac.compare_digest(record.code_hash, _hash(record.pk, code)):
        left = settings.UNIVERSITY_CODE_MAX_ATTEMPTS - record.attempts - 1
        raise VerificationError(
            _("That code is not right. %(left)d tries left.") % {"left": left}
            if left > 0
            else _("Too many wrong codes. Ask for a new one.")
        )
    try:
        with transaction.atomic():
            # Only if the code is still the one checked (not used by a parallel request meanwhile).
            claimed = UniversityEmail.objects.filter(
                pk=record.pk, status=UniversityEmail.Status.PENDING, code_hash=record.code_hash
            ).update(status=UniversityEmail.Status.VERIFIED, verified_at=timezone.now(), code_hash="")
            if not claimed:
                raise VerificationError(_("This code is no longer valid. Ask for a new one."))
            record.refresh_from_db()
            _join_creators(user)
            log(record, "members.university.verify", user=user)
    except IntegrityError as error:
        raise VerificationError(_("This university address is already verified by another account.")) from error
    creator_verified.send_robust(sender=UniversityEmail, user=user)
    return record


def _join_creators(user: User) -> None:
    user.groups.add(Group.objects.get(name=CREATORS))


def _leave_creators_unless_verified(user: User) -> None:
    if not user.university_emails.filter(status=UniversityEmail.Status.VERIFIED).exists():
        user.groups.remove(Group.objects.get(name=CREATORS))


def _send_pages_to_moderation(member: User, by: User) -> list[int]:
    """Put each page the member owns through the moderation workflow (submitted by the staff member
    who revoked): the live versions stay online, and staff approve or reject each one. Pages
    already in moderation are left as they are. Returns the ids of the pages submitted."""

    submitted = []
    for page in FilmBasePage.objects.filter(owner=member).specific():
        workflow = page.get_workflow()
        if workflow is None or page.workflow_in_progress:
            continue
        if page.get_latest_revision() is None:
            page.save_revision(user=by, log_action=False)
        workflow.start(page, by)
        submitted.append(page.pk)
    return submitted


@transaction.atomic
def revoke(record: UniversityEmail, by: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise VerificationError(_("Give a reason: the member is told it."))
    if record.status != UniversityEmail.Status.VERIFIED:
        raise VerificationError(_("Only a verified address can be revoked."))
    record.status = UniversityEmail.Status.REVOKED
    record.revoked_at = timezone.now()
    record.revoke_reason = reason
    record.save(update_fields=["status", "revoked_at", "revoke_reason"])
    _leave_creators_unless_verified(record.user)
    sent = _send_pages_to_moderation(record.user, by)
    log(record, "members.university.revoke", user=by, data={"reason": reason, "pages_to_review": sent})
    member = record.user

    transaction.on_commit(lambda: recompute(member))
    transaction.on_commit(
        lambda: _send(
            member,
            _("Your creator verification was revoked"),
            "members/email/university_revoked.txt",
            {"record": record, "reason": reason},
        )
    )


def _reviews_opened_by_revocation(record: UniversityEmail):
    """The reviews the last revocation of `record` started that are still open: those it logged the
    pages of, requested by the member of staff who revoked, since the revocation. A review the
    creator submitted themselves (requested by them) is not among them."""

    revocation = (
        ModelLogEntry.objects.filter(action="members.university.revoke", object_id=str(record.pk))
        .order_by("-timestamp", "-pk")
        .first()
    )
    if revocation is None or not revocation.data.get("pages_to_review"):
        return WorkflowState.objects.none()
    return WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=[str(pk) for pk in revocation.data["pages_to_review"]],
        requested_by_id=revocation.user_id,
        created_at__gte=record.revoked_at,  # set as the revocation began, before it opened the reviews
    )


@transaction.atomic
def restore(record: UniversityEmail, by: User) -> None:
    """Make the address verified again; the reviews the revocation opened are cancelled (the pages
    stay as they are, live or not), since their reason is gone."""
    if record.status != UniversityEmail.Status.REVOKED:
        raise VerificationError(_("Only a revoked verification can be restored."))
    closed = []
    for state in _reviews_opened_by_revocation(record):
        state.cancel(user=by)
        closed.append(int(state.object_id))
    record.status = UniversityEmail.Status.VERIFIED
    record.revoked_at = None
    record.save(update_fields=["status", "revoked_at"])
    _join_creators(record.user)
    log(record, "members.university.restore", user=by, data={"reviews_closed": closed})
    member = record.user

    transaction.on_commit(lambda: recompute(member))
    transaction.on_commit(
        lambda: _send(
            member, _("Your creator verification is back"), "members/email/university_restored.txt", {"record": record}
        )
    )
