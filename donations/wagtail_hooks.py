from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_order_viewset():
    from .admin_views import order_viewset

    return order_viewset


@hooks.register("register_admin_viewset")
def register_payout_viewset():
    from .payout_views import payout_viewset

    return payout_viewset


@hooks.register("register_admin_viewset")
def register_member_chooser_viewset():
    # Only the rights-holder form uses it (register_widget = False): see donations.member_chooser.
    from .member_chooser import member_chooser_viewset

    return member_chooser_viewset


@hooks.register("register_log_actions")
def register_order_log_actions(actions):
    actions.register_action("donations.order.refund", _("Refund"), _("Order refunded"))
    actions.register_action("donations.payout.record", _("Payout"), _("Payout recorded"))
    actions.register_action(
        "donations.payout.accounts_exported",
        _("Account number exported"),
        _("Full account number exported for payouts"),
    )
