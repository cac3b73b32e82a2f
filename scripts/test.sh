#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, npm packages, build, static checks, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm run build
npm run typecheck
npm run lint
node scripts/run-tests.mjs
