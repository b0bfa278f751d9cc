"""WebSocket routes of the live app, mounted by reelvision/asgi.py."""

from django.urls import path

from .consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/live/<int:premiere_id>/chat/", ChatConsumer.as_asgi()),
]
