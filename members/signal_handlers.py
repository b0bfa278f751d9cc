"""Keep the Staff and Creators roles in place as the database changes."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save


def ensure_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Every migrated database (test databases included) gets the roles and the film review workflow."""
    if using != DEFAULT_DB_ALIAS:
        return
    from .roles import ensure_roles

    ensure_roles()


def grant_roles_on_new_film_index(sender, instance, created, raw=False, **kwargs):
    """A catalogue created after migrate (e.g. by Staff in the admin) is opened to Creators at once."""
    if created and not raw:
        from .roles import ensure_roles

        ensure_roles()


def award_first_film_badge(sender, instance, **kwargs):
    from .badges import on_page_published

    on_page_published(instance)


def register_signal_handlers(app_config):
    from wagtail.signals import page_published

    from films.models import FilmIndexPage, FilmPage

    page_published.connect(award_first_film_badge, sender=FilmPage, dispatch_uid="members.first_film_badge")
    post_migrate.connect(ensure_roles_after_migrate, sender=app_config, dispatch_uid="members.ensure_roles")
    post_save.connect(grant_roles_on_new_film_index, sender=FilmIndexPage, dispatch_uid="members.film_index_roles")
