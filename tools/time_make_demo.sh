#!/bin/sh
# Time the newcomer path: a fresh clone, `make demo`, until the example site answers 200 on /.
#   tools/time_make_demo.sh            # with pip's cache as it is
#   PIP_NO_CACHE_DIR=1 tools/time_make_demo.sh   # every package downloaded again
# Prints the seconds from the clone to the first 200 and stops the server.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT
start=$(date +%s.%N)
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
setsid make demo >"$work/demo.log" 2>&1 &
echo $! >"$work/pid"
until curl -fsS -o /dev/null http://127.0.0.1:8000/ 2>/dev/null; do
    if ! kill -0 "$(cat "$work/pid")" 2>/dev/null; then
        cat "$work/demo.log"; echo "make demo stopped before serving" >&2; exit 1
    fi
    sleep 0.5
done
end=$(date +%s.%N)
grep -E "^  (Website|Admin|Anmeldung):" "$work/demo.log"
echo "make demo: first 200 on / after $(echo "$end - $start" | bc) s"
kill -- -"$(cat "$work/pid")" 2>/dev/null || true
