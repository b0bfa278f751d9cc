"""The films app's views beside its pages: people, "notify me" and local media."""
