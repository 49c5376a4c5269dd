#!/usr/bin/env bash
# Fuzzes the parsers that take hostile input (fuzz/fuzz_targets/*.rs): codes and lots, GTINs and
# Digital Links, the feedback form, multipart bodies, photos, artwork parameters, session/CSRF
# cookies and bearer headers, incoming reply mails. Bounded in time; prints executions per target.
#
#   scripts/fuzz.sh                      every target for FUZZ_SECONDS (default 60) each
#   FUZZ_SECONDS=20 scripts/fuzz.sh      the short run CI does (scripts/test)
#   FUZZ_RUNS=10000000 FUZZ_SECONDS=3600 scripts/fuzz.sh photo form
#                                        stop each target after that many executions, or the time
#   FUZZ_JOBS=2 scripts/fuzz.sh          targets run two at a time (default 1)
#
#   FUZZ_PROFILE=fuzz-ci FUZZ_SECONDS=20 FUZZ_JOBS=2 scripts/fuzz.sh
#                                        what CI runs: a cheaper build (see below)
#
# Builds the targets the way `cargo fuzz build --sanitizer none` does (libFuzzer through the
# libfuzzer-sys crate, SanitizerCoverage instrumentation, debug assertions), but with plain
# `cargo build` on the stable toolchain: no nightly and no cargo-fuzz install are needed.
# `cargo fuzz run TARGET` (cargo install cargo-fuzz) works on the same crate for interactive use
# (`RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET` for the AddressSanitizer build).
#
# The corpus grows in $FUZZ_CORPUS/TARGET (outside the repository; fuzz/seeds/TARGET is the
# committed starting point). A crash leaves its input in fuzz/artifacts/TARGET/ and makes the
# script exit 1; turn the input into a regression test (see SECURITY.md) before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."

# A build directory of its own: other flags than the test suite's, so nothing could be shared.
fuzz_dir="${FUZZ_TARGET_DIR:-$HOME/.cache/scanback-fuzz-target}"
export CARGO_TARGET_DIR="$fuzz_dir"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
seconds="${FUZZ_SECONDS:-60}"
runs="${FUZZ_RUNS:-}"
jobs="${FUZZ_JOBS:-1}"
corpus_root="${FUZZ_CORPUS:-$fuzz_dir/corpus}"
triple="$(rustc -vV | sed -n 's/^host: //p')"

all_targets=(code digital_link form multipart photo artwork session mail_ingest)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# The instrumentation cargo-fuzz 0.13 passes (SanitizerCoverage for libFuzzer), minus
# -Ccodegen-units=1, which only slows the build.
sancov=(-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth
  -Cllvm-args=-simplifycfg-branch-fold-threshold=0 --cfg fuzzing -Cdebug-assertions -Coverflow-checks)
start=$(date +%s)
# Everything instrumented (what `cargo fuzz build --sanitizer none` makes); --target keeps the
# flags off build scripts and proc macros, which are not linked with libFuzzer. FUZZ_PROFILE=fuzz-ci
# (what CI uses) is the dev profile without debug info: a build several times cheaper than release,
# the fuzzer slower, which a 20 s regression run does not mind.
profile="${FUZZ_PROFILE:-release}"
# qrcode is built without the coverage instrumentation (scripts/fuzz-rustc.sh says why); a wrapper
# already set (sccache) still runs, inside ours.
wrapper="$PWD/scripts/fuzz-rustc.sh"
[ "${RUSTC_WRAPPER:-}" = "$wrapper" ] || export FUZZ_INNER_WRAPPER="${RUSTC_WRAPPER:-}"
export RUSTC_WRAPPER="$wrapper"
RUSTFLAGS="${sancov[*]}" cargo build --locked --profile "$profile" -p scanback-fuzz --target "$triple" --bins
case "$profile" in
  dev) bin_dir="$CARGO_TARGET_DIR/$triple/debug" ;;
  *) bin_dir="$CARGO_TARGET_DIR/$triple/$profile" ;;
esac
echo "fuzz targets built in $(( $(date +%s) - start )) s"

# Largest input per target: photos and multipart bodies need room for a picture.
max_len() {
  case "$1" in
    photo|multipart) echo 65536 ;;
    mail_ingest) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

log_dir="$fuzz_dir/fuzz-logs"
mkdir -p "$log_dir"
run_one() {
  local t="$1" corpus="$corpus_root/$1" log="$log_dir/$1.log"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  # A time budget always; with FUZZ_RUNS also a number of executions (whichever comes first).
  local limit=(-max_total_time="$seconds")
  [ -z "$runs" ] || limit+=(-runs="$runs")
  local rc=0
  # -timeout: one input taking 10 s is a finding (a hang); -rss_limit_mb: so is 2 GB of memory.
  "$bin_dir/$t" "$corpus" "fuzz/seeds/$t" "${limit[@]}" -max_len="$(max_len "$t")" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1 || rc=$?
  local execs secs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  if [ "$rc" = 0 ]; then
    printf '%-13s %12s executions in %5s s, no crash (corpus %s inputs)\n' "$t" "${execs:-?}" "${secs:-?}" \
      "$(find "$corpus" -type f | wc -l)"
  else
    printf '%-13s FAILED (exit %s) after %s executions; input in fuzz/artifacts/%s/, log %s\n' \
      "$t" "$rc" "${execs:-?}" "$t" "$log"
    grep -m20 -E "panicked|ERROR|SUMMARY|Test unit written" "$log" || tail -20 "$log"
    return 1
  fi
}

failed=0
if [ "$jobs" -le 1 ]; then
  for t in "${targets[@]}"; do run_one "$t" || failed=1; done
else
  pids=()
  for t in "${targets[@]}"; do
    run_one "$t" & pids+=($!)
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
fi
exit "$failed"
