#include "pickleheap.h"

#include "pickletext.h"

#include <algorithm>

namespace hs::pickle {

PickleHeap::PickleHeap(size_t inputSize)
{
    // Untouched capacity costs address space, not memory; it spares the copies of regrowth.
    m_tupleItems.reserve(std::min<size_t>(inputSize / 16, size_t(1) << 26));
}

void PickleHeap::checkDepth(uint8_t& depth, const Value& child) const
{
    const uint8_t d = isContainer(child.kind) ? m_containerDepth[child.ref] : child.depth;
    if (d + 1 > kMaxDepth)
        throw Refusal{"values nested deeper than " + std::to_string(kMaxDepth) + " levels"};
    depth = std::max<uint8_t>(depth, static_cast<uint8_t>(d + 1));
}

Value PickleHeap::addString(std::string_view bytes, Kind kind)
{
    if (kind == Kind::Str && !isValidSurrogatepassUtf8(bytes))
        throw Refusal{"a string is not valid UTF-8"};
    m_strings.emplace_back(bytes);
    return Value{kind, 0, 0, static_cast<uint32_t>(m_strings.size() - 1), 0};
}

Value PickleHeap::addTuple(const Value* it, size_t n, uint64_t pos)
{
    // The shapes a snapshot is made of stay inline: no pool entry, and 16 bytes in all.
    if (n == 2 && it[0].kind == Kind::Str && it[1].kind == Kind::Int) {
        const Value v{Kind::PairTuple, 1, 0, it[0].ref, it[1].num};
        return v;
    }
    if ((n == 3 || n == 4) && it[0].kind == Kind::Int && it[0].num == 0 &&
        ((it[1].kind == Kind::Int && it[1].num >= 0) || it[1].kind == Kind::UInt64) &&
        it[2].kind == Kind::Tuple &&
        (n == 3 || (it[3].kind == Kind::Int && it[3].num >= 0 && it[3].num <= UINT16_MAX)) &&
        it[2].depth < kMaxDepth) {
        const Value v{n == 3 ? Kind::TraceTuple3 : Kind::TraceTuple4,
                      static_cast<uint8_t>(it[2].depth + 1),
                      static_cast<uint16_t>(n == 4 ? it[3].num : 0), it[2].ref, it[1].num};
        return v;
    }
    if (m_tupleItems.size() + n > UINT32_MAX || m_tuples.size() >= UINT32_MAX)
        throw Refusal{"too many values"};
    Value v{Kind::Tuple, 0, 0, static_cast<uint32_t>(m_tuples.size()), static_cast<int64_t>(n)};
    m_tuples.push_back({static_cast<uint32_t>(m_tupleItems.size()), static_cast<uint32_t>(n), pos});
    for (size_t i = 0; i < n; ++i) {
        checkDepth(v.depth, it[i]);
        m_tupleItems.push_back(it[i]);
    }
    return v;
}

Value PickleHeap::addContainer(Kind kind, uint64_t pos)
{
    if (m_containers.size() >= UINT32_MAX)
        throw Refusal{"too many values"};
    m_containers.emplace_back();
    m_containerPos.push_back(pos);
    m_containerDepth.push_back(1);
    return Value{kind, 1, 0, static_cast<uint32_t>(m_containers.size() - 1), 0};
}

Value PickleHeap::addObject(AllowedGlobal cls, uint64_t pos)
{
    if (cls != AllowedGlobal::Snapshot && cls != AllowedGlobal::Traces)
        throw Refusal{"refused: only tracemalloc.Snapshot and tracemalloc._Traces may be "
                      "instantiated"};
    m_objects.push_back({cls, pos, {}});
    return Value{Kind::Object, 1, 0, static_cast<uint32_t>(m_objects.size() - 1), 0};
}

std::span<const Value> PickleHeap::items(const Value& v, Scratch& scratch) const
{
    switch (v.kind) {
    case Kind::Tuple: {
        const TupleRec& t = m_tuples[v.ref];
        return {m_tupleItems.data() + t.begin, t.size};
    }
    case Kind::PairTuple:
        scratch[0] = Value{Kind::Str, 0, 0, v.ref, 0};
        scratch[1] = Value{Kind::Int, 0, 0, 0, v.num};
        return {scratch.data(), 2};
    case Kind::TraceTuple3:
    case Kind::TraceTuple4:
        scratch[0] = Value{Kind::Int, 0, 0, 0, 0};
        scratch[1] = Value{v.num < 0 ? Kind::UInt64 : Kind::Int, 0, 0, 0, v.num};
        scratch[2] = Value{Kind::Tuple, static_cast<uint8_t>(v.depth - 1), 0, v.ref,
                           static_cast<int64_t>(m_tuples[v.ref].size)};
        scratch[3] = Value{Kind::Int, 0, 0, 0, v.aux};
        return {scratch.data(), v.kind == Kind::TraceTuple3 ? size_t(3) : size_t(4)};
    default:
        return {};
    }
}

size_t PickleHeap::tupleSize(const Value& v)
{
    switch (v.kind) {
    case Kind::Tuple:
        return static_cast<size_t>(v.num);
    case Kind::PairTuple:
        return 2;
    case Kind::TraceTuple3:
        return 3;
    case Kind::TraceTuple4:
        return 4;
    default:
        return 0;
    }
}

std::optional<uint64_t> PickleHeap::tuplePos(const Value& v) const
{
    if (v.kind == Kind::Tuple)
        return m_tuples[v.ref].pos;
    return std::nullopt;
}

const Value* PickleHeap::attribute(const Object& o, std::string_view name) const
{
    for (auto it = o.attributes.rbegin(); it != o.attributes.rend(); ++it) {
        if (it->first.kind == Kind::Str && str(it->first) == name)
            return &it->second;
    }
    return nullptr;
}

} // namespace hs::pickle
