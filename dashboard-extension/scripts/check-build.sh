#!/usr/bin/env bash
# Fails when the committed build (saleor_qb_sync/static/dashboard/) differs from a fresh build of
# this source. Run after `npm ci`. The fresh build goes to a temporary directory; nothing in the
# tree is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
committed="../saleor_qb_sync/static/dashboard"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

npx tsc --noEmit -p tsconfig.json
OUT_DIR="$fresh" npx vite build --logLevel warn

if diff -r "$committed" "$fresh" > "$fresh.diff" 2>&1; then
  rm -f "$fresh.diff"
  echo "check-build: the committed build matches a fresh build ($(find "$fresh" -type f | wc -l) files)"
else
  cat "$fresh.diff" | head -40
  rm -f "$fresh.diff"
  echo "check-build: saleor_qb_sync/static/dashboard/ is stale; run 'npm run build' in dashboard-extension/ and commit it" >&2
  exit 1
fi
