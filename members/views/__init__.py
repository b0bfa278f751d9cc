"""The members app's views: my page, profile and account, public profiles, and the staff's screens."""
