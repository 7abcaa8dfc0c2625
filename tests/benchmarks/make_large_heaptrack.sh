#!/usr/bin/env bash
# Write a large, real heaptrack recording for heapscope benchmarks:
# GCC's cc1plus compiling a generated, template-heavy C++ file (~105 million
# allocation calls with the defaults).
#
# Usage: make_large_heaptrack.sh [OUTDIR]     (default /tmp/heapscope-bench)
# Result: OUTDIR/large.zst. Nothing is done if it already exists.
# Env: FAMILIES (default 48) and DEPTH (default 3) size the generated code;
#      PRINT_SUMMARY=1 also prints heaptrack_print's summary (~30 s here).
# Needs: g++ (GCC 12 measured), heaptrack, zstd, python3.
#
# Measured (Debian 12, GCC 12.2, heaptrack 1.4.0-2, 48 families, depth 3,
# on 2 shared cores): 105,026,643 allocation calls; large.zst 43 MB (1.68 GB
# decompressed); the plain compile takes ~5 min and 6.8 GB RSS (GCC's own GC
# heap), the whole script ~9 min; heaptrack_print needs ~26 s on the result.
# Do not commit the output.
set -euo pipefail

out=${1:-/tmp/heapscope-bench}
families=${FAMILIES:-48}
depth=${DEPTH:-3}
final=$out/large.zst
mkdir -p "$out"

# Debian's heaptrack_interpret 1.4.0 dedupes (size, trace) pairs in a
# robin_set whose weak hash packs cc1plus's pairs into a few dense runs; past
# a probe length of 4096 the set doubles on every insert until it runs out of
# memory (KDE bug 477018, fixed upstream in 1.5). We patch a private copy:
# 69 bytes at 0x53c4 replace the hash with a multiply-xorshift mix. The
# output is byte-identical (set indices are handed out in insertion order,
# whatever the hash), checked on a 4.5M-allocation cc1plus recording that
# the stock tool can still handle.
stock_interp=/usr/lib/heaptrack/libexec/heaptrack_interpret
stock_sha=e4a4a67bf6245c189f59434f6fbe81f1adc789076fe40d84209b3a45be740c64
patch='\x45\x89\xf7\x4c\x8b\xac\x24\x20\x01\x00\x00\x45\x31\xc0\x49\x69\xc4\x95\xe9\xd1\x5b\x4c\x31\xf8\x48\x69\xc0\xb1\x79\x37\x9e\x48\x89\xc2\x48\xc1\xea\x20\x48\x31\xd0\x48\x8b\xb4\x24\xf0\x00\x00\x00\x48\x8b\x8c\x24\x10\x01\x00\x00\x48\x89\x04\x24\x0f\x1f\x84\x00\x00\x00\x00\x00'

make_interp() { # $1: path for the interpreter to use
    if [[ -x $stock_interp ]] &&
        [[ $(sha256sum < "$stock_interp" | cut -d' ' -f1) == "$stock_sha" ]]; then
        cp "$stock_interp" "$1"
        printf "$patch" | dd of="$1" bs=1 seek=$((0x53c4)) conv=notrunc status=none
    else
        # Another build: it may have the fix, or may blow up (capped below).
        echo "warning: unknown heaptrack_interpret build, using it unpatched" >&2
        ln -s "$stock_interp" "$1"
    fi
}

if [[ -e $final ]]; then
    echo "$final exists, skipping generation"
else
    work=$(mktemp -d "$out/work.XXXXXX")
    trap 'rm -rf "$work"' EXIT

    # Each family is a class template recursing on D down to 0, instantiated
    # for 3 values of K, whose members pull in std::map/tuple/variant/
    # function/optional/shared_ptr and std::visit/std::sort over the child
    # type: every level is a new set of distinct instantiations. GCC 12 -O1
    # does ~2.2 million mallocs per family at depth 3 (~0.5M per second).
    python3 - "$families" "$depth" "$work/gen.cpp" <<'EOF'
import sys
fam, depth, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
o = ["#include <map>\n#include <tuple>\n#include <variant>\n#include <functional>\n"
     "#include <string>\n#include <vector>\n#include <memory>\n#include <optional>\n"
     "#include <algorithm>\n"]
for f in range(fam):
    o.append(f"""
template<int K, int D> struct N{f} {{
  using C = N{f}<K, D - 1>;
  using V = std::variant<int, std::string, C, std::vector<C>>;
  std::map<std::tuple<int, std::string, long>, V> m;
  std::function<long(const C&, int)> fn = [](const C& c, int x) {{ return c.eval() + x * {f + 1}; }};
  std::optional<std::tuple<C, std::shared_ptr<C>, std::map<int, C>>> opt;
  long eval() const {{
    long s = K + D;
    for (auto& [k, v] : m)
      s += std::visit([&](auto& x) -> long {{
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int>) return x + std::get<0>(k);
        else if constexpr (std::is_same_v<T, std::string>) return (long)x.size() + std::get<2>(k);
        else if constexpr (std::is_same_v<T, C>) return x.eval() + fn(x, D);
        else {{ long t = 0; for (auto& c : x) t += c.eval(); return t; }}
      }}, v);
    if (opt) s += std::get<0>(*opt).eval() + (long)std::get<2>(*opt).size();
    return s;
  }}
  void fill(int n) {{
    for (int i = 0; i < n; ++i) {{
      m.emplace(std::make_tuple(i, std::to_string(i), long(i) * K), V(std::in_place_index<{f % 2 + 2}>));
      if (i % 3 == 0) m.insert_or_assign(std::make_tuple(-i, std::string("k"), 0L), V(C{{}}));
    }}
    std::vector<std::pair<long, C>> tmp;
    std::sort(tmp.begin(), tmp.end(), [](auto& a, auto& b) {{ return a.first < b.first; }});
  }}
}};
template<int K> struct N{f}<K, 0> {{ long v = K; long eval() const {{ return v; }} void fill(int) {{}} }};
""")
    for k in range(3):
        o.append(f"long use_{f}_{k}(int n) {{ N{f}<{k * 7 + f}, {depth}> x; x.fill(n); return x.eval(); }}\n")
open(path, "w").write("".join(o))
EOF

    # heaptrack only traces the process it starts (it drops LD_PRELOAD for
    # children), and g++ is just a driver that forks cc1plus: so trace
    # cc1plus directly, with the exact arguments the driver would pass.
    cc1=$(g++ -std=c++20 -O1 -c "$work/gen.cpp" -o /dev/null -### 2>&1 | grep -E '^ [^ ]*cc1plus ')
    eval "args=($cc1)"  # the driver quotes its arguments shell-style
    for i in "${!args[@]}"; do
        [[ ${args[i]} == -o ]] && args[i+1]=/dev/null  # assembly is not needed
    done

    # Record raw (-r) and interpret afterwards with our patched interpreter,
    # which is what heaptrack's own pipeline does with the stock one.
    echo "recording cc1plus under heaptrack (several minutes)..." >&2
    heaptrack -r -o "$work/cc1plus" "${args[@]}" >&2
    make_interp "$work/interpret"
    echo "interpreting..." >&2
    # Memory cap: an unfixed interpreter fails fast instead of eating the box.
    (ulimit -v $((8 * 1024 * 1024)); zstd -dc "$work/cc1plus.raw.zst" | "$work/interpret") |
        zstd -q -c > "$work/large-heaptrack.zst"
    mv "$work/large-heaptrack.zst" "$final"  # appears only once complete
    ls -l "$final"
fi

if [[ ${PRINT_SUMMARY:-0} == 1 ]]; then
    heaptrack_print "$final" | tail -n 8
fi
