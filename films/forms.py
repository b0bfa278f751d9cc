from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from reelvision.posted_ids import ReadableIdsFormMixin
from videos.access import is_staff_member

from . import media_access


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field, e.g. the comment fields
        return None


def _references_in(model_field, value) -> set[tuple[type, str]]:
    """(model, id) of every image or document that ``value`` (of ``model_field``) points to."""
    files = media_access.file_models()
    if model_field is None or value in (None, "", []):
        return set()
    if getattr(model_field, "many_to_one", False) and model_field.related_model in files:
        return {(model_field.related_model, str(getattr(value, "pk", value)))}
    if hasattr(model_field, "extract_references"):
        return {
            (model, str(object_id))
            for model, object_id, _path, _content in model_field.extract_references(value)
            if model in files
        }
    return set()


def _saved_references(form) -> set[tuple[type, str]]:
    """The files ``form``'s instance points to now, through the fields the form edits."""
    found = set()
    for name in form.fields:
        field = _model_field(form._meta.model, name)
        if field is not None and field.concrete:
            found |= _references_in(field, field.value_from_object(form.instance))
    return found


def _posted_references(form) -> dict[str, set[tuple[type, str]]]:
    """The files each field of a cleaned ``form`` points to: {field name: {(model, id)}}."""
    found = {}
    for name, value in form.cleaned_data.items():
        references = _references_in(_model_field(form._meta.model, name), value)
        if references:
            found[name] = references
    return found


class OwnFilesFormMixin:
    """Editors attach only images and documents they could pick in the admin's choosers.

    Choosers show creators their own uploads and Staff everything (`films.media_access`), but a
    POST can name any id: in a chooser field, a StreamField image block or a rich text embed, on the
    page or in a child form (production updates). Each one the editor may not choose is refused on
    its field, unless the object already had it (a file Staff put there stays when its creator saves).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._files_before = _saved_references(self)
        for formset in getattr(self, "formsets", {}).values():
            for child in formset.forms:
                self._files_before |= _saved_references(child)

    def clean(self):
        cleaned = super().clean()
        if self.for_user is None:
            return cleaned
        self._refuse_others_files(self)
        for formset in getattr(self, "formsets", {}).values():
            for child in formset.forms:
                # As in FundingProjectPageForm: the child forms are not cleaned yet at this point.
                if child.is_valid() and not child.cleaned_data.get("DELETE"):
                    self._refuse_others_files(child)
        return cleaned

    def _refuse_others_files(self, form) -> None:
        for name, references in _posted_references(form).items():
            new = references - self._files_before
            for model in {model for model, _id in new}:
                ids = {object_id for m, object_id in new if m is model}
                allowed = media_access.choosable_files(self.for_user, model).filter(pk__in=ids)
                if len(ids) > allowed.count():
                    form.add_error(name, self._refusal(model))

    @staticmethod
    def _refusal(model) -> str:
        if model is get_document_model():
            return _("You can only use documents you uploaded yourself.")
        if model is get_image_model():
            return _("You can only use images you uploaded yourself.")
        raise ValueError(model)


class PersonForm(OwnFilesFormMixin, ReadableIdsFormMixin, WagtailAdminModelForm):
    """A person's photo, like a page's images, must be one the editor may choose."""


class FilmBasePageForm(OwnFilesFormMixin, ReadableIdsFormMixin, WagtailAdminPageForm):
    """Creators choose only their own videos, images and documents; staff any.

    A forged video id in the POST is "not a valid choice"; a forged image or document id is refused
    by `OwnFilesFormMixin`; an id that is not a number at all is a 400 (`ReadableIdsFormMixin`,
    which runs before `OwnFilesFormMixin` builds the inline rows).
    """

    VIDEO_FIELDS = ("main_video", "trailer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        user = self.for_user
        if user is None or is_staff_member(user):
            return
        for name in self.VIDEO_FIELDS:
            field = self.fields.get(name)
            if field is not None:
                current = getattr(self.instance, f"{name}_id", None)
                # Keep a video already on the page (a staff member may have set it) choosable.
                mine = field.queryset.filter(owner=user)
                field.queryset = (mine | field.queryset.filter(pk=current)) if current else mine


class FundingProjectPageForm(FilmBasePageForm):
    """Checks each donation tier against the project's minimum donation, with the error on the tier.

    The page model cannot check this in `clean()`: the tiers are a child
    formset that the model does not see until the form is saved. (The target
    below the minimum *is* a model rule: `FundingProjectPage.clean()`.)
    """

    def clean(self):
        cleaned = super().clean()
        minimum = cleaned.get("minimum_donation")
        tiers = self.formsets.get("tiers")
        if not minimum or tiers is None:
            return cleaned
        for form in tiers.forms:
            # modelcluster cleans the page form before its formsets, so the tier
            # forms have no cleaned_data yet: is_valid() cleans them now. The
            # error added below stays in the form's errors, so the formset (and
            # the whole page form) is then invalid.
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            amount = form.cleaned_data.get("amount")
            if amount is not None and amount < minimum:
                form.add_error(
                    "amount",
                    _("This tier (%(amount)s KRW) is below the project's minimum donation (%(minimum)s KRW).")
                    % {"amount": f"{amount:,}", "minimum": f"{minimum:,}"},
                )
        return cleaned
