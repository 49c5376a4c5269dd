#!/usr/bin/env bash
# GET /q/{code} under wrk against nginx serving the same page bytes as a static file, same machine,
# same run. Budget: >= 0.8x nginx's requests/s and p99 no worse than 2x nginx's. Also checks the page
# budget: HTML + CSS under 14 KB compressed, no request besides itself.
#
#   benches/scan_page.sh         (DURATION=10 CONNECTIONS=64 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
PORT="${PORT:-18182}"
NGINX_PORT="${NGINX_PORT:-18183}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scanback-target}"
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "install wrk and nginx (apt-get install wrk nginx-light)"; exit 1; }
cargo build --release --quiet --bin scanback
bin="$CARGO_TARGET_DIR/release/scanback"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

export SCANBACK_DATABASE_URL="sqlite://$work/scanback.db?mode=rwc"
export SCANBACK_DATA_DIR="$work/data"
export SCANBACK_LISTEN="127.0.0.1:$PORT"
export SCANBACK_PUBLIC_URL="http://127.0.0.1:$PORT"
# nginx below logs nothing per request either.
export RUST_LOG=warn
"$bin" serve --demo > "$work/demo.txt" &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
scan_url=$(grep -o "http://127.0.0.1:$PORT/q/[A-Z0-9]*" "$work/demo.txt" | head -1)

mkdir -p "$work/www"
# nginx workers run unprivileged: they must be able to read the page.
chmod 755 "$work" "$work/www"
curl -fs "$scan_url" -o "$work/www/page.html"
chmod 644 "$work/www/page.html"
raw=$(stat -c %s "$work/www/page.html")
gz=$(gzip -9 -c "$work/www/page.html" | wc -c)
# Render-blocking requests: stylesheets and scripts without defer/async (images and the deferred
# photo-shrinking script do not hold up the first paint).
blocking=$( (grep -Eo '<link[^>]*rel="?stylesheet[^>]*>' "$work/www/page.html"; grep -Eo '<script[^>]*src=[^>]*>' "$work/www/page.html" | grep -Ev 'defer|async') | grep -c . || true)
echo "page: $raw bytes, $gz bytes gzipped (budget 14336), render-blocking requests besides the page: $blocking (budget 0)"

cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { try_files /page.html =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5

run() { wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" | tee "$2"; }
echo "== nginx (static file)"; run "http://127.0.0.1:$NGINX_PORT/q/page" "$work/nginx.txt"
echo "== scanback"; run "$scan_url" "$work/scanback.txt"
if grep -q "Non-2xx" "$work/nginx.txt" "$work/scanback.txt"; then echo "error responses in the run: the comparison is void"; exit 1; fi
python3 - "$work/nginx.txt" "$work/scanback.txt" <<'PY'
import re, sys
def read(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    return rps, p99
n_rps, n_p99 = read(sys.argv[1])
s_rps, s_p99 = read(sys.argv[2])
print(f"nginx {n_rps:.0f} req/s p99 {n_p99:.2f} ms; scanback {s_rps:.0f} req/s p99 {s_p99:.2f} ms")
print(f"throughput ratio {s_rps / n_rps:.2f} (budget >= 0.8); p99 ratio {s_p99 / n_p99:.2f} (budget <= 2.0)")
PY
