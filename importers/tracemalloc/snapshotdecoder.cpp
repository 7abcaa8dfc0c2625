#include "snapshotdecoder.h"

#include <algorithm>
#include <span>

namespace hs {

using pickle::isTuple;
using pickle::Kind;
using pickle::PickleHeap;
using pickle::PickleReader;
using pickle::Value;

namespace {
bool isInt(const Value& v)
{
    return v.kind == Kind::Int || v.kind == Kind::Bool;
}
} // namespace

SnapshotDecoder::SnapshotDecoder(const PickleReader& reader, ProfileBuilder& builder)
    : m_reader(reader), m_heap(reader.heap()), m_builder(builder)
{}

bool SnapshotDecoder::take(const Value& list, const Value& item)
{
    if (item.kind != Kind::TraceTuple3 && item.kind != Kind::TraceTuple4)
        return false;
    if (list.ref != m_streamedList) {
        if (m_streamedList != UINT32_MAX)
            return false;
        m_streamedList = list.ref;
    }
    if (item.ref >= m_byTuple.size())
        m_byTuple.resize(std::max<size_t>(item.ref + 1, m_byTuple.size() * 2));
    TupleSums& t = m_byTuple[item.ref];
    const auto size = static_cast<uint64_t>(item.num);
    if (__builtin_add_overflow(m_streamedSize, size, &m_streamedSize) || m_streamedSize > INT64_MAX)
        m_reader.failAt(m_heap.containerPos(list),
                        "the trace sizes add up to more than 2^63 bytes");
    if (t.count++ == 0)
        t.frames = static_cast<uint32_t>(m_heap.pooledTupleSize(item.ref));
    t.size += size;
    t.truncated += item.kind == Kind::TraceTuple4 && item.aux > t.frames;
    m_streamedArity = item.kind == Kind::TraceTuple3 ? 3 : 4;
    return true;
}

void SnapshotDecoder::decodeContainer(const Value& container)
{
    const bool isList = container.kind == Kind::List;
    const uint64_t pos =
        isList ? m_heap.containerPos(container) : m_heap.tuplePos(container).value_or(0);
    if (isList && container.ref == m_streamedList) {
        m_result.arity = m_streamedArity;
        for (uint32_t ref = 0; ref < m_byTuple.size(); ++ref) {
            const TupleSums& t = m_byTuple[ref];
            if (t.count > 0)
                addCost(m_result, 0, stackOf(Value{Kind::Tuple, 0, 0, ref, 0}, pos).first, t.size,
                        t.count, t.truncated, pos);
        }
    }
    PickleHeap::Scratch scratch;
    const auto items = isList ? std::span<const Value>(m_heap.containerItems(container))
                              : m_heap.items(container, scratch);
    for (const Value& item : items)
        decodeTrace(item, pos);
}

void SnapshotDecoder::decodeTrace(const Value& trace, uint64_t containerPos)
{
    const uint64_t pos = trace.kind == Kind::List ? m_heap.containerPos(trace)
                                                  : m_heap.tuplePos(trace).value_or(containerPos);
    // Python only unpacks a trace, so a hand-made list works as well as a tuple.
    if (!isTuple(trace.kind) && trace.kind != Kind::List)
        m_reader.failAt(pos, "a trace is not a tuple");
    PickleHeap::Scratch scratch;
    const auto t = trace.kind == Kind::List ? std::span<const Value>(m_heap.containerItems(trace))
                                            : m_heap.items(trace, scratch);
    if (t.size() != 3 && t.size() != 4)
        m_reader.failAt(pos, "a trace is not (domain, size, traceback[, total_nframe])");
    if (m_result.arity == 0)
        m_result.arity = static_cast<int>(t.size());
    if (!isInt(t[0]) || t[0].num < 0 || t[0].num > UINT32_MAX)
        m_reader.failAt(pos, "a trace's domain is not an unsigned 32-bit integer");
    if (!((isInt(t[1]) && t[1].num >= 0) || t[1].kind == Kind::UInt64))
        m_reader.failAt(pos, "a trace's size is not an unsigned 64-bit integer");
    if (t[2].kind != Kind::Tuple)
        m_reader.failAt(pos, "a trace's traceback is not a tuple");
    uint64_t totalFrames = 0;
    if (t.size() == 4) {
        if (!isInt(t[3]) || t[3].num < 0)
            m_reader.failAt(pos, "a trace's total_nframe is not a non-negative integer");
        totalFrames = static_cast<uint64_t>(t[3].num);
    }
    const auto [stack, frames] = stackOf(t[2], pos);
    addCost(m_result, static_cast<uint32_t>(t[0].num), stack, static_cast<uint64_t>(t[1].num), 1,
            t.size() == 4 && totalFrames > frames, pos);
}

void SnapshotDecoder::addCost(Sums& sums, uint32_t domain, uint32_t stack, uint64_t size,
                              uint64_t count, uint64_t truncated, uint64_t pos)
{
    const auto next = static_cast<uint32_t>(sums.costs.size());
    const uint32_t at = sums.index.findOrInsert(static_cast<uint64_t>(stack) << 32 | domain, next);
    if (at == next)
        sums.costs.push_back({stack, domain, 0, 0, 0});
    StackCost& c = sums.costs[at];
    if (__builtin_add_overflow(c.size, size, &c.size) ||
        __builtin_add_overflow(sums.totalSize, size, &sums.totalSize) || sums.totalSize > INT64_MAX)
        m_reader.failAt(pos, "the trace sizes add up to more than 2^63 bytes");
    c.count += count;
    sums.totalCount += count;
    c.truncated += truncated;
    sums.truncatedCount += truncated;
}

std::pair<uint32_t, size_t> SnapshotDecoder::stackOf(const Value& traceback, uint64_t tracePos)
{
    if (traceback.ref >= m_stackOfTuple.size())
        m_stackOfTuple.resize(std::max<size_t>(traceback.ref + 1, m_stackOfTuple.size() * 2),
                              {kNoIndex, 0});
    auto& cached = m_stackOfTuple[traceback.ref];
    if (cached.first != kNoIndex)
        return cached;
    const uint64_t pos = m_heap.tuplePos(traceback).value_or(tracePos);
    PickleHeap::Scratch unused;
    const auto frames = m_heap.items(traceback, unused);
    if (frames.empty())
        m_reader.failAt(pos, "a traceback has no frames");
    // The file lists the most recent frame first; the trie starts at the oldest.
    uint32_t parent = kNoIndex;
    for (size_t i = frames.size(); i-- > 0;) {
        PickleHeap::Scratch scratch;
        const Value& f = frames[i];
        const auto fl = m_heap.items(f, scratch);
        const uint64_t framePos = m_heap.tuplePos(f).value_or(pos);
        if (fl.size() == 2 && fl[0].kind == Kind::Str &&
            (fl[1].kind == Kind::UInt64 || fl[1].kind == Kind::BigInt))
            m_reader.failAt(framePos, "a line number does not fit in 64 bits");
        if (fl.size() != 2 || fl[0].kind != Kind::Str || !isInt(fl[1]))
            m_reader.failAt(framePos, "a frame is not (filename, lineno)");
        Frame frame;
        frame.file = fileOf(fl[0]);
        frame.line = fl[1].num;
        parent = m_builder.internStack(parent, m_builder.internFrame(frame));
    }
    cached = {parent, frames.size()};
    return cached;
}

uint32_t SnapshotDecoder::fileOf(const Value& s)
{
    auto [it, inserted] = m_fileOfString.try_emplace(s.ref, kNoIndex);
    if (inserted)
        it->second = m_builder.internString(m_heap.str(s));
    return it->second;
}

} // namespace hs
