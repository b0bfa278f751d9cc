"""The admin's rich text editor, refusing a posted value it cannot read with a 400.

Draftail posts its content as JSON. A value that is not JSON, or JSON of another shape (a number,
a list, a block without its fields), made Wagtail's converter fail with whatever error the shape
led to; here any failure to convert the posted value is a `BadRequest`, which
`reelvision.bad_requests` answers with a 400 and a sentence. Nothing is saved: the value is read
while the form is cleaned.
"""

from django.core.exceptions import BadRequest
from wagtail.admin.rich_text import DraftailRichTextArea

from reelvision.bad_requests import incomplete_form_message


class CheckedDraftailRichTextArea(DraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            raise BadRequest(incomplete_form_message()) from error
