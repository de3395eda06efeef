#!/usr/bin/env bash
# rss.sh: peak memory (VmHWM) and time of `tsp solve` on the hostile and
# large inputs of issue 13, for the README's table. Needs GNU time
# (/usr/bin/time) and about 2 GB of disk in $TMPDIR.
#
#   bash docs/bench/rss.sh            # from the repository's root
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/tsp" ./cmd/tsp

python3 - "$dir" <<'EOF'
import random, sys
d = sys.argv[1]
mib = 1 << 20
open(f"{d}/commas.csv", "w").write("," * (64 * mib))
open(f"{d}/objects.json", "w").write("[" + ",".join(["{}"] * (32 * mib - 1)) + "]")
open(f"{d}/ones.json", "w").write("[" + ",".join(["1"] * (32 * mib - 1)) + "]")
with open(f"{d}/comments.tsp", "w") as f:
    f.write("NAME: c\nTYPE: TSP\n")
    line = "COMMENT: " + "x" * 90 + "\n"
    for _ in range(200 * mib // len(line)):
        f.write(line)
    f.write("DIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 0\n3 0 1\nEOF\n")
r = random.Random(1)
with open(f"{d}/longname.csv", "w") as f:
    f.write("name,lat,lon\n")
    f.write("x" * 100000 + ",1,1\n")
    for i in range(1999):
        f.write(f"c{i},{r.uniform(-60, 60):.4f},{r.uniform(-180, 180):.4f}\n")
with open(f"{d}/many.json", "w") as f:  # 64 MiB of valid cities: over a million
    item = '{"lat":1.5,"lon":2.5}'
    f.write("[" + ",".join([item] * (64 * mib // (len(item) + 1))) + "]")
with open(f"{d}/many.csv", "w") as f:
    f.write("name,lat,lon\n" + "a,1.5,2.5\n" * (64 * mib // 10))
with open(f"{d}/cities10k.json", "w") as f:
    f.write("[" + ",".join('{"name":"c%d","lat":%.5f,"lon":%.5f}' % (i, r.uniform(-60, 60), r.uniform(-180, 180)) for i in range(10000)) + "]")
with open(f"{d}/euc10k.tsp", "w") as f:
    f.write("NAME: e\nTYPE: TSP\nDIMENSION: 10000\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n")
    for i in range(10000):
        f.write(f"{i+1} {r.uniform(0, 1e6):.1f} {r.uniform(0, 1e6):.1f}\n")
EOF
mkfifo "$dir/endless.tsp"
(printf 'NAME: f\n'; yes 'COMMENT: endless') >"$dir/endless.tsp" 2>/dev/null &

run() { # label, then tsp's arguments
    local label=$1
    shift
    local t0 t1 code
    t0=$(date +%s.%N)
    set +e
    /usr/bin/time -f '%M' -o "$dir/rss" "$dir/tsp" "$@" >"$dir/out" 2>"$dir/err"
    code=$?
    set -e
    t1=$(date +%s.%N)
    printf '| %s | %s | %.0f MB | %.2f s | %s |\n' "$label" "$code" \
        "$(echo "$(tail -1 "$dir/rss") / 1024" | bc -l)" "$(echo "$t1 - $t0" | bc -l)" \
        "$(head -c 150 "$dir/err" | tr '\n|' '  ')$(wc -c <"$dir/out" | awk '$1 > 0 { printf " (stdout %d bytes)", $1 }')"
}

echo "| input | exit | peak RSS | time | message |"
echo "| --- | --- | --- | --- | --- |"
run "64 MiB CSV of commas" solve "$dir/commas.csv"
run "64 MiB JSON \`[{},{},…]\`" solve "$dir/objects.json"
run "64 MiB JSON \`[1,1,…]\`" solve "$dir/ones.json"
run "64 MiB JSON of valid cities (3 million)" solve "$dir/many.json"
run "64 MiB CSV of valid cities (6.7 million)" solve "$dir/many.csv"
run "200 MB of TSPLIB COMMENT lines" solve "$dir/comments.tsp"
run "a FIFO of endless COMMENT lines" solve -timeout 0 "$dir/endless.tsp"
run "2,000 cities, one name of 100,000 characters" solve "$dir/longname.csv"
run "10,000 JSON cities, \`-timeout 10ms\`" solve -timeout 10ms "$dir/cities10k.json"
run "10,000 JSON cities, nearest" solve -algorithm nearest "$dir/cities10k.json"
run "10,000 EUC_2D cities, nearest" solve -algorithm nearest "$dir/euc10k.tsp"
