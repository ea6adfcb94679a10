#!/usr/bin/env bash
# Scrapes the example's method metrics with a real Prometheus server and
# checks them through its HTTP API: Prometheus from the Debian packages,
# listening on loopback only, scraping the example every second.
#
#   bash .ci/prometheus.sh
#
# Runs the story with CACI_METRICS_ADDR (the example serves /metrics through
# metrics-exporter-prometheus) and CACI_METRICS_PAUSE (it waits before the
# data fix and at the end, so both states are scraped), then checks:
# - calls by plan and feature group: STARTER -> LEGACY before the fix (the
#   leak, as a metric), STARTER -> STARTER after it, and no more LEGACY;
# - the error rate of /initialize-business by error variant;
# - the p95 latency per method, with histogram_quantile.
# Exits non-zero, with the logs' tails, on any missing step. Ports and the
# work directory: CACI_PROM_PORT (19090), CACI_METRICS_PORT (19464),
# CACI_PROM_WORKDIR.
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(...) stops the check too
cd "$(dirname "$0")/.."

PROM_PORT="${CACI_PROM_PORT:-19090}"
METRICS_PORT="${CACI_METRICS_PORT:-19464}"
WORK="${CACI_PROM_WORKDIR:-target/prometheus-check}"
PAUSE=8
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
EXAMPLE="$TARGET_DIR/debug/caci-examples"
LOG="$WORK/prometheus.log"
EXAMPLE_OUT="$WORK/example.out"
API="http://127.0.0.1:$PROM_PORT/api/v1"
PROM_PID=
EXAMPLE_PID=

say() { echo "prometheus: $*"; }

fail() {
    echo "prometheus: FAILED: $*" >&2
    for file in "$LOG" "$EXAMPLE_OUT"; do
        if [ -s "$file" ]; then
            echo "---- last 30 lines of $file ----" >&2
            tail -n 30 "$file" >&2
        fi
    done
    exit 1
}

stop() { # pid
    [ -n "$1" ] || return 0
    if kill -0 "$1" 2>/dev/null; then
        kill -TERM "$1" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$1" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$1" 2>/dev/null || true
    fi
    wait "$1" 2>/dev/null || true
}
cleanup() {
    stop "$EXAMPLE_PID"
    stop "$PROM_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$WORK"
APT_LOG="$WORK/apt.log"

# 1. Prometheus, from the Debian packages.
if ! command -v prometheus >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO=sudo
    else
        fail "prometheus is not installed, and installing it needs root or sudo (apt-get install -y prometheus)"
    fi
    say "installing prometheus (apt-get)"
    $SUDO env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq > "$APT_LOG" 2>&1 \
        || fail "apt-get update (log: $APT_LOG)"
    # Install only: the package's own service is not wanted (and there is
    # no init system to run it here); the check starts its own server.
    $SUDO env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq prometheus >> "$APT_LOG" 2>&1 \
        || fail "apt-get install -y prometheus (log: $APT_LOG)"
fi
command -v prometheus >/dev/null || fail "no prometheus binary after installing the package"
command -v curl >/dev/null || fail "curl is needed to query Prometheus"
command -v python3 >/dev/null || fail "python3 is needed to read Prometheus's answers"
say "server: $(prometheus --version 2>&1 | head -n 1)"

rm -rf "$WORK/data" "$LOG" "$EXAMPLE_OUT"

# 2. The example binary.
say "building caci-examples"
cargo build -p caci-examples --quiet || fail "cargo build -p caci-examples"
[ -x "$EXAMPLE" ] || fail "no $EXAMPLE"

# 3. Prometheus on loopback, scraping where the example will serve.
for port in "$PROM_PORT" "$METRICS_PORT"; do
    port_open "$port" && fail "127.0.0.1:$port is already in use (set CACI_PROM_PORT / CACI_METRICS_PORT)"
done
cat > "$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: caci-examples
    static_configs:
      - targets: ["127.0.0.1:$METRICS_PORT"]
EOF
prometheus \
    --config.file="$WORK/prometheus.yml" \
    --web.listen-address="127.0.0.1:$PROM_PORT" \
    --storage.tsdb.path="$WORK/data" \
    > "$LOG" 2>&1 &
PROM_PID=$!
for _ in $(seq 300); do
    curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null 2>&1 && break
    kill -0 "$PROM_PID" 2>/dev/null || fail "prometheus exited before it was ready"
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null || fail "prometheus was not ready within 30 s"
say "prometheus ready on 127.0.0.1:$PROM_PORT, pid $PROM_PID"

# 4. The example, serving /metrics.
CACI_METRICS_ADDR="127.0.0.1:$METRICS_PORT" CACI_METRICS_PAUSE="$PAUSE" timeout 120 "$EXAMPLE" \
    > "$EXAMPLE_OUT" 2>&1 &
EXAMPLE_PID=$!
say "example running (pid $EXAMPLE_PID), metrics on 127.0.0.1:$METRICS_PORT"

# An instant query; prints `labels<TAB>value` lines, labels as k=v,k=v.
query() {
    local answer
    answer="$(curl -fsS --get "$API/query" --data-urlencode "query=$1")" || fail "query failed: $1"
    python3 -c '
import json, sys
answer = json.loads(sys.argv[1])
if answer.get("status") != "success":
    sys.exit("query not answered: " + sys.argv[1])
for series in answer["data"]["result"]:
    labels = ",".join(key + "=" + value for key, value in sorted(series["metric"].items()))
    print(labels + "\t" + series["value"][1])
' "$answer" || fail "cannot read the answer to: $1"
}

# The value of the series with exactly these labels (empty when absent).
value_of() { # query output, labels
    printf '%s\n' "$1" | awk -F '\t' -v want="$2" '$1 == want { print $2 }'
}

# Waits (at most $2 s) until query $1 has a series with labels $3; prints
# the query's output then.
wait_for_series() {
    local output
    for _ in $(seq $(($2 * 2))); do
        output="$(query "$1")" || exit 1
        if [ -n "$(value_of "$output" "$3")" ]; then
            printf '%s\n' "$output"
            return 0
        fi
        kill -0 "$EXAMPLE_PID" 2>/dev/null || break
        sleep 0.5
    done
    fail "no series {$3} for: $1 (last answer: ${output:-none})"
}

BY_GROUP='sum by (plan, feature_group) (caci_method_calls_total{component="FeatureStore",method="activate_features",outcome="ok"})'

# 5. Before the fix: STARTER businesses get the LEGACY feature group.
before="$(wait_for_series "$BY_GROUP" 30 "feature_group=LEGACY,plan=STARTER")"
say "activations by plan and feature group, before the fix:"
printf '%s\n' "$before" | sed 's/^/    /'
leak="$(value_of "$before" "feature_group=LEGACY,plan=STARTER")"
[ "${leak%.*}" -gt 0 ] || fail "no STARTER -> LEGACY activation before the fix"
[ -z "$(value_of "$before" "feature_group=STARTER,plan=STARTER")" ] \
    || fail "STARTER -> STARTER activations before the fix: the scrape came too late (raise PAUSE)"

# 6. After the fix: STARTER -> STARTER, and the leak stopped growing.
after="$(wait_for_series "$BY_GROUP" 60 "feature_group=STARTER,plan=STARTER")"
say "activations by plan and feature group, after the fix:"
printf '%s\n' "$after" | sed 's/^/    /'
[ "$(value_of "$after" "feature_group=LEGACY,plan=STARTER")" = "$leak" ] \
    || fail "STARTER -> LEGACY activations went on after the fix"

# 7. The error rate of /initialize-business, by error variant.
RATE='sum by (error_type) (caci_method_calls_total{component="SubscriptionApi",method="initialize_business",outcome="error"}) / ignoring (error_type) group_left sum(caci_method_calls_total{component="SubscriptionApi",method="initialize_business"})'
errors="$(query "$RATE")"
say "error rate of SubscriptionApi.initialize_business by error.type:"
printf '%s\n' "$errors" | sed 's/^/    /'
for variant in ApiError::TermsNotAccepted ApiError::UnsupportedCountry; do
    rate="$(value_of "$errors" "error_type=$variant")"
    [ -n "$rate" ] || fail "no error rate for $variant"
    python3 -c 'import sys; r = float(sys.argv[1]); sys.exit(0 if 0 < r < 1 else 1)' "$rate" \
        || fail "the error rate of $variant is $rate, expected between 0 and 1"
done

# 8. The p95 latency per method.
P95='histogram_quantile(0.95, sum by (le, component, method) (caci_method_duration_seconds_bucket))'
p95="$(query "$P95")"
say "p95 latency per method (seconds):"
printf '%s\n' "$p95" | sed 's/^/    /'
for method in "component=SubscriptionApi,method=initialize_business" \
    "component=FeatureStore,method=activate_features" \
    "component=PlanCatalog,method=feature_group_for"; do
    latency="$(value_of "$p95" "$method")"
    [ -n "$latency" ] || fail "no p95 latency for $method"
    python3 -c 'import math, sys; v = float(sys.argv[1]); sys.exit(0 if math.isfinite(v) and v > 0 else 1)' "$latency" \
        || fail "the p95 latency of $method is $latency"
done
# No label the configuration did not ask for, and no personal value.
labels="$(curl -fsS "$API/labels")" || fail "cannot list the labels"
unexpected="$(python3 -c '
import json, sys
known = {"__name__", "job", "instance", "component", "method", "outcome", "error_type",
         "plan", "feature_group", "country", "le", "quantile"}
print(" ".join(sorted(set(json.loads(sys.argv[1])["data"]) - known)))
' "$labels")"
[ -z "$unexpected" ] || fail "labels the configuration did not ask for: $unexpected"

# 9. The example ends well.
wait "$EXAMPLE_PID" || fail "the example failed"
EXAMPLE_PID=
grep -q "STARTER -> STARTER: no business on a free plan holds a premium feature." "$EXAMPLE_OUT" \
    || fail "the example did not report the fix"
say "OK: the leak and its fix, error rates by variant and p95 latencies, from a real Prometheus"
