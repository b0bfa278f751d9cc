"""What happened to members, announced for whoever listens (badges today).

Sent right after the change is saved, within the caller's transaction if there is one; a listener
that fails does not stop the others (``send_robust``).
"""

from django.dispatch import Signal

# A member became a verified creator (by university e-mail or by staff's hand): keyword `user`.
creator_verified = Signal()
