"""The API answers exactly as recorded: the JSON of a fixed set of endpoints over the demo content.

Restructuring code must not change what apps receive. This test loads the demo catalogue, asks a
fixed list of endpoints (public ones, and my page's for a demo creator and a demo backer) and
compares each answer with the copy in `tests/snapshots/api/`. What differs between two loads of
the same content is normalised first: database ids (numbered in order of appearance, per endpoint
and field), times, signatures and hashes. After an intended change to the API, record again with

    UPDATE_API_SNAPSHOT=1 bin/test tests/test_api_snapshot.py

and review the diff of `tests/snapshots/api/` like any other change.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase, override_settings

from films.models import FilmPage, FundingProjectPage, Person
from films.tests.factories import film_index, home_page

SNAPSHOTS = Path(__file__).parent / "snapshots" / "api"
UPDATE = os.environ.get("UPDATE_API_SNAPSHOT") == "1"

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
SIGNED_QUERY = re.compile(r"\?(?:[evs]=[^&\"]*&?)+$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
ORDER_NUMBER = re.compile(r"rv_[A-Za-z0-9_-]{20,}")
NUMBER_IN_PATH = re.compile(r"(?<=/)(\d+)(?=/|$|\?)")
CHAIN = re.compile(r"^([a-z_]+):(\d+)$")  # a ledger chain's name, e.g. "project:12"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# The storage adds "_" and seven random characters to a file name already taken.
STORAGE_SUFFIX = re.compile(r"_[A-Za-z0-9]{7}(?=\.[0-9a-f]{8}\.|\.(?:png|jpe?g|webp|gif)\b)")


class Normaliser:
    """Replaces what differs between two loads of the same content with stable tokens."""

    def __init__(self, endpoint: str, today: str):
        self.endpoint = endpoint
        self.today = today
        self.tokens: dict[tuple, dict[int, str]] = {}

    def token(self, namespace: tuple, value: int) -> str:
        seen = self.tokens.setdefault(namespace, {})
        return seen.setdefault(value, f"<id {len(seen) + 1}>")

    def string(self, path: str, value: str) -> str:
        if DATETIME.match(value):
            return "<datetime>"
        if value == self.today:
            return "<today>"
        if SHA256.match(value):
            return "<sha256>"
        if UUID.match(value):
            return "<uuid>"
        if chain := CHAIN.match(value):
            return f"{chain.group(1)}:" + self.token((path, chain.group(1)), int(chain.group(2)))
        if "/media/" in value:
            value = STORAGE_SUFFIX.sub("_<suffix>", value)
        value = ORDER_NUMBER.sub("<order number>", value)
        value = SIGNED_QUERY.sub("?<signature>", value)
        if "/" in value:
            prefix_of = lambda match: value[: match.start()]  # noqa: E731 - the URL up to the number
            value = NUMBER_IN_PATH.sub(lambda m: self.token((path, prefix_of(m)), int(m.group(1))), value)
        return value

    def walk(self, value, path: str = "", key: str = ""):
        if isinstance(value, dict):
            return {k: self.walk(v, f"{path}.{k}", k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v, f"{path}[]", key) for v in value]
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int) and (key == "id" or key.endswith("_id") or key in ("parent", "sequence")):
            return self.token((path,), value)
        if isinstance(value, str):
            return self.string(path, value)
        return value


class APISnapshotTests(TestCase):
    @classmethod
    def setUpClass(cls):
        media = cls.enterClassContext(tempfile.TemporaryDirectory(prefix="snapshot-media-"))
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        with override_settings(DEBUG=True):
            call_command("ensure_demo_admin", stdout=StringIO())
        call_command("load_demo_content", stdout=StringIO())

    def endpoints(self) -> dict[str, tuple[str, str | None]]:
        """name → (path, who asks: an e-mail address, or None for an anonymous visitor)."""
        index = film_index()
        films = FilmPage.objects.child_of(index).live().order_by("path")
        projects = FundingProjectPage.objects.child_of(index).live().order_by("path")
        free = films.filter(price=0).first()
        paid = films.filter(price__gt=0).first()
        project = projects.first()
        person = Person.objects.order_by("slug").first()
        backer = get_user_model().objects.filter(orders__project=project).order_by("email").first()
        creator = "creator1@dongguk.edu"
        return {
            "pages": ("/api/v2/pages/?limit=50", None),
            "pages-films": ("/api/v2/pages/?type=films.FilmPage&fields=*&limit=50", None),
            "pages-projects": ("/api/v2/pages/?type=films.FundingProjectPage&fields=*&limit=50", None),
            "page-home": (f"/api/v2/pages/{home_page().pk}/", None),
            "page-film-free": (f"/api/v2/pages/{free.pk}/", None),
            "page-film-paid": (f"/api/v2/pages/{paid.pk}/", None),
            "page-project": (f"/api/v2/pages/{project.pk}/", None),
            "films": ("/api/v2/films/?limit=50", None),
            "films-filtered": ("/api/v2/films/?genre=drama&status=free&sort=title", None),
            "people": ("/api/v2/people/?limit=50", None),
            "person": (f"/api/v2/people/{person.pk}/", None),
            "genres": ("/api/v2/genres/", None),
            "images": ("/api/v2/images/?limit=50", None),
            "search": ("/api/v2/search/?q=졸업", None),
            "search-people": ("/api/v2/search/?q=김&type=person", None),
            "funding": (f"/api/v2/funding/{project.pk}/", None),
            "ledger": (f"/api/v2/ledger/{project.pk}/?limit=20", None),
            "playback-free": (f"/api/v2/playback/{free.pk}/", None),
            "me-creator": ("/api/v2/me/", creator),
            "me-creator-projects": ("/api/v2/me/projects/", creator),
            "me-creator-badges": ("/api/v2/me/badges/", creator),
            "me-backer-orders": ("/api/v2/me/orders/", backer.email),
            "me-backer-library": ("/api/v2/me/library/", backer.email),
            "not-found": ("/api/v2/pages/999999999/", None),
            "bad-filter": ("/api/v2/films/?genre=no-such-genre", None),
        }

    def answer(self, path: str, email: str | None) -> dict:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if email:
            client.force_login(get_user_model().objects.get(email=email))
        response = client.get(path)
        body = response.json()
        return {"status": response.status_code, "body": body}

    def test_every_endpoint_answers_as_recorded(self):
        from django.utils import timezone

        today = timezone.localdate().isoformat()
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for name, (path, email) in self.endpoints().items():
            with self.subTest(endpoint=name):
                answer = Normaliser(name, today).walk(self.answer(path, email))
                text = json.dumps(answer, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
                snapshot = SNAPSHOTS / f"{name}.json"
                if UPDATE or not snapshot.exists():
                    snapshot.write_text(text, encoding="utf-8")
                    if not UPDATE:
                        self.fail(f"{snapshot} did not exist and was recorded: review it and commit it")
                    continue
                self.assertEqual(text, snapshot.read_text(encoding="utf-8"), f"{name}: {path}")

    def test_the_schema_is_as_recorded(self):
        # In English, the schema's documented language: in Korean a field's title is left out when its
        # label is a trivial variation of its name, which depends on translations loaded earlier.
        schema = Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
        text = json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        snapshot = SNAPSHOTS / "openapi.json"
        if UPDATE or not snapshot.exists():
            snapshot.write_text(text, encoding="utf-8")
            return
        self.assertEqual(text, snapshot.read_text(encoding="utf-8"))
