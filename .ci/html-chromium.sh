#!/usr/bin/env bash
# Renders the example's HTML coverage report in a real browser and checks it:
# Debian's chromium, headless, takes a screenshot (which must not be blank)
# and dumps the DOM after the page's script ran (whose leaves per verdict must
# equal the JSON report's). The fleet page (`coverage merge --format html`)
# is rendered and counted too.
#
#   bash .ci/html-chromium.sh
#
# Installs chromium with apt-get when it is missing (as root, or through
# sudo). Needs python3 (standard library only: the PNG is decoded with zlib).
# Exits non-zero, saying what failed, on any failure. The work directory can
# be changed with CACI_HTML_WORKDIR.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="${CACI_HTML_WORKDIR:-target/html-chromium}"
EXAMPLE="${CARGO_TARGET_DIR:-target}/debug/caci-examples"
WIDTH=1280
HEIGHT=2400

say() { echo "html-chromium: $*"; }
fail() {
    echo "html-chromium: FAILED: $*" >&2
    exit 1
}

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
rm -f "$WORK"/*.html "$WORK"/*.json "$WORK"/*.png "$WORK"/*.txt

# 1. Chromium, from Debian.
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=
    elif command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
        SUDO=sudo
    else
        fail "chromium is not installed, and installing it needs root or sudo (apt-get install -y chromium)"
    fi
    say "installing chromium (apt-get install -y chromium)"
    $SUDO apt-get update -qq > "$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log" >&2; fail "apt-get update"; }
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >> "$WORK/apt.log" 2>&1 \
        || { tail -n 20 "$WORK/apt.log" >&2; fail "apt-get install -y chromium"; }
    CHROMIUM="$(command -v chromium)" || fail "no chromium after apt-get install"
fi
say "browser: $("$CHROMIUM" --version 2> /dev/null | tail -n 1)"
command -v python3 > /dev/null || fail "python3 is needed for the checks"

# 2. The example's reports: HTML and JSON of one run's registry and configuration.
say "building caci-examples"
cargo build -p caci-examples --quiet || fail "cargo build -p caci-examples"
[ -x "$EXAMPLE" ] || fail "no $EXAMPLE"
"$EXAMPLE" coverage --format html > "$WORK/report.html" || fail "caci-examples coverage --format html"
"$EXAMPLE" coverage --format json > "$WORK/report.json" || fail "caci-examples coverage --format json"
"$EXAMPLE" coverage --format json --service caci-examples-copy > "$WORK/copy.json" \
    || fail "caci-examples coverage --format json --service"
"$EXAMPLE" coverage merge --format html "$WORK/report.json" "$WORK/copy.json" > "$WORK/fleet.html" \
    || fail "caci-examples coverage merge --format html"
"$EXAMPLE" personal-values > "$WORK/personal-values.txt" || fail "caci-examples personal-values"
say "report: $(wc -c < "$WORK/report.html") bytes of HTML, $(wc -c < "$WORK/report.json") of JSON"

# 3. Headless renders: a screenshot, and the DOM after the script ran.
render() { # page, name
    local url="file://$WORK/$1"
    timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox --hide-scrollbars \
        --window-size="$WIDTH,$HEIGHT" --screenshot="$WORK/$2.png" "$url" > "$WORK/$2.screenshot.log" 2>&1 \
        || { tail -n 20 "$WORK/$2.screenshot.log" >&2; fail "chromium --screenshot of $1"; }
    [ -s "$WORK/$2.png" ] || fail "chromium wrote no screenshot of $1"
    timeout 120 "$CHROMIUM" --headless --disable-gpu --no-sandbox --dump-dom "$url" \
        > "$WORK/$2.dom.html" 2> "$WORK/$2.dom.log" \
        || { tail -n 20 "$WORK/$2.dom.log" >&2; fail "chromium --dump-dom of $1"; }
    [ -s "$WORK/$2.dom.html" ] || fail "chromium dumped no DOM of $1"
}
say "rendering the report and the fleet page headless (${WIDTH}x${HEIGHT})"
render report.html report
render fleet.html fleet

# 4. The checks.
python3 - "$WORK" << 'PYTHON' || fail "the rendered pages do not match the reports (see above)"
import collections, html.parser, json, pathlib, struct, sys, zlib

work = pathlib.Path(sys.argv[1])
failures = []

def check(condition, message):
    print(("  ok: " if condition else "  FAILED: ") + message)
    if not condition:
        failures.append(message)

def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    offset, chunks, header = 8, [], None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or interlace != 0 or colour not in (2, 6):
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    rows, position = [], 0
    for _ in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return width, height, rows

def screenshot(name, min_colours):
    width, height, rows = png_pixels(work / f"{name}.png")
    pixels = [pixel for row in rows[::2] for pixel in row[::2]]
    colours = collections.Counter(pixels)
    non_white = sum(count for colour, count in colours.items() if colour != (255, 255, 255))
    green = sum(count for (r, g, b), count in colours.items() if g > 130 and r < 90 and b < 110)
    print(f"{name}.png: {width}x{height}, {len(colours)} distinct colours, "
          f"{100 * non_white / len(pixels):.1f}% non-white, {green} green samples")
    check(len(colours) > min_colours, f"{name}: more than {min_colours} distinct colours (not blank)")
    check(non_white / len(pixels) > 0.02, f"{name}: more than 2% of the pixels are not white")
    check(green > 50, f"{name}: the green of the coverage bars is on screen")

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.verdicts = collections.Counter()
        self.leaves = []
        self.attributes = collections.defaultdict(list)
        self.text = []
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("data-"):
                self.attributes[name].append(value)
        if tag == "tr" and "leaf" in (attrs.get("class") or "").split():
            self.verdicts[attrs.get("data-verdict")] += 1
            self.leaves.append(attrs.get("data-leaf"))
    def handle_data(self, data):
        self.text.append(data)

def dom(name):
    parser = Dom()
    parser.feed((work / f"{name}.dom.html").read_text(encoding="utf-8"))
    return parser

report = json.loads((work / "report.json").read_text(encoding="utf-8"))
expected = collections.Counter()
places = []
for component in report["components"]:
    for method in component["methods"]:
        for leaf in method["leaves"]:
            expected["captured" if leaf["captured"] else leaf["reason"]] += 1
            places.append(f'{component["name"]}.{method["name"]}: {leaf["path"]}')

print("report page:")
screenshot("report", 40)
page = dom("report")
print(f"  leaves per verdict: DOM {dict(sorted(page.verdicts.items()))}, JSON {dict(sorted(expected.items()))}")
check(sum(expected.values()) > 0, "the JSON report has leaves")
check(page.verdicts == expected, "leaf rows per data-verdict equal the JSON report's leaves per verdict")
check(page.leaves == places, "data-leaf places, in order, equal the JSON report's")
totals = report["totals"]
check(page.attributes["data-captured"][:1] == [str(totals["captured"])], "data-captured equals totals.captured")
check(page.attributes["data-leaves"][:1] == [str(totals["leaves"])], "data-leaves equals totals.leaves")
check(page.attributes["data-reachable"][:1] == [str(totals["reachable"])], "data-reachable equals totals.reachable")
components = [c["name"] for c in report["components"]]
check(page.attributes["data-component"] == components + [""], "one bar row per component, plus the total")
suggestions = len(report["suggestions"]) + len(report["needs_review"])
check(len(page.attributes["data-suggestion"]) == suggestions, f"{suggestions} suggestions listed")
check(totals["percent_text"] in "".join(page.text), f'the page shows {totals["percent_text"]}, as the JSON does')

values = [line for line in (work / "personal-values.txt").read_text(encoding="utf-8").splitlines() if len(line) >= 4]
rendered = (work / "report.dom.html").read_text(encoding="utf-8") + (work / "fleet.dom.html").read_text(encoding="utf-8")
leaked = [value for value in values if value in rendered]
check(not leaked, f"none of the {len(values)} personal values of the example is on the pages {leaked[:3]}")

print("fleet page:")
screenshot("fleet", 20)
fleet = dom("fleet")
check(fleet.attributes["data-service"] == ["caci-examples", "caci-examples-copy", ""],
      "one bar row per service (the report's service name), plus the total")
check(fleet.attributes["data-captured"][:1] == [str(2 * totals["captured"])], "the fleet's captured is the sum")

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
PYTHON

say "OK: the example's coverage pages render in $("$CHROMIUM" --version 2> /dev/null | tail -n 1), not blank, and count what the JSON report counts (files: $WORK)"
