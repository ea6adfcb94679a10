#!/usr/bin/env bash
# Exports the example's spans to a real OpenTelemetry collector and checks
# what arrived: rotel (a collector written in Rust, shipped on PyPI) in a
# local venv, listening on loopback only, printing every span it receives.
#
#   bash .ci/otlp-rotel.sh
#
# Runs the example over OTLP/HTTP (4318) and OTLP/gRPC (4317), then checks
# the collector's log for typed attributes (Str, Int, Bool), the STARTER ->
# LEGACY leak and its fix, no attribute the configuration did not allow,
# and none of the sign-ups' personal values. Exits non-zero, with the log's
# tail, on any failure. Ports and the work directory can be changed with
# CACI_OTLP_HTTP_PORT, CACI_OTLP_GRPC_PORT and CACI_OTLP_WORKDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

ROTEL_VERSION=0.0.1a15
HTTP_PORT="${CACI_OTLP_HTTP_PORT:-4318}"
GRPC_PORT="${CACI_OTLP_GRPC_PORT:-4317}"
WORK="${CACI_OTLP_WORKDIR:-target/otlp-rotel}"
VENV="$WORK/venv"
LOG="$WORK/rotel.log"
EXAMPLE="${CARGO_TARGET_DIR:-target}/debug/caci-examples"
ROTEL_PID=

say() { echo "otlp-rotel: $*"; }

fail() {
    echo "otlp-rotel: FAILED: $*" >&2
    if [ -s "$LOG" ]; then
        echo "---- last 40 lines of $LOG ----" >&2
        tail -n 40 "$LOG" >&2
        echo "----" >&2
    fi
    exit 1
}

stop_collector() {
    [ -n "$ROTEL_PID" ] || return 0
    if kill -0 "$ROTEL_PID" 2>/dev/null; then
        kill -TERM "$ROTEL_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$ROTEL_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$ROTEL_PID" 2>/dev/null || true
    fi
    wait "$ROTEL_PID" 2>/dev/null || true
    ROTEL_PID=
}
trap stop_collector EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits (at most $2 tenths of a second) until port $1 accepts connections.
wait_for_port() {
    for _ in $(seq "$2"); do
        port_open "$1" && return 0
        kill -0 "$ROTEL_PID" 2>/dev/null || fail "the collector exited before listening on 127.0.0.1:$1"
        sleep 0.1
    done
    fail "the collector did not listen on 127.0.0.1:$1 within $(($2 / 10)) s"
}

# The collector's log without colour codes.
plain_log() { sed 's/\x1b\[[0-9;]*m//g' "$LOG"; }

# Every OTEL_* variable from the caller goes: the runs below set their own.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep '^OTEL_' || true)

mkdir -p "$WORK"
rm -f "$LOG" "$WORK"/example-*.out

# 1. rotel, in a venv of its own.
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || fail "python3 -m venv $VENV"
fi
say "installing rotel==$ROTEL_VERSION"
timeout 300 "$VENV/bin/pip" install --quiet --disable-pip-version-check --pre "rotel==$ROTEL_VERSION" \
    || fail "pip install --pre rotel==$ROTEL_VERSION"
ROTEL="$("$VENV/bin/python" -c 'import pathlib, rotel; print(pathlib.Path(rotel.__file__).parent / "rotel-agent")')"
[ -x "$ROTEL" ] || fail "no rotel-agent binary at $ROTEL"
for option in --otlp-grpc-endpoint --otlp-http-endpoint --exporter --debug-log --debug-log-verbosity; do
    "$ROTEL" start --help | grep -q -- "$option" || fail "rotel-agent start has no $option option"
done
say "collector: $("$ROTEL" version 2>/dev/null || echo "$ROTEL")"

# 2. The example binary.
say "building caci-examples"
cargo build -p caci-examples --quiet || fail "cargo build -p caci-examples"
[ -x "$EXAMPLE" ] || fail "no $EXAMPLE"
"$EXAMPLE" personal-values > "$WORK/personal-values.txt" || fail "caci-examples personal-values"
[ "$(wc -l < "$WORK/personal-values.txt")" -gt 500 ] || fail "too few personal values to check"

# 3. The collector, on loopback.
for port in "$HTTP_PORT" "$GRPC_PORT"; do
    port_open "$port" && fail "127.0.0.1:$port is already in use (set CACI_OTLP_HTTP_PORT / CACI_OTLP_GRPC_PORT)"
done
"$ROTEL" start \
    --otlp-grpc-endpoint "127.0.0.1:$GRPC_PORT" \
    --otlp-http-endpoint "127.0.0.1:$HTTP_PORT" \
    --exporter blackhole \
    --debug-log traces \
    --debug-log-verbosity detailed \
    --pid-file "$WORK/rotel-agent.pid" \
    --log-file "$WORK/rotel-agent.log" \
    > "$LOG" 2>&1 &
ROTEL_PID=$!
wait_for_port "$HTTP_PORT" 300
wait_for_port "$GRPC_PORT" 300
say "collector listening on 127.0.0.1:$HTTP_PORT (HTTP) and 127.0.0.1:$GRPC_PORT (gRPC), pid $ROTEL_PID"

# 4. The example, over both protocols.
exported=0
run_example() { # name, then environment assignments
    local name=$1 out
    shift
    out="$WORK/example-$name.out"
    say "running the example over OTLP/$name"
    env "$@" timeout 120 "$EXAMPLE" > "$out" 2>&1 || {
        tail -n 20 "$out" >&2
        fail "the example failed over OTLP/$name (output: $out)"
    }
    local count
    count="$(sed -n 's/^OTLP: exported \([0-9]*\) spans.*/\1/p' "$out")"
    [ -n "$count" ] && [ "$count" -gt 0 ] || fail "the example did not report its export over OTLP/$name"
    say "  exported $count spans"
    exported=$((exported + count))
}
run_example http OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$HTTP_PORT" OTEL_SERVICE_NAME=caci-examples-http
run_example grpc OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$GRPC_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=grpc \
    OTEL_SERVICE_NAME=caci-examples-grpc

# 5. Wait (at most 20 s) until the collector has logged every span, then stop it.
logged=0
for _ in $(seq 200); do
    logged="$(plain_log | grep -c '^ *Name *: ' || true)"
    [ "$logged" -ge "$exported" ] && break
    sleep 0.1
done
stop_collector
[ "$logged" -eq "$exported" ] || fail "the collector logged $logged spans, the example exported $exported"
say "the collector logged all $logged spans"

# 6. What arrived.
plain_log > "$WORK/rotel.plain.log"
PLAIN="$WORK/rotel.plain.log"
expect() { # description, fixed string
    grep -qF -- "$2" "$PLAIN" || fail "$1: no line with '$2'"
}
expect "service name over HTTP" "service.name: Str(caci-examples-http)"
expect "service name over gRPC" "service.name: Str(caci-examples-grpc)"
expect "span names" "Name           : SubscriptionApi.initialize_business"
expect "span names" "Name           : DataFix.fix_premium_leak"
expect "a Str attribute" "-> request.plan: Str(STARTER)"
expect "the leak" "-> feature_group: Str(LEGACY)"
expect "the leak" "TRANSACTION_IMPORT])"
expect "an Int attribute" "-> request.seats: Int(1)"
expect "a Bool attribute" "-> request.accepted_terms: Bool(true)"
expect "a Bool attribute" "-> request.accepted_terms: Bool(false)"
expect "CACI's duration" "-> duration_ns: Int("
expect "CACI's outcome" "-> outcome: Str(ok)"
expect "an error outcome" "-> outcome: Str(error)"
expect "the error's variant" "-> error.type: Str(ApiError::"
expect "the method's path" "-> code.function.name: Str(caci_examples::service::SubscriptionApi::initialize_business)"
expect "the error status" "Status code    : STATUS_CODE_ERROR"
first_user="$(sed -n 's/^SubscriptionApi.initialize_business request.user.user_id=\([0-9a-f-]*\) .*/\1/p' \
    "$WORK/example-http.out" | head -n 1)"
[ -n "$first_user" ] || fail "no user id in the example's output"
expect "the first sign-up's user id" "-> request.user.user_id: Str($first_user)"

# Span attributes: exactly what the configuration allows, plus CACI's own.
awk '
    /^Resource attributes:/ { section = "resource"; next }
    /^Span #/ { section = "span"; next }
    section == "span" && $1 == "->" { key = $2; sub(/:$/, "", key); print key }
' "$PLAIN" | sort -u > "$WORK/attribute-keys.txt"
sort > "$WORK/attribute-keys.expected" <<'EOF'
business.business_id
business.country
business.owner.user_id
business.plan
business.seats
business_id
code.function.name
duration_ns
error.type
feature
feature_group
features
outcome
plan
request.accepted_terms
request.country
request.plan
request.seats
request.user.user_id
EOF
diff -u "$WORK/attribute-keys.expected" "$WORK/attribute-keys.txt" >&2 \
    || fail "span attribute names differ from what the configuration allows (- expected, + received)"

# Types: the integers are Int, the bools Bool, everything else Str.
bad_types="$(awk '
    /^Resource attributes:/ { section = "resource"; next }
    /^Span #/ { section = "span"; next }
    section == "span" && $1 == "->" {
        key = $2; sub(/:$/, "", key); value = $3
        type = value; sub(/\(.*/, "", type)
        want = "Str"
        if (key ~ /(^|\.)(seats|duration_ns)$/) want = "Int"
        if (key ~ /(^|\.)accepted_terms$/) want = "Bool"
        if (type != want) print key ": " value " (expected " want ")"
    }
' "$PLAIN" | sort -u | head -n 5)"
[ -z "$bad_types" ] || fail "attributes with the wrong OTLP type: $bad_types"

# "What feature groups are we initializing?", from the collector's log.
awk '
    function flush() { if (name == "FeatureStore.activate_features") count[plan " -> " group]++ }
    /^Span #/ { flush(); name = ""; plan = ""; group = ""; next }
    /^ *Name *: / { name = $NF; next }
    $1 == "->" && $2 == "plan:" { plan = $3 }
    $1 == "->" && $2 == "feature_group:" { group = $3 }
    END { flush(); for (pair in count) printf "  %-40s %5d\n", pair, count[pair] }
' "$PLAIN" | sort > "$WORK/plan-feature-groups.txt"
say "plan -> feature group, as the collector received them (both runs):"
cat "$WORK/plan-feature-groups.txt"
# The example's own tables: first run (the leak), second run (after the fix).
starter_row() { awk -v n="$1" '/^plan \\ feature_group/ { table++ } table == n && $1 == "STARTER" { print; exit }' "$2"; }
leak_http="$(starter_row 1 "$WORK/example-http.out" | awk '{ print $3 }')"
fixed_http="$(starter_row 2 "$WORK/example-http.out" | awk '{ print $2 }')"
leak_grpc="$(starter_row 1 "$WORK/example-grpc.out" | awk '{ print $3 }')"
fixed_grpc="$(starter_row 2 "$WORK/example-grpc.out" | awk '{ print $2 }')"
[ "${leak_http:-0}" -gt 0 ] && [ "${fixed_http:-0}" -gt 0 ] || fail "the example's tables do not show the leak and the fix"
grep -qE "Str\(STARTER\) -> Str\(LEGACY\) +$((leak_http + leak_grpc))\$" "$WORK/plan-feature-groups.txt" \
    || fail "expected $((leak_http + leak_grpc)) STARTER -> LEGACY activations at the collector"
grep -qE "Str\(STARTER\) -> Str\(STARTER\) +$((fixed_http + fixed_grpc))\$" "$WORK/plan-feature-groups.txt" \
    || fail "expected $((fixed_http + fixed_grpc)) STARTER -> STARTER activations at the collector"

# No personal value, anywhere in the log.
if grep -F -f "$WORK/personal-values.txt" "$PLAIN" > "$WORK/leaks.txt"; then
    head -n 5 "$WORK/leaks.txt" >&2
    fail "personal values reached the collector ($(wc -l < "$WORK/leaks.txt") lines)"
fi
say "none of the $(wc -l < "$WORK/personal-values.txt") personal values reached the collector"

say "evidence:"
grep -m1 -F "service.name: Str(caci-examples-grpc)" "$PLAIN" | sed 's/^/    /'
grep -m1 -F -e "-> request.seats: Int(" "$PLAIN" | sed 's/^/    /'
grep -m1 -F -e "-> request.accepted_terms: Bool(" "$PLAIN" | sed 's/^/    /'
grep -m1 -F -e "-> feature_group: Str(LEGACY)" "$PLAIN" | sed 's/^/    /'
grep -m1 -F -e "-> duration_ns: Int(" "$PLAIN" | sed 's/^/    /'
say "OK: $exported spans over OTLP/HTTP and OTLP/gRPC, typed, allowed fields only, nothing personal (log: $LOG)"
