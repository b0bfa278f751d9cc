"""`{% chat_history premiere %}`: a past premiere's chat, read-only, beside its replay."""

from django import template

from live import chat

register = template.Library()


def stream_time(seconds: int) -> str:
    """Seconds from the stream's start as the replay's clock shows them: 1:02:03, 4:05, or -0:30 before it."""
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    hours, minutes, seconds = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return f"{sign}{hours}:{minutes:02}:{seconds:02}" if hours else f"{sign}{minutes}:{seconds:02}"


@register.inclusion_tag("live/chat_history.html")
def chat_history(premiere):
    start = chat.stream_start(premiere)
    messages = [chat.message_data(message, start) for message in chat.shown_messages(premiere).order_by("pk")]
    for message in messages:
        message["stream_time"] = stream_time(message["offset"])
    return {"premiere": premiere, "messages": messages}
