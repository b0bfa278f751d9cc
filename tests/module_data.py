"""Test data made once per module, as Django's `TestCase.setUpTestData` makes it once per class.

    shared_world, world = made_once_per_module(make_world)

`shared_world` makes the data inside the module's transaction (`module_transaction` in conftest.py),
before any test's own savepoint opens; `world` hands each test a deep copy of it, so a test that
changes an object in memory leaves the next one the original, and the database is rolled back to
the same rows after each test. The two names must be bound at module level, as pytest finds
fixtures by name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest


def made_once_per_module(make: Callable[[], object]):
    @pytest.fixture(scope="module")
    def shared_world(module_transaction):
        return make()

    @pytest.fixture
    def world(shared_world, db):
        return copy.deepcopy(shared_world)

    return shared_world, world
