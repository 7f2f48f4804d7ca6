#!/usr/bin/env bash
# Runs the shared peer benchmark (/work/shared/bench/sdk-peers, or $PEERS_DIR) with Beckon's
# script-tag build as the row `ours`, in the same run as the peers.
#
#   bench/sdk/run.sh            the full run: 5 trials of a 10,000-call burst (about 25 min)
#   bench/sdk/run.sh --quick    1 trial of 1,000 calls (about 4 min)
#
# The shared folder is read-only: it is copied to a temporary folder, where sdks.mjs is
# patched so that Beckon's requests get the acknowledgement its server gives
# (docs/ingestion-protocol.md). Other settings (ONLY, WAIT_MS, DEBUG) pass through.
# The tables are printed and copied to bench/sdk/results/ (not committed).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEERS_DIR="${PEERS_DIR:-$ROOT/../shared/bench/sdk-peers}"
[ -d "$PEERS_DIR" ] || PEERS_DIR=/work/shared/bench/sdk-peers

if [ "${1:-}" = "--quick" ]; then
  export TRIALS="${TRIALS:-1}" N="${N:-1000}"
fi

# SKIP_BUILD=1 measures the dist/beckon.js already built; OURS_SDK=/path/to/beckon.js another build.
if [ -z "${OURS_SDK:-}" ]; then
  [ -n "${SKIP_BUILD:-}" ] || (cd "$ROOT/sdk/web" && npm run --silent build >/dev/null)
  export OURS_SDK="$ROOT/sdk/web/dist/beckon.js"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$PEERS_DIR" "$work/sdk-peers"
chmod -R u+w "$work/sdk-peers"
cd "$work/sdk-peers"
node "$HERE/patch-sdks.mjs" sdks.mjs run.mjs
npm ci --no-audit --no-fund --loglevel=error >/dev/null

node run.mjs

mkdir -p "$HERE/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
cp results/latest.md "$HERE/results/$stamp.md"
cp results/latest.json "$HERE/results/$stamp.json"
echo "results: bench/sdk/results/$stamp.md" >&2
