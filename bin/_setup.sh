# Shared set-up for bin/run and bin/test: find Python 3.12+, build .venv,
# install Python and npm packages when their lists change. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local candidates=(python3.13 python3.12)
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for dir in "$pyenv_root"/versions/3.1[2-9]* "$pyenv_root"/versions/3.[2-9][0-9]*; do
    [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
  done
  candidates+=(python3 python)
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  if ! PY="$(find_python)"; then
    echo "ReelVision needs Python 3.12 or newer (Django 6 refuses older ones)." >&2
    echo "Install one, e.g. 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv', then run this again." >&2
    exit 1
  fi
  echo "Using $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi

files_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
# stamp_changed STAMP FILE...: true when the files' contents differ from when STAMP was written.
stamp_changed() { local stamp="$1"; shift; [ ! -f "$stamp" ] || [ "$(files_hash "$@")" != "$(cat "$stamp")" ]; }

# install_requirements FILE: pip-install FILE when it (or requirements.txt, which it includes) changed.
# bin/run installs requirements.txt (the site), bin/test requirements-dev.txt (site + test tools).
# requirements-nodeps.txt follows, without the dependencies its packages ask for (it says why).
install_requirements() {
  local stamp=".venv/.$(basename "$1" .txt).stamp"
  if stamp_changed "$stamp" requirements.txt requirements-nodeps.txt "$1"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$1"
    .venv/bin/python -m pip install --quiet --no-deps -r requirements-nodeps.txt
    files_hash requirements.txt requirements-nodeps.txt "$1" > "$stamp"
  fi
}

if command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules ] || stamp_changed node_modules/.lock.stamp package-lock.json; then
    npm ci --no-audit --no-fund --loglevel=error
    files_hash package-lock.json > node_modules/.lock.stamp
  fi
else
  echo "npm not found: front-end packages (video player, upload widget) will be missing. Install Node.js 20+." >&2
fi

# Video work needs ffmpeg; Chromium drives the end-to-end tests (its headless shell when installed,
# see tests/chromium.py); nginx with its RTMP module receives
# live premieres (bin/run starts it when it is there); the tests start Redis servers of their own to
# check the production cache layout. Install them
# from Debian's packages when we can (root on a Debian machine), else say so.
ensure_system_packages() {
  local missing=()
  for pkg in "$@"; do
    case "$pkg" in
      chromium) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
      chromium-headless-shell) command -v chromium-headless-shell >/dev/null 2>&1 || missing+=(chromium-headless-shell) ;;
      ffmpeg) command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg) ;;
      fonts-noto-cjk) [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk) ;;
      nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx) ;;
      libnginx-mod-rtmp) [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(libnginx-mod-rtmp) ;;
      redis-server) command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} from Debian's packages..."
    # Another install may hold apt's lock for a few minutes: wait for it (up to 10 minutes).
    local options=(-o DPkg::Lock::Timeout=600)
    apt-get "${options[@]}" update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get "${options[@]}" install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Please install: ${missing[*]} (e.g. apt-get install ${missing[*]})." >&2
  fi
}

PYTHON="$ROOT/.venv/bin/python"
export PYTHON
