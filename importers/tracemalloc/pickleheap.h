#pragma once

#include "hugepageallocator.h"
#include "picklevalue.h"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hs::pickle {

// The values an unpickling builds: strings, tuples, containers and objects in pools, referred
// to by index from Value. Tuples of a snapshot's common shapes stay inline in the Value. Limits
// on nesting and size are enforced here and reported as Refusal.
class PickleHeap
{
public:
    struct Object
    {
        AllowedGlobal cls;
        uint64_t pos;                                    // byte offset where it was created
        std::vector<std::pair<Value, Value>> attributes; // in BUILD order; later ones win
    };
    using Scratch = std::array<Value, 4>;

    static constexpr int kMaxDepth = 32;

    explicit PickleHeap(size_t inputSize);

    Value addString(std::string_view bytes, Kind kind); // Str must be surrogatepass UTF-8
    Value addTuple(const Value* items, size_t n, uint64_t pos);
    Value addContainer(Kind kind, uint64_t pos);
    Value addObject(AllowedGlobal cls, uint64_t pos);
    // Raises `depth` to hold `child` one level down; refuses nesting past kMaxDepth.
    void checkDepth(uint8_t& depth, const Value& child) const;

    std::vector<Value>& containerItems(uint32_t ref) { return m_containers[ref]; }
    uint8_t& containerDepth(uint32_t ref) { return m_containerDepth[ref]; }
    Object& object(uint32_t ref) { return m_objects[ref]; }

    std::string_view str(const Value& v) const { return m_strings[v.ref]; }
    // The items of any tuple kind; inline tuples are expanded into `scratch`.
    std::span<const Value> items(const Value& v, Scratch& scratch) const;
    static size_t tupleSize(const Value& v);
    size_t pooledTupleSize(uint32_t ref) const { return m_tuples[ref].size; }
    // Where a pooled tuple was built; inline tuples have no position of their own.
    std::optional<uint64_t> tuplePos(const Value& v) const;
    const std::vector<Value>& containerItems(const Value& v) const { return m_containers[v.ref]; }
    uint64_t containerPos(const Value& v) const { return m_containerPos[v.ref]; }
    const Object& object(const Value& v) const { return m_objects[v.ref]; }
    const Value* attribute(const Object& o, std::string_view name) const;

private:
    struct TupleRec
    {
        uint32_t begin;
        uint32_t size;
        uint64_t pos;
    };

    std::vector<std::string> m_strings;
    HugeVector<TupleRec> m_tuples;
    HugeVector<Value> m_tupleItems;
    std::vector<std::vector<Value>> m_containers;
    std::vector<uint64_t> m_containerPos;
    std::vector<uint8_t> m_containerDepth;
    std::vector<Object> m_objects;
};

} // namespace hs::pickle
