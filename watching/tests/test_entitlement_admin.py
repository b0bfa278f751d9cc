"""The Entitlements section of the admin reads in Korean to the end (Wagtail's empty-list sentence included)."""

import pytest
from django.urls import reverse

from members.tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db


def test_an_empty_entitlement_list_says_so_in_korean(client):
    client.force_login(StaffUserFactory())
    page = client.get(reverse("entitlements:index"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "표시할 관람 권한 항목이 없습니다" in page and "There are no" not in page
