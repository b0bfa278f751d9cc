"""The terms of service and the privacy policy: online from the first migration, edited by staff."""

import pytest

from legal.models import current
from members.tests.factories import CreatorFactory, StaffUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_terms_and_privacy_pages_exist_in_korean_and_english(client):
    """The migration put both pages online under the home page, each with English text."""
    for kind in ("terms", "privacy"):
        page = current(kind)
        assert page is not None and page.version and page.body and page.body_en
        assert page.get_parent().specific_class.__name__ == "HomePage"
        assert client.get(page.url).status_code == 200
    assert "Privacy policy" in client.get(current("privacy").url).content.decode()


def test_staff_may_edit_the_terms_and_privacy_pages():
    """Staff edit and publish them; ordinary members and creators cannot."""
    from members.roles import ensure_roles

    ensure_roles()
    terms = current("terms")
    assert terms.permissions_for_user(StaffUserFactory()).can_publish()
    assert not terms.permissions_for_user(CreatorFactory()).can_edit()


def test_every_page_links_to_the_terms_and_the_privacy_policy_in_its_footer(client):
    """The footer links to both pages (the privacy policy must be easy to find from any page)."""
    footer = client.get("/").content.decode().split('class="site-footer"')[1]
    assert f'href="{current("terms").url}"' in footer and f'href="{current("privacy").url}"' in footer
