"""Recommendations: members' signals → a recommendation table, similar films and weekly popularity."""
