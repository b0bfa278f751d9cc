"""Admin forms refuse posted ids that cannot name a row, before anything looks them up.

Choosers (a poster, a video, a credit's person, a rights holder), chooser blocks inside
StreamFields and the rows of inline panels (`credits-0-id`) post the ids of what they point to.
Wagtail and modelcluster look those up with `pk=value` as posted, outside validation, so a value
that is not a number failed the request with a ValueError (or a ValidationError raised while the
form was being built). The editor's own scripts only ever send ids they were given; a form that
carries anything else was not sent by the editor, and is refused whole with a 400 (`BadRequest`,
which `BadRequestMiddleware` answers with its sentence) before it is cleaned or anything is saved.

An id that is a number but names nothing (or nothing the editor may choose) is left to the fields,
which answer with their usual form error.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.db import connection, models
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.translation import gettext as _
from wagtail.blocks.base import BlockField

# What reading a StreamField's posted blocks raises when a block's value or type is not one the
# editor sends: a chooser block's `objects.get(pk=value)`, an unknown block type, a broken number.
_UNREADABLE = (LookupError, ValueError, TypeError, OverflowError, ValidationError)


def _can_name_a_row(model_field, raw) -> bool:
    """Whether `raw` converts to a value of `model_field` (a primary key, or a chooser's `to_field`)."""
    try:
        value = model_field.to_python(raw)
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(model_field, models.IntegerField) and value is not None:
        low, high = connection.ops.integer_field_range(model_field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)
    return True


def _target_field(field: forms.ModelChoiceField):
    model = field.queryset.model
    return model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk


def _posted_values(form, name, field) -> list:
    raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    return [value for value in values if value not in (None, "")]


def unreadable_id(form) -> str | None:
    """The posted name of the first id in `form` that cannot name a row; None when every one can.

    Looks at chooser fields (every ModelChoiceField), StreamFields and the inline formsets' rows,
    and at the same in each row's form, without building anything that looks an id up first.
    """
    if not form.is_bound:
        return None
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField is one too
            target = _target_field(field)
            if any(not _can_name_a_row(target, value) for value in _posted_values(form, name, field)):
                return form.add_prefix(name)
        elif isinstance(field, BlockField):
            try:
                field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            except MultiValueDictKeyError:
                raise  # a part missing, not a bad id: BadRequestMiddleware says so
            except _UNREADABLE:
                return form.add_prefix(name)
    for formset in getattr(form, "formsets", {}).values():
        # modelcluster builds an existing row's form from its posted id (`to_python`, then a lookup):
        # check those ids before `formset.forms` builds anything.
        pk = formset.model._meta.pk
        for index in range(min(formset.initial_form_count(), formset.total_form_count())):
            key = f"{formset.add_prefix(index)}-{pk.name}"
            raw = formset.data.get(key)
            if raw not in (None, "") and not _can_name_a_row(pk, raw):
                return key
        for child in formset.forms:
            found = unreadable_id(child)
            if found:
                return found
    return None


def unreadable_id_message(name: str) -> str:
    return _("The form’s “%(name)s” is not an id the editor could have sent. Reload the page and choose again.") % {
        "name": name
    }


class ReadableIdsFormMixin:
    """For admin model forms: a bound form with an id that cannot name a row is a 400 (see the module)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = unreadable_id(self)
        if name:
            raise BadRequest(unreadable_id_message(name))
