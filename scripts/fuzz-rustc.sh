#!/usr/bin/env bash
# RUSTC_WRAPPER for scripts/fuzz.sh: compiles every crate with the flags it is given (SanitizerCoverage
# included), except the crates named in UNINSTRUMENTED, which get the same flags minus the coverage
# instrumentation (debug assertions, overflow checks and --cfg fuzzing stay).
#
# qrcode: the artwork target encodes a QR symbol on every input, and qrcode's mask choice (eight
# masks, each scored over the whole matrix) instrumented with -sanitizer-coverage-trace-compares took
# about 3 ms per input, 70 % of the target's time (perf, 2026-12-07). The encoder still runs in full
# on every input; the fuzzer only gets no coverage feedback from inside it, which the target (our
# query handling and layout, see fuzz/fuzz_targets/artwork.rs) does not need.
set -euo pipefail
UNINSTRUMENTED=(qrcode)
rustc="$1"; shift
crate=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--crate-name" ]; then crate="$a"; break; fi
  prev="$a"
done
for u in "${UNINSTRUMENTED[@]}"; do
  if [ "$crate" = "$u" ]; then
    args=()
    for a in "$@"; do
      case "$a" in
        -Cpasses=sancov-module|-Cllvm-args=-sanitizer-coverage-*) ;;
        *) args+=("$a") ;;
      esac
    done
    exec ${FUZZ_INNER_WRAPPER:+"$FUZZ_INNER_WRAPPER"} "$rustc" "${args[@]}"
  fi
done
exec ${FUZZ_INNER_WRAPPER:+"$FUZZ_INNER_WRAPPER"} "$rustc" "$@"
