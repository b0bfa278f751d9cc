"""The page editor's POSTs, kept apart from the editor's own autosave.

Wagtail's editor autosaves (the `w-autosave` controller): about a second after the edit form's
data changes it POSTs the whole form in the background, asking for JSON. A workflow action
("Approve", "Approve with comment") adds hidden inputs naming the action to that form and submits
it, which is itself a change of the form's data: the autosave that followed carried the action's
inputs and reached the server while the action was still running or just after. Depending on the
moment it ran the action a second time, saved the content again as a newer draft on top of the
approved one, or, having loaded the page before the approval was committed, wrote the page back as
a draft (Wagtail saves the whole row of a page it believes is not live).

So, on the server (`static/js/page-editor.js` also stops the autosave in the browser once the form
is submitted, but an autosave already on its way must be safe too):

- every POST to the editor holds the page's row lock for its whole run, so an autosave waits for an
  action in progress and then reads the page as the action left it;
- an autosave never carries out an action (only the form's real submission does), and never
  rewrites the revision that is now live: both are refused as an out-of-date revision, which is
  the answer that makes Wagtail's autosave stop and ask the editor to reload.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Page

# Inputs that turn an edit POST into an action; the autosave's FormData never contains the submit
# buttons, so these reach an autosave only as the hidden inputs of an action being submitted.
ACTION_INPUTS = (
    "action-publish",
    "action-submit",
    "action-restart-workflow",
    "action-cancel-workflow",
    "action-workflow-action",
    "workflow-action-name",
)


def autosave_refusal(posted, live_revision_id: int | None) -> str | None:
    """Why an autosave with the form data `posted` may not be saved, or None when it may.

    `live_revision_id` is the page's live revision, read under the page's lock.
    """
    if any(name in posted for name in ACTION_INPUTS):
        return _("This page is being submitted, so autosave has stopped.")
    overwrite = posted.get("overwrite_revision_id")
    if overwrite and live_revision_id is not None and overwrite == str(live_revision_id):
        # The autosaved version was approved and published while this editor was open: saving
        # over it would change what the live revision records without changing the live page.
        return _("This version has been published since. Reload the page to keep editing.")
    return None


class PageEditView(EditView):
    """Wagtail's page editor; its POSTs run one at a time per page, and autosaves only save."""

    def dispatch(self, request, page_id, **kwargs):
        if request.method != "POST":
            return super().dispatch(request, page_id, **kwargs)
        with transaction.atomic():
            # Taken before Wagtail reads the page, its latest revision and its workflow, so all
            # of those are read after any other POST to this page has committed.
            list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))
            return super().dispatch(request, page_id, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.expects_json_response and not self.page.alias_of_id:
            refusal = autosave_refusal(request.POST, self.real_page_record.live_revision_id)
            if refusal:
                return self.json_error_response("invalid_revision", refusal)
        return super().post(request, *args, **kwargs)
