#!/usr/bin/env bash
# Artwork throughput against the Python reference generator segno: SVG and PNG for the same 2,000
# distinct code URLs at EC H (PNG at 10 px per module). Budget: at least 5x segno's codes/second.
#
#   bash benches/bench_artwork.sh            (from the repo root; N=2000 by default, N=500 for a quick run)
#
# Creates a throwaway virtualenv with segno in ${SEGNO_VENV:-/tmp/segno-venv}.
set -euo pipefail
cd "$(dirname "$0")/.."
export N="${N:-2000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
urls="$work/urls.txt"

echo "== Rust ($N URLs, EC H)"
if [[ -f benches/artwork.rs ]]; then
    cargo bench --quiet --bench artwork -- "$urls" | tee "$work/rust.txt"
else
    cargo run --quiet --release --example bench_artwork -- "$urls" | tee "$work/rust.txt"
fi

venv="${SEGNO_VENV:-/tmp/segno-venv}"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import segno" 2>/dev/null || "$venv/bin/pip" install --quiet segno

echo "== segno ($("$venv/bin/python" -c 'import segno; print(segno.__version__)'))"
"$venv/bin/python" - "$urls" <<'PY' | tee "$work/segno.txt"
import io, sys, time
import segno

urls = [u for u in open(sys.argv[1]).read().splitlines() if u]
for u in urls[:50]:  # warm-up
    segno.make(u, error="h", micro=False).save(io.BytesIO(), kind="svg")
for kind, extra in (("svg", {"unit": "mm"}), ("png", {"scale": 10, "dpi": 339})):
    t = time.perf_counter()
    size = 0
    for u in urls:
        qr = segno.make(u, error="h", micro=False)
        buf = io.BytesIO()
        qr.save(buf, kind=kind, **extra)
        size += buf.tell()
    secs = time.perf_counter() - t
    print(f"segno {kind}: {len(urls)} codes in {secs:.3f} s = {len(urls) / secs:.0f} codes/s (avg {size // len(urls)} bytes)")
    print(f"RESULT segno_{kind} {len(urls) / secs:.1f}")
PY

echo "== ratio (Rust / segno; budget >= 5)"
python3 - "$work/rust.txt" "$work/segno.txt" <<'PY'
import sys
r = {}
for f in sys.argv[1:]:
    for line in open(f):
        if line.startswith("RESULT "):
            _, k, v = line.split()
            r[k] = float(v)
ok = True
for kind in ("svg", "png"):
    ratio = r[f"rust_{kind}"] / r[f"segno_{kind}"]
    ok &= ratio >= 5
    print(f"{kind}: {r[f'rust_{kind}']:.0f} vs {r[f'segno_{kind}']:.0f} codes/s = {ratio:.1f}x {'ok' if ratio >= 5 else 'BELOW BUDGET'}")
sys.exit(0 if ok else 1)
PY
