#pragma once

#include <cstdint>
#include <string>

namespace hs::pickle {

enum class Kind : uint8_t
{
    None,
    Bool,
    Int,    // fits int64: num
    UInt64, // 2^63 .. 2^64-1: num holds the bits
    BigInt, // any larger integer; its value is not kept
    Float,
    Str,   // ref: string pool (UTF-8, lone surrogates as surrogatepass)
    Bytes, // ref: string pool (raw bytes)
    Tuple, // ref: tuple pool, num: length
    // Tuples of the shapes a snapshot consists of, held inside the value itself (a dump has
    // millions of them; pooling each would cost several times the file's size):
    PairTuple,   // (str, int): ref = str, num = the int (a frame)
    TraceTuple3, // (0, size, tuple): num = size, ref = the tuple (a trace in domain 0)
    TraceTuple4, // (0, size, tuple, n): as TraceTuple3, aux = n (0..65535)
    List,        // ref: container pool
    Dict,        // ref: container pool, keys and values alternating
    Set,         // ref: container pool
    FrozenSet,
    Global, // ref: AllowedGlobal
    Object, // ref: object pool
};

inline bool isTuple(Kind k)
{
    return k == Kind::Tuple || k == Kind::PairTuple || k == Kind::TraceTuple3 ||
           k == Kind::TraceTuple4;
}

inline bool isContainer(Kind k)
{
    return k == Kind::List || k == Kind::Dict || k == Kind::Set || k == Kind::FrozenSet;
}

// The only globals a tracemalloc snapshot needs. Anything else is refused when it is named.
enum class AllowedGlobal : uint32_t
{
    Snapshot,
    Traces,
    Reconstructor,
    Object
};

// One value on the unpickler's stack. Containers and objects are references into pools owned by
// the reader, so identity (shared lists, memo references) behaves as in Python.
struct Value
{
    Kind kind = Kind::None;
    uint8_t depth = 0; // nesting depth, capped by the reader
    uint16_t aux = 0;
    uint32_t ref = 0;
    int64_t num = 0;
};

static_assert(sizeof(Value) == 16);

// Thrown inside the reader's parts for input they refuse; the reader adds file and offset.
struct Refusal
{
    std::string reason;
};

} // namespace hs::pickle
