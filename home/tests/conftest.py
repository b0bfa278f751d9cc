"""Fixtures of the home app's tests."""

import pytest

from home.tests.helpers import Clock


@pytest.fixture
def clock(monkeypatch):
    """`clock.advance(minutes=5)` moves `timezone.now()` and the local-memory caches' clock forward."""
    return Clock(monkeypatch)
