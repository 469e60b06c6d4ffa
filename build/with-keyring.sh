#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (the real OS
# keychain Rolecall uses), under a throw-away HOME. `npm test` uses it; so can a developer:
#   bash build/with-keyring.sh node_modules/.bin/vitest run test/unit/core
set -euo pipefail
# pyenv (where moto lives on these machines) finds itself through HOME; pin it before HOME moves.
export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
export ROLECALL_TEST_PYTHON="${ROLECALL_TEST_PYTHON:-$(command -v python3 || true)}"
TEST_HOME="$(mktemp -d)"
trap 'rm -rf "$TEST_HOME"' EXIT
mkdir -p "$TEST_HOME/.cache" "$TEST_HOME/.local/share/keyrings"
export HOME="$TEST_HOME"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE ROLECALL_HOME
dbus-run-session -- bash -c '
  echo -n pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  exec "$@"' with-keyring "$@"
