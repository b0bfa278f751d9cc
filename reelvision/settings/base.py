"""Settings shared by every environment.

Safe by default: no secret key, DEBUG off, no hosts. `dev`, `test` and
`production` build on this. Every optional service (PostgreSQL, Redis, S3,
SMTP) is off until its environment variable is set; see README.md.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First: its `runserver` (an ASGI server, WebSockets included) takes over Django's and
    # staticfiles' own, which would otherwise win. It adds nothing else to the site.
    "daphne",
    "page_cache",
    "home",
    "films",
    "videos",
    "watching",
    "donations",
    "members",
    "recommendations",
    "analytics",
    "community",
    "live",
    "search",
    "legal",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    # After wagtail.admin: it replaces Wagtail's workflow e-mails with its own notifications.
    "notifications",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # static files only: Swagger UI for /api/docs/, never a CDN
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.socialaccount.providers.naver",
    "allauth.socialaccount.providers.google",
    "allauth.headless",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so cached pages get the header too (reelvision/csp.py).
    "reelvision.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before the page cache and every view: a request no view can take gets a 400 with a sentence.
    "reelvision.bad_requests.BadRequestMiddleware",
    "page_cache.cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Inside the page cache: fills a member's marks into film cards, a visitor's defaults before storing.
    "watching.card_marks.CardMarksMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "reelvision.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "reelvision.wsgi.application"
# The site runs under ASGI (daphne): pages as before, plus WebSockets for the premieres' chat.
ASGI_APPLICATION = "reelvision.asgi.application"

# SQLite by default; PostgreSQL (or anything dj-database-url reads) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Short write transactions from the web process and the task worker share
    # one file; WAL and a busy timeout keep them from failing on each other.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# An optional read replica of the primary: anonymous visitors' GET requests read from it, everything
# else (members, writes, a browser's requests for a few seconds after it wrote, transactions, task
# workers, commands) uses the primary; see reelvision/db_router.py. Migrations run on the primary
# only, and a test run treats the replica as the primary's mirror.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "10"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["reelvision.db_router.ReplicaRouter"]
    # First, so the session, the page cache and every view read where it decides.
    MIDDLEWARE = ["reelvision.db_router.ReplicaReadsMiddleware", *MIDDLEWARE]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "members.permission_backend.PermissionsInOneQuery",  # permission checks only: one query, not two
    "django.contrib.auth.backends.ModelBackend",  # the Wagtail admin's own login form
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:my_library"
# The studio's own log-in URL (members.views.pages.admin_login): visitors go on to the site's log-in;
# members without studio access are told so instead of being sent round in a loop.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"

# Accounts (django-allauth): e-mail is the login and must be verified (by a code, typed on any
# device) before anything else; passwords are reset by an e-mailed code.
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "members.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"  # adds the display name
# New members pick the genres they like first (once: only a sign-up lands there; my page links to it).
ACCOUNT_SIGNUP_REDIRECT_URL = "recommendations:pick_genres"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_SESSION_REMEMBER = None  # the "remember me" box decides
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ReelVision] "
# Tell members by e-mail when their password or e-mail addresses change (someone else may have done it).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth's rate limits, spelled out (these are its defaults). They live in the "default" cache,
# which never evicts a live entry (see CACHES), shared by every worker in production through Redis
# or the file cache. "key" is the e-mail address; "ip" is reelvision.client_ip's address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/10s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Sign-up says plainly that an address is taken (so nobody makes a second account by mistake); that reveals which
# addresses have accounts, so the sign-up rate limit is what slows enumeration down. A password
# reset answers the same for every address (members.password_reset, also for the apps).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_FORMS = {"login": "members.login_form.LoginForm", "reset_password": "members.password_reset.PasswordResetForm"}
# Social accounts: an existing account is never taken over through a provider's e-mail; the
# member logs in with their password and connects the provider from their page.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False


def _social_app(prefix: str) -> list[dict]:
    client_id = os.environ.get(f"{prefix}_CLIENT_ID", "")
    secret = os.environ.get(f"{prefix}_CLIENT_SECRET", "")
    return [{"client_id": client_id, "secret": secret, "key": ""}] if client_id else []


# A provider without keys has no app, so its button is not shown.
SOCIALACCOUNT_PROVIDERS = {
    "kakao": {"APPS": _social_app("KAKAO")},
    "naver": {"APPS": _social_app("NAVER")},
    "google": {"APPS": _social_app("GOOGLE"), "SCOPE": ["profile", "email"], "AUTH_PARAMS": {"access_type": "online"}},
}

# API clients (the mobile and TV apps) log in through allauth's headless API and get JWTs:
# a short access token and a refresh token ("reissue"). RS256 with JWT_PRIVATE_KEY (PEM) when
# given, else HS256 signed with SECRET_KEY.
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy"  # noqa: S105 - a class path
HEADLESS_JWT_PRIVATE_KEY = os.environ.get("JWT_PRIVATE_KEY", "").replace("\\n", "\n")
HEADLESS_JWT_ALGORITHM = "RS256" if HEADLESS_JWT_PRIVATE_KEY else "HS256"
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = int(os.environ.get("JWT_ACCESS_TOKEN_LIFETIME", "300"))
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = int(os.environ.get("JWT_REFRESH_TOKEN_LIFETIME", str(30 * 86400)))
# Each access token is checked against its log-in session (one session read per API request), so
# it stops working at once when the app logs out, the password changes or the account is deleted
# or deactivated, as a site session would, instead of living on for its 5 minutes.
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/accounts/confirm-email/{key}/",
    "account_reset_password": "/accounts/password/reset/",
    "account_reset_password_from_key": "/accounts/password/reset/key/{key}/",
    "account_signup": "/accounts/signup/",
}

# Who may create: members who confirm an address at one of these university domains.
UNIVERSITY_EMAIL_DOMAINS = env_list("UNIVERSITY_EMAIL_DOMAINS", "dongguk.edu")
UNIVERSITY_CODE_LIFETIME = int(os.environ.get("UNIVERSITY_CODE_LIFETIME", "900"))
UNIVERSITY_CODE_MAX_ATTEMPTS = int(os.environ.get("UNIVERSITY_CODE_MAX_ATTEMPTS", "5"))
# Codes mailed per member and per address in an hour; tries at one address in a day, over all accounts.
UNIVERSITY_CODE_SENDS_PER_HOUR = int(os.environ.get("UNIVERSITY_CODE_SENDS_PER_HOUR", "5"))
UNIVERSITY_CODE_TRIES_PER_DAY = int(os.environ.get("UNIVERSITY_CODE_TRIES_PER_DAY", "20"))
# Payout bank accounts are encrypted with this key (Fernet, urlsafe base64 of 32 bytes; several,
# comma-separated, to rotate: the first encrypts). Derived from SECRET_KEY when unset (dev, test).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# Korean first, English available; the visitor's choice lives in a cookie
# (see home.views.switch_language), so URLs stay the same in both languages.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
# Where `collectstatic` gathers the static files; the web server (nginx) serves them from there.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages from package.json, served as our own static files (never from a CDN).
    ("vendor/hls.js", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/uppy", BASE_DIR / "node_modules" / "uppy" / "dist"),
    ("vendor/uppy-locales", BASE_DIR / "node_modules" / "@uppy" / "locales" / "dist"),
    ("vendor/tosspayments", BASE_DIR / "node_modules" / "@tosspayments" / "tosspayments-sdk" / "dist"),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Images, documents and avatars. Without S3, films/views/media.py serves the public part of this
# folder (images in use, avatars; never documents) under MEDIA_URL.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Video originals, uploads in progress, HLS ladders, posters, storyboards and captions: outside
# MEDIA_ROOT, since only the signed playback views may hand them out (videos/storage.py).
VIDEO_ROOT = Path(os.environ.get("VIDEO_ROOT", BASE_DIR / "video-files"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "videos": {"BACKEND": "videos.storage.VideoFileStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media on any S3-compatible bucket once a bucket name is given.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    # Videos only ever leave the bucket by short-lived signed URLs, in a bucket of their own if
    # AWS_VIDEO_BUCKET_NAME says so: presigned S3 GETs, never the media's custom domain (a CDN there
    # would hand any key to anyone); or, with a CloudFront distribution and one of its signing keys,
    # CloudFront signed URLs (django-storages signs every URL of a storage that has both).
    STORAGES["videos"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "bucket_name": os.environ.get("AWS_VIDEO_BUCKET_NAME") or AWS_STORAGE_BUCKET_NAME,
            "custom_domain": None,
        },
    }
    # The CloudFront key stays out of the settings django-storages reads for every bucket
    # (AWS_CLOUDFRONT_KEY_ID/AWS_CLOUDFRONT_KEY), so the media storage's own custom domain is untouched.
    _cloudfront = {
        "custom_domain": os.environ.get("AWS_CLOUDFRONT_DOMAIN", "").removeprefix("https://").rstrip("/"),
        "cloudfront_key_id": os.environ.get("AWS_CLOUDFRONT_KEY_ID", ""),
        "cloudfront_key": os.environ.get("AWS_CLOUDFRONT_KEY", "").replace("\\n", "\n"),  # one-line PEM
    }
    if all(_cloudfront.values()):
        STORAGES["videos"]["OPTIONS"].update(_cloudfront)
    elif any(_cloudfront.values()):
        raise ImproperlyConfigured(
            "AWS_CLOUDFRONT_DOMAIN, AWS_CLOUDFRONT_KEY_ID and AWS_CLOUDFRONT_KEY go together: set all three or none."
        )

# Two caches. "default" keeps rate limits and lockouts (allauth's, the university code's, the
# page-miss budget): nothing in it may be evicted to make room, or a lock would lift early. "pages"
# keeps the anonymous page cache, which may drop entries (they are rebuilt) and is bounded, so
# whatever anonymous visitors make the server render never pushes a limit out. Local memory by
# default, Redis when REDIS_URL is set (production wants the shared one; Redis evicts nothing
# unless it is given a maxmemory policy that does).
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis of the pages' own, given an LRU maxmemory policy, for when the pages outgrow what the one
# that never evicts should hold (docs/capacity.md): there a full memory drops old pages instead of
# refusing log-ins and limits. The page cache survives eviction of any of its keys (its generation
# restarts from the clock, page_cache/cache.py).
REDIS_PAGES_URL = os.environ.get("REDIS_PAGES_URL", "")
PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "5000"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reelvision",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reelvision-pages",
        },
        # Log-in sessions, under a prefix of their own so they are told apart from pages at a glance
        # (and could move to a Redis of their own). Like the limits, they must never be evicted: an
        # evicted session logs its member out. Each expires with its cookie (SESSION_COOKIE_AGE).
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "reelvision-sessions",
        },
    }
    # With Redis every app server reads sessions there, one round trip and no database write per
    # log-in; without it they stay in the database, which every process shares already.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": {"BACKEND": "reelvision.cache_backends.NonEvictingLocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES},
        },
    }

if REDIS_PAGES_URL:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_PAGES_URL,
        "KEY_PREFIX": "reelvision-pages",
    }

# Wagtail looks image renditions up by a key that holds the image's file hash
# and focal point, so an entry can never point at a replaced file: each process
# keeps its own in memory, saving a cache round trip per image on every render.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Channels' layer carries chat messages between the connections of one premiere. In memory it reaches
# only the connections of its own process (fine for one daphne); with Redis, every chat server's.
# A connection that falls this many messages behind loses the next ones (the layer drops what does
# not fit), so the room is well above Channels' default of 100.
CHANNEL_CAPACITY = 1000
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "reelvision-chat", "capacity": CHANNEL_CAPACITY},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": CHANNEL_CAPACITY}}
    }

ANONYMOUS_PAGE_CACHE_SECONDS = int(os.environ.get("ANONYMOUS_PAGE_CACHE_SECONDS", "600"))
# Pages one visitor (one IP address, or IPv6 /64) may make the server render in a minute by asking
# for what the page cache does not hold; beyond it they get 429 with Retry-After. 0: no limit.
ANONYMOUS_PAGE_MISSES_PER_MINUTE = int(os.environ.get("ANONYMOUS_PAGE_MISSES_PER_MINUTE", "120"))

# Reverse proxies of ours in front of the site (each appends to X-Forwarded-For). 0 trusts no
# header and counts visitors by the address connected to us. Drives allauth's limits and ours
# alike, through reelvision.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Wagtail's own background work (search and reference indexes) runs inline;
# ours (transcoding, e-mail, reconciliation) goes to the database queue that
# `manage.py db_worker --backend db` drains.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email", "notifications"],
    },
    "db": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": [
            "default",
            "transcode",
            "analysis",
            "email",
            "payments",
            "recommendations",
            "analytics",
            "notifications",
        ],
    },
}

# The backend that sends e-mails with one-time codes and links (members.tasks.queue_email): the
# database queue's worker; the test settings send them at once (no worker runs there).
OUTBOX_TASK_BACKEND = "db"
# The backend that brings the search index up to date after a change (search.tasks): the
# database queue's worker, so the Korean analyser loads there; tests index at once.
SEARCH_INDEX_TASK_BACKEND = "db"

# Seconds between two recomputes of the recommendation tables (recommendations/tasks.py).
RECOMMENDATIONS_RECOMPUTE_INTERVAL = int(os.environ.get("RECOMMENDATIONS_RECOMPUTE_INTERVAL", "3600"))
# Analytics: how often the sessions are rolled up into films' daily figures (seconds), and how many
# days raw playback sessions are kept after (at least 2: the rollup rewrites today and yesterday).
ANALYTICS_ROLLUP_INTERVAL = int(os.environ.get("ANALYTICS_ROLLUP_INTERVAL", "900"))
ANALYTICS_KEEP_SESSIONS_DAYS = max(2, int(os.environ.get("ANALYTICS_KEEP_SESSIONS_DAYS", "7")))
# Notifications (notifications/): the backend of their tasks (the database queue's worker; tests
# deliver at once), members per batch of a delivery to many, seconds between two sweeps (resuming
# what a dead worker left), the local hour after which the daily digests go out, and how many
# messages a creator may send to a project's backers a day.
NOTIFICATIONS_TASK_BACKEND = "db"
NOTIFICATIONS_BATCH_SIZE = int(os.environ.get("NOTIFICATIONS_BATCH_SIZE", "500"))
NOTIFICATIONS_SWEEP_INTERVAL = int(os.environ.get("NOTIFICATIONS_SWEEP_INTERVAL", "300"))
NOTIFICATIONS_DIGEST_HOUR = int(os.environ.get("NOTIFICATIONS_DIGEST_HOUR", "8"))
NOTIFICATIONS_BACKER_MESSAGES_PER_DAY = int(os.environ.get("NOTIFICATIONS_BACKER_MESSAGES_PER_DAY", "3"))

# Community: a review or comment reported by this many members is hidden until staff decide; a
# member may post this many times in a minute (the next is refused); a member whose account is
# younger than this many days waits for approval until one of their posts has been approved.
COMMUNITY_REPORTS_TO_HIDE = int(os.environ.get("COMMUNITY_REPORTS_TO_HIDE", "3"))
COMMUNITY_POSTS_PER_MINUTE = int(os.environ.get("COMMUNITY_POSTS_PER_MINUTE", "5"))
COMMUNITY_NEW_MEMBER_DAYS = int(os.environ.get("COMMUNITY_NEW_MEMBER_DAYS", "7"))

# Video (see videos/). Sizes in bytes, times in seconds.
VIDEO_MAX_UPLOAD_BYTES = int(os.environ.get("VIDEO_MAX_UPLOAD_BYTES", str(8 * 1024**3)))
# An upload with no new part for this long is abandoned: its parts are aborted and deleted.
VIDEO_UPLOAD_ABANDON_AFTER = int(os.environ.get("VIDEO_UPLOAD_ABANDON_AFTER", str(24 * 3600)))
# Size of one upload part (S3's minimum is 5 MiB); doubled for files that would need over 10,000 parts.
VIDEO_UPLOAD_PART_BYTES = int(os.environ.get("VIDEO_UPLOAD_PART_BYTES", str(16 * 1024**2)))
# A processing job whose heartbeat is older than this is taken to be dead and is retried.
VIDEO_PROCESSING_STALE_AFTER = int(os.environ.get("VIDEO_PROCESSING_STALE_AFTER", "600"))
VIDEO_PROCESSING_MAX_ATTEMPTS = int(os.environ.get("VIDEO_PROCESSING_MAX_ATTEMPTS", "3"))
# Lifetime of the signed master-playlist URL handed to the player.
VIDEO_PLAYBACK_URL_TTL = int(os.environ.get("VIDEO_PLAYBACK_URL_TTL", "300"))
# Lifetime of signed variant-playlist and segment URLs (they must outlast a sitting of the film).
# Every request with one is checked against the viewer's access again, so a refund ends it anyway.
VIDEO_SEGMENT_URL_TTL = int(os.environ.get("VIDEO_SEGMENT_URL_TTL", str(6 * 3600)))
# Lifetime of the presigned S3 GET a /stream/ request redirects to (the player follows it at once).
VIDEO_PRESIGNED_URL_TTL = int(os.environ.get("VIDEO_PRESIGNED_URL_TTL", "60"))
# Scratch space for transcodes (default: the system's temporary directory).
VIDEO_WORK_DIR = os.environ.get("VIDEO_WORK_DIR", "")
# How often the housekeeping task retries dead jobs and removes abandoned uploads.
VIDEO_HOUSEKEEPING_INTERVAL = int(os.environ.get("VIDEO_HOUSEKEEPING_INTERVAL", "300"))
# The sensitive-content scan (videos.sensitive): which of the detector's classes flag a moment (none
# given: exposed nudity), and from what confidence.
VIDEO_SCAN_LABELS = [label for label in os.environ.get("VIDEO_SCAN_LABELS", "").split(",") if label]
VIDEO_SCAN_MIN_SCORE = float(os.environ.get("VIDEO_SCAN_MIN_SCORE", "0.45"))
# x264 preset for the HLS ladder: slower presets give smaller files for more CPU time.
VIDEO_X264_PRESET = os.environ.get("VIDEO_X264_PRESET", "veryfast")

# Live premieres (the live app). nginx with its RTMP module receives the stream (bin/run writes its
# configuration: `manage.py live_rtmp_config`) and asks the site whether a stream key may publish;
# the hook addresses accept the loopback, or anyone with LIVE_RTMP_HOOK_SECRET when it is set.
LIVE_RTMP_PORT = int(os.environ.get("LIVE_RTMP_PORT", "1935"))
LIVE_RTMP_PUBLIC_URL = os.environ.get("LIVE_RTMP_PUBLIC_URL", f"rtmp://localhost:{LIVE_RTMP_PORT}/live")
LIVE_RTMP_HOOK_SECRET = os.environ.get("LIVE_RTMP_HOOK_SECRET", "")
# What nginx calls its hooks at: the site as nginx reaches it (its host must be in ALLOWED_HOSTS).
LIVE_RTMP_HOOK_BASE_URL = os.environ.get("LIVE_RTMP_HOOK_BASE_URL", "http://127.0.0.1:8000")
# nginx writes the live HLS (LIVE_DIR/hls/) and the recordings (LIVE_DIR/recordings/) here; the site
# reads the same folders (on one machine, or a shared volume with a separate streaming server).
LIVE_DIR = Path(os.environ.get("LIVE_DIR", BASE_DIR / "live-files"))
# A premiere's key may publish from LIVE_EARLY_MINUTES before its start until LIVE_MAX_HOURS after it.
LIVE_EARLY_MINUTES = int(os.environ.get("LIVE_EARLY_MINUTES", "30"))
LIVE_MAX_HOURS = int(os.environ.get("LIVE_MAX_HOURS", "6"))
# The premieres' chat: the least time between two messages of one member (whatever the premiere's
# slow mode), the longest message, and how many earlier messages a new connection is sent.
LIVE_CHAT_MIN_INTERVAL = float(os.environ.get("LIVE_CHAT_MIN_INTERVAL", "1"))
LIVE_CHAT_MAX_LENGTH = 500
LIVE_CHAT_HISTORY = int(os.environ.get("LIVE_CHAT_HISTORY", "200"))
# "Remind me": members are told this many minutes before a premiere starts; the task that sends the
# reminders runs every LIVE_REMINDER_INTERVAL seconds.
LIVE_REMINDER_MINUTES = int(os.environ.get("LIVE_REMINDER_MINUTES", "10"))
LIVE_REMINDER_INTERVAL = int(os.environ.get("LIVE_REMINDER_INTERVAL", "60"))

# Payments. Toss Payments and Stripe are offered once their keys are set. The sandbox (a local
# test checkout where no money moves) is for development, tests and demos: it is on here and off
# in production unless PAYMENT_SANDBOX=true (a staging site; `check --deploy` then warns). Base
# URLs are settings so tests point the real client code at a local server.
TOSS_CLIENT_KEY = os.environ.get("TOSS_CLIENT_KEY", "")  # the widget's client key (test_gck_… / live_gck_…)
TOSS_SECRET_KEY = os.environ.get("TOSS_SECRET_KEY", "")  # its secret key (test_gsk_… / live_gsk_…)
TOSS_API_BASE = os.environ.get("TOSS_API_BASE", "https://api.tosspayments.com")
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # empty: Stripe's own
PAYMENT_HTTP_TIMEOUT = float(os.environ.get("PAYMENT_HTTP_TIMEOUT", "10"))
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", True)
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS") or (
    (["toss"] if TOSS_SECRET_KEY else []) + (["stripe"] if STRIPE_SECRET_KEY else []) + ["sandbox"]
)
if not PAYMENT_SANDBOX:
    PAYMENT_PROVIDERS = [name for name in PAYMENT_PROVIDERS if name != "sandbox"]
DONATION_MINIMUM = int(os.environ.get("DONATION_MINIMUM", "1000"))
DONATION_MAXIMUM = int(os.environ.get("DONATION_MAXIMUM", "10000000"))
# The platform's share of what a title earns (after refunds), in percent, for payout reports. A Decimal,
# never a float: money is computed exactly (donations.splits). "5", "3.5" and "0" are all fine.
PLATFORM_FEE_PERCENT = Decimal(os.environ.get("PLATFORM_FEE_PERCENT", "5"))
if not 0 <= PLATFORM_FEE_PERCENT <= 100:
    raise ImproperlyConfigured("PLATFORM_FEE_PERCENT must be between 0 and 100.")
# An order still pending after this long is asked about once more, then expired.
PAYMENT_PENDING_EXPIRES_AFTER = timedelta(seconds=int(os.environ.get("PAYMENT_PENDING_EXPIRES_AFTER", "3600")))
PAYMENT_RECONCILE_INTERVAL = int(os.environ.get("PAYMENT_RECONCILE_INTERVAL", "300"))

# E-mail: console unless an SMTP host is given.
_smtp_host = os.environ.get("EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ReelVision <noreply@reelvision.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Staff who hear of money that needs a person (an amount a provider reported that the order is not for).
ADMINS = env_list("ADMINS", "")
EMAIL_SUBJECT_PREFIX = "[ReelVision] "  # on e-mails to ADMINS
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Content-Security-Policy on every response. Scripts come from our static files only: no inline
# scripts, no nonces (cached pages are shared). Inline style attributes stay allowed (progress bars,
# Toss's widget, Uppy and the Wagtail admin set them); they cannot run code. reelvision/csp.py adds
# the media bucket's origins, Toss's hosts when Toss is offered, and the Wagtail admin's inline scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF, "blob:"],  # blob: is the player's MediaSource
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],  # hls.js's worker is our static hls.worker.js, not a blob
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

# Wagtail
WAGTAIL_SITE_NAME = "ReelVision"
# Admin avatars: the uploaded one or a blank; never a request to gravatar.com (nothing reaches the internet).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {
    # The database backend picks by connection vendor: PostgreSQL full-text
    # search on PostgreSQL, SQLite FTS5 (unicode61 tokenizer) on SQLite.
    # PostgreSQL has no Korean text-search configuration, so "simple" (no
    # stemming, no stop words; SQLite ignores it). Neither splits Korean
    # compounds, so search/site_search.py matches titles and names by word
    # prefix ("졸업" finds "졸업작품") and falls back to a bounded substring match.
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "simple",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILAPI_BASE_URL = os.environ.get("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The site's session, or an app's JWT access token (Authorization: Bearer ...): same permissions.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "allauth.headless.contrib.rest_framework.authentication.JWTTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "reelvision.bad_requests.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Every error in one shape: {"detail": …, "code": …} (reelvision.api_errors).
    "EXCEPTION_HANDLER": "reelvision.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ReelVision API",
    "DESCRIPTION": "Films, funding projects, people and collections of ReelVision.",
    "VERSION": "1.0.0",
    # 3.1: nullable fields are plain JSON Schema (`type: [x, "null"]`), so clients and our
    # tests validate responses with any JSON Schema validator.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["reelvision.api.exclude_wagtail_admin_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reelvision.api.document_shared_answers",
        "reelvision.api_auth_schema.add_app_authentication",
    ],
    # Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SearchResultTypeEnum": "search.site_search.ResultKind",
        "RowKeyEnum": "recommendations.rows.ROW_KEYS",
        "NotificationKindEnum": "notifications.models.Kind",
        "ModerationStatusEnum": "community.models.Status",
    },
}
# Rendered HTML (links resolved to URLs) rather than Wagtail's database HTML, which apps cannot use.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Wagtail's Draftail editor, with a posted value it cannot read answered by a 400 (not an error).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "reelvision.rich_text_widget.CheckedDraftailRichTextArea"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django logs every task's start and end at INFO (failures at ERROR, which still show). At the
    # end it attaches whatever exception is being handled, so a task run inside an unrelated
    # `except` (e.g. a save within get_or_create) printed that exception's traceback as if it failed.
    "loggers": {"django.tasks": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}
