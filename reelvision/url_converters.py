"""URL converters of our own, registered once when this module is first imported.

`<unicode_slug:...>` matches the slugs Wagtail makes for pages. With
`WAGTAIL_ALLOW_UNICODE_SLUGS` (on by default) a film titled "겨울 정류장" gets
the slug "겨울-정류장", which Django's `<slug:...>` (ASCII letters only) can
neither match nor reverse. The pattern is the one Django's own
`validate_unicode_slug` accepts, so every slug a page form lets through has a URL.
Reversed URLs come out percent-encoded (`reverse()` quotes the path), and
requests arrive decoded, so views compare plain text with the stored slug.
"""

from django.urls import register_converter
from django.urls.converters import StringConverter


class UnicodeSlugConverter(StringConverter):
    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "unicode_slug")
