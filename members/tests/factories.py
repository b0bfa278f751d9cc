"""Test data for members: users (plain, staff, creators) and payout accounts."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.models import PayoutAccount


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password("password")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        """`UserFactory(groups=["Creators"])` puts the user in those (existing) groups."""
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))

    @factory.post_generation
    def verified_email(self, create, verified, **kwargs):
        """Members have confirmed their address (allauth); `UserFactory(verified_email=False)` has not."""
        if create:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": verified is not False, "primary": True}
            )


def _in_group(name):
    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create:
            self.groups.add(*Group.objects.filter(name__in=names or [name]))

    return groups


class StaffUserFactory(UserFactory):
    is_staff = False  # Wagtail admin access comes from the group, not Django's is_staff
    groups = _in_group("Staff")


class CreatorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"creator{n}@dongguk.edu")
    groups = _in_group("Creators")


class PayoutAccountFactory(factory.django.DjangoModelFactory):
    """`PayoutAccountFactory(user=member, number="110123456789")`: the number is encrypted like the real form does."""

    user = factory.SubFactory(UserFactory)
    bank = "국민은행"
    holder = factory.LazyAttribute(lambda account: account.user.display_name or "예금주")

    class Meta:
        model = PayoutAccount
        skip_postgeneration_save = True

    @factory.post_generation
    def number(self, create, number, **kwargs):
        self.set_number(number or "110123456789")
        if create:
            self.save()
