"""A visitor becomes a member and then a creator, in headless Chromium; a member resets a forgotten password.

Codes are read from the test mail outbox (the live server runs in this process), typed into the
pages as a person would, on the site's own forms (allauth), then in the Wagtail admin.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from films.models import FundingProjectPage
from films.tests.factories import film_index
from members.models import User
from members.tests.factories import UserFactory

from .conftest import PHONE, has_horizontal_overflow
from .journeys import TITLE, TITLE_EN, create_funding_project, expect_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "a-long-pass-phrase-for-tests-1"


def last_code(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(1)


def test_sign_up_verify_become_a_creator_and_create_a_funding_project(new_context, screenshot):
    index = film_index()
    page = new_context(locale="en-US").new_page()
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="sign up").click()

    page.get_by_label("Email").fill("newstudent@gmail.com")
    page.get_by_label("Display name").fill("새내기 감독")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    # Consent to the terms and the privacy policy and the age check are required; marketing is not.
    page.get_by_label(re.compile(r"^I agree to the Terms of service")).check()
    page.get_by_label(re.compile(r"^I agree to the collection and use of my personal data")).check()
    page.get_by_label("I am 14 or older.").check()
    expect(page.get_by_label(re.compile(r"^Send me news and events by e-mail"))).not_to_be_checked()
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()

    # The address must be confirmed with the code we e-mailed before anything else.
    expect(page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    code = last_code(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    # Logged in, a new member is offered the genre picker once; skipping it leads to the home page,
    # where the header's account menu leads to their page.
    expect(page.get_by_role("heading", name="Pick at least three genres you like")).to_be_visible()
    page.get_by_role("link", name="Skip for now").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("banner").get_by_text("새내기 감독").click()
    page.get_by_role("banner").get_by_role("link", name="My page").click()
    expect(page.get_by_role("heading", name="새내기 감독")).to_be_visible()
    screenshot(page, "my-page")

    # University verification: a wrong domain first, then the real address and its code.
    page.get_by_role("link", name="Creator verification").click()
    page.get_by_label("University e-mail").fill("newstudent@gmail.com")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_text("Use your university address (@dongguk.edu).")).to_be_visible()
    page.get_by_label("University e-mail").fill("newstudent@dongguk.edu")
    page.get_by_role("button", name="Send me a code").click()
    assert mail.outbox[-1].to == ["newstudent@dongguk.edu"]
    page.get_by_label("Code").fill(last_code(r"\b(\d{6})\b"))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("You are a creator now")).to_be_visible()
    screenshot(page, "verified-creator")
    user = User.objects.get(email="newstudent@gmail.com")
    assert user.is_creator and user.badges.filter(code="verified_creator").exists()

    # The studio: the same session opens the admin, where the new creator adds a funding project.
    page.get_by_role("link", name="Open the studio").click()
    page.goto(reverse("wagtailadmin_explore", args=[index.pk]))
    page.get_by_role("link", name="Add child page").first.click()
    page.get_by_role("link", name="Funding project", exact=True).click()
    create_funding_project(page)
    page.get_by_role("button", name="Save draft").click()
    expect_message(page, f"'{TITLE}' created")
    screenshot(page, "project-draft")
    assert FundingProjectPage.objects.get(title=TITLE).owner == user

    # My projects lists it as a draft with a link back to the editor.
    page.goto(reverse("members:my_projects"))
    expect(page.get_by_role("cell", name=TITLE_EN)).to_be_visible()  # my page in English shows the English title
    expect(page.get_by_role("cell", name="Draft")).to_be_visible()

    # Log out from the header's account menu, on any page.
    page.goto("/")
    page.get_by_role("banner").get_by_text("새내기 감독").click()
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    assert page.context.request.get(reverse("members:my_library"), max_redirects=0).status == 302

    phone = new_context(locale="en-US", viewport=PHONE).new_page()
    phone.goto(reverse("account_signup"))
    assert not has_horizontal_overflow(phone)
    screenshot(phone, "signup-phone")


def test_a_forgotten_password_is_reset_with_a_mailed_code(new_context, screenshot):
    user = UserFactory(email="forgetful@example.com")
    page = new_context(locale="en-US").new_page()
    page.goto(reverse("account_login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    page.get_by_label("Code").fill(last_code(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label(re.compile(r"^New Password:?$", re.I)).fill(PASSWORD)
    page.get_by_label(re.compile(r"^New Password \(again\):?$", re.I)).fill(PASSWORD)
    screenshot(page, "new-password")
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text(re.compile("password is now changed|Your password has been changed", re.I))).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    # And the new password logs in, remembered.
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Keep me logged in").check()
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
