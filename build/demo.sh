#!/usr/bin/env bash
# `npm run demo`. Rolecall keeps secrets in the OS keychain; on a machine without a running
# Secret Service (a headless box, CI), run the demo inside a private, unlocked gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ "$(uname)" = "Linux" ]; then
  exec bash build/with-keyring.sh node_modules/.bin/tsx build/demo.ts "$@"
fi
exec node_modules/.bin/tsx build/demo.ts "$@"
