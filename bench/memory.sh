#!/usr/bin/env bash
# The server's memory under large hostile bodies, before and after bodies were bounded (issue 18).
# A real `quiver serve` (a temp QUIVER_HOME, a free loopback port) gets CLIENTS concurrent bodies of about 30 MB, in
# two phases:
#  1. ignored: POST /collections/mem4/points/search, a 4-d query with a huge array of 1s under a key no route reads;
#  2. legal:   PUT /collections/mem384/points, an upsert of 8,000 points of 384 numbers (29.5 MB), the largest field
#              a route reads (every client sends the same ids, so the collection stays at 8,000 points).
# Each phase runs on a fresh server, whose VmRSS (/proc/PID/status) is sampled every 50 ms: baseline (after one small
# request of each kind), peak during the phase (the larger of the samples and VmHWM), and 10 s after it. The same runs on the code
# of BEFORE (built once into bench/.cache/memory), and the script fails when the current code's peak is over
# CEILING_MIB or it has not come back within AFTER_MIB of its baseline. A server over GUARD_MIB is killed (the
# old code can take the machine's memory), and its peak is reported as ">GUARD".
# Usage: bench/memory.sh [CLIENTS=20] [CEILING_MIB=1536] [AFTER_MIB=150] [BEFORE=c099520] [GUARD_MIB=6144]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
clients="${1:-20}"
ceiling="${2:-1536}"
after_margin="${3:-150}"
before="${4:-c099520}"
guard="${5:-6144}"
cache=bench/.cache/memory
out=bench/.cache/results/memory
mkdir -p "$cache" "$out"

echo "› building the current CLI (./quiver)" >&2
./quiver --help > /dev/null
if [ ! -f "$cache/before-$before/bin/quiver.dll" ]; then
  echo "› building $before into $cache/before-$before (once; minutes)" >&2
  rm -rf "$cache/before-$before"
  mkdir -p "$cache/before-$before/src"
  git archive "$before" | tar -x -C "$cache/before-$before/src"
  dotnet build "$cache/before-$before/src/src/Quiver.Cli/Quiver.Cli.csproj" -c Release -o "$cache/before-$before/bin" -nologo -v quiet -tl:off > "$cache/before-$before/build.log" 2>&1 ||
    { tail -20 "$cache/before-$before/build.log" >&2; exit 1; }
fi

echo "› writing the bodies" >&2
python3 - "$cache" <<'EOF'
import random, sys
cache = sys.argv[1]
random.seed(7)
head = b'{"vector": [0.1, 0.2, 0.3, 0.4], "limit": 1, "ignored": ['
with open(f"{cache}/ignored.json", "wb") as f:
    f.write(head + b",".join([b"1"] * ((30_000_000 - len(head)) // 2)) + b"]}")
with open(f"{cache}/legal.json", "w") as f:
    f.write('{"points": [')
    for p in range(8000):
        vector = ",".join(f"{random.uniform(-0.5, 0.5):.6f}" for _ in range(384))
        f.write(("," if p else "") + f'{{"id": {p}, "vector": [{vector}]}}')
    f.write("]}")
EOF
ls -l "$cache/ignored.json" "$cache/legal.json" | awk '{printf "›   %s: %.1f MB\n", $NF, $5 / 1e6}' >&2

rss() { awk '/^VmRSS/ {print int($2 / 1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm() { awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Samples VmRSS every 50 ms into $1 until stopped; kills the server past the guard.
sample() {
  local pid=$1 file=$2
  : > "$file"
  while kill -0 "$pid" 2>/dev/null; do
    local now
    now=$(rss "$pid")
    echo "$now" >> "$file"
    if [ "$now" -gt "$guard" ]; then
      echo "guard" >> "$file"
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.05
  done
}

# One phase on a fresh server: baseline after a small request of each kind, CLIENTS concurrent curls of one body,
# the peak, and the RSS 10 s later. Prints a tab-separated line: label, baseline, peak, after, status counts.
phase() {
  local label=$1 dll=$2 method=$3 path=$4 body=$5
  local home port server base
  home=$(mktemp -d)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  QUIVER_HOME="$home" dotnet "$dll" serve --urls "http://127.0.0.1:$port" > "$out/$label.log" 2>&1 &
  server=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do curl -sf "$base/readyz" > /dev/null && break; sleep 0.5; done
  curl -sf -X PUT "$base/collections/mem4" -H 'content-type: application/json' -d '{"vectors": {"size": 4, "distance": "Cosine"}}' > /dev/null
  curl -sf -X PUT "$base/collections/mem384" -H 'content-type: application/json' -d '{"vectors": {"size": 384, "distance": "Cosine"}}' > /dev/null
  curl -sf -X PUT "$base/collections/mem4/points?wait=true" -H 'content-type: application/json' -d '{"points": [{"id": 1, "vector": [1, 0, 0, 0]}]}' > /dev/null
  curl -sf -X POST "$base/collections/mem4/points/search" -H 'content-type: application/json' -d '{"vector": [1, 0, 0, 0], "limit": 1, "ignored": [1, 1]}' > /dev/null
  sleep 2
  local baseline
  baseline=$(rss "$server")
  echo "› $label: baseline $baseline MiB; $clients concurrent $(basename "$body" .json) bodies" >&2
  echo 5 > "/proc/$server/clear_refs" 2>/dev/null || true   # resets VmHWM, so it is this phase's peak
  sample "$server" "$out/$label.rss" &
  local sampler=$! pids=()
  : > "$out/$label.status"
  for _ in $(seq 1 "$clients"); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 600 -X "$method" "$base$path" -H 'content-type: application/json' -H 'Expect:' --data-binary "@$body" >> "$out/$label.status" &
    pids+=($!)
  done
  wait "${pids[@]}" 2>/dev/null || true
  local high sampled peak settled
  high=$(hwm "$server")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampled=$(grep -v guard "$out/$label.rss" | sort -n | tail -1)
  peak=$(( ${sampled:-0} > high ? ${sampled:-0} : high ))
  grep -q guard "$out/$label.rss" && peak=">$guard"
  sleep 10
  settled=$(kill -0 "$server" 2>/dev/null && rss "$server" || echo "killed")
  echo "› $label: peak $peak MiB, 10 s after: $settled MiB" >&2
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$home"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$baseline" "$peak" "$settled" "$(sort "$out/$label.status" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
}

results=$(
  for code in "before-$before" current; do
    dll=artifacts/bin/quiver.dll
    [ "$code" = current ] || dll="$cache/before-$before/bin/quiver.dll"
    phase "$code-ignored" "$dll" POST /collections/mem4/points/search "$cache/ignored.json"
    phase "$code-legal" "$dll" PUT "/collections/mem384/points?wait=true" "$cache/legal.json"
  done
)
echo
echo "$clients concurrent bodies of ~30 MB each, each phase on a fresh server; RSS in MiB (peak: the most of 50 ms samples and VmHWM)"
printf '%-24s %9s %9s %11s  %s\n' "code, bodies" baseline peak "10 s after" "statuses (count×code)"
echo "$results" | while IFS=$'\t' read -r label baseline peak settled statuses; do
  printf '%-24s %9s %9s %11s  %s\n' "$label" "$baseline" "$peak" "$settled" "$statuses"
done
echo "$results" > "$out/summary.tsv"

status=0
while IFS=$'\t' read -r label baseline peak settled _; do
  case "$label" in current*) ;; *) continue ;; esac
  if ! [[ "$peak" =~ ^[0-9]+$ ]] || [ "$peak" -gt "$ceiling" ]; then
    echo "FAIL: $label: peak $peak MiB is over the ceiling of $ceiling MiB" >&2
    status=1
  fi
  if ! [[ "$settled" =~ ^[0-9]+$ ]] || [ "$settled" -gt $((baseline + after_margin)) ]; then
    echo "FAIL: $label: 10 s after, $settled MiB, more than $after_margin MiB over the baseline of $baseline MiB" >&2
    status=1
  fi
done <<< "$results"
[ "$status" -eq 0 ] && echo "OK: the current code's peak is under $ceiling MiB and it is back within $after_margin MiB of its baseline 10 s after each phase"
exit "$status"
