#!/usr/bin/env bash
# Ingest throughput of rollproof-mock against nginx receiving the same curl uploads on loopback:
# 1 x 100 MiB, and 200 x 1 MiB with 100 in parallel. Prints one JSON line per measurement:
#   {"name":..., "ours":..., "peer":..., "ratio": ours/peer, "unit":"MiB/s"}
# nginx reads every body into a temp file (echo_read_request_body + client_body_in_file_only),
# so it really ingests the bytes; the mock parses multipart and hashes them (--store none).
# Usage: bench/mock/ingest_vs_nginx.sh [path/to/rollproof-mock]
#   RUNS=3 (best kept), MOCK_ARGS="--threads 1" extra mock flags.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
mock="${1:-${ROLLPROOF_BIN_DIR:-$here/../../build/bin}/rollproof-mock}"
runs="${RUNS:-3}"
[[ -x "$mock" ]] || { echo "rollproof-mock not found at $mock (build it first)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx not installed (Debian package nginx-light)" >&2; exit 2; }

work="$(mktemp -d -t rollproof-ingest-XXXXXX)"
mock_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$mock_pid" ]] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

head -c $((100 << 20)) /dev/urandom > "$work/big.bin"
head -c $((1 << 20)) /dev/urandom > "$work/small.bin"

# --- rollproof-mock (port 0, READY line) ---
"$mock" --provider kimi --api-key sk-bench --max-file-size $((200 << 20)) --max-files 100000 ${MOCK_ARGS:-} \
  > "$work/mock.out" 2> "$work/mock.err" &
mock_pid=$!
for _ in $(seq 100); do grep -q READY "$work/mock.out" 2>/dev/null && break; sleep 0.05; done
ours_url="$(awk '/^READY/ {print $2}' "$work/mock.out")/v1/files"
[[ -n "$ours_url" ]] || { echo "rollproof-mock did not start" >&2; cat "$work/mock.err" >&2; exit 3; }

# --- nginx on a port the OS picked (free when asked; nginx binds it right after) ---
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$work/nginx/body"
echo_module=""
[[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ]] &&
  echo_module="load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;"
if [[ -n "$echo_module" ]]; then
  location_body='echo_read_request_body; echo "ok";'
else
  location_body='return 200 "ok\n";'  # nginx then reads and discards the body
fi
cat > "$work/nginx/nginx.conf" <<CONF
$echo_module
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/body;
  fastcgi_temp_path $work/nginx/body;
  uwsgi_temp_path $work/nginx/body;
  scgi_temp_path $work/nginx/body;
  client_max_body_size 200m;
  client_body_in_file_only clean;
  server {
    listen 127.0.0.1:$port;
    location / { $location_body }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
peer_url="http://127.0.0.1:$port/v1/files"

now() { date +%s.%N; }

# Seconds for one 100 MiB upload.
one_big() {
  local url="$1" start end
  start=$(now)
  curl -sS -o /dev/null -H "Authorization: Bearer sk-bench" -F purpose=file-extract \
    -F "file=@$work/big.bin" "$url"
  end=$(now)
  echo "$end - $start" | bc -l
}

# Seconds for 200 x 1 MiB uploads, 100 in flight.
many_small() {
  local url="$1" config="$work/many.curlrc" start end
  : > "$config"
  for i in $(seq 200); do
    {
      echo "url = \"$url\""
      echo "header = \"Authorization: Bearer sk-bench\""
      echo "form = \"purpose=file-extract\""
      echo "form = \"file=@$work/small.bin\""
      echo "output = \"/dev/null\""
      [[ $i -lt 200 ]] && echo "next"
    } >> "$config"
  done
  start=$(now)
  curl -sS --no-progress-meter --parallel --parallel-max 100 -K "$config"
  end=$(now)
  echo "$end - $start" | bc -l
}

best() {  # the fastest of $runs runs of "$@"
  local best_s="" s
  for _ in $(seq "$runs"); do
    s=$("$@")
    if [[ -z "$best_s" ]] || (( $(echo "$s < $best_s" | bc -l) )); then best_s=$s; fi
    curl -s -o /dev/null -X POST "${ours_url%/v1/files}/_mock/reset"
  done
  echo "$best_s"
}

report() {  # name, MiB moved, our seconds, peer seconds
  local ours peer
  ours=$(echo "$2 / $3" | bc -l)
  peer=$(echo "$2 / $4" | bc -l)
  printf '{"name":"%s","ours":%.1f,"peer":%.1f,"ratio":%.3f,"unit":"MiB/s"}\n' \
    "$1" "$ours" "$peer" "$(echo "$ours / $peer" | bc -l)"
}

report "ingest_1x100MiB" 100 "$(best one_big "$ours_url")" "$(best one_big "$peer_url")"
report "ingest_200x1MiB_parallel100" 200 "$(best many_small "$ours_url")" \
  "$(best many_small "$peer_url")"
