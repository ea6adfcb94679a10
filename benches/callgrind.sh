#!/bin/sh
# Instructions per call of every benchmark variant, counted by callgrind on
# the `callcount` driver (see BENCHMARKS.md). Usage, from the workspace root:
#
#   benches/callgrind.sh            # every variant
#   benches/callgrind.sh call_site/component_registry ...
#
# Each variant runs twice, with A and B calls after the same setup and first
# (planning) call; instructions per call = (Ir(B) - Ir(A)) / (B - A).
set -eu
A=${CALLCOUNT_A:-1000}
B=${CALLCOUNT_B:-11000}
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --profile bench -p caci-benches --bin callcount --bin scrubcount >&2
# Method metrics (`metrics/*`) need caci-core's `metrics` feature: built
# apart, so that the other drivers measure caci-core without it.
METRICS_TARGET=$TARGET/metrics
CARGO_TARGET_DIR=$METRICS_TARGET cargo build --profile bench -p caci-benches --features metrics --bin metriccount >&2
if [ "$#" -eq 0 ]; then
    set -- $("$TARGET"/release/callcount list) $("$TARGET"/release/scrubcount list) \
        $("$METRICS_TARGET"/release/metriccount list | sed 's|^|metrics/|')
fi
# `string_field/*` (value scrubbing) has a driver of its own, so that its
# call site does not change the code the other groups measure.
driver_of() {
    case "$1" in
        string_field/*) echo "$TARGET"/release/scrubcount ;;
        metrics/*) echo "$METRICS_TARGET"/release/metriccount ;;
        *) echo "$TARGET"/release/callcount ;;
    esac
}
ir() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$(driver_of "$1")" "${1#metrics/}" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '%-52s %12s\n' variant instructions/call
for variant in "$@"; do
    low=$(ir "$variant" "$A")
    high=$(ir "$variant" "$B")
    printf '%-52s %12.1f\n' "$variant" "$(echo "($high - $low) / ($B - $A)" | bc -l)"
done
