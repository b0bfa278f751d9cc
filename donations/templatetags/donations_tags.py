"""Money on the films' pages: a funding page lists its latest backers from the public ledger."""

from django import template

from ..ledger import recent_backers as ledger_recent_backers

register = template.Library()


@register.simple_tag
def recent_backers(project) -> list:
    """The project's latest donations as the public ledger shows them (masked or anonymous), newest first."""
    return ledger_recent_backers(project.pk)
