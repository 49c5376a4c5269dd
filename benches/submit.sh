#!/usr/bin/env bash
# Durable submissions per second: POST /q/{code} without photos against a SQLite file, every 303 sent
# only after its report and its statistics rollups are committed (group commit), versus a plain loop
# in Python's sqlite3 writing the same rows -- the report and its four rollup upserts -- one
# transaction per report, with the same PRAGMAs (benches/submit_loop.py). Budget: >= 1.5x.
#
#   benches/submit.sh            (DURATION=10 CONNECTIONS=32 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18181}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scanback-target}"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
cargo build --release --quiet --bin scanback
bin="$CARGO_TARGET_DIR/release/scanback"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

export SCANBACK_DATABASE_URL="sqlite://$work/scanback.db?mode=rwc"
export SCANBACK_DATA_DIR="$work/data"
export SCANBACK_LISTEN="127.0.0.1:$PORT"
export SCANBACK_PUBLIC_URL="http://127.0.0.1:$PORT"
# One load generator, one address: lift the per-client limit for the measurement.
export SCANBACK_SUBMIT_BURST=1000000000 SCANBACK_SUBMIT_PER_MINUTE=1000000000
export RUST_LOG=warn
"$bin" serve --demo > "$work/demo.txt" &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
scan_url=$(grep -o "http://127.0.0.1:$PORT/q/[A-Z0-9]*" "$work/demo.txt" | head -1)
path="${scan_url#http://127.0.0.1:$PORT}"

cat > "$work/post.lua" <<LUA
-- Globals on purpose: setup() runs in the main Lua state and thread:set() sets a global in each
-- thread's state, so every thread gets its own id and random sequence (bodies must all differ, or
-- the server rightly treats repeats as one report).
counter = 0
tid = 0
function setup(thread) tid = tid + 1; thread:set("tid", tid) end
function init(args) math.randomseed(os.time() * 100 + tid) end
request = function()
  counter = counter + 1
  local body = "kind=defect&rating=2&comment=bench+" .. tid .. "+" .. counter .. "+" .. math.random(1, 1000000000)
  return wrk.format("POST", "$path", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
LUA
echo "== scanback: POST $path, $CONNECTIONS connections, ${DURATION}s"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "http://127.0.0.1:$PORT" | tee "$work/wrk.txt"
kill "$server"; wait "$server" 2>/dev/null || true
server_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
errors=$(grep -c "Non-2xx or 3xx" "$work/wrk.txt" || true)
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from reports').fetchone()[0])" "$work/scanback.db")
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
echo "reports stored: $stored of $requests requests (non-3xx lines: $errors)"
# wrk stops counting at the deadline while some requests are still in flight, so a few more rows than
# counted requests is normal; fewer would mean an acknowledged report was not stored.
[ "$stored" -ge "$requests" ] || { echo "fewer reports stored than acknowledged"; exit 1; }

# Every acknowledged report is in the rollups exactly once.
"$bin" rollups check

echo "== plain loop (Python sqlite3), one transaction per report, ${DURATION}s"
export SCANBACK_DATABASE_URL="sqlite://$work/loop.db?mode=rwc"
"$bin" migrate
manufacturer=$("$bin" manufacturer create --name "Loop" --email loop@example.com |
  python3 -c "import json,sys; print(json.load(sys.stdin)['manufacturer_id'])")
loop=$(python3 benches/submit_loop.py "$work/loop.db" "$manufacturer" "$DURATION" | tee /dev/stderr | awk '/RESULT/ {print $3}')
python3 - "$server_rps" "$loop" <<'PY'
import sys
server, loop = float(sys.argv[1]), float(sys.argv[2])
print(f"submissions/s {server:.0f} vs plain loop rows/s {loop:.0f}: ratio {server / loop:.2f} (budget >= 1.5)")
PY
