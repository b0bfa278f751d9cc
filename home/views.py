from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.views.decorators.http import require_GET

from reelvision.redirects import local_url


@require_GET
def switch_language(request, language):
    """Remember the visitor's language in a cookie and go back.

    A GET link rather than Django's POST `set_language`, so that pages carry no
    CSRF token and stay cacheable for anonymous visitors; the effect is a
    preference cookie, and for a member the language of their e-mails.
    """
    next_url = local_url(request, request.GET.get("next"), "/")
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated and getattr(request.user, "language", language) != language:
            # A member's e-mails follow the language they switch the site to.
            # get_user_model(), not type(request.user): request.user is a lazy object.
            get_user_model().objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
