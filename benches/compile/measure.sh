#!/bin/sh
# Compile time, rustc peak memory and code size of `#[component]` against
# `#[tracing::instrument]`, side by side (issue #17). From the workspace root:
#
#   benches/compile/measure.sh            # 200 methods timed, 100/200 for .text
#   RUNS=5 benches/compile/measure.sh
#
# generate.py writes the crates under $CARGO_TARGET_DIR/compile-bench (not
# workspace members). Dependencies are built first; then each crate alone is
# rebuilt in debug from clean (`cargo clean -p`), RUNS times, the flavors
# interleaved so that they share the machine's load; the median is printed.
# Wall and peak RSS come from `/usr/bin/time -v` around cargo: the peak is
# rustc's (the largest process cargo waits for). `.text` per method is the
# difference between the 200- and the 100-method crate's `.text` (every
# object file in the rlib, `size -A`), divided by 100. The load average is
# printed before and after: wall-clock means little on a loaded machine
# (CPU = user + sys is steadier).
set -eu
RUNS=${RUNS:-3}
FLAVORS=${FLAVORS:-"caci instrument plain"}
ROOT=$(pwd)
OUT=${CARGO_TARGET_DIR:-$ROOT/target}/compile-bench
export CARGO_TARGET_DIR="$OUT/target"
mkdir -p "$OUT"

build() { # crate dir
    cargo build --offline --quiet --manifest-path "$1/Cargo.toml"
}

for flavor in $FLAVORS; do
    for methods in 100 200; do
        python3 "$ROOT/benches/compile/generate.py" "$flavor" "$methods" "$OUT/gen_${flavor}_$methods" "$ROOT"
        build "$OUT/gen_${flavor}_$methods" >&2
    done
done

text_of() { # package
    objects=$(mktemp -d)
    (cd "$objects" && ar x "$CARGO_TARGET_DIR/debug/lib$1.rlib")
    size -A "$objects"/*.o | awk '$1 ~ /^\.text/ { sum += $2 } END { print sum }'
    rm -rf "$objects"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average before the timed builds: $(load)" >&2
samples="$OUT/samples.txt"
: > "$samples"
run=1
while [ "$run" -le "$RUNS" ]; do
    for flavor in $FLAVORS; do
        package="gen_${flavor}_200"
        cargo clean --offline --quiet -p "$package" --manifest-path "$OUT/$package/Cargo.toml"
        log=$(mktemp)
        /usr/bin/time -v cargo build --offline --quiet --manifest-path "$OUT/$package/Cargo.toml" 2> "$log"
        awk -v flavor="$flavor" '
            /Elapsed \(wall clock\)/ { n = split($NF, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
            /User time/ { user = $NF }
            /System time/ { sys = $NF }
            /Maximum resident set size/ { rss = $NF }
            END { printf "%s %.2f %.2f %.1f\n", flavor, wall, user + sys, rss / 1024 }' "$log" >> "$samples"
        rm -f "$log"
    done
    run=$((run + 1))
done

printf '%-11s %8s %8s %10s %14s %14s\n' flavor wall_s cpu_s rss_MiB text_200_B text_per_method
for flavor in $FLAVORS; do
    wall=$(awk -v f="$flavor" '$1 == f { print $2 }' "$samples" | median)
    cpu=$(awk -v f="$flavor" '$1 == f { print $3 }' "$samples" | median)
    rss=$(awk -v f="$flavor" '$1 == f { print $4 }' "$samples" | median)
    t100=$(text_of "gen_${flavor}_100")
    t200=$(text_of "gen_${flavor}_200")
    printf '%-11s %8s %8s %10s %14s %14s\n' "$flavor" "$wall" "$cpu" "$rss" "$t200" "$(( (t200 - t100) / 100 ))"
done
echo "load average after: $(load)" >&2
echo "samples (flavor wall_s cpu_s rss_MiB): $samples" >&2
