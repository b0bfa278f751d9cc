"""Notifications worded in the reader's language: `describe(kind, params)` → (headline, detail).

Called with the reader's language active: the site's request language for the bell and the list,
the recipient's stored language for e-mails. The params are the event's facts (see `events`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelvision.korean import agree

from .models import Kind


def localized(params: dict, name: str) -> str:
    """`params[name]`, or its English version `params[name + '_en']` for readers in English."""
    if translation.get_language() == "en" and params.get(f"{name}_en"):
        return params[f"{name}_en"]
    return params.get(name, "")


def won(amount) -> str:
    return _("%(amount)s KRW") % {"amount": intcomma(int(amount or 0))}


def _seoul_time(moment: str) -> str:
    """An ISO time from the params as the site shows times (Asia/Seoul, hours and minutes)."""
    try:
        return timezone.localtime(datetime.fromisoformat(moment)).strftime("%H:%M")
    except ValueError:
        return ""


def describe(kind: str, params: dict) -> tuple[str, str]:
    headline, detail = _describe(kind, params)
    # Korean particles written both ways in translations ("%(title)s”이(가)") agree with the names put in.
    names = [localized(params, name) for name in ("title", "update", "video", "backer", "buyer", "who", "sender")]
    return agree(headline, names), detail


def _describe(kind: str, params: dict) -> tuple[str, str]:
    title = localized(params, "title")
    if kind == Kind.NEW_BACKER:
        backer = params.get("backer") or _("An anonymous backer")
        headline = _("%(backer)s backed “%(title)s” with %(amount)s") % {
            "backer": backer,
            "title": title,
            "amount": won(params.get("amount")),
        }
        detail = params.get("message", "")
        if params.get("tier"):
            tier = _("Tier: %(tier)s") % {"tier": params["tier"]}
            detail = f"{tier}\n{detail}" if detail else tier
        return headline, detail
    if kind == Kind.NEW_PURCHASE:
        buyer = params.get("buyer") or _("A member")
        return _("%(buyer)s bought “%(title)s” for %(amount)s") % {
            "buyer": buyer,
            "title": title,
            "amount": won(params.get("amount")),
        }, ""
    if kind == Kind.REFUND:
        return _("%(amount)s was refunded for “%(title)s”") % {
            "amount": won(params.get("amount")),
            "title": title,
        }, params.get("reason", "")
    if kind == Kind.PAGE_REVIEWED:
        if params.get("approved"):
            headline = _("“%(title)s” was approved and is live") % {"title": title}
        else:
            headline = _("“%(title)s” was sent back for changes") % {"title": title}
        comment = params.get("comment", "")
        return headline, (_("Comment: %(comment)s") % {"comment": comment}) if comment else ""
    if kind == Kind.VIDEO_PROCESSED:
        video = params.get("video", "")
        if params.get("ready"):
            return _("Your video “%(video)s” is ready to play") % {"video": video}, ""
        return _("Your video “%(video)s” could not be processed") % {"video": video}, params.get("reason", "")
    if kind == Kind.PROJECT_UPDATE:
        return _("New update on “%(title)s”: %(update)s") % {
            "title": title,
            "update": localized(params, "update"),
        }, ""
    if kind == Kind.BACKERS_MESSAGE:
        return _("%(sender)s wrote to the backers of “%(title)s”: %(subject)s") % {
            "sender": params.get("sender", ""),
            "title": title,
            "subject": params.get("subject", ""),
        }, params.get("body", "")
    if kind == Kind.FOLLOWED_PUBLISHED:
        if params.get("project"):
            text = _("%(who)s opened a funding project: “%(title)s”")
        else:
            text = _("%(who)s published a film: “%(title)s”")
        return text % {"who": params.get("who", ""), "title": title}, ""
    if kind == Kind.MODERATION_WARNING:
        return _("A moderator warned you about what you posted"), params.get("reason", "")
    if kind == Kind.PREMIERE_STARTING:
        return _("“%(premiere)s” starts at %(time)s: the premiere of “%(title)s”") % {
            "premiere": params.get("premiere", ""),
            "time": _seoul_time(params.get("starts_at", "")),
            "title": title,
        }, ""
    if kind == Kind.SUBMISSIONS_WAITING:
        count = int(params.get("count", 0))
        headline = ngettext("%(count)d submission waits for review", "%(count)d submissions wait for review", count) % {
            "count": count
        }
        return headline, "\n".join(params.get("titles", []))
    return str(kind), ""
