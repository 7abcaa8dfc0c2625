#!/usr/bin/env bash
# Rebuilds tests/data/heaptrack/fixtures/: small real heaptrack recordings (and
# damaged copies of them) with a .truth.json beside each one.
#
# Needs heaptrack 1.4 (heaptrack, heaptrack_print), g++, zstd, gzip, python3.
# Recordings are not reproducible byte for byte: addresses, timings, RSS and
# the temp dir's name change, thread interleaving changes the multi-thread
# figures, and so do the places where the cut files end. Rebuild truths with them.
set -euo pipefail

tools=$(cd "$(dirname "$0")" && pwd)
fixtures=$(cd "$tools/.." && pwd)/fixtures
mkdir -p "$fixtures"

for tool in heaptrack heaptrack_print g++ zstd gzip python3; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

# Build and record outside the source tree; heaptrack stores the debuggee's
# full path, so the recordings name this temp dir.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# -g for file/line in the backtraces, -O1 as asked for the fixtures.
g++ -g -O1 -o crash_midrun "$tools/crash_midrun.cpp"
# -rdynamic: libheaptrack finds __lsan_default_suppressions only if the
# executable exports it.
g++ -g -O1 -rdynamic -o lsan_suppressions "$tools/lsan_suppressions.cpp"
g++ -g -O1 -pthread -o multi_thread "$tools/multi_thread.cpp"

# heaptrack -o NAME writes NAME.zst (zstd is on PATH); its chatter goes to a log.
record() {
    local name=$1
    shift
    local status=0
    heaptrack -o "$name" "$@" >"$name.log" 2>&1 || status=$?
    [ -s "$name.zst" ] || { echo "no recording for $name" >&2; cat "$name.log" >&2; exit 1; }
    echo "$status"
}

# (a) Crash: the wrapper reports the debuggee's SIGSEGV (128+11); anything
# else means the program did not crash as intended.
status=$(record crash ./crash_midrun 30)
[ "$status" = 139 ] || { echo "crash_midrun exited with $status, expected 139" >&2; exit 1; }
cp crash.zst "$fixtures/crash_midrun.zst"

# (b) Embedded LSAN suppression: it must have reached the file as an S line.
status=$(record lsan ./lsan_suppressions)
[ "$status" = 0 ] || { echo "lsan_suppressions exited with $status" >&2; exit 1; }
zstd -dc lsan.zst | grep '^S ' >/dev/null || { echo "no S line in the lsan recording" >&2; exit 1; }
cp lsan.zst "$fixtures/lsan_suppressions.zst"

# (c) A user suppression file for the recording of (b).
printf 'leak:realLeak\n' >"$fixtures/user_suppressions.txt"

# (f) Three threads; 250 rounds make the text ~0.5 MB, i.e. several zstd
# blocks, which (e) needs for a cut frame that still decodes in part.
status=$(record mt ./multi_thread 250)
[ "$status" = 0 ] || { echo "multi_thread exited with $status" >&2; exit 1; }
# gzip instead of zstd, as heaptrack writes when no zstd is on PATH;
# -n keeps name and time out of the gzip header.
zstd -dc mt.zst | gzip -9 -n >"$fixtures/multi_thread_gz.gz"

# (e) cut_frame: the zstd file as heaptrack wrote it, minus its last 1000
# bytes (no frame end, no checksum; the last block is lost).
size=$(stat -c %s mt.zst)
head -c $((size - 1000)) mt.zst >"$fixtures/cut_frame.zst"

# (e) cut_midline: the crash recording's text, cut 2 bytes into the first
# line that starts at or after 60 % of the text, then compressed whole.
zstd -dc crash.zst >crash.txt
python3 - crash.txt crash_cut.txt <<'EOF'
import sys
text = open(sys.argv[1], "rb").read()
at = len(text) * 60 // 100
start = at if text[at - 1:at] == b"\n" else text.index(b"\n", at) + 1
assert text.index(b"\n", start) > start + 2, "line too short to cut in the middle"
open(sys.argv[2], "wb").write(text[:start + 2])
EOF
zstd -q -f crash_cut.txt -o "$fixtures/cut_midline.zst"

# (d) No events at all: the multi-thread recording's text without +, -, c
# and R lines (v, X, I, S, A and the s/i/t/a definitions and the trailer
# stay), compressed with zstd.
zstd -dc mt.zst | grep -E '^([vXISsita] |A$|#|$)' >empty.txt || true
zstd -q -f empty.txt -o "$fixtures/empty_events.zst"

# Truth files, each beside its recording.
truth() { python3 "$tools/make_truth.py" "$@"; }
truth "$fixtures/crash_midrun.zst" --top5 \
    --made-by "heaptrack -o crash ./crash_midrun 30 (tools/crash_midrun.cpp, g++ -g -O1); the program dies with SIGSEGV after ~30 rounds of allocations"
truth "$fixtures/lsan_suppressions.zst" --top5 --user-suppressions "$fixtures/user_suppressions.txt" \
    --made-by "heaptrack -o lsan ./lsan_suppressions (tools/lsan_suppressions.cpp, g++ -g -O1 -rdynamic); __lsan_default_suppressions() returns leak:leakyHelper"
truth "$fixtures/multi_thread_gz.gz" --top5 \
    --made-by "heaptrack -o mt ./multi_thread 250 (tools/multi_thread.cpp, g++ -g -O1 -pthread), then zstd -dc mt.zst | gzip -9 -n"
truth "$fixtures/cut_frame.zst" \
    --made-by "the zstd file heaptrack wrote for multi_thread_gz.gz (heaptrack -o mt ./multi_thread 250) with its last 1000 bytes removed"
truth "$fixtures/cut_midline.zst" \
    --made-by "the decompressed text of crash_midrun.zst cut 2 bytes into the first line starting at or after 60% of the text, compressed with zstd -q"
truth "$fixtures/empty_events.zst" \
    --made-by "the decompressed text of the multi_thread recording keeping only v/X/I/S/s/i/t/a lines and the trailer (no +, -, c, R lines), compressed with zstd -q"

ls -l "$fixtures"
