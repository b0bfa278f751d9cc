"""Keep the Staff and Creators roles in place as the database changes."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save
from wagtail.signals import page_published

from donations.models import OrderKind
from donations.signals import order_paid, order_refunded
from films.models import FilmIndexPage, FilmPage
from watching.signals import film_watched

from .badges import on_donation_paid, on_page_published, on_verified, on_watch_progress, recompute
from .roles import ensure_roles
from .signals import creator_verified


def ensure_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Every migrated database (test databases included) gets the roles and the film review workflow."""
    if using != DEFAULT_DB_ALIAS:
        return

    ensure_roles()


def grant_roles_on_new_film_index(sender, instance, created, raw=False, **kwargs):
    """A catalogue created after migrate (e.g. by Staff in the admin) is opened to Creators at once."""
    if created and not raw:
        ensure_roles()


def award_first_film_badge(sender, instance, **kwargs):

    on_page_published(instance)


def award_donation_badges(sender, order, **kwargs):

    if order.kind == OrderKind.DONATION:
        on_donation_paid(order.member)


def recompute_badges_after_refund(sender, order, **kwargs):

    recompute(order.member)


def award_watching_badges(sender, user, **kwargs):

    on_watch_progress(user)


def award_creator_badge(sender, user, **kwargs):

    on_verified(user)


def remember_language(sender, request, user, **kwargs):
    """A member's e-mails come in the language they use the site in: the one of the request that
    logged them in (signing up logs in too)."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language in dict(settings.LANGUAGES) and language != user.language:
        type(user).objects.filter(pk=user.pk).update(language=language)
        user.language = language


def register_signal_handlers(app_config):

    page_published.connect(award_first_film_badge, sender=FilmPage, dispatch_uid="members.first_film_badge")
    order_paid.connect(award_donation_badges, dispatch_uid="members.donation_badges")
    order_refunded.connect(recompute_badges_after_refund, dispatch_uid="members.badges_after_refund")
    film_watched.connect(award_watching_badges, dispatch_uid="members.watching_badges")
    creator_verified.connect(award_creator_badge, dispatch_uid="members.creator_badge")
    user_logged_in.connect(remember_language, dispatch_uid="members.remember_language")
    post_migrate.connect(ensure_roles_after_migrate, sender=app_config, dispatch_uid="members.ensure_roles")
    post_save.connect(grant_roles_on_new_film_index, sender=FilmIndexPage, dispatch_uid="members.film_index_roles")
