import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .crypto import decrypt, encrypt


def avatar_path(instance, filename: str) -> str:
    # A random name: the public URL says nothing about who the member is.
    return f"avatars/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class UserManager(BaseUserManager):
    """Users are found and created by e-mail; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A ReelVision member. E-mail is the login and is unique regardless of case."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=50, blank=True, help_text=_("Shown publicly instead of your e-mail.")
    )

    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    admission_year = models.PositiveSmallIntegerField(
        _("year of admission"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
        help_text=_("Your student year (학번), e.g. 2022. Optional."),
    )
    show_badges = models.BooleanField(
        _("show my badges on my public profile"), default=False, help_text=_("Off by default.")
    )
    shipping_name = models.CharField(_("recipient"), max_length=50, blank=True)
    shipping_phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\- ]{7,20}$", _("Digits, spaces, + and - only."))],
    )
    shipping_postcode = models.CharField(
        _("postcode"), max_length=10, blank=True, validators=[RegexValidator(r"^[0-9]{5}$", _("Five digits."))]
    )
    shipping_address = models.CharField(_("address"), max_length=200, blank=True)
    shipping_address_detail = models.CharField(_("address (detail)"), max_length=100, blank=True)
    # What the member agreed to at sign-up (legal.LegalPage versions) and when: the proof of consent
    # the Personal Information Protection Act asks us to be able to show.
    terms_agreed_at = models.DateTimeField(_("agreed to the terms"), null=True, blank=True, editable=False)
    terms_version = models.CharField(_("terms version"), max_length=20, blank=True, editable=False)
    privacy_agreed_at = models.DateTimeField(_("agreed to the privacy policy"), null=True, blank=True, editable=False)
    privacy_version = models.CharField(_("privacy policy version"), max_length=20, blank=True, editable=False)
    # Under 14, Korean law requires a guardian's consent, which sign-up cannot take: members confirm their age.
    age_confirmed_at = models.DateTimeField(_("confirmed being 14 or older"), null=True, blank=True, editable=False)
    marketing_email = models.BooleanField(
        _("send me news and events by e-mail"),
        default=False,
        help_text=_("Optional. You can turn it off at any time."),
    )
    marketing_email_changed_at = models.DateTimeField(
        _("marketing e-mail choice changed"), null=True, blank=True, editable=False
    )
    # The language of everything sent to the member (e-mails, notifications): the one they last used
    # on the site (set at log-in and by the language switch) or chose on their profile.
    language = models.CharField(
        _("language for e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ko",
        help_text=_("E-mails and notifications come in this language."),
    )
    # Set when the member deletes their account: the row stays (anonymised) so the ledger keeps its links.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique")]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or super().get_full_name() or self.email

    def get_short_name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def is_creator(self) -> bool:
        return self.groups.filter(name="Creators").exists()

    @property
    def public_name(self) -> str:
        """What others see: the display name, never the e-mail address."""
        return self.display_name or _("ReelVision member")


class UniversityEmail(models.Model):
    """A university address a member confirms with a code to become a creator.

    A verified (or revoked) address belongs to one account only; pending claims may compete,
    and whoever confirms first keeps it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the code")
        VERIFIED = "verified", _("verified")
        REVOKED = "revoked", _("revoked")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="university_emails")
    email = models.EmailField(_("university e-mail"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    code_hash = models.CharField(max_length=128, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        verbose_name = _("university verification")
        verbose_name_plural = _("university verifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(status__in=["verified", "revoked"]),
                name="members_university_email_one_account",
                violation_error_message=_("This university address is already verified by another account."),
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"


class PayoutAccount(models.Model):
    """Where a creator's money goes. The account number is encrypted at rest (members.crypto)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="payout_account")
    bank = models.CharField(_("bank"), max_length=40)
    number_encrypted = models.TextField(editable=False)
    last4 = models.CharField(max_length=4, editable=False)
    holder = models.CharField(_("account holder"), max_length=50)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self):
        return f"{self.bank} {self.masked_number} ({self.holder})"

    @property
    def masked_number(self) -> str:
        return f"••••{self.last4}"

    @property
    def number(self) -> str:

        return decrypt(self.number_encrypted)

    def set_number(self, number: str) -> None:

        self.number_encrypted = encrypt(number)
        self.last4 = number[-4:]


class BadgeAward(models.Model):
    """A badge a member has earned. The badges themselves are defined in code (members.badges)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="badges")
    code = models.CharField(_("badge"), max_length=40)
    awarded_at = models.DateTimeField(_("earned"), default=timezone.now)

    class Meta:
        verbose_name = _("badge earned")
        verbose_name_plural = _("badges earned")
        ordering = ["awarded_at"]
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="members_badge_once_per_member")]

    def __str__(self):
        # The code, not the badge's name: the names live with the rules in members.badges, which
        # imports this module (pages show `badges.BADGES[code].name`).
        return self.code


class OutgoingEmail(models.Model):
    """An e-mail waiting for the task worker (`members.tasks.send_outgoing_email`), deleted once sent.

    E-mails that carry a one-time code or link (allauth's confirmations and password resets,
    university codes) wait here rather than in the task's arguments, which the task table keeps
    after the task has run: the row, with its code, lives only until the e-mail is handed to the
    mail server.
    """

    subject = models.CharField(max_length=998)
    body = models.TextField()
    from_email = models.CharField(max_length=320, blank=True)
    to = models.JSONField(default=list)
    # [[content, mimetype], ...]: the HTML version of a message, if it has one.
    alternatives = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
