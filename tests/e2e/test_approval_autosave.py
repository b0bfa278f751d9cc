"""Staff approve a submission in the page editor while its autosave is on, in headless Chromium.

Choosing an action changes the edit form (hidden inputs name the action), and the editor's
autosave POSTs a changed form about a second later. When the action took longer than that, the
autosave reached the server after it and saved the page back into a draft. Here the browser is
kept at that moment deterministically: the action's POST is carried out on the server, the browser
never gets the answer (so it stays on the editor, as it does while waiting), and the editor is
asked to autosave (what it does by itself a second after the action changed its form).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from wagtail.models import Workflow

from films.models import FundingProjectPage
from films.tests.factories import FundingProjectPageFactory
from members.roles import FILM_REVIEW_WORKFLOW
from members.tests.factories import CreatorFactory, StaffUserFactory

from .conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SUBMITTED_TITLE = "겨울 정류장 (최종본)"

# Counts the autosaves the editor starts and finishes (its controller's events bubble to document).
RECORD_AUTOSAVES = """() => {
  window.autosaves = { started: 0, finished: 0, waiting: [] };
  const done = () => {
    window.autosaves.finished += 1;
    if (window.autosaves.finished === window.autosaves.started) window.autosaves.waiting.splice(0).forEach((r) => r());
  };
  document.addEventListener("w-autosave:save", () => { window.autosaves.started += 1; });
  document.addEventListener("w-autosave:success", done);
  document.addEventListener("w-autosave:error", done);
}"""

# Asks for an autosave the way the editor's change tracker does (a "w-unsaved:add" on the form),
# then waits until every autosave started so far has had its answer; resolves to how many started.
AUTOSAVE_NOW = """() => new Promise((resolve) => {
  const form = document.querySelector("[data-edit-form]");
  form.dispatchEvent(new CustomEvent("w-unsaved:add", { cancelable: true, detail: { type: "edits" } }));
  const count = () => resolve(window.autosaves.started);
  if (window.autosaves.started === window.autosaves.finished) count();
  else window.autosaves.waiting.push(count);
})"""


@pytest.fixture
def submission():
    """A creator's funding project in review: the page row a draft, the submitted revision newer."""
    creator = CreatorFactory()
    project = FundingProjectPageFactory(title="겨울 정류장", live=False, owner=creator)
    project.title = SUBMITTED_TITLE
    project.save_revision(user=creator)
    Workflow.objects.get(name=FILM_REVIEW_WORKFLOW).start(project, user=creator)
    return project


def choose(editor, action: str) -> None:
    editor.get_by_role("button", name="More actions").click()
    button = editor.locator("footer").get_by_role("button", name=action, exact=True)
    if action == "Approve with comment":
        button.click()
        dialog = editor.get_by_role("dialog")
        dialog.get_by_role("textbox").fill("좋습니다. 게시합니다.")
        button = dialog.get_by_role("button", name=action)
    button.click(no_wait_after=True)  # the browser never gets its answer (below)


def answer_errors(answer) -> str:
    """The messages and field errors of an editor page the server answered with, for a failure's report."""
    html = answer.text()
    return " | ".join(re.findall(r'class="(?:messages|error-message)[^"]*"[^>]*>(.*?)</', html, re.S))[:500]


@pytest.mark.parametrize("action", ["Approve", "Approve with comment"])
def test_an_approval_publishes_the_submission_whatever_the_autosave_does(
    action, admin_page, new_context, live_server, submission
):
    """After the approval the page is live with the submitted content, no newer draft, and the API serves it."""
    editor = admin_page(StaffUserFactory())
    edit_url = reverse("wagtailadmin_pages:edit", args=[submission.pk])
    editor.goto(edit_url)
    assert editor.locator("[data-edit-form][data-controller~=w-autosave]").count() == 1, "autosave is on"
    editor.evaluate(RECORD_AUTOSAVES)

    answers = []

    def carry_out_then_stay(route):
        if route.request.method == "POST" and route.request.is_navigation_request():
            # The server carries out the action (a busy machine may take a while over it)...
            try:
                answers.append(route.fetch(max_redirects=0, timeout=4 * TIMEOUT_MS))
            except PlaywrightError as error:
                answers.append(error)
            route.abort("aborted")  # ...and the browser stays on the editor, as it does until the answer comes
        else:
            route.continue_()  # the autosave's own POST goes straight through

    editor.route(re.compile(re.escape(edit_url) + "$"), carry_out_then_stay)
    with editor.expect_event("requestfailed", lambda request: request.is_navigation_request()):
        choose(editor, action)
    editor.evaluate(AUTOSAVE_NOW)

    [answer] = answers
    assert not isinstance(answer, PlaywrightError), f"the action got no answer: {answer}"
    assert answer.status == 302, f"the action was not carried out: {answer.status} {answer_errors(answer)}"
    assert answer.headers["location"] != edit_url, "the editor was saved instead of approved"

    page = FundingProjectPage.objects.get(pk=submission.pk)
    assert page.live
    assert page.title == SUBMITTED_TITLE
    assert not page.has_unpublished_changes
    assert page.get_latest_revision() == page.live_revision

    api = new_context().request.get(f"/api/v2/pages/{page.pk}/")
    assert api.status == 200
    assert api.json()["title"] == SUBMITTED_TITLE
