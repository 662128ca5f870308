#!/usr/bin/env bash
# Set everything up and run the whole test suite: the README's test command.
#
# 1. Debian packages the tests drive (redis-server, chromium, curl), when missing and we are root.
# 2. A virtualenv in .venv with the project and its [dev] extra (pinned by .ci/constraints.txt).
# 3. The quality gates: ruff check, ruff format --check, mypy --strict.
# 4. pytest. "No tests collected" (exit 5) is a failure, not a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)  # the seeds' walkthrough is run with curl
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${missing[*]} (Debian)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "==> warning: ${missing[*]} not installed; the tests that need them will fail" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> installing eliza-tools[dev]"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -c .ci/constraints.txt -e ".[dev]"

echo "==> ruff, mypy"
.venv/bin/ruff check eliza_tools a2a tests bench
.venv/bin/ruff format --check eliza_tools a2a tests bench
.venv/bin/mypy eliza_tools a2a

echo "==> .venv-interop (the official a2a-sdk for the interop tests; never in .venv)"
if [ ! -x .venv-interop/bin/python ]; then
  "$PYTHON" -m venv .venv-interop
fi
.venv-interop/bin/python -m pip install -q "a2a-sdk[http-server]==1.3.0" uvicorn httpx

echo "==> pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
