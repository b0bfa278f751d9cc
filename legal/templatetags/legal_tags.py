from django import template

from legal.models import LegalPage

register = template.Library()


@register.simple_tag
def legal_pages() -> list[LegalPage]:
    """The live terms and privacy pages, for the footer (the privacy policy must be easy to find)."""
    return list(LegalPage.objects.live().order_by("kind").reverse())
