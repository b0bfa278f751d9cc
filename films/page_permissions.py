"""What the admin offers on a page matches what it then allows.

Wagtail shows a page's "History" to anyone who can see the page in the explorer, but its history
view answers 403 unless the user can edit the page. Creators see each other's films in the
catalogue's listing; without this they would be offered a History they are then refused.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester


class ReelVisionPagePermissionTester(PagePermissionTester):
    def can_view_revisions(self):
        return super().can_view_revisions() and (self.can_edit() or self.can_publish())


class PagePermissionsMixin:
    """For every page type of the site: Wagtail asks the specific class for its permission tester."""

    def permissions_for_user(self, user):
        return ReelVisionPagePermissionTester(user, self)
