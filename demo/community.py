"""Demo reviews, comments and creators' posts (one public, one for backers), so the demo's film and
project pages show a living community.

Written by demo backers (accounts without passwords), straight into the tables as approved posts:
the moderation rules are for members posting, not for seeded content. Idempotent: a film that has
reviews, or a project that has comments, is left as it is.
"""

from __future__ import annotations

from django.utils import timezone

from community.models import Comment, Post, PostAudience, Review
from community.ratings import recount

REVIEWS = [
    (5, "졸업작품이라는 게 믿기지 않아요. 마지막 장면에서 한참 앉아 있었습니다."),
    (4, "배우들의 호흡이 좋았어요. 음악도 오래 남네요."),
    (4, "Beautifully shot. The ending stayed with me."),
    (3, "중반이 조금 길었지만 분위기가 정말 좋아요."),
    (5, ""),
]
COMMENTS = [
    "촬영 현장 사진도 올려 주세요! 너무 궁금해요.",
    "상영회 일정이 정해지면 꼭 알려 주세요.",
]
CREATOR_REPLY = "응원 고맙습니다! 다음 소식에 현장 사진을 올릴게요."
POSTS = [
    (
        PostAudience.PUBLIC,
        "촬영 첫 주를 마쳤습니다",
        "비 때문에 하루 밀렸지만 모두 무사히 첫 주를 마쳤어요.",
        "비 때문에 하루 밀렸지만 배우와 스태프 모두 무사히 첫 주 촬영을 마쳤습니다.\n"
        "다음 주에는 바닷가 장면을 찍습니다. 응원해 주신 모든 분께 감사드려요!",
    ),
    (
        PostAudience.BACKERS,
        "후원자 전용: 편집본 첫 10분 이야기",
        "편집실에서 어떤 장면을 덜어냈는지, 후원자분들께만 먼저 털어놓습니다.",
        "1차 편집본은 112분이었습니다. 첫 10분에서만 장면 네 개를 덜어냈어요.\n"
        "가장 아까웠던 건 버스 정류장 롱테이크인데, 감독판에는 꼭 넣겠습니다.",
    ),
]


def ensure_community(films, projects, members) -> int:
    """Reviews on `films`, a short thread on each of `projects`; returns how many posts were made."""
    made = 0
    members = [member for member in members if member.is_active]
    if not members:
        return 0
    for film_number, film in enumerate(films):
        if Review.objects.filter(film_id=film.pk).exists():
            continue
        for n, (rating, body) in enumerate(REVIEWS[: 2 + film_number % 4]):
            author = members[(film_number * 5 + n) % len(members)]
            Review.objects.create(film_id=film.pk, author=author, rating=rating, body=body, watched=n % 2 == 0)
            made += 1
        recount(film.pk)
    for project_number, project in enumerate(projects):
        if Comment.objects.filter(page_id=project.pk).exists():
            continue
        first = None
        for n, body in enumerate(COMMENTS):
            author = members[(project_number * 3 + n) % len(members)]
            comment = Comment.objects.create(page_id=project.pk, author=author, body=body)
            first = first or comment
            made += 1
        if project.owner_id and not Post.objects.filter(page_id=project.pk).exists():
            for audience, title, teaser, body in POSTS:
                Post.objects.create(
                    page_id=project.pk,
                    author_id=project.owner_id,
                    title=title,
                    teaser=teaser,
                    body=body,
                    audience=audience,
                    published_at=timezone.now(),
                )
                made += 1
        if project.owner_id:
            Comment.objects.create(
                page_id=project.pk, author_id=project.owner_id, parent=first, body=CREATOR_REPLY, by_creator=True
            )
            made += 1
    return made
