"""A page rendered once for everyone, with each viewer's parts filled in per request.

A film page is mostly the same for every viewer: its layout, the hero, the story, the rows. What
differs is small and scattered: the header's account menu, the watch box, the follow button, the
reviews, a staff member's user bar, and the money raised, which changes with every donation and
not with a publish. Templates mark each such part with `{% personal "name" %}…{% endpersonal %}`
(`templatetags/fragment_tags.py`); anywhere else the tag renders its content as if it were not
there.

A page that serves through `PersonalSlotsPageMixin` is rendered in two steps:

1. **The skeleton**: the whole template rendered for a visitor (`fragments.as_visitor`: no user,
   no session, no cookies, so no CSRF token), where every personal part leaves only a marker. It
   is split at the markers and kept in the pages cache per generation, language, address and
   template, like a fragment: a publish retires it, and it is kept no longer than what it shows
   allows (`cache.limit_lifetime`).
2. **The fill**: each personal part rendered for the request, in one context made once (the
   page's context and the context processors: user, permissions, messages, CSRF token), and
   joined with the skeleton's pieces.

So a member's page costs what their own parts cost, not the whole page. A personal part sees only
that context: not variables set by tags around it (`{% with %}`, a `{% for %}` loop, a parent's
`{% block %}`), and it must sit inside a child template's block, not around one. The tests render
every page both ways, for visitors, members, owners and staff, and compare.

A skeleton kept by an earlier release of the templates is used until the next generation, as the
whole pages and fragments are; one that names a personal part its template no longer has is
rendered again at once.

Only a plain GET or HEAD without a query goes through the skeleton (a page echoes its address in
its links, and a query is anyone's to vary); anything else, and every preview, is rendered whole.
"""

from __future__ import annotations

import math
import re
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.template import RequestContext
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from .cache import LIFETIME_ATTRIBUTE, current_generation, limit_lifetime, pages_cache
from .fragments import as_visitor

# The context variable that tells `{% personal %}` a skeleton is being rendered.
RECORDER = "page_cache_personal_slots"


@dataclass
class Recorder:
    """Collects the personal parts met while the skeleton renders, in order."""

    nonce: str = field(default_factory=lambda: secrets.token_hex(12))
    slots: list[tuple[str, str]] = field(default_factory=list)

    def add(self, template_name: str, name: str) -> str:
        """The marker that stands for the part in the skeleton."""
        self.slots.append((template_name, name))
        return f"<!--personal:{self.nonce}:{len(self.slots) - 1}-->"

    def split(self, html: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """`html`'s pieces between the markers, and the part each marker stands for, in the order
        they appear (which need not be the order they rendered in: a part may be captured first)."""
        found = re.split(f"<!--personal:{self.nonce}:(\\d+)-->", html)
        return tuple(found[::2]), tuple(self.slots[int(index)] for index in found[1::2])


@dataclass(frozen=True)
class Skeleton:
    """A page's shared HTML in `len(slots) + 1` pieces, a personal part between each two."""

    pieces: tuple[str, ...]
    slots: tuple[tuple[str, str], ...]
    expires_at: float


def uses_skeleton(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.GET and not getattr(request, "is_preview", False)


def _key(request, template_name: str, generation: int) -> str:
    return (
        f"skeleton:{generation}:{get_language()}:{request.scheme}://{request.get_host()}{request.path}:{template_name}"
    )


def _render_skeleton(request, template, context_data: dict) -> Skeleton:
    visitor = as_visitor(request)
    recorder = Recorder()
    html = template.render({**context_data, "request": visitor, RECORDER: recorder}, visitor)
    pieces, slots = recorder.split(html)
    seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
    lifetime = min(seconds, getattr(visitor, LIFETIME_ATTRIBUTE, seconds))
    return Skeleton(pieces, slots, time.time() + lifetime)


class StaleSkeleton(Exception):
    """A kept skeleton names a personal part its template no longer has (kept by an earlier release)."""


def skeleton_for(request, template, context_data: dict, *, fresh: bool = False) -> Skeleton:
    """The page's skeleton, from the pages cache when this generation and language have it (unless
    `fresh`). What it shows bounds how long the request's own page may be kept (`cache.limit_lifetime`)."""
    key = _key(request, template.origin.template_name, current_generation())
    skeleton = None if fresh else pages_cache().get(key)
    if skeleton is None:
        skeleton = _render_skeleton(request, template, context_data)
        lifetime = math.floor(skeleton.expires_at - time.time())
        if lifetime >= 1:
            pages_cache().set(key, skeleton, lifetime)
    if skeleton.expires_at - time.time() < settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        limit_lifetime(request, skeleton.expires_at - time.time())
    return skeleton


def _personal_parts(template) -> dict:
    """The `{% personal %}` nodes of a compiled template by name, found once per compiled template."""
    from .templatetags.fragment_tags import PersonalNode

    parts = template.__dict__.get("_personal_parts")
    if parts is None:
        parts = template._personal_parts = {
            node.name: node for node in template.nodelist.get_nodes_by_type(PersonalNode)
        }
    return parts


def fill(request, template, context_data: dict, skeleton: Skeleton) -> str:
    """The page for `request`: the skeleton's pieces with each personal part rendered between them."""
    engine = template.template.engine
    context = RequestContext(request, context_data, autoescape=engine.autoescape)
    out = [skeleton.pieces[0]]
    with context.bind_template(template.template):
        for (template_name, name), piece in zip(skeleton.slots, skeleton.pieces[1:], strict=True):
            holder = engine.get_template(template_name)
            part = _personal_parts(holder).get(name)
            if part is None:
                raise StaleSkeleton(f"{template_name} has no personal part {name!r}")
            with context.render_context.push_state(holder):
                out.append(part.nodelist.render(context))
            out.append(piece)
    return "".join(out)


class PersonalSlotsResponse(TemplateResponse):
    """A `TemplateResponse` rendered as the skeleton and the request's personal parts (see above)."""

    @property
    def rendered_content(self):
        if not uses_skeleton(self._request):
            return super().rendered_content
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data) or {}
        try:
            return fill(self._request, template, context, skeleton_for(self._request, template, context))
        except StaleSkeleton:
            return fill(self._request, template, context, skeleton_for(self._request, template, context, fresh=True))


class PersonalSlotsPageMixin:
    """A Wagtail page served as a skeleton plus the viewer's personal parts."""

    def serve(self, request, *args, **kwargs):
        request.is_preview = False
        return PersonalSlotsResponse(
            request,
            self.get_template(request, *args, **kwargs),
            self.get_context(request, *args, **kwargs),
        )
