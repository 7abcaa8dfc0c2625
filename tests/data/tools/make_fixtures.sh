#!/usr/bin/env bash
# Regenerate every fixture in tests/data/tracemalloc/ from scratch.
#
# Developer tooling only: the tests never run this, they use the committed files.
# Needs the CPython versions below (pyenv layout) and the shared sample
# leaky-cache-py312-tb10-t0.pickle.  Every truth file is computed by the
# Python version that wrote (and can read) its pickle.
#
# Environment overrides:
#   PYENV_VERSIONS   directory holding X.Y.Z/bin/python3   (default $PYENV_ROOT/versions)
#   HEAPSCOPE_SAMPLES  shared tracemalloc samples            (default ../shared beside the repo)
#   FIXTURE_WORKDIR  neutral directory the real workloads run from, so that the
#                    checkout path does not end up in the traces
#                    (default /opt/heapscope-fixtures, /tmp/heapscope-fixtures if /opt is read-only)
#
# The hand-made fixtures (hostile-*, ties-*, tuple-container, empty, single,
# batch1001) and the repickles are byte-for-byte reproducible with the same
# Python builds.  The real dumps (tiny-py311, series-py311-*) list traces in
# the C hash table's order, which depends on addresses: they are run with
# PYTHONHASHSEED=0 and, when `setarch -R` works, without ASLR, which makes them
# reproducible on one machine; elsewhere their bytes (and truths) will differ.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(cd "$HERE/.." && pwd)/tracemalloc"
V="${PYENV_VERSIONS:-${PYENV_ROOT:-$HOME/.pyenv}/versions}"
SAMPLES="${HEAPSCOPE_SAMPLES:-$(cd "$HERE/../../.." && pwd)/../shared/samples/tracemalloc}"

PY36="$V/3.6.15/bin/python3"
PY37="$V/3.7.16/bin/python3"
PY38="$V/3.8.18/bin/python3"
PY39="$V/3.9.18/bin/python3"
PY311="$V/3.11.7/bin/python3"
PY312="$V/3.12.1/bin/python3"

TRUTH="$HERE/make_truth.py"
HAND="$HERE/make_handmade.py"

export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1

WORKDIR="${FIXTURE_WORKDIR:-/opt/heapscope-fixtures}"
if ! mkdir -p "$WORKDIR" 2>/dev/null || [ ! -w "$WORKDIR" ]; then
    WORKDIR=/tmp/heapscope-fixtures
    mkdir -p "$WORKDIR"
fi

# Only the files this script makes are removed first; anything else in $OUT
# (e.g. copies of the shared samples) is left alone.
FIXTURES=(
    repickle-p0 repickle-p1 repickle-p2 repickle-p3 repickle-p4-py312
    hostile-values-base-py312 hostile-values-py312 hostile-values-p0-py312 hostile-values-p1-py312
    ties-py36-base ties-py36 ties-py37-base ties-py37 ties-py38-base ties-py38 ties-py39-base ties-py39
    tuple-container-py311 empty-py311 single-py311 batch1001-py311
    tiny-py311 series-py311-s0 series-py311-s1 series-py311-s2
)
mkdir -p "$OUT"
for n in "${FIXTURES[@]}"; do
    rm -f "$OUT/$n.pickle" "$OUT/$n.truth.json"
done

# a/b. Re-pickled real snapshot (Python 3.12), protocols 0-4, same filtered traces.
"$PY312" "$HERE/make_repickles.py" "$SAMPLES/leaky-cache-py312-tb10-t0.pickle" "$OUT" \
    0 1 2 3 4:repickle-p4-py312
for n in repickle-p0 repickle-p1 repickle-p2 repickle-p3 repickle-p4-py312; do
    "$PY312" "$TRUTH" "$OUT/$n.pickle"
done

# c. Hostile values (Python 3.12), plus an older snapshot to compare against and
#    protocol 0 / 1 copies (text ints/LONG, raw-unicode-escape strings).
"$PY312" "$HAND" hostile-base "$OUT/hostile-values-base-py312.pickle"
"$PY312" "$HAND" hostile "$OUT/hostile-values-py312.pickle"
"$PY312" "$HAND" hostile "$OUT/hostile-values-p0-py312.pickle" --protocol 0
"$PY312" "$HAND" hostile "$OUT/hostile-values-p1-py312.pickle" --protocol 1
"$PY312" "$TRUTH" "$OUT/hostile-values-base-py312.pickle"
"$PY312" "$TRUTH" "$OUT/hostile-values-py312.pickle" "$OUT/hostile-values-base-py312.pickle"
"$PY312" "$TRUTH" "$OUT/hostile-values-p0-py312.pickle"
"$PY312" "$TRUTH" "$OUT/hostile-values-p1-py312.pickle"

# d. Traceback ties: 3.6 (raw order), 3.7 / 3.8 / 3.9 (oldest frame first).
for pair in "py36:$PY36" "py37:$PY37" "py38:$PY38" "py39:$PY39"; do
    tag="${pair%%:*}"
    py="${pair#*:}"
    "$py" "$HAND" ties-base "$OUT/ties-$tag-base.pickle"
    "$py" "$HAND" ties "$OUT/ties-$tag.pickle"
    "$py" "$TRUTH" "$OUT/ties-$tag-base.pickle"
    "$py" "$TRUTH" "$OUT/ties-$tag.pickle" "$OUT/ties-$tag-base.pickle"
done

# e/f. Container shapes and counts (Python 3.11).
"$PY311" "$HAND" tuple "$OUT/tuple-container-py311.pickle"
"$PY311" "$HAND" empty "$OUT/empty-py311.pickle"
"$PY311" "$HAND" single "$OUT/single-py311.pickle"
"$PY311" "$HAND" batch1001 "$OUT/batch1001-py311.pickle"
for n in tuple-container-py311 empty-py311 single-py311 batch1001-py311; do
    "$PY311" "$TRUTH" "$OUT/$n.pickle"
done

# g/h. Real dumps (Python 3.11), run from a neutral directory.
NOASLR=()
if command -v setarch >/dev/null 2>&1 && setarch "$(uname -m)" -R true 2>/dev/null; then
    NOASLR=(setarch "$(uname -m)" -R)
fi
cp "$HERE/real_workloads.py" "$WORKDIR/workload.py"
(cd "$WORKDIR" && ${NOASLR[@]+"${NOASLR[@]}"} "$PY311" "$WORKDIR/workload.py" tiny "$OUT/tiny-py311.pickle")
(cd "$WORKDIR" && ${NOASLR[@]+"${NOASLR[@]}"} "$PY311" "$WORKDIR/workload.py" series \
    "$OUT/series-py311-s0.pickle" "$OUT/series-py311-s1.pickle" "$OUT/series-py311-s2.pickle")
"$PY311" "$TRUTH" "$OUT/tiny-py311.pickle"
"$PY311" "$TRUTH" "$OUT/series-py311-s0.pickle"
"$PY311" "$TRUTH" "$OUT/series-py311-s1.pickle" "$OUT/series-py311-s0.pickle"
"$PY311" "$TRUTH" "$OUT/series-py311-s2.pickle" "$OUT/series-py311-s1.pickle"

# Independent cross-check of every truth file's *_all lists.
"$PY312" "$HERE/verify_truths.py" "$OUT" | tail -1

for n in "${FIXTURES[@]}"; do
    [ -f "$OUT/$n.pickle" ] && [ -f "$OUT/$n.truth.json" ] || { echo "missing $n" >&2; exit 1; }
done

# Refresh the table in README.md.
"$PY312" "$HERE/fixture_table.py" "$OUT"

for n in "${FIXTURES[@]}"; do ls -l "$OUT/$n.pickle"; done
