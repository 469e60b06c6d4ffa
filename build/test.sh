#!/usr/bin/env bash
# The one test command (README: `npm test`): typecheck, lint, build the CLI, then every test
# with the real OS keychain (see with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s typecheck
npm run -s lint
npm run -s build:cli
bash build/with-keyring.sh node_modules/.bin/vitest run "$@"
