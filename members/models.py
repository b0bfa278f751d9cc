from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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
