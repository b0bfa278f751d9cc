"""Admin for the catalogue's snippets (genres and people, under one "Catalogue" menu), staff's
age-rating list, and which pages show a video (the videos admin asks before deleting one)."""

import django_filters
from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from videos.access import is_staff_member

from . import admin_urls
from .choices import CreditRole
from .models import FilmBasePage, Genre, Person
from .ratings import LOG_ACTION as AGE_RATING_LOG_ACTION


@hooks.register("register_admin_urls")
def register_rating_urls():
    return [path("ratings/", include(admin_urls))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_rating_menu_item():
    return StaffMenuItem(
        _("Age ratings"), reverse("films_ratings:list"), name="age-ratings", icon_name="view", order=262
    )


@hooks.register("register_log_actions")
def register_rating_log_actions(actions):
    actions.register_action(AGE_RATING_LOG_ACTION, _("Age rating confirmed"), _("Age rating confirmed"))


@hooks.register("video_usage")
def films_showing_video(video):
    """The films and projects that play `video` as their film or trailer."""
    return FilmBasePage.objects.showing(video)


class GenreViewSet(SnippetViewSet):
    model = Genre
    icon = "tag"
    menu_label = _("Genres")
    menu_name = "genres"
    list_display = ["name", "name_en", "slug", Column("film_count", label=_("Films"), sort_key="film_count")]
    search_fields = ["name", "name_en"]
    # Staff drag genres into the order the catalogue filter shows them.
    sort_order_field = "sort_order"
    copy_view_enabled = False

    def get_queryset(self, request):
        return Genre.objects.annotate(film_count=Count("films", distinct=True))


class PersonFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(
        label=_("Credited as"), choices=CreditRole.choices, field_name="credits__role", distinct=True
    )
    has_photo = django_filters.BooleanFilter(
        label=_("Has a photo"), field_name="photo", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Person
        fields = []


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    menu_name = "people"
    list_display = ["name", "name_en", "slug", Column("credit_count", label=_("Credits"), sort_key="credit_count")]
    search_fields = ["name", "name_en", "bio"]
    filterset_class = PersonFilterSet
    copy_view_enabled = False

    def get_queryset(self, request):
        return Person.objects.annotate(credit_count=Count("credits", distinct=True))


class CatalogueViewSetGroup(SnippetViewSetGroup):
    items = (GenreViewSet, PersonViewSet)
    menu_label = _("Catalogue")
    menu_name = "catalogue"
    menu_icon = "folder-open-inverse"
    menu_order = 200


register_snippet(CatalogueViewSetGroup)
