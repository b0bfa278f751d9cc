"""What happened to a video, announced for whoever listens (films: "notify me when it is up";
notifications: telling the owner).

Sent right after the change is saved, within the caller's transaction if there is one (a
listener's writes commit or roll back with it); a listener that fails does not stop the others
(``send_robust``).
"""

from django.dispatch import Signal

# A video finished processing and can be played: keyword `video_id`.
video_ready = Signal()
# A video's processing failed for good (`Video.failure_reason` says why): keyword `video_id`.
video_failed = Signal()
