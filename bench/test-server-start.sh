#!/usr/bin/env bash
# How long the Java time-skipping test server takes to accept connections, idle and with both
# cores busy. The SDK gives it 5 s; this prints the figures (npm run bench:test-server).
#   bench/test-server-start.sh [runs]
. "$(dirname "$0")/../scripts/lib.sh"
runs="${1:-5}"
port=17311

start_once() { # prints milliseconds until the port accepts
  local t0 pid; t0=$(date +%s%N)
  "$ROOT/scripts/test-server/run" "$port" >/dev/null 2>&1 & pid=$!
  until (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.02; done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure() { # label
  local times=() i
  for ((i = 0; i < runs; i++)); do times+=("$(start_once)"); done
  printf '%-22s %s ms (runs: %s)\n' "$1" "$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "min %d  median %d  max %d", a[1], a[int((NR+1)/2)], a[NR]}')" "${times[*]}"
}

[ -f "$TEST_SERVER_HOME/app-cds.jsa" ] || die "run scripts/setup first"
echo "Java test server start-up on $(nproc) cores (limit the SDK allows: 5000 ms)"
measure "idle"
load=()
for ((i = 0; i < $(nproc); i++)); do timeout 120 sh -c 'while :; do :; done' & load+=($!); done
measure "all cores busy"
kill "${load[@]}" 2>/dev/null || true
