"""One notification to 10,000 backers: the batched fan-out and its e-mails against the bare work.

    bench/run fanout                      # SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/empty_db bench/run fanout   # an EMPTY database

Writes BENCH_BACKERS members (10,000) with a paid donation each to one project, then measures in
the same process, on the same rows:

1. **reference**: what any delivery must do at the least — insert one notification row per backer
   (`bulk_create` in batches of NOTIFICATIONS_BATCH_SIZE) and hand one plain-text e-mail per backer
   to the mail backend (Django's in-memory one), without wording, preferences, claims or cursors;
2. **fan-out**: `delivery.start_fan_out` for a project update, its batches and their e-mail tasks
   run inline (Django's immediate task backend), as a worker would run them one after another:
   each batch's notifications, e-mail task and cursor committed together, each e-mail claimed
   before it is sent, worded in the member's language, with its unsubscribe link and headers.

Prints seconds, rows and e-mails per second, and fan-out ÷ reference. Checks that every backer got
exactly one notification and one e-mail. Not part of the test suite.
"""

from __future__ import annotations

import os
import time

from bench.throwaway import bench_database

BACKERS = int(os.environ.get("BENCH_BACKERS", "10000"))


def write_backers(count: int):
    from django.contrib.auth import get_user_model

    from donations.models import Order, OrderStatus
    from films.models import FilmIndexPage, FundingProjectPage

    index = FilmIndexPage.objects.first()
    project = index.add_child(instance=FundingProjectPage(title="벤치 프로젝트", slug="bench-fanout"))
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(email=f"bench-backer{n}@example.com", display_name=f"후원자{n}") for n in range(count)], batch_size=2000
    )
    Order.objects.bulk_create(
        [
            Order(
                member=user,
                kind="donation",
                project=project,
                amount=1000,
                provider="sandbox",
                status=OrderStatus.PAID,
                client_token=f"bench-{user.pk}",
            )
            for user in users
        ],
        batch_size=2000,
    )
    return project, [user.pk for user in users]


def reference(member_ids: list[int], batch: int) -> float:
    from django.core import mail
    from django.core.mail import EmailMessage

    from notifications.models import Kind, Notification

    started = time.perf_counter()
    connection = mail.get_connection()
    for start in range(0, len(member_ids), batch):
        ids = member_ids[start : start + batch]
        Notification.objects.bulk_create(
            [Notification(recipient_id=pk, kind=Kind.PROJECT_UPDATE, key="bench:reference") for pk in ids]
        )
        connection.send_messages([EmailMessage("새 소식", "본문", to=[f"bench-backer{pk}@example.com"]) for pk in ids])
    return time.perf_counter() - started


def main() -> None:
    with bench_database("fanout"):
        from django.conf import settings
        from django.core import mail
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from django.test.utils import override_settings

        override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}).enable()
        settings.NOTIFICATIONS_TASK_BACKEND = "default"  # the immediate backend: batches run inline
        mail.outbox = []

        from notifications import delivery
        from notifications.models import Audience, Kind, Notification

        project, member_ids = write_backers(BACKERS)
        batch = settings.NOTIFICATIONS_BATCH_SIZE
        print(f"{BACKERS:,} backers of one project, batches of {batch}")

        bare = reference(member_ids, batch)
        assert len(mail.outbox) == BACKERS
        Notification.objects.filter(key="bench:reference").delete()
        mail.outbox = []

        started = time.perf_counter()
        delivery.start_fan_out(
            "bench:update",
            Kind.PROJECT_UPDATE,
            {"title": project.title, "update": "촬영 끝"},
            "/",
            Audience.PROJECT_BACKERS,
            {"project_id": project.pk},
        )
        fan_out = time.perf_counter() - started

        told = Notification.objects.filter(key="bench:update").values_list("recipient_id", flat=True)
        assert sorted(told) == sorted(member_ids), "every backer once"
        addresses = [message.to[0] for message in mail.outbox]
        assert len(addresses) == len(set(addresses)) == BACKERS, "one e-mail each"

        print(f"{'':<12}{'seconds':>10}{'per second':>12}")
        print(f"{'reference':<12}{bare:>10.2f}{BACKERS / bare:>12,.0f}")
        print(f"{'fan-out':<12}{fan_out:>10.2f}{BACKERS / fan_out:>12,.0f}")
        print(f"fan-out ÷ reference: {fan_out / bare:.2f}×")


if __name__ == "__main__":
    main()
