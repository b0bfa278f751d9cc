"""Watching films: who may watch what (entitlements), the watch page and the player's configuration,
progress and views, for the site and the apps' API. Built on the videos app's signed streams."""
