"""The Content-Security-Policy in headless Chromium: every kind of page works under it and none reports a violation.

Violations are caught twice: the `securitypolicyviolation` event in every frame (reported to the
test through a binding) and Chromium's console message ("Refused to … Content Security Policy").
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from films.tests.factories import FilmPageFactory, FundingProjectPageFactory, film_index
from members.tests.factories import StaffUserFactory, UserFactory
from videos.tests.media import make_clip

from .journeys import log_in, ready_video

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`);
});
"""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_WORK_DIR = str(tmp_path / "work")
    settings.VIDEO_X264_PRESET = "ultrafast"


def watch_violations(context) -> list[str]:
    """Collect the CSP violations of every page and frame in `context` from now on."""
    violations = []
    context.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    context.on(
        "console", lambda message: violations.append(message.text) if "Security Policy" in message.text else None
    )
    return violations


def settled(page, violations) -> list[str]:
    """The violations so far, once the page's pending reports have reached the test."""
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 0))")
    return violations


def test_an_inline_script_is_refused_and_reported(new_context):
    """The policy is sent and enforced: a script injected into a page does not run, and the test sees it."""
    context = new_context()
    violations = watch_violations(context)
    page = context.new_page()

    response = page.goto("/")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    }""")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("window.injected") is None
    assert any("script-src" in text for text in settled(page, violations))


def test_a_visitor_browses_and_plays_a_free_film_without_violations(new_context, tmp_path):
    """Home, catalogue, a film page, search, log-in, the API docs and the watch page playing a film (hls.js, its worker)."""
    video = ready_video(tmp_path / "free.mp4")
    film = FilmPageFactory(title="정류장", slug="the-stop", price=0, main_video=video)
    context = new_context()
    violations = watch_violations(context)
    page = context.new_page()

    for url in ("/", film_index().url, film.url, "/search/?q=정류장", reverse("account_login"), reverse("api_docs")):
        page.goto(url)
        assert settled(page, violations) == [], url
    page.goto(reverse("watching:watch_film", args=[film.slug]))
    page.locator("[data-player]").focus()
    page.keyboard.press("m")
    page.locator("[data-play]").click()
    page.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=20_000)

    assert settled(page, violations) == []
    assert page.evaluate("Hls.DefaultConfig.workerPath").endswith("hls.worker.js")


def test_a_member_checks_out_with_the_sandbox_and_opens_my_page_without_violations(new_context, settings):
    """The donate page, the sandbox payment page and my page."""
    settings.PAYMENT_PROVIDERS = ["sandbox"]
    project = FundingProjectPageFactory(title="심야 버스", slug="night-bus", minimum_donation=1000)
    context = new_context(locale="en-US")
    violations = watch_violations(context)
    page = context.new_page()
    log_in(page, UserFactory())

    page.goto(reverse("donations:donate", args=[project.pk]))
    page.get_by_label("Or any amount (KRW)").fill("5000")
    assert settled(page, violations) == []
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Sandbox: no real money")).to_be_visible()
    assert settled(page, violations) == []
    page.goto(reverse("members:my_library"))

    assert settled(page, violations) == []


# A stand-in for https://js.tosspayments.com/v2/standard (the internet is out of reach): like the
# real script it defines window.TossPayments, draws the widget in frames from a Toss host and calls
# Toss's servers from the page.
TOSS_STANDARD_STAND_IN = """
window.TossPayments = () => ({
  widgets: () => ({
    setAmount: async () => { await fetch("https://event.tosspayments.com/v1/log", { method: "POST", body: "{}" }); },
    renderPaymentMethods: async ({ selector }) => {
      const frame = document.createElement("iframe");
      frame.src = "https://payment-widget.tosspayments.com/methods";
      document.querySelector(selector).append(frame);
      await new Promise((resolve) => frame.addEventListener("load", resolve));
    },
    renderAgreement: async () => {},
    requestPayment: async () => {},
  }),
});
"""


def serve_toss_stand_in(route):
    url = route.request.url
    if url.startswith("https://js.tosspayments.com/"):
        route.fulfill(body=TOSS_STANDARD_STAND_IN, content_type="text/javascript")
    elif url.startswith("https://event.tosspayments.com/"):
        route.fulfill(json={}, headers={"Access-Control-Allow-Origin": "*"})
    else:
        route.fulfill(body="<p>Toss</p>", content_type="text/html")


def test_the_toss_widget_loads_from_our_sdk_copy_and_talks_to_toss_without_violations(new_context, settings):
    """Our static SDK loads Toss's script, which frames and calls Toss's hosts: all allowed, nothing else."""
    settings.TOSS_CLIENT_KEY, settings.TOSS_SECRET_KEY = "test_gck_local", "test_gsk_local"
    settings.PAYMENT_PROVIDERS = ["toss", "sandbox"]
    project = FundingProjectPageFactory(title="심야 버스", slug="night-bus", minimum_donation=1000)
    context = new_context(locale="en-US")
    violations = watch_violations(context)
    context.route(re.compile(r"^https://[a-z.-]+\.tosspayments\.com/"), serve_toss_stand_in)
    page = context.new_page()
    log_in(page, UserFactory())

    page.goto(reverse("donations:donate", args=[project.pk]))
    page.get_by_label("Or any amount (KRW)").fill("5000")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.locator("[data-toss-pay]")).to_be_enabled()
    expect(page.frame_locator("#payment-method iframe").get_by_text("Toss")).to_be_visible()
    assert settled(page, violations) == []


def test_staff_use_the_admin_without_violations(admin_page):
    """The dashboard, the page editor and the video upload page (Uppy)."""
    film = FilmPageFactory(title="정류장", slug="the-stop")
    page = admin_page(StaffUserFactory())
    violations = watch_violations(page.context)

    page.goto(reverse("wagtailadmin_home"))
    assert settled(page, violations) == []
    page.goto(reverse("wagtailadmin_pages:edit", args=[film.pk]))
    expect(page.get_by_role("textbox", name=re.compile("Title"))).to_be_visible()
    assert settled(page, violations) == []
    page.goto("/admin/videos/")
    page.get_by_role("link", name=re.compile("Add")).first.click()
    expect(page.locator(".uppy-Dashboard")).to_be_visible()

    assert settled(page, violations) == []


def test_uppy_uploads_straight_to_the_s3_endpoint_without_violations(admin_page, tmp_path, s3_storage, settings):
    """With media on a bucket, the policy lets the browser send upload parts to its endpoint."""
    clip = make_clip(tmp_path / "clip.mp4", seconds=2)
    page = admin_page(StaffUserFactory())
    violations = watch_violations(page.context)

    page.goto("/admin/videos/")
    page.get_by_role("link", name=re.compile("Add")).first.click()
    page.locator(".uppy-Dashboard-input").first.set_input_files(str(clip))
    page.locator(".uppy-StatusBar-actionBtn--upload").click()
    page.wait_for_url(re.compile(r"/admin/videos/edit/\d+/"), timeout=60_000)

    assert s3_storage.list_objects_v2(Bucket=settings.AWS_STORAGE_BUCKET_NAME)["KeyCount"] > 0
    assert settled(page, violations) == []
