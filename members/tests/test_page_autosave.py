"""The page editor's autosave only ever saves a draft of what the editor is looking at.

An autosave is the edit form POSTed in the background with `Accept: application/json`
(members/page_editing.py).
"""

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from films.tests.factories import FundingProjectPageFactory
from members.roles import FILM_REVIEW_WORKFLOW
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

SUBMITTED_TITLE = "Winter Stop (final cut)"


@pytest.fixture
def submission():
    """A creator's project in review: the submitted revision is newer than the draft page row."""
    creator = CreatorFactory()
    project = FundingProjectPageFactory(title="Winter Stop", live=False, owner=creator)
    project.title = SUBMITTED_TITLE
    project.save_revision(user=creator)
    Workflow.objects.get(name=FILM_REVIEW_WORKFLOW).start(project, user=creator)
    return project


def autosave(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, headers={"Accept": "application/json"})


def test_an_autosave_carrying_a_workflow_action_is_refused_and_changes_nothing(submission):
    """An autosave of a form submitted with "Approve" neither approves nor saves: a 400 that stops autosave."""
    staff = client_for(StaffUserFactory())
    data = edit_form(submission)
    data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
    revisions = submission.revisions.count()

    response = autosave(staff, submission, data)

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    submission.refresh_from_db()
    assert not submission.live
    assert submission.revisions.count() == revisions
    assert submission.current_workflow_task is not None


def test_an_autosave_never_rewrites_the_revision_that_went_live(submission):
    """Autosaving over one's own autosaved revision after it was approved is refused; the live revision keeps its content."""
    staff_user = StaffUserFactory()
    staff = client_for(staff_user)
    submitted = submission.get_latest_revision()
    submission.current_workflow_task.on_action(submission.current_workflow_task_state, staff_user, "approve")
    data = edit_form(submission, title="Something else")
    data["overwrite_revision_id"] = str(submitted.pk)

    response = autosave(staff, submission, data)

    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.content["title"] == SUBMITTED_TITLE
    submission.refresh_from_db()
    assert not submission.has_unpublished_changes


def test_a_plain_autosave_still_saves_a_draft(submission):
    """Staff's ordinary autosave of a live page saves a newer draft and answers with its revision."""
    staff_user = StaffUserFactory()
    staff = client_for(staff_user)
    submission.current_workflow_task.on_action(submission.current_workflow_task_state, staff_user, "approve")

    response = autosave(staff, submission, edit_form(submission, title="Winter Stop (director's cut)"))

    assert response.status_code == 200, response.content
    submission.refresh_from_db()
    assert submission.live and submission.has_unpublished_changes
    assert submission.get_latest_revision().pk == response.json()["revision_id"]
