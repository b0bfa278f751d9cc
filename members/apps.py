from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        # allauth's JWT code reaches cryptography's serialization through a lazy module that fails
        # when the submodule was never imported (seen with allauth 65.21.1 and cryptography 50).
        import cryptography.hazmat.primitives.serialization  # noqa: F401

        from .signal_handlers import register_signal_handlers  # it imports models: only once they are loaded

        register_signal_handlers(self)
