"""Staff verify a creator by hand, with a reason, when the mailed code cannot work (a university
address we do not list, a student whose mailbox is not open yet).

The result is the same as a confirmed code (members.university.confirm): a verified university
address, the Creators group, the "verified creator" badge. The reason and who gave it are in
Wagtail's log of the address, shown in its history. Revoking works as for any verification.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import UniversityEmail, User
from .signals import creator_verified
from .university import VerificationError, _join_creators

LOG_ACTION = "members.university.verify_by_hand"


def verify_by_hand(member: User, email: str, *, by: User, reason: str) -> UniversityEmail:
    """Make `email` the verified university address of `member`; `reason` is required and logged."""
    reason = (reason or "").strip()
    email = (email or "").strip()
    if not reason:
        raise VerificationError(_("Give a reason: it is kept in the verification's history."))
    if not email:
        raise VerificationError(_("Give the address the member is known by at the university."))
    if member.deleted_at or not member.is_active:
        raise VerificationError(_("This account is closed."))
    mine = UniversityEmail.objects.filter(user=member, email__iexact=email).first()
    if mine and mine.status == UniversityEmail.Status.VERIFIED:
        raise VerificationError(_("This address is verified already."))
    if mine and mine.status == UniversityEmail.Status.REVOKED:
        raise VerificationError(_("Staff revoked this verification: restore it on its page instead."))
    try:
        with transaction.atomic():
            record = mine or UniversityEmail(user=member, email=email)
            record.status = UniversityEmail.Status.VERIFIED
            record.verified_at = timezone.now()
            record.code_hash = ""
            record.save()
            _join_creators(member)
            log(record, LOG_ACTION, user=by, data={"reason": reason})
    except IntegrityError as error:
        raise VerificationError(_("This university address is already verified by another account.")) from error
    creator_verified.send_robust(sender=UniversityEmail, user=member)
    return record
