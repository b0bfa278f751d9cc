"""What the community app announces, sent once the transaction that caused it commits.

- `post_published(post)`: a creator published a post; its page's backers (or buyers) and followers
  may want to hear of it.
- `member_warned(member, reason, action_id)`: staff warned a member about what they posted (the
  id of the logged `ModerationAction`).
"""

from django.dispatch import Signal

post_published = Signal()
member_warned = Signal()
