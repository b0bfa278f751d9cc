"""E-mails with one-time codes go through the task queue without leaving the code in the task table."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from members import university
from members.models import OutgoingEmail
from members.tasks import send_outgoing_email
from members.tests.helpers import sign_up, verified_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def through_the_database_queue(settings):
    settings.OUTBOX_TASK_BACKEND = "db"


def queued_outbox_tasks():
    return DBTaskResult.objects.filter(task_path="members.tasks.send_outgoing_email")


@pytest.mark.usefixtures("through_the_database_queue")
def test_a_sign_up_code_waits_in_the_outbox_and_the_task_holds_only_its_id(client):
    sign_up(client)
    assert not mail.outbox  # nothing sent from the request
    email = OutgoingEmail.objects.get()
    assert email.to == ["new@example.com"]
    (queued,) = queued_outbox_tasks()
    assert queued.args_kwargs == {"args": [email.pk], "kwargs": {}}

    assert send_outgoing_email.call(email.pk) == "sent"
    assert mail.outbox[-1].to == ["new@example.com"] and mail.outbox[-1].body == email.body
    assert not OutgoingEmail.objects.exists()  # the code is gone with the row
    assert send_outgoing_email.call(email.pk) == "already sent"  # a replayed task sends nothing twice
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("through_the_database_queue")
def test_a_university_code_is_queued_too():
    member = verified_member()
    university.start(member, "student@dongguk.edu")
    email = OutgoingEmail.objects.get(to=["student@dongguk.edu"])
    assert not mail.outbox
    send_outgoing_email.call(email.pk)
    assert "student@dongguk.edu" in mail.outbox[-1].to


def test_html_alternatives_survive_the_queue(settings):
    from django.core.mail import EmailMultiAlternatives

    from members.tasks import queue_email

    settings.OUTBOX_TASK_BACKEND = "db"
    message = EmailMultiAlternatives("Subject", "Plain", None, ["a@example.com"])
    message.attach_alternative("<p>Rich</p>", "text/html")
    queue_email(message)
    send_outgoing_email.call(OutgoingEmail.objects.get().pk)
    assert mail.outbox[-1].alternatives[0][0] == "<p>Rich</p>"
