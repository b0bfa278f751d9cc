"""The "Film review" workflow: creators submit, Staff approve or request changes with a comment."""

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory
from members.roles import FILM_REVIEW_TASK, FILM_REVIEW_WORKFLOW
from members.tests.admin_forms import client_for, edit_form
from members.tests.factories import CreatorFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator():
    return CreatorFactory()


@pytest.fixture
def staff():
    return StaffUserFactory()


@pytest.fixture
def draft(creator):
    page = FundingProjectPageFactory(title="Night Bus", live=False, owner=creator)
    page.save_revision(user=creator)
    return page


def submit(client, page, **changes):
    data = edit_form(page, **changes)
    data["action-submit"] = "action-submit"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def review(client, page, action, comment):
    task_state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk]), {"comment": comment}
    )


def workflow_state(page) -> WorkflowState:
    return WorkflowState.objects.for_instance(page).order_by("-created_at").first()


def test_films_and_funding_projects_go_through_film_review(draft):
    """Every page under the catalogue uses the Film review workflow, whose one task is Staff's approval."""
    workflow = draft.get_workflow()
    assert workflow.name == FILM_REVIEW_WORKFLOW
    task = workflow.tasks.get().specific
    assert task.name == FILM_REVIEW_TASK
    assert list(task.groups.values_list("name", flat=True)) == ["Staff"]
    assert FilmPageFactory(live=False).get_workflow() == workflow


def test_a_creators_submission_waits_for_staff(creator, draft):
    """Submitting starts the workflow; the page stays unpublished and the creator is told it is in review."""
    response = submit(client_for(creator), draft, title="Night Bus (final cut)")

    assert response.status_code == 302
    state = workflow_state(draft)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == creator
    assert state.current_task_state.revision.as_object().title == "Night Bus (final cut)"
    draft.refresh_from_db()
    assert not draft.live


def test_staff_see_submissions_awaiting_their_review_on_the_dashboard(creator, staff, draft):
    """The dashboard lists what waits for a Staff decision."""
    submit(client_for(creator), draft)

    response = client_for(staff).get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert "Night Bus" in response.content.decode()


def test_a_page_in_review_is_locked_for_its_creator(creator, draft):
    """While Staff review a submission, the creator's edits are not saved (the task locks the page)."""
    client = client_for(creator)
    submit(client, draft)

    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), edit_form(draft, title="Sneaky change"))

    assert response.status_code == 200
    assert draft.get_latest_revision().as_object().title == "Night Bus"


def test_staff_approval_publishes_the_submission(creator, staff, draft):
    """Approving with a comment publishes the submitted revision and finishes the workflow."""
    submit(client_for(creator), draft, title="Night Bus (final cut)")

    response = review(client_for(staff), draft, "approve", "Lovely. Published.")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.title == "Night Bus (final cut)"
    state = workflow_state(draft)
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = state.task_states.get()
    assert (task_state.status, task_state.finished_by, task_state.comment) == (
        TaskState.STATUS_APPROVED,
        staff,
        "Lovely. Published.",
    )


def test_a_change_request_leaves_the_page_unpublished_and_reaches_the_creator(creator, staff, draft, mailoutbox):
    """Requesting changes keeps the page a draft; the creator reads the comment in the admin and by e-mail."""
    submit(client_for(creator), draft)

    review(client_for(staff), draft, "reject", "Please add English subtitles.")

    draft.refresh_from_db()
    assert not draft.live
    state = workflow_state(draft)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    history = client_for(creator).get(reverse("wagtailadmin_pages:workflow_history_detail", args=[draft.pk, state.pk]))
    assert history.status_code == 200
    assert "Please add English subtitles." in history.content.decode()
    to_creator = [m for m in mailoutbox if creator.email in m.to]
    assert to_creator and "Please add English subtitles." in to_creator[-1].body


def test_a_creator_resubmits_after_changes_and_staff_approve(creator, staff, draft):
    """After a change request the creator edits and resubmits; approval then publishes the new version."""
    creator_client = client_for(creator)
    submit(creator_client, draft)
    review(client_for(staff), draft, "reject", "Please add English subtitles.")

    response = submit(creator_client, draft, title_en="Night Bus")
    assert response.status_code == 302
    assert workflow_state(draft).status == WorkflowState.STATUS_IN_PROGRESS

    review(client_for(staff), draft, "approve", "")
    draft.refresh_from_db()
    assert draft.live
    assert draft.title_en == "Night Bus"


def test_another_creator_cannot_read_the_review_history(creator, staff, draft):
    """Workflow history (with Staff's comments) is for the page's editors only."""
    submit(client_for(creator), draft)
    review(client_for(staff), draft, "reject", "Please add English subtitles.")

    response = client_for(CreatorFactory()).get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[draft.pk, workflow_state(draft).pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
