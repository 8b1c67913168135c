#!/usr/bin/env bash
# Load test of the review server: a data folder of 100 trainees × 10
# structures with photos (1,000 submissions), then wrk at 64 connections
# on each page, each from a freshly started server (cold caches); then the
# same pages while twenty phones sync photos through the capture app.
# Results go to docs/performance.md.
#
# Needs wrk (Debian package), curl, python3 and vips. Usage, from the repository
# root:
#   bash crates/server/benches/load.sh [DIR]
# DURATION (default 15s) sets each run's length; ONLY="dashboard course-report"
# runs those pages alone (and skips the phones).
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
DIR=${1:-/tmp/voussoir-load}
PASSWORD=load-test-password
PORT=${PORT:-18080}
DURATION=${DURATION:-15s}
URL="http://127.0.0.1:$PORT"
cargo build --release -q
cargo run --release -q -p voussoir-server --example scale_data -- "$DIR" "$PASSWORD"
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null || true' EXIT

start_server() {
    [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
    ./target/release/voussoir -q serve --data "$DIR" --bind "127.0.0.1:$PORT" &
    SERVER=$!
    for _ in $(seq 1 50); do curl -s -o /dev/null "$URL/login" && break; sleep 0.2; done
    # The login form's token and cookie, then the form, as a browser does.
    local jar="$DIR/cookies.txt"
    rm -f "$jar"
    local form token
    form=$(curl -s -c "$jar" "$URL/login")
    token=$(printf '%s' "$form" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
    curl -s -b "$jar" -c "$jar" -o /dev/null \
        --data-urlencode "username=instructor" --data-urlencode "password=$PASSWORD" \
        --data-urlencode "csrf=$token" "$URL/login"
    COOKIE=$(awk '$6 == "voussoir_session" { print $6 "=" $7 }' "$jar")
    [ -n "$COOKIE" ] || { echo "login failed" >&2; exit 1; }
}

# A random submission's page under PATH_SUFFIX on each request.
random_script() {
    cat > "$DIR/$1.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/submissions/" .. math.random(1, 1000) .. "$2")
end
LUA
}
random_script review ""
random_script printable "/report"
random_script mapdata "/map.json"

run() { # NAME TARGET [SCRIPT]
    local name=$1 target=$2 script=${3:-}
    echo "== $name"
    if [ -n "$script" ]; then
        wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: $COOKIE" -s "$DIR/$script.lua" "$URL"
    else
        wrk -t2 -c64 -d"$DURATION" --latency -H "Cookie: $COOKIE" "$URL$target"
    fi | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx|Socket errors"
}

for page in "dashboard /dashboard" "review-page - review" "printable-report - printable" \
            "map-data - mapdata" "agreement /agreement" "results-csv /results.csv" \
            "course-report /course-report" "course-report-xlsx /course-report.xlsx"; do
    set -- $page
    if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $1 "* ]]; then continue; fi
    start_server
    if [ "$2" = "-" ]; then run "$1 (cold start)" "" "$3"; else run "$1 (cold start)" "$2"; fi
done

[ -n "${ONLY:-}" ] && exit 0
echo "== twenty phones syncing photos, while wrk reads the dashboard and review pages"
start_server
PHOTO="$DIR/phone.jpg"
# A 12-megapixel colour JPEG, about what a phone sends.
if [ ! -f "$PHOTO" ]; then
    vips gaussnoise "$DIR/n.v" 4000 3000 --mean 120 --sigma 20
    vips bandjoin "$DIR/n.v $DIR/n.v $DIR/n.v" "$DIR/c.v"
    vips cast "$DIR/c.v" "$DIR/c8.v" uchar
    vips jpegsave "$DIR/c8.v" "$PHOTO" --Q 90
    rm -f "$DIR"/*.v
fi
python3 "$ROOT/crates/server/benches/phones.py" "$URL" "$PASSWORD" "$PHOTO" 20 5 &
PHONES=$!
run "dashboard while phones sync" /dashboard
run "review pages while phones sync" "" review
wait $PHONES
