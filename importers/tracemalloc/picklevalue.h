#pragma once

#include <cstdint>

namespace hs::pickle {

enum class Kind : uint8_t {
    None,
    Bool,
    Int,    // fits int64: num
    UInt64, // 2^63 .. 2^64-1: num holds the bits
    BigInt, // any larger integer; its value is not kept
    Float,
    Str,   // ref: string pool (UTF-8, lone surrogates as surrogatepass)
    Bytes, // ref: string pool (raw bytes)
    Tuple, // ref: tuple pool
    List,  // ref: container pool
    Dict,  // ref: container pool, keys and values alternating
    Set,   // ref: container pool
    FrozenSet,
    Global, // ref: AllowedGlobal
    Object, // ref: object pool
};

// The only globals a tracemalloc snapshot needs. Anything else is refused when it is named.
enum class AllowedGlobal : uint32_t { Snapshot, Traces, Reconstructor, Object };

// One value on the unpickler's stack. Containers and objects are references into pools owned by
// the reader, so identity (shared lists, memo references) behaves as in Python.
struct Value
{
    Kind kind = Kind::None;
    uint8_t depth = 0; // nesting depth, capped by the reader
    uint32_t ref = 0;
    int64_t num = 0;
};

} // namespace hs::pickle
