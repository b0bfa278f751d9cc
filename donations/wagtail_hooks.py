from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction

from .page_deletion import refused_response
from .views.admin import ledger_check_view, order_viewset
from .views.payouts import payout_viewset


@hooks.register("register_admin_viewset")
def register_order_viewset():

    return order_viewset


@hooks.register("register_admin_viewset")
def register_payout_viewset():

    return payout_viewset


@hooks.register("register_admin_viewset")
def register_member_chooser_viewset():
    # Only the rights-holder form uses it (register_widget = False): see donations.member_chooser.
    from .member_chooser import member_chooser_viewset

    return member_chooser_viewset


@hooks.register("register_admin_urls")
def register_ledger_check_url():

    return [path("ledger-check/", ledger_check_view, name="ledger_check")]


@hooks.register("register_admin_menu_item")
def register_ledger_check_menu_item():

    class StaffMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("donations.change_order")

    return StaffMenuItem(_("Ledger check"), reverse("ledger_check"), icon_name="tasks", order=630)


@hooks.register("register_log_actions")
def register_order_log_actions(actions):
    actions.register_action("donations.order.refund", _("Refund"), _("Order refunded"))
    actions.register_action("donations.payout.record", _("Payout"), _("Payout recorded"))
    actions.register_action(
        "donations.payout.accounts_exported",
        _("Account number exported"),
        _("Full account number exported for payouts"),
    )


@hooks.register("before_delete_page")
def refuse_to_delete_pages_holding_money(request, page):
    """The delete view (its question and its POST) refuses a page with orders or ledger entries, or
    with such pages under it, before Wagtail looks at its reference index."""

    return refused_response(request, [page], reverse("wagtailadmin_pages:edit", args=[page.pk]))


class MoneyAwarePageBulkDelete(DeleteBulkAction):
    """The explorer's bulk delete, refusing (nothing deleted) when a chosen page or one under it holds money."""

    def get(self, request, *args, **kwargs):

        objects, _without_access = self.get_actionable_objects()
        return refused_response(request, objects, self.next_url) or super().get(request, *args, **kwargs)

    def prepare_action(self, objects, objects_without_access):

        return refused_response(self.request, objects, self.next_url) or super().prepare_action(
            objects, objects_without_access
        )


# After Wagtail's own (order 0), so this class replaces its bulk delete for pages. Wagtail's refuses
# pages its reference index knows to be protected with a bare "no permission"; this one says why,
# whatever the index knows, on the question (GET) and on the POST.
hooks.register("register_bulk_action", MoneyAwarePageBulkDelete, order=10)
