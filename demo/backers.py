"""Demo donations made the way real ones are, so that every demo project's public ledger adds up
to the total its page shows.

Each project's `raised = (amount, backers)` becomes `backers` sandbox donations from a pool of
demo backer accounts (they have no password and cannot log in), confirmed through
`payments.settle()`: orders paid, ledger entries chained, totals and backer counts updated
exactly as a payment would. Amounts are whole thousands of won, at least the project's minimum,
some of them a tier's amount, and add up to `amount` exactly; a few backers stay anonymous or
leave a message. A fixed seed per project makes every run the same.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from donations import payments
from donations.models import Order, OrderKind
from donations.providers import Payment, PaymentStatus

BACKER_EMAIL = "backer{n:03d}@demo.reelvision.local"
FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "지수",
    "민준",
    "서연",
    "도윤",
    "하은",
    "시우",
    "지아",
    "예준",
    "수아",
    "주원",
    "하린",
    "건우",
    "윤서",
    "현우",
    "채원",
]
MESSAGES = [
    "졸업 축하해요! 꼭 완성되길 바랍니다.",
    "상영회에서 꼭 보고 싶어요.",
    "Good luck with the shoot!",
    "응원합니다. 화이팅!",
    "작은 보탬이 되었으면 해요.",
]


def backer_pool(size: int) -> list:
    """`size` demo backer accounts, made once (no password: they exist to have donated)."""
    User = get_user_model()
    emails = [BACKER_EMAIL.format(n=n) for n in range(size)]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = []
    for n, email in enumerate(emails):
        if email not in existing:
            user = User(email=email, display_name=FAMILY[n % len(FAMILY)] + GIVEN[(n * 7) % len(GIVEN)])
            user.set_unusable_password()
            missing.append(user)
    User.objects.bulk_create(missing)
    return list(User.objects.filter(email__in=emails).order_by("email"))


def split(amount: int, count: int, minimum: int, tier_amounts: list[int], rng: random.Random) -> list[int]:
    """`count` donations of whole thousands, each ≥ `minimum`, adding up to `amount` exactly."""
    unit = 1000
    floor = max(unit, -(-minimum // unit) * unit)
    if count <= 0 or amount < floor * count:
        raise ValueError(f"{amount} KRW cannot be {count} donations of at least {floor}")
    parts = [floor] * count
    left = amount - floor * count
    # Hand out the rest in tier-sized or thousand-won steps, so the amounts look like real ones.
    steps = sorted({t - floor for t in tier_amounts if t > floor} | {unit, 5 * unit, 10 * unit})
    while left:
        step = rng.choice([s for s in steps if s <= left] or [left])
        parts[rng.randrange(count)] += step
        left -= step
    return parts


def donate_for_demo(project, amount: int, backers: int, pool: list) -> int:
    """Make `backers` demo donations to `project` adding up to `amount`; returns how many."""

    if not backers or not amount:
        return 0
    rng = random.Random(f"reelvision-demo:{project.slug}")  # noqa: S311 - demo data, not a secret
    tiers = {tier.amount: tier for tier in project.tiers.all()}
    minimum = project.minimum_donation or 1000
    members = rng.sample(pool, backers)
    for n, (member, part) in enumerate(zip(members, split(amount, backers, minimum, list(tiers), rng), strict=True)):
        order = Order.objects.create(
            member=member,
            kind=OrderKind.DONATION,
            project=project,
            tier=tiers.get(part),
            provider="sandbox",
            amount=part,
            client_token=f"demo-{project.slug}-{n:04d}",
            is_anonymous=rng.random() < 0.1,
            message=rng.choice(MESSAGES) if rng.random() < 0.2 else "",
        )
        # No receipts, badges or e-mails for demo backers: `notify=False`.
        payments.settle(
            order,
            Payment(reference=f"demo_{order.public_id}", status=PaymentStatus.PAID, amount=part, fee=0),
            notify=False,
        )
    return backers
