#!/usr/bin/env bash
# Builds and runs the upload routes bench: async (ours) against sync (peer), JSON lines on stdout.
# usage: bench/upload/run.sh [BUILD_DIR] [--quick]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake --build "$build" -j2 --target rollproof-upload rollproof-mock rollproof-upload-bench >&2
exec "$build/bin/rollproof-upload-bench" "$build/bin" "$@"
