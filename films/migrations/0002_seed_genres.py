from django.db import migrations

GENRES = [
    ("액션", "Action", "action"),
    ("코미디", "Comedy", "comedy"),
    ("드라마", "Drama", "drama"),
    ("SF", "SF", "sf"),
    ("로맨스", "Romance", "romance"),
    ("스릴러", "Thriller", "thriller"),
    ("호러", "Horror", "horror"),
    ("애니메이션", "Animation", "animation"),
    ("범죄", "Crime", "crime"),
    ("판타지", "Fantasy", "fantasy"),
    ("어드벤처", "Adventure", "adventure"),
    ("기타", "Etc.", "etc"),
]


def seed_genres(apps, schema_editor):
    Genre = apps.get_model("films", "Genre")
    for order, (name, name_en, slug) in enumerate(GENRES):
        Genre.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("films", "0001_initial")]
    operations = [migrations.RunPython(seed_genres, migrations.RunPython.noop)]
