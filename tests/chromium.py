"""Which Chromium the browser journeys drive.

Debian builds two browsers from its chromium sources: `chromium`, the desktop browser, and
`chromium-headless-shell`, the same engine (Blink, V8, the media stack) without the desktop
browser's windowing and UI layer, made for automation. The journeys only ever run headless, and
the shell does the same work with about a quarter less CPU (measured on four journey files, 2 cores:
67 s against 87 s), so it is used when installed (`bin/test` installs it) and `chromium` otherwise.
"""

from pathlib import Path

HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
DESKTOP = Path("/usr/bin/chromium")
CHROMIUM = HEADLESS_SHELL if HEADLESS_SHELL.exists() else DESKTOP
# The tests run as root, where Chromium will not start its sandbox; no GPU; nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
MISSING = "Chromium is missing: install Debian's chromium-headless-shell (bin/test does) or chromium to run the browser journeys"
