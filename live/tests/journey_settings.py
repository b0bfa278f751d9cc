"""Settings for the premiere journey's daphne (live/tests/test_chat_journey.py): the test settings,
with static files served from the source folders as in development."""

from reelvision.settings.test import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
