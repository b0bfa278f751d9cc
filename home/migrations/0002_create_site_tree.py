"""Create the site's fixed pages: the home page and the film catalogue under it."""

import uuid

from django.db import migrations
from django.utils import timezone


def create_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")
    FilmIndexPage = apps.get_model("films.FilmIndexPage")

    if HomePage.objects.exists():
        return
    locale = Locale.objects.order_by("pk").first()
    # Wagtail's own migration made a placeholder "Welcome" page; replace it.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    now = timezone.now()
    home_ct, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    index_ct, _ = ContentType.objects.get_or_create(app_label="films", model="filmindexpage")
    home = HomePage.objects.create(
        title="ReelVision", draft_title="ReelVision", slug="home", content_type=home_ct,
        path="00010001", depth=2, numchild=1, url_path="/home/", live=True,
        first_published_at=now, last_published_at=now, locale=locale, translation_key=uuid.uuid4(),
    )
    FilmIndexPage.objects.create(
        title="작품", draft_title="작품", slug="films", content_type=index_ct,
        path="000100010001", depth=3, numchild=0, url_path="/home/films/", live=True,
        first_published_at=now, last_published_at=now, locale=locale, translation_key=uuid.uuid4(),
        intro="<p>동국대학교 영화영상학과 졸업작품 아카이브.</p>", films_per_page=24,
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="ReelVision")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("films", "0002_seed_genres"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_tree, migrations.RunPython.noop)]
