"""Staff grant a member the right to watch a paid film by hand, in the admin's Entitlements section."""

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Entitlement, EntitlementSource


class EntitlementCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.granted_by = self.request.user
        instance.source = EntitlementSource.GRANT
        instance.save()
        return instance


class EntitlementViewSet(ModelViewSet):
    """Staff grant a member the right to watch a paid film by hand (purchases will create them too).

    Revoking sets "revoked" (the record stays, for the ledger of who could watch what).
    """

    model = Entitlement
    icon = "key"
    menu_label = gettext_lazy("Entitlements")
    menu_order = 260
    add_to_admin_menu = True
    name = "entitlements"
    url_prefix = "entitlements"
    form_fields = ["user", "film", "note", "revoked_at"]
    add_view_class = EntitlementCreateView
    list_display = [
        "user",
        "film",
        "source",
        "granted_by",
        DateColumn("created_at", label=gettext_lazy("Granted")),
        "revoked_at",
    ]
    list_filter = ["source"]
    search_fields = ["user__email", "film__title", "note"]
    search_backend_name = None
    inspect_view_enabled = False
    copy_view_enabled = False


entitlement_viewset = EntitlementViewSet()
