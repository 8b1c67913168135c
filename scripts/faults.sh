#!/usr/bin/env bash
# Fault injection: kills the review server (kill -9) in the middle of
# uploads and the command line in the middle of photo imports, again and
# again, then checks what is left: SQLite's integrity check, every photo
# row's media on disk, no leftovers after the next start, and that a rerun
# completes. Usage: scripts/faults.sh [ROUNDS]  (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
cargo build --release --quiet
bin="$PWD/target/release/voussoir"
work="$(mktemp -d)"
trap 'kill -9 "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export VOUSSOIR_PASSWORD="fault injection password"

check() {  # check BOOK: integrity, media of every row
  python3 - "$1" <<'PY'
import os, sqlite3, sys
book = sys.argv[1]
db = sqlite3.connect(os.path.join(book, "voussoir.db"))
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity"
assert db.execute("PRAGMA foreign_key_check").fetchall() == [], "foreign keys"
missing = [p for (p,) in db.execute(
    "SELECT thumbnail FROM photo WHERE thumbnail IS NOT NULL UNION SELECT review FROM photo WHERE review IS NOT NULL")
    if not os.path.isfile(os.path.join(book, "media", p))]
assert not missing, f"media missing: {missing[:3]}"
print(db.execute("SELECT count(*) FROM photo").fetchone()[0])
PY
}

# 1. The server killed during uploads.
"$bin" demo "$work/server" >/dev/null
"$bin" --book "$work/server" user add alice --role trainee >/dev/null
token=$("$bin" --book "$work/server" --json token create alice | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cp "$work/server/exports/alice-bundle.zip" "$work/bundle.zip"
port=18731
kills=0
for round in $(seq 1 "$rounds"); do
  "$bin" --quiet serve --data "$work/server" --bind "127.0.0.1:$port" &
  server=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
  for upload in 1 2 3; do
    curl -s -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/zip" \
      --data-binary @"$work/bundle.zip" "http://127.0.0.1:$port/api/submissions" &
  done
  sleep "0.$(( RANDOM % 9 + 1 ))"
  kill -9 "$server"; wait "$server" 2>/dev/null || true
  kills=$((kills + 1))
  wait || true
  check "$work/server" >/dev/null
done
# The next start cleans unfinished uploads.
"$bin" --quiet serve --data "$work/server" --bind "127.0.0.1:$port" &
server=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.1; done
leftovers=$(find "$work/server/uploads" -name '*.part' 2>/dev/null | wc -l)
kill "$server"; wait "$server" 2>/dev/null || true
[ "$leftovers" -eq 0 ] || { echo "unfinished uploads left: $leftovers"; exit 1; }

# 2. The command line killed during photo imports, then rerun.
"$bin" init "$work/cli" >/dev/null
"$bin" --book "$work/cli" course load fixtures/course.toml >/dev/null
"$bin" --book "$work/cli" inspection new --structure PONT-LEGUER --kind IDP >/dev/null
mkdir -p "$work/photos"
for n in $(seq 1 12); do for f in fixtures/field/*.JPG; do
  python3 - "$f" "$work/photos/$n-$(basename "$f")" "$n" <<'PY'
import sys; data = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(data + bytes([int(sys.argv[3])]))
PY
done; done
for round in $(seq 1 "$rounds"); do
  "$bin" --quiet --book "$work/cli" import photos "$work/photos" >/dev/null 2>&1 &
  import=$!
  sleep "0.$(( RANDOM % 9 + 1 ))"
  kill -9 "$import" 2>/dev/null || true; wait "$import" 2>/dev/null || true
  kills=$((kills + 1))
  check "$work/cli" >/dev/null
done
"$bin" --quiet --book "$work/cli" import photos "$work/photos" >/dev/null
photos=$(check "$work/cli")
expected=$(ls "$work/photos" | wc -l)
[ "$photos" -eq "$expected" ] || { echo "after the rerun: $photos photos, expected $expected"; exit 1; }
echo "faults: $kills kill -9 ($rounds server rounds of 3 uploads, $rounds import rounds): integrity ok, every photo's media present, no unfinished upload after restart, rerun complete ($photos photos)"
