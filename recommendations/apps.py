from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    """What to watch next: the picked genres, the precomputed recommendation, similar-film and
    popularity tables (`recompute.py`, kept fresh by a periodic task), the rows pages show
    (`rows.py`) and the evaluation (`evaluation.py`).

    Imports `films`, `videos`, `watching` and `donations` (reading what members watched, bought and
    backed) and `reelvision`; none of them imports it. Pages that show its rows (the home, film and
    watch pages) call `rows.py`.
    """

    name = "recommendations"
    verbose_name = _("Recommendations")
    default_auto_field = "django.db.models.BigAutoField"
