from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_order_viewset():
    from .admin_views import order_viewset

    return order_viewset


@hooks.register("register_log_actions")
def register_order_log_actions(actions):
    actions.register_action("donations.order.refund", _("Refund"), _("Order refunded"))
