#!/usr/bin/env bash
# Photo decode memory: starts `scanback serve` from the dev build on a temporary SQLite file, on
# 127.0.0.1 only, and sends (1) 10 posts at once, each with three 6324 x 6324 PNGs (the probe's
# photo bomb, about 0.5 MB in all, 120 MB each decoded) and (2) 10 posts at once, each with three
# 5000 x 5000 RGBA PNGs (the largest picture accepted: 25 MP, 100 MB decoded). It prints the
# server's peak resident memory (VmHWM from /proc/PID/status) and exits non-zero when the peak is
# over the budget or an answer is not the expected one. The budget (PHOTO_MEMORY_BUDGET_MB) is by
# default 160 MB for the server itself (its base and what the allocator keeps) plus 110 MB per core: one decode runs per core, and a decode
# may take at most MAX_DECODE_BYTES (100 MiB) in src/photos.rs.
# Bounded in time: a watchdog stops the server after 300 s, every request has a deadline.
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_MB="${PHOTO_MEMORY_BUDGET_MB:-$((160 + 110 * $(nproc)))}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scanback-target}"
cargo build --quiet --bin scanback
BIN="$CARGO_TARGET_DIR/debug/scanback"

tmp="$(mktemp -d)"
server=""
watchdog=""
cleanup() {
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null || true; fi
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export SCANBACK_DATABASE_URL="sqlite://$tmp/scanback.db?mode=rwc"
export SCANBACK_DATA_DIR="$tmp/data"
export SCANBACK_LISTEN="127.0.0.1:$port"
export SCANBACK_PUBLIC_URL="http://127.0.0.1:$port"
# Both rounds come from one address: let all 20 posts through the per-address limit, so the
# measure is of decoding, not of refusals.
export SCANBACK_SUBMIT_BURST=100
base="http://127.0.0.1:$port"

token="$("$BIN" manufacturer create --name "Memory probe" --email probe@example.com \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_token"])')"

"$BIN" serve >"$tmp/serve.log" 2>&1 &
server=$!
# The whole run is bounded: the server goes after 300 s whatever happens.
(sleep 300; kill "$server" 2>/dev/null) &
watchdog=$!
for _ in $(seq 1 100); do
  curl -fsS -m 2 "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS -m 2 "$base/healthz" >/dev/null

code="$(curl -fsS -m 10 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"Pan"}' "$base/api/v1/product-lines" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')"

# Real PNGs of black pixels: tiny files that decode to side x side x channels bytes.
python3 - "$tmp" <<'PY'
import struct, sys, zlib
def png(path, side, channels):
    color = {3: 2, 4: 6}[channels]
    row = b"\0" + b"\0" * (side * channels)
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, color, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
png(sys.argv[1] + "/bomb.png", 6324, 3)
png(sys.argv[1] + "/limit.png", 5000, 4)
PY

hwm() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$server/status"; }
rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$server/status"; }
echo "idle after start: ${SCANBACK_LISTEN}, RSS $(rss) MB"

# Ten posts at once with three copies of `file`; each must answer `want`.
round() {
  local file="$1" want="$2" label="$3" pids=() i
  for i in $(seq 1 10); do
    curl -sS -m 120 -o /dev/null -w '%{http_code}\n' -H 'Accept-Language: en' \
      -F kind=defect -F rating=2 -F "comment=$label $i" \
      -F "photo=@$tmp/$file;type=image/png" -F "photo=@$tmp/$file;type=image/png" \
      -F "photo=@$tmp/$file;type=image/png" "$base/q/$code" >"$tmp/status.$label.$i" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  local bad
  bad="$(cat "$tmp"/status."$label".* | grep -vc "^$want$" || true)"
  echo "$label: 10 posts x 3 photos of $(stat -c %s "$tmp/$file") bytes: $(sort "$tmp"/status."$label".* | uniq -c | tr -s ' \n' ' '), peak RSS so far $(hwm) MB"
  if [ "$bad" != 0 ]; then
    echo "FAIL: $bad of 10 posts did not answer $want" >&2
    tail -20 "$tmp/serve.log" >&2
    exit 1
  fi
}
round bomb.png 422 bomb
round limit.png 303 at-limit
sleep 2
peak="$(hwm)"
echo "idle afterwards: RSS $(rss) MB"
echo
echo "peak RSS: $peak MB (budget $BUDGET_MB MB, $(nproc) cores, so $(nproc) decodes at once)"
if [ "$peak" -gt "$BUDGET_MB" ]; then
  echo "FAIL: peak RSS $peak MB is over the budget of $BUDGET_MB MB" >&2
  exit 1
fi
