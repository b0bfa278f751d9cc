"""Settings for the chat journey's daphne (live/tests/test_chat_journey.py): the test settings, plus a
page that shows a premiere's chat panel (the live watch page is not there yet), and static files
served from the source folders as in development."""

from reelvision.settings.test import *  # noqa: F403

ROOT_URLCONF = "live.tests.journey_urls"
WHITENOISE_USE_FINDERS = True
