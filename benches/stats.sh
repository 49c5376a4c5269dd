#!/usr/bin/env bash
# Statistics benchmark (issue 7): seeds a year of reports, rebuilds and checks the rollups, serves, and
# measures the statistics API side by side with the plain SQL GROUP BY over the raw tables, then the
# CSV export and the server's resident memory. Exits non-zero when a check or a budget fails.
#
#   benches/stats.sh [sqlite|postgres]     REPORTS=5000000 LINES=500 DAYS=365 by default
#   QUICK=1 REPORTS=20000 LINES=20 benches/stats.sh sqlite
#       the short CI version: dev build, correctness only (rollups check, CSV row count, API totals equal
#       the raw GROUP BY), no timing budgets; under two minutes once built.
#
# PostgreSQL: a database scanback_bench_<random> is created on POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/) and dropped at the end. SQLite: a file in a temporary folder.
# TIME_LIMIT (seconds, after the build) bounds the run: 5400 by default, 110 with QUICK. KEEP=1 leaves
# the database and the work folder behind for a closer look.
#
# Seeding 5,000,000 reports takes minutes, and does not depend on the code under test. To measure
# again without reseeding:
#   SEED_ONLY=1 benches/stats.sh sqlite      seed, `scanback migrate`, stop; prints the folder
#   REUSE=/tmp/scanback-stats.XXXXXX benches/stats.sh sqlite
#       skips seeding and uses that folder's database and seed.json (the PostgreSQL database's name is
#       in its pg_db file); migrates (new migrations apply), rebuilds, checks and measures as usual,
#       and keeps folder and database. SKIP_REBUILD=1 also skips `rollups rebuild` (the first open
#       during seeding computed every rollup with the same code; `rollups check` still runs).
set -euo pipefail
cd "$(dirname "$0")/.."
DB_KIND="${1:-sqlite}"
QUICK="${QUICK:-}"
KEEP="${KEEP:-}"
REUSE="${REUSE:-}"
SEED_ONLY="${SEED_ONLY:-}"
SKIP_REBUILD="${SKIP_REBUILD:-}"
[ -z "$SEED_ONLY" ] || KEEP=1
if [ -n "$REUSE" ]; then
  [ -f "$REUSE/seed.json" ] || { echo "REUSE=$REUSE has no seed.json (seed it with SEED_ONLY=1)" >&2; exit 2; }
  KEEP=1
fi
REPORTS="${REPORTS:-5000000}"
LINES="${LINES:-500}"
DAYS="${DAYS:-365}"
PORT="${PORT:-18191}"
POSTGRES_URL="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scanback-target}"
case "$DB_KIND" in sqlite | postgres) ;; *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;; esac

if [ -n "$QUICK" ]; then
  TIME_LIMIT="${TIME_LIMIT:-110}"
  profile=(--profile dev)
  cargo build --quiet --bin scanback
  bin="$CARGO_TARGET_DIR/debug/scanback"
  measure_flags=(--quick)
else
  TIME_LIMIT="${TIME_LIMIT:-5400}"
  profile=()
  cargo build --release --quiet --bin scanback
  bin="$CARGO_TARGET_DIR/release/scanback"
  measure_flags=()
fi
cargo bench --quiet "${profile[@]}" --bench seed --bench stats_measure --no-run
deadline=$(($(date +%s) + TIME_LIMIT))
# Seconds left before the deadline, for `timeout`.
left() {
  local n=$((deadline - $(date +%s)))
  [ "$n" -gt 0 ] || { echo "time limit of ${TIME_LIMIT}s reached" >&2; exit 124; }
  echo "$n"
}
bench() { timeout "$(left)" cargo bench --quiet "${profile[@]}" --bench "$@"; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }

if [ -n "$REUSE" ]; then
  work="$REUSE"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/scanback-stats.XXXXXX")"
fi
server=""
pg_db=""
cleanup() {
  local status=$?
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$KEEP" ]; then
    echo "KEEP: kept $work and ${SCANBACK_DATABASE_URL:-the database} (seed.json there has the token); remove them yourself" >&2
    exit "$status"
  fi
  if [ -n "$pg_db" ]; then
    psql "$POSTGRES_URL" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "could not drop database $pg_db" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$DB_KIND" = postgres ]; then
  command -v psql >/dev/null || { echo "psql is needed for the PostgreSQL run" >&2; exit 1; }
  if [ -n "$REUSE" ]; then
    pg_db="$(cat "$work/pg_db")"
  else
    pg_db="scanback_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    psql "$POSTGRES_URL" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
    echo "$pg_db" > "$work/pg_db"
  fi
  # The same URL with the new database as its path (as tests/api/helpers.rs does).
  SCANBACK_DATABASE_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$POSTGRES_URL" "$pg_db")
  export SCANBACK_DATABASE_URL
else
  export SCANBACK_DATABASE_URL="sqlite://$work/scanback.db?mode=rwc"
fi
export SCANBACK_DATA_DIR="$work/data"
export SCANBACK_LISTEN="127.0.0.1:$PORT"
export SCANBACK_PUBLIC_URL="http://127.0.0.1:$PORT"
export RUST_LOG=warn

if [ -n "$REUSE" ]; then
  echo "== reusing the database seeded in $work"
else
  echo "== seed: $REPORTS reports over $LINES lines and $DAYS days ($DB_KIND)"
  bench seed -- --database-url "$SCANBACK_DATABASE_URL" --reports "$REPORTS" --lines "$LINES" --days "$DAYS" \
    > "$work/seed.json"
fi
cat "$work/seed.json"
field() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[sys.argv[2]])' "$work/seed.json" "$1"; }
seed_secs=$(field seconds)
echo "RESULT seed_seconds $seed_secs"
if [ "$DB_KIND" = sqlite ]; then echo "RESULT sqlite_file_mb $(($(stat -c %s "$work/scanback.db") / 1048576))"; fi

# Opening a database that has reports but no rollups computes them once (any command does it), so
# `rollups rebuild` straight after seeding would rebuild twice: open it first and time both.
echo "== scanback migrate (computes the missing rollups once)"
t0=$(now)
timeout "$(left)" "$bin" migrate
echo "RESULT rollups_first_build_seconds $(elapsed "$t0")"
if [ -n "$SEED_ONLY" ]; then
  echo "SEED_ONLY: seeded and migrated; measure with REUSE=$work $0 $DB_KIND"
  exit 0
fi

if [ -z "$SKIP_REBUILD" ]; then
  echo "== scanback rollups rebuild"
  t0=$(now)
  timeout "$(left)" "$bin" rollups rebuild
  echo "RESULT rollups_rebuild_seconds $(elapsed "$t0")"
fi

echo "== scanback rollups check"
t0=$(now)
if ! timeout "$(left)" "$bin" rollups check; then
  echo "FAILED: scanback rollups check found differences" >&2
  exit 1
fi
echo "RESULT rollups_check_seconds $(elapsed "$t0")"

echo "== serve"
"$bin" serve > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

echo "== measure"
status=0
bench stats_measure -- --database-url "$SCANBACK_DATABASE_URL" --base-url "http://127.0.0.1:$PORT" \
  --token "$(field api_token)" --manufacturer "$(field manufacturer_id)" --flagship "$(field flagship_line_id)" \
  --median "$(field median_line_id)" --server-pid "$server" "${measure_flags[@]}" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "FAILED: the server exited during the measurement:" >&2
  tail -20 "$work/serve.log" >&2
  status=1
fi
exit "$status"
