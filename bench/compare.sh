#!/usr/bin/env bash
# Times apogee against Hugo (and Hugo + the Pagefind CLI, and Zola, when `pagefind` and `zola`
# are on PATH) on the same synthetic archives, cold, in turn, and prints the table of issue 11:
#
#   bench/compare.sh [WORK_DIR]          # default WORK_DIR: /dev/shm/apogee-bench (tmpfs)
#   SIZES="1000 10000" RUNS=3 bench/compare.sh
#   SIZES="50000 100000" TOOLS="apogee zola" bench/compare.sh   # leave the slow peers out
#
# TOOLS (default: all of them) names the runs: apogee (search off), apogee-search,
# hugo, hugo-pagefind, zola; peers not on PATH are left out. With several sizes, the table
# ends with how apogee's time and memory grow from each size to the next.
#
# Each round builds every tool once, one after the other (A B C A B C ...), so that a drift in
# the machine's speed touches them alike; output folders (and apogee's spare) are removed
# before each run, outside the timing. Figures are medians of RUNS rounds: wall seconds and
# peak resident memory, from GNU time (`/usr/bin/time`, Debian package `time`). Needs: hugo
# (Debian package `hugo`), python3 (for the Zola layout).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
work=${1:-/dev/shm/apogee-bench}
sizes=${SIZES:-1000 10000 50000}
runs=${RUNS:-5}
timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time at $timer (apt-get install time)" >&2; exit 2; }
has() { command -v "$1" >/dev/null; }
if ! has hugo && [[ " ${TOOLS:-hugo} " == *" hugo"* ]]; then
    echo "needs hugo on PATH (apt-get install hugo), or TOOLS without it" >&2
    exit 2
fi
tools=" ${TOOLS:-apogee apogee-search hugo hugo-pagefind zola} "
wants() { [[ "$tools" == *" $1 "* ]]; }

(cd "$repo" && cargo build --quiet --release --bin apogee --example gen_corpus)
apogee=$repo/target/release/apogee
gen=$repo/target/release/examples/gen_corpus
mkdir -p "$work"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run NAME OUT_DIR COMMAND...: one cold run; appends "wall_s peak_kib" to $work/NAME.times
run() {
    local name=$1 out=$2
    shift 2
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").apogee-spare"
    "$timer" -f '%e %M' -o "$work/$name.time" "$@" >/dev/null 2>&1 \
        || { echo "$name failed: $*" >&2; exit 1; }
    tail -n 1 "$work/$name.time" >>"$work/$name.times"
}

# figure NAME: "wall_median peak_median_mib"
figure() {
    local wall peak
    wall=$(cut -d' ' -f1 "$work/$1.times" | median)
    peak=$(cut -d' ' -f2 "$work/$1.times" | median)
    echo "$wall $(awk -v k="$peak" 'BEGIN { printf "%.0f", k / 1024 }')"
}

# row WORK A B PEER_LABEL: a line of the table, A against B
row() {
    local a b
    read -r aw am <<<"$(figure "$2")"
    read -r bw bm <<<"$(figure "$3")"
    awk -v w="$1" -v aw="$aw" -v am="$am" -v bw="$bw" -v bm="$bm" -v peer="$4" 'BEGIN {
        printf "| %s | %.2f s, %d MiB | %s: %.2f s, %d MiB | wall %.2f, RSS %.2f |\n",
            w, aw, am, peer, bw, bm, aw / bw, am / bm }'
}

table=()
labels=()
for n in $sizes; do
    label="$((n / 1000))k"
    [ "$n" -lt 1000 ] && label=$n
    corpus=$work/corpus-$label
    [ -d "$corpus" ] || "$gen" --n "$n" "$corpus" >/dev/null
    labels+=("$label")
    wants hugo || wants hugo-pagefind && "$here/compare-hugo.sh" "$corpus" "$work/hugo-$label" >/dev/null
    wants zola && has zola && "$here/compare-zola.sh" "$corpus" "$work/zola-$label" >/dev/null
    rm -f "$work"/*-"$label".times
    for _ in $(seq "$runs"); do
        if wants apogee; then
            run "apogee-nosearch-$label" "$work/out-apogee" "$apogee" build --root "$corpus" --output "$work/out-apogee" --no-search
        fi
        if wants apogee-search; then
            run "apogee-$label" "$work/out-apogee" "$apogee" build --root "$corpus" --output "$work/out-apogee"
        fi
        if wants hugo; then
            run "hugo-$label" "$work/out-hugo" hugo --quiet -s "$work/hugo-$label" -d "$work/out-hugo"
        fi
        if wants hugo-pagefind && has pagefind; then
            run "hugo-pagefind-$label" "$work/out-hugo" sh -c \
                "hugo --quiet -s '$work/hugo-$label' -d '$work/out-hugo' && pagefind --site '$work/out-hugo' --silent"
        fi
        if wants zola && has zola; then
            run "zola-$label" "$work/out-zola" zola --root "$work/zola-$label" build --output-dir "$work/out-zola"
        fi
    done
    if wants apogee && wants zola && has zola; then
        table+=("$(row "$label briefings, search off" "apogee-nosearch-$label" "zola-$label" "Zola $(zola --version | cut -d' ' -f2)")")
    fi
    if wants apogee && wants hugo; then
        table+=("$(row "$label briefings, search off" "apogee-nosearch-$label" "hugo-$label" "Hugo $(hugo version | grep -o 'v[0-9.]*' | head -n 1)")")
    fi
    if wants apogee-search && wants hugo-pagefind && has pagefind; then
        table+=("$(row "$label, default build (search on)" "apogee-$label" "hugo-pagefind-$label" "Hugo + Pagefind CLI")")
    fi
    if wants apogee && ! wants zola && ! wants hugo; then
        read -r aw am <<<"$(figure "apogee-nosearch-$label")"
        table+=("$(printf '| %s briefings, search off | %.2f s, %d MiB | — | — |' "$label" "$aw" "$am")")
    fi
done
if wants apogee && [ "${#labels[@]}" -gt 1 ]; then
    for ((i = 1; i < ${#labels[@]}; i++)); do
        small=${labels[i - 1]} large=${labels[i]}
        read -r sw sm <<<"$(figure "apogee-nosearch-$small")"
        read -r lw lm <<<"$(figure "apogee-nosearch-$large")"
        table+=("$(awk -v s="$small" -v l="$large" -v sw="$sw" -v sm="$sm" -v lw="$lw" -v lm="$lm" 'BEGIN {
            printf "| apogee, search off, %s → %s | %.2f s → %.2f s, %d → %d MiB | — | wall ×%.2f, RSS ×%.2f |\n",
                s, l, sw, lw, sm, lm, lw / sw, lm / sm }')")
    done
fi

echo
echo "Cold builds, medians of $runs rounds in turn, $(nproc) cores, output in $work:"
echo
echo "| work | apogee | peer | ratio |"
echo "|---|---|---|---|"
printf '%s\n' "${table[@]}"
