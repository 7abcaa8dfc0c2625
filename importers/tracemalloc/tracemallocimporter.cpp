#include "tracemallocimporter.h"

#include "flathashmap.h"
#include "hserror.h"
#include "picklereader.h"

#include <cctype>
#include <set>
#include <unordered_map>

namespace hs {

namespace {

using pickle::isTuple;
using pickle::Kind;
using pickle::PickleHeap;
using pickle::PickleReader;
using pickle::Value;

bool isInt(const Value& v)
{
    return v.kind == Kind::Int || v.kind == Kind::Bool;
}

// Turns traces into stacks and costs. Traces streamed into the first list that receives any
// (the trace list, in every real dump) are summed per traceback tuple as they go by: one array
// access per trace. Everything else a container kept is decoded afterwards with full checks.
class SnapshotDecoder
{
public:
    SnapshotDecoder(const PickleReader& reader, ProfileBuilder& builder)
        : m_reader(reader), m_heap(reader.heap()), m_builder(builder)
    {}

    // The append filter: takes over inline (well-formed, domain 0) traces of the first list.
    bool take(const Value& list, const Value& item)
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
        if (__builtin_add_overflow(m_streamedSize, size, &m_streamedSize) ||
            m_streamedSize > INT64_MAX)
            m_reader.failAt(m_heap.containerPos(list),
                            "the trace sizes add up to more than 2^63 bytes");
        if (t.count++ == 0)
            t.frames = static_cast<uint32_t>(m_heap.pooledTupleSize(item.ref));
        t.size += size;
        t.truncated += item.kind == Kind::TraceTuple4 && item.aux > t.frames;
        m_streamedArity = item.kind == Kind::TraceTuple3 ? 3 : 4;
        return true;
    }

    // Sums of the trace container: what was streamed into it plus what it kept.
    void decodeContainer(const Value& container)
    {
        const bool isList = container.kind == Kind::List;
        const uint64_t pos =
            isList ? m_heap.containerPos(container) : m_heap.tuplePos(container).value_or(0);
        if (isList && container.ref == m_streamedList) {
            m_result.arity = m_streamedArity;
            for (uint32_t ref = 0; ref < m_byTuple.size(); ++ref) {
                const TupleSums& t = m_byTuple[ref];
                if (t.count > 0)
                    addCost(m_result, 0, stackOf(Value{Kind::Tuple, 0, 0, ref, 0}, pos).first,
                            t.size, t.count, t.truncated, pos);
            }
        }
        PickleHeap::Scratch scratch;
        const auto items = isList ? std::span<const Value>(m_heap.containerItems(container))
                                  : m_heap.items(container, scratch);
        for (const Value& item : items)
            decodeTrace(item, pos);
    }

    struct Sums
    {
        FlatHashMap index; // stack << 32 | domain -> index in costs
        std::vector<StackCost> costs;
        uint64_t totalSize = 0;
        uint64_t totalCount = 0;
        uint64_t truncatedCount = 0;
        int arity = 0;
    };

    Sums& result() { return m_result; }

private:
    void decodeTrace(const Value& trace, uint64_t containerPos)
    {
        const uint64_t pos = trace.kind == Kind::List
                                 ? m_heap.containerPos(trace)
                                 : m_heap.tuplePos(trace).value_or(containerPos);
        // Python only unpacks a trace, so a hand-made list works as well as a tuple.
        if (!isTuple(trace.kind) && trace.kind != Kind::List)
            m_reader.failAt(pos, "a trace is not a tuple");
        PickleHeap::Scratch scratch;
        const auto t = trace.kind == Kind::List
                           ? std::span<const Value>(m_heap.containerItems(trace))
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
        addCost(m_result, static_cast<uint32_t>(t[0].num), stack, static_cast<uint64_t>(t[1].num),
                1, t.size() == 4 && totalFrames > frames, pos);
    }

    void addCost(Sums& sums, uint32_t domain, uint32_t stack, uint64_t size, uint64_t count,
                 uint64_t truncated, uint64_t pos)
    {
        const auto next = static_cast<uint32_t>(sums.costs.size());
        const uint32_t at =
            sums.index.findOrInsert(static_cast<uint64_t>(stack) << 32 | domain, next);
        if (at == next)
            sums.costs.push_back({stack, domain, 0, 0, 0});
        StackCost& c = sums.costs[at];
        if (__builtin_add_overflow(c.size, size, &c.size) ||
            __builtin_add_overflow(sums.totalSize, size, &sums.totalSize) ||
            sums.totalSize > INT64_MAX)
            m_reader.failAt(pos, "the trace sizes add up to more than 2^63 bytes");
        c.count += count;
        sums.totalCount += count;
        c.truncated += truncated;
        sums.truncatedCount += truncated;
    }

    // The stack of a traceback tuple, and its number of frames.
    std::pair<uint32_t, size_t> stackOf(const Value& traceback, uint64_t tracePos)
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

    uint32_t fileOf(const Value& s)
    {
        auto [it, inserted] = m_fileOfString.try_emplace(s.ref, kNoIndex);
        if (inserted)
            it->second = m_builder.internString(m_heap.str(s));
        return it->second;
    }

    const PickleReader& m_reader;
    const pickle::PickleHeap& m_heap;
    ProfileBuilder& m_builder;
    std::vector<std::pair<uint32_t, size_t>> m_stackOfTuple;
    std::unordered_map<uint32_t, uint32_t> m_fileOfString;
    struct TupleSums
    {
        uint64_t size = 0;
        uint64_t count = 0;
        uint64_t truncated = 0;
        uint32_t frames = 0; // the traceback's length, cached on first use
    };
    uint32_t m_streamedList = UINT32_MAX;
    HugeVector<TupleSums> m_byTuple; // streamed traces by traceback tuple
    uint64_t m_streamedSize = 0;
    int m_streamedArity = 0;
    Sums m_result;
};

const pickle::PickleHeap::Object& expectObject(const PickleReader& r, const Value& v,
                                               pickle::AllowedGlobal cls, uint64_t pos,
                                               const char* what)
{
    if (v.kind != Kind::Object || r.heap().object(v).cls != cls)
        r.failAt(pos, std::string("not a tracemalloc snapshot: ") + what);
    return r.heap().object(v);
}

std::string pythonGeneration(int protocol, int arity)
{
    if (protocol == 4 && arity != 4)
        return "3.6 or 3.7";
    if (protocol == 5 && arity == 3)
        return "3.8";
    if (arity == 4)
        return "3.9+";
    return "unknown (re-pickled)";
}

uint32_t importSnapshot(std::string_view data, const std::string& fileName, ProfileBuilder& builder,
                        const TracemallocImporter::Options& options, bool keepAllMemo);

} // namespace

bool TracemallocImporter::sniff(std::string_view head)
{
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x80)
        return static_cast<unsigned char>(head[1]) <= 5;
    // Protocols 0 and 1 have no header; they open by naming a global ("ccopy_reg\n_reconstructor
    // \n" for a snapshot), possibly after a MARK. Any such pickle goes to the reader, which then
    // says precisely what it refuses.
    if (head.starts_with('('))
        head.remove_prefix(1);
    if (head.empty() || (head[0] != 'c' && head[0] != 'i'))
        return false;
    size_t pos = 1;
    for (int line = 0; line < 2; ++line) {
        const size_t start = pos;
        while (pos < head.size() && pos - start < 64 &&
               (std::isalnum(static_cast<unsigned char>(head[pos])) || head[pos] == '_' ||
                head[pos] == '.'))
            ++pos;
        if (pos == start || pos >= head.size() || head[pos] != '\n')
            return line == 1 && pos == head.size(); // a long name may run past the sniffed bytes
        ++pos;
    }
    return true;
}

uint32_t TracemallocImporter::import(std::string_view data, const std::string& fileName,
                                     ProfileBuilder& builder, const Options& options)
{
    try {
        return importSnapshot(data, fileName, builder, options, false);
    } catch (const pickle::PickleMemo::NeedsFullMemo&) {
        // The pickle reads a frame or trace tuple back: read it again keeping every value.
        // Nothing reached the builder before the reader finished, so nothing is left over.
        return importSnapshot(data, fileName, builder, options, true);
    }
}

namespace {

uint32_t importSnapshot(std::string_view data, const std::string& fileName, ProfileBuilder& builder,
                        const TracemallocImporter::Options& options, bool keepAllMemo)
{
    PickleReader reader(data, fileName, keepAllMemo);
    SnapshotDecoder decoder(reader, builder);
    reader.setAppendFilter(
        [&decoder](const Value& list, const Value& item) { return decoder.take(list, item); });
    const Value root = reader.read();
    const auto& snapshot =
        expectObject(reader, root, pickle::AllowedGlobal::Snapshot, 0, "no Snapshot object");
    const Value* traces = reader.heap().attribute(snapshot, "traces");
    const Value* limit = reader.heap().attribute(snapshot, "traceback_limit");
    if (!traces || !limit)
        reader.failAt(snapshot.pos, "the Snapshot has no 'traces' or no 'traceback_limit'");
    const auto& tracesObj = expectObject(reader, *traces, pickle::AllowedGlobal::Traces,
                                         snapshot.pos, "'traces' is not a _Traces object");
    const Value* list = reader.heap().attribute(tracesObj, "_traces");
    if (!list || (list->kind != Kind::List && list->kind != Kind::Tuple))
        reader.failAt(tracesObj.pos, "the trace container is not a list or tuple");
    if (!isInt(*limit) || limit->num < 0)
        reader.failAt(snapshot.pos, "traceback_limit is not a non-negative integer");

    RecordingInfo rec;
    rec.kind = "tracemalloc";
    rec.sourceName = fileName;
    rec.sourceSize = data.size();
    std::set<std::string_view> unknown;
    for (const auto& [key, value] : snapshot.attributes) {
        const std::string_view name = reader.heap().str(key);
        if (name != "traces" && name != "traceback_limit" && unknown.insert(name).second &&
            unknown.size() <= 10)
            rec.warnings.push_back("ignored an unknown Snapshot attribute '" + std::string(name) +
                                   "'");
    }
    if (unknown.size() > 10)
        rec.warnings.push_back("ignored " + std::to_string(unknown.size() - 10) +
                               " more unknown Snapshot attributes");
    const uint32_t recording = builder.addRecording(std::move(rec));

    decoder.decodeContainer(*list);
    auto& sums = decoder.result();

    SnapshotInfo info;
    info.recording = recording;
    const size_t slash = fileName.find_last_of('/');
    info.label = slash == std::string::npos ? fileName : fileName.substr(slash + 1);
    info.tracebackLimit = limit->num;
    info.totalSize = sums.totalSize;
    info.totalCount = sums.totalCount;
    info.truncatedCount = sums.truncatedCount;
    info.protocol = reader.protocol();
    info.python = pythonGeneration(info.protocol, sums.arity);
    // Only 3.6 compares tracebacks most recent frame first. A protocol-4 dump with 3-tuples is
    // 3.6 or 3.7; the default follows the newer one unless the caller knows better.
    info.order = options.order.value_or(TracebackOrder::OldestFirst);
    const uint32_t index = builder.addSnapshot(std::move(info));
    builder.setCosts(index, std::move(sums.costs));
    return index;
}

} // namespace

} // namespace hs
