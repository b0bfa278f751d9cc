"""`{% fragment %}`: a part of a template rendered once per generation and language and shared by
every viewer (`page_cache.fragments`).

    {% load fragment_tags %}
    {% fragment "film-story" page.pk page=page %}…{% endfragment %}

The name and the values after it (here the page's id) make the key; a publish, or anything else
that retires cached pages, starts a new generation and so renders it again. The part sees only the
variables passed after the key (`page=page`) and a visitor's request (`fragments.as_visitor`):
neither the member's user, permissions, CSRF token nor the context processors' values reach it,
so whatever it renders is the same for everyone. A member's marks on film cards in it are filled in
later (`watching.card_marks`).

`{% personal %}` is the other way round: a part rendered for each request, on a page that is
otherwise kept whole for everyone (`page_cache.slots`).

    {% personal "follow" %}{% include "community/follow_button.html" with target=page %}{% endpersonal %}

Rendered outside such a page, it renders its content where it stands.
"""

import hashlib

from django import template
from django.template.base import token_kwargs
from django.utils.safestring import mark_safe

from page_cache.fragments import as_visitor, shared
from page_cache.slots import RECORDER

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, key_parts: list, variables: dict):
        self.nodelist = nodelist
        self.name = name
        self.key_parts = key_parts
        self.variables = variables

    def render(self, context) -> str:
        request = context.get("request")
        parts = "\x1f".join(str(part.resolve(context)) for part in self.key_parts)
        key = f"{self.name}:{hashlib.sha256(parts.encode()).hexdigest()[:32]}"

        def render() -> str:
            visitor = as_visitor(request)
            isolated = context.new({name: value.resolve(context) for name, value in self.variables.items()})
            isolated["request"] = visitor
            isolated.request = visitor
            return str(self.nodelist.render(isolated))

        return mark_safe(shared(request, f"template:{key}", render))  # noqa: S308 - our own templates


@register.tag("fragment")
def fragment(parser, token):
    """`{% fragment "name" key… variable=value… %}…{% endfragment %}` (see the module's docstring)."""
    bits = token.split_contents()[1:]
    if not bits or bits[0][0] not in "\"'":
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name first")
    name = bits[0][1:-1]
    key_parts = []
    rest = bits[1:]
    while rest and "=" not in rest[0]:
        key_parts.append(parser.compile_filter(rest.pop(0)))
    variables = token_kwargs(rest, parser)
    if rest:
        raise template.TemplateSyntaxError(f"{{% fragment %}} could not read {rest!r}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, key_parts, variables)


class PersonalNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        recorder = context.get(RECORDER)
        if recorder is None:
            return self.nodelist.render(context)
        return mark_safe(recorder.add(self.origin.template_name, self.name))  # noqa: S308 - a marker of ours


@register.tag("personal")
def personal(parser, token):
    """`{% personal "name" %}…{% endpersonal %}` (see the module's docstring); the name is unique in its template."""
    bits = token.split_contents()[1:]
    if len(bits) != 1 or bits[0][0] not in "\"'":
        raise template.TemplateSyntaxError("{% personal %} takes a quoted name and nothing else")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, bits[0][1:-1])
