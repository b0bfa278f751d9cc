"""Helpers for tests that post the Wagtail admin's own page forms.

The forms are read from the edit/create views exactly as a browser gets them,
so a test changes only the fields it is about and everything else (slug,
formsets, rich text, hidden inputs) is what the admin itself sends.
"""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html


def client_for(user) -> Client:
    """A test client logged in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form_reader() -> Client:
    User = get_user_model()
    reader = User.objects.filter(is_superuser=True, is_active=True).first()
    if reader is None:
        reader = User.objects.create_superuser(email="form-reader@example.com", password="password")
    return client_for(reader)


def _form_data(url, model, changes):
    """The page form at `url` as the browser would send it (read as a superuser), with `changes` applied.

    StreamFields are drawn by JavaScript, so their inputs are not in the HTML:
    unless `changes` fills them, they are sent empty.
    """
    response = _form_reader().get(url)
    assert response.status_code == 200, f"could not read the form at {url}"
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for field in model._meta.get_fields():
        if isinstance(field, StreamField):
            data.setdefault(f"{field.name}-count", "0")
    for name, value in changes.items():
        data[name] = value
    return data


def edit_form(page, **changes):
    """POST data for the page's edit view."""
    return _form_data(reverse("wagtailadmin_pages:edit", args=[page.pk]), page.specific_class, changes)


def create_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])


def create_form(model, parent, **changes):
    """POST data for creating a `model` page under `parent`."""
    return _form_data(create_url(model, parent), model, changes)
