#!/usr/bin/env bash
# The one test command (README: `npm test`): typecheck, lint, build the CLI, then every test
# inside a private D-Bus session with an unlocked gnome-keyring, under a throw-away HOME so
# nothing touches the user's own ~/.aws or keychain.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s typecheck
npm run -s lint
npm run -s build:cli

# pyenv (where moto lives on these machines) finds itself through HOME; pin it before HOME moves.
export PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
export ROLECALL_TEST_PYTHON="${ROLECALL_TEST_PYTHON:-$(command -v python3)}"
TEST_HOME="$(mktemp -d)"
trap 'rm -rf "$TEST_HOME"' EXIT
mkdir -p "$TEST_HOME/.cache" "$TEST_HOME/.local/share/keyrings"
export HOME="$TEST_HOME"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
exec dbus-run-session -- bash -c '
  echo -n pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  exec node_modules/.bin/vitest run "$@"' vitest "$@"
