#!/bin/sh
# Every issue #17 ("lean at every size") measurement in one run, side by
# side, from the workspace root:
#
#   benches/lean.sh            # instructions, on-CPU and wall time, memory (about 5 minutes)
#   LEAN_COMPILE=1 benches/lean.sh   # and compile time and code size (about 2 more)
#
# Prints the tables BENCHMARKS.md's "Lean at every size" section shows.
set -eu
cd "$(dirname "$0")/.."

echo "== Instructions per call (callgrind; registry and a visiting layer)"
benches/callgrind.sh \
    wide_fields/component_1_registry wide_fields/manual_1_registry \
    wide_fields/component_3_registry wide_fields/manual_3_registry \
    wide_fields/component_10_registry wide_fields/manual_10_registry \
    wide_fields/component_30_registry wide_fields/manual_30_registry \
    wide_fields/component_leaves_30_registry wide_fields/manual_leaves_30_registry \
    field_kinds/component_u32_registry field_kinds/manual_u32_registry \
    field_kinds/component_str_registry field_kinds/manual_str_registry \
    field_kinds/component_enum_registry field_kinds/manual_enum_registry \
    field_kinds/component_bool_registry field_kinds/manual_bool_registry \
    call_site/component_registry call_site/manual_span_outcome_registry \
    struct_input/component_registry struct_input/manual_span_outcome_registry

echo
echo "== Disabled: instructions per call over the uninstrumented method"
benches/callgrind.sh \
    call_site/bare_method_no_subscriber call_site/component_no_subscriber \
    call_site/bare_method_level_disabled call_site/component_level_disabled \
    struct_input/bare_method_no_subscriber struct_input/component_no_subscriber \
    struct_input/bare_method_level_disabled struct_input/component_level_disabled

echo
echo "== On-CPU time per call, side by side (oncpu; the thread's own clock)"
# The clock's resolution here is a scheduler tick: a round needs a million
# calls or more for the per-call figure to resolve a few nanoseconds.
cargo build --profile bench -p caci-benches --bin oncpu >&2
TARGET=${CARGO_TARGET_DIR:-target}
"$TARGET"/release/oncpu call_site/component call_site/manual_span_outcome 31 2000000
"$TARGET"/release/oncpu wide_fields/component_3 wide_fields/manual_3 31 2000000
"$TARGET"/release/oncpu wide_fields/component_30 wide_fields/manual_30 21 1000000
"$TARGET"/release/oncpu wide_fields/component_leaves_30 wide_fields/manual_leaves_30 21 1000000

echo
echo "== Wall time per call at three inputs (criterion, median in the middle)"
cargo bench -p caci-benches --bench call_site -- "call_site/(component|manual_span_outcome)_registry" 2>&1 |
    grep -E "^call_site/|time:"

echo
echo "== Memory across 1,000 installs, and allocations per call"
cargo test -p caci-benches --release -- --nocapture 2>&1 | grep -E "bytes|allocat|test result" || true

if [ "${LEAN_COMPILE:-0}" = 1 ] && [ -x benches/compile/measure.sh ]; then
    echo
    echo "== Compile time, peak memory and code size against #[instrument]"
    benches/compile/measure.sh
fi
