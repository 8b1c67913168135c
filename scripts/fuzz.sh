#!/usr/bin/env bash
# Runs every fuzz target (tests/fuzz.rs) for many cases, in release mode.
# Usage: scripts/fuzz.sh [CASES]   (default 20000 per target)
# Prints the time taken; a crash fails with the input that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-20000}"
start=$(date +%s)
VOUSSOIR_FUZZ_CASES="$cases" cargo test --release --test main fuzz -- --test-threads 2
echo "fuzz: $cases cases per target, $(( $(date +%s) - start )) s, no crash"
