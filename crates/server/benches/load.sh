#!/usr/bin/env bash
# Load test of the review server: a data folder of 100 trainees × 10
# structures with photos, then wrk at 64 connections for 30 s on the
# instructor's dashboard and on report pages. Results go to docs/performance.md.
#
# Needs wrk (Debian package) and curl. Usage, from the repository root:
#   bash crates/server/benches/load.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/../../.."
DIR=${1:-/tmp/voussoir-load}
PASSWORD=load-test-password
PORT=${PORT:-18080}
DURATION=${DURATION:-30s}
cargo build --release -q
cargo run --release -q -p voussoir-server --example scale_data -- "$DIR" "$PASSWORD"
./target/release/voussoir -q serve --data "$DIR" --bind "127.0.0.1:$PORT" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.2; done
COOKIE=$(curl -s -D - -o /dev/null -d "username=instructor&password=$PASSWORD" "http://127.0.0.1:$PORT/login" \
    | awk -F'[: ;]+' 'tolower($1)=="set-cookie" {print $2; exit}')
[ -n "$COOKIE" ] || { echo "login failed" >&2; exit 1; }
cat > "$DIR/reports.lua" <<'LUA'
-- A random submission's report page on each request.
math.randomseed(42)
request = function()
  return wrk.format("GET", "/submissions/" .. math.random(1, 1000))
end
LUA
echo "== dashboard (instructor, 100 × 10 grid)"
wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/dashboard"
echo "== report pages (random submission, comparison, map, gallery)"
wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: $COOKIE" -s "$DIR/reports.lua" "http://127.0.0.1:$PORT"
