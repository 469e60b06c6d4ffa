#!/usr/bin/env bash
# `npm run bench`: builds the CLI, then times a warm `rolecall credential-process` against
# `node -e 0` and the AWS CLI (bench/credential-process.ts), with the real keychain.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build:cli
bash build/with-keyring.sh node_modules/.bin/tsx bench/credential-process.ts "$@"
# The Identity Center sync of 1,000 accounts x 3 roles under a 20 req/s ListAccountRoles limit,
# as a ratio to its floor (bench/sync.ts; about a minute).
node_modules/.bin/tsx bench/sync.ts
# 100 concurrent credential-process runs for 60 s through the autostarted agent (bench/load.ts).
bash build/with-keyring.sh node_modules/.bin/tsx bench/load.ts
# Work over all profiles at 1,000 and 10,000 (listing, `rolecall list`, `config write`), as ratios (bench/scale.ts).
bash build/with-keyring.sh node_modules/.bin/tsx bench/scale.ts
# The window with 10,000 roles in headless Chromium: first paint, keystroke-to-paint p95, JS gzipped (bench/ui.ts).
npx electron-vite build >/dev/null && bash build/with-keyring.sh node_modules/.bin/tsx bench/ui.ts
