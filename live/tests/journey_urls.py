"""The site's routes plus /journey/chat/<premiere_id>/: a page with nothing but a premiere's chat panel."""

from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path

from live.models import Premiere
from reelvision.urls import urlpatterns as site_urlpatterns

PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}{{ premiere.title }}{% endblock %}'
    '{% block content %}<main class="container">{% include "live/chat.html" %}</main>{% endblock %}'
)


def chat_page(request, premiere_id: int):
    return TemplateResponse(request, PAGE, {"premiere": get_object_or_404(Premiere, pk=premiere_id)})


urlpatterns = [path("journey/chat/<int:premiere_id>/", chat_page), *site_urlpatterns]
