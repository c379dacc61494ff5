#!/bin/bash
# Idle CPU of `npm start` doing nothing (issue 28): starts it on a free port, waits for /ready and 10 s
# more, then reads utime+stime of every process in its tree from /proc over SECONDS (default 20), and
# prints each as a share of one core with the load average around it. Linux only.
# Usage: scripts/idle-cpu.sh [SECONDS]   (from the repo root)
cd "$(dirname "$0")/.." || exit 2
SECS=${1:-20}
TMP=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
PORT=$PORT LOG_LEVEL=warn setsid npm start > "$TMP"/server.log 2>&1 &
LEADER=$!
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 1; done
sleep 10
tree() { local p=$1; echo $p; for c in $(cat /proc/$p/task/*/children 2>/dev/null); do tree $c; done; }
ticks() { for p in $(tree $LEADER); do [ -r /proc/$p/stat ] || continue; what=$(tr '\0' ' ' < /proc/$p/cmdline | grep -oE 'server/main.ts|queue-worker-main.ts|upstream[^ ]*|looplab.ts serve|postgres|npm start' | head -1 | tr ' ' _); awk -v p=$p -v w="${what:-other}" '{ print p, $14+$15, w }' /proc/$p/stat; done; }
ticks > "$TMP"/a; L1=$(cut -d' ' -f1 /proc/loadavg); sleep $SECS; ticks > "$TMP"/b; L2=$(cut -d' ' -f1 /proc/loadavg)
HZ=$(getconf CLK_TCK)
join <(sort "$TMP"/a) <(sort "$TMP"/b) | awk -v hz=$HZ -v s=$SECS '{ d=($4-$2)/hz; tot+=d; printf "%-8s %-22s %6.2f%% of a core\n", $1, $3, 100*d/s } END { printf "total %.2f%% of a core over %d s\n", 100*tot/s, s }'
echo "load average 1 min: $L1 → $L2"
kill -TERM -$LEADER 2>/dev/null; wait $LEADER 2>/dev/null
rm -rf "$TMP"
