"""What happened while watching, announced for whoever listens (members' badges today).

Sent right after the change is saved, within the caller's transaction if there is one (a
listener's writes commit or roll back with it); a listener that fails does not stop the others
(``send_robust``).
"""

from django.dispatch import Signal

# A member's film just counted as watched (``watching.progress.WATCHED_SECONDS`` seen, or the end
# reached): keywords `user` and `film_id`.
film_watched = Signal()
