"""A creator's funding project goes live only through Staff review, in headless Chromium.

The creator builds the page in the Wagtail admin and submits it to the
"Film review" workflow (members/roles.py); a Staff member approves it or asks
for changes from their own browser. What the public sees is checked as an
anonymous visitor: the page itself, the catalogue and the pages API.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Workflow

from films.models import FundingProjectPage
from films.tests.factories import FundingProjectPageFactory, film_index
from members.roles import FILM_REVIEW_WORKFLOW
from members.tests.factories import CreatorFactory, StaffUserFactory
from tests.e2e.journeys import LOGLINE, TIERS, TITLE, TITLE_EN, create_funding_project, expect_message, footer_actions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def creator():
    return CreatorFactory(display_name="김창작")


@pytest.fixture
def staff():
    return StaffUserFactory(display_name="박심사")


def approve_with_comment(page, comment: str) -> None:
    footer_actions(page).get_by_role("button", name="Approve with comment").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(comment)
    dialog.get_by_role("button", name="Approve with comment").click()


def test_staff_approval_publishes_a_creators_funding_project(
    admin_page, new_context, live_server, creator, staff, screenshot
):
    """Creator drafts and submits a project (no publish button); it stays hidden until Staff approve, then it is live."""
    index = film_index()
    already_live = FundingProjectPageFactory(title="이미 공개된 프로젝트")

    # The creator adds a funding project under the catalogue.
    editor = admin_page(creator)
    screenshot(editor, "creator-dashboard")
    editor.goto(reverse("wagtailadmin_explore", args=[index.pk]))
    editor.get_by_role("link", name="Add child page").first.click()
    editor.get_by_role("link", name="Funding project", exact=True).click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Funding project")
    create_funding_project(editor)
    screenshot(editor, "creator-tiers")
    editor.get_by_role("button", name="Save draft").click()
    expect_message(editor, f"'{TITLE}' created")
    screenshot(editor, "creator-draft-saved")

    project = FundingProjectPage.objects.get(title=TITLE)
    assert (project.owner, project.live) == (creator, False)
    assert sorted(project.tiers.values_list("amount", "title")) == TIERS

    # Creators may only submit: publishing is Staff's.
    footer = footer_actions(editor)
    expect(footer.get_by_role("button", name="Submit to Film review")).to_be_visible()
    expect(footer.get_by_role("button", name=re.compile(r"^Publish"))).to_have_count(0)
    screenshot(editor, "creator-actions")
    footer.get_by_role("button", name="Submit to Film review").click()
    expect_message(editor, "submitted for moderation")

    visitor = new_context().new_page()
    assert visitor.goto(project.url).status == 404
    visitor.goto("/films/?status=funding")
    expect(visitor.get_by_role("main").get_by_role("link", name=already_live.title)).to_be_visible()
    expect(visitor.get_by_role("main").get_by_role("link", name=TITLE)).to_have_count(0)

    # Staff, in their own browser, find it awaiting review and approve it.
    reviewer = admin_page(staff)
    awaiting = reviewer.get_by_role("region", name="Awaiting your review")
    screenshot(reviewer, "staff-dashboard")
    awaiting.get_by_role("link", name=TITLE).click()
    reviewer.wait_for_url(re.compile(rf"/admin/pages/{project.pk}/edit/$"))
    approve_with_comment(reviewer, "좋은 기획입니다. 게시합니다.")
    expect_message(reviewer, TITLE)
    screenshot(reviewer, "staff-approved")

    # Live for everyone: the page, the catalogue's funding filter and the API.
    visitor.goto(project.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("main")).to_contain_text(LOGLINE)
    for _, tier_title in TIERS:
        expect(visitor.get_by_role("heading", name=tier_title)).to_be_visible()
    screenshot(visitor, "visitor-project")

    visitor.goto("/films/?status=funding")
    screenshot(visitor, "visitor-catalogue-funding")
    visitor.get_by_role("main").get_by_role("link", name=TITLE).click()
    visitor.wait_for_url(re.compile(re.escape(project.url) + "$"))

    response = visitor.request.get("/api/v2/pages/?type=films.FundingProjectPage&fields=title_en")
    assert response.ok
    items = {item["id"]: item for item in response.json()["items"]}
    assert items[project.pk]["title"] == TITLE
    assert items[project.pk]["title_en"] == TITLE_EN


def test_staff_request_for_changes_reaches_the_creator(admin_page, live_server, creator, staff, screenshot):
    """Staff ask for changes with a comment: the project stays unpublished and the creator reads the comment."""
    project = FundingProjectPageFactory(title="미완성 프로젝트", live=False, owner=creator)
    # As "Submit to Film review" does: the revision under review, then the workflow.
    project.save_revision(user=creator)
    Workflow.objects.get(name=FILM_REVIEW_WORKFLOW).start(project, user=creator)
    comment = "포스터와 예산 설명을 추가해 주세요."

    reviewer = admin_page(staff)
    reviewer.get_by_role("region", name="Awaiting your review").get_by_role("link", name=project.title).click()
    reviewer.wait_for_url(re.compile(rf"/admin/pages/{project.pk}/edit/$"))
    footer_actions(reviewer).get_by_role("button", name="Request changes").click()
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_role("textbox").fill(comment)
    screenshot(reviewer, "staff-request-changes")
    dialog.get_by_role("button", name="Request changes").click()
    expect_message(reviewer, project.title)

    editor = admin_page(creator)
    editor.goto(reverse("wagtailadmin_pages:edit", args=[project.pk]))
    editor.get_by_role("button", name="Toggle status").click()
    expect(editor.get_by_text("Changes requested").first).to_be_visible()
    editor.get_by_text("View details").click()
    expect(editor.get_by_role("dialog")).to_contain_text(comment)
    screenshot(editor, "creator-reads-comment")

    project.refresh_from_db()
    assert not project.live
