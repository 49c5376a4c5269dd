#!/usr/bin/env bash
# Proof under load and faults, the long version of what CI runs short (tests/api/durability.rs,
# tests/api/db_faults.rs; the harness is tests/api/load.rs). Everything targets 127.0.0.1 only and
# every part is bounded in time.
#
#   scripts/kill_loop.sh            # SQLite, and PostgreSQL when it answers at $SCANBACK_TEST_POSTGRES_URL
#
#   KILLS=50          SIGKILLs per database (CI: 10)
#   KILL_AFTER_REPORTS=10  before each kill the server is up until it acknowledged this many reports
#   KILL_MAX_MS=3000  and then for a random time up to this (CI: 1000)
#   ROUNDS=3          how many times the PostgreSQL restart/crash and the SQLite disk tests run
#   PG_DOWN_SECONDS=12  how long the crashed PostgreSQL stays down (a request waits 10 s for a connection)
#   FAULT_SEED=N      repeat a run (each run prints its seed)
#   FAULT_FORM_WORKERS=6 FAULT_PHOTO_WORKERS=2 FAULT_SCAN_WORKERS=2   the load
#
# Prints one FIGURES line per run (acknowledged against stored, outcomes, timings); the full output is
# kept in target/kill_loop.log. The PostgreSQL restart test starts a PostgreSQL instance of its own
# (initdb and pg_ctl from /usr/lib/postgresql/*/bin, as the postgres user when run as root) and never
# touches the shared one; the disk tests mount a small tmpfs (root) and skip with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scanback-target}"
export KILLS="${KILLS:-50}" KILL_AFTER_REPORTS="${KILL_AFTER_REPORTS:-10}" KILL_MAX_MS="${KILL_MAX_MS:-3000}"
ROUNDS="${ROUNDS:-3}"
PG_URL="${SCANBACK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
log="$CARGO_TARGET_DIR/kill_loop.log"
mkdir -p "$CARGO_TARGET_DIR"
: >"$log"

cargo test --locked --test api --no-run 2>&1 | tail -1

pg=""
if command -v pg_isready >/dev/null && pg_isready -q -d "$PG_URL"; then
  pg="$PG_URL"
else
  echo "PostgreSQL does not answer at $PG_URL: the PostgreSQL runs are skipped"
fi

# run LABEL DATABASE_URL_OR_EMPTY TEST_NAME
run() {
  local label=$1 url=$2 test=$3 started status=0 one
  started=$(date +%s)
  one=$(mktemp)
  echo "== $label"
  if [ -n "$url" ]; then
    SCANBACK_TEST_POSTGRES_URL="$url" timeout 1800 cargo test --locked --test api "$test" -- --exact --nocapture ${IGNORED:-} \
      >"$one" 2>&1 || status=$?
  else
    env -u SCANBACK_TEST_POSTGRES_URL timeout 1800 cargo test --locked --test api "$test" -- --exact --nocapture ${IGNORED:-} \
      >"$one" 2>&1 || status=$?
  fi
  cat "$one" >>"$log"
  grep -E "^FIGURES|FAULT_SEED|^skipped|panicked" "$one" || true
  rm -f "$one"
  echo "   ($(( $(date +%s) - started )) s, exit $status)"
  [ "$status" = 0 ] || { echo "FAILED: $label (see $log)"; exit 1; }
}

run "kill loop, SQLite, $KILLS kills" "" durability::every_acknowledged_report_survives_repeated_kills_under_load
run "SIGTERM drain, SQLite" "" durability::sigterm_finishes_the_requests_in_flight_writes_the_scan_counts_and_exits_promptly
if [ -n "$pg" ]; then
  run "kill loop, PostgreSQL, $KILLS kills" "$pg" durability::every_acknowledged_report_survives_repeated_kills_under_load
  run "SIGTERM drain, PostgreSQL" "$pg" durability::sigterm_finishes_the_requests_in_flight_writes_the_scan_counts_and_exits_promptly
fi
for round in $(seq 1 "$ROUNDS"); do
  # The restart test runs its own PostgreSQL; it only asks for the PostgreSQL pass's variable.
  run "PostgreSQL restart and crash under load, round $round" "${pg:-postgres://unused}" \
    db_faults::a_postgresql_restart_and_crash_under_load_answer_503_and_lose_nothing
done
run "SQLite on a read-only file" "" db_faults::sqlite_on_a_read_only_file_answers_503_and_stays_intact
# Ignored in CI while it finds acknowledged reports lost after a full disk (see its doc comment): last.
IGNORED=--include-ignored run "SQLite on a full disk" "" db_faults::sqlite_on_a_full_disk_answers_503_and_stays_intact
echo "all runs passed; full output in $log"
