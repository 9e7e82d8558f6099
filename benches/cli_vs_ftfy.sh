#!/usr/bin/env bash
# The CLI against ftfy's CLI on the same large file (issue 6: >= 100x ftfy's throughput, in
# bounded memory). Builds the input from the benchmark texts (benches/data, our own text):
# paragraphs of English, French, Japanese and mixed CJK, every fifth paragraph misread as
# Windows-1252. Needs `pip install ftfy` and GNU time. Usage:
#   bash benches/cli_vs_ftfy.sh [SIZE_MIB (default 256)] [FTFY_MIB (default: SIZE_MIB)]
# FTFY_MIB lets ftfy run on a prefix only when it is too slow for the whole file; its
# throughput is then that of the prefix (reported as such).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZE_MIB=${1:-256}
FTFY_MIB=${2:-$SIZE_MIB}
WORK=${TMPDIR:-/tmp}/fixenc-cli-bench
mkdir -p "$WORK"
INPUT="$WORK/input-${SIZE_MIB}MiB.txt"
python3 - "$INPUT" "$SIZE_MIB" <<'PY'
import sys
out, size = sys.argv[1], int(sys.argv[2]) << 20
paras = [open(f"benches/data/{n}.txt", encoding="utf-8").read().strip() for n in ("ascii", "french", "japanese", "mixed_cjk")]
def misread(s):  # UTF-8 bytes read as Windows-1252, undefined bytes as the C1 control of the same value
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in s.encode("utf-8"))
block = "\n\n".join(misread(p) if i % 5 == 4 else p for i, p in enumerate(paras * 5)) + "\n\n"
data = block.encode("utf-8")
with open(out, "wb") as f:
    written = 0
    while written < size:
        f.write(data)
        written += len(data)
PY
cargo build --release --example fixenc -q
BIN=target/release/examples/fixenc
printf 'input: %s (%d bytes)\n' "$INPUT" "$(stat -c %s "$INPUT")"
measure() { # label, command...: wall seconds and max RSS
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null
    read -r secs rss_kib <"$WORK/time"
    printf '%-8s %8.2f s  %8d KiB max RSS\n' "$label" "$secs" "$rss_kib"
}
measure fixenc "$BIN" "$INPUT"
FTFY_INPUT=$INPUT
if [[ "$FTFY_MIB" != "$SIZE_MIB" ]]; then
    FTFY_INPUT="$WORK/prefix-${FTFY_MIB}MiB.txt"
    head -c "$((FTFY_MIB << 20))" "$INPUT" >"$FTFY_INPUT"
    measure fixenc-prefix "$BIN" "$FTFY_INPUT"
fi
measure ftfy ftfy "$FTFY_INPUT"
