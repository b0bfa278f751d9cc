"""The site under ASGI (daphne): HTTP to Django's own handler, WebSockets to the premieres' chat.

WebSockets pass the Origin check against ALLOWED_HOSTS (no other site's page may open a chat in a
visitor's name with their cookies) and the log-in session, then the live app's routes.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelvision.settings.production")

# Django first: its apps must be loaded before the routing below imports any model.
http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
