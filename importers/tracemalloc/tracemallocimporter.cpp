#include "tracemallocimporter.h"

#include "hserror.h"
#include "picklereader.h"

#include <cctype>
#include <unordered_map>

namespace hs {

namespace {

using pickle::Kind;
using pickle::PickleReader;
using pickle::Value;

bool isInt(const Value& v)
{
    return v.kind == Kind::Int || v.kind == Kind::Bool;
}

// Turns the unpickled object graph into stacks and costs.
class SnapshotDecoder
{
public:
    SnapshotDecoder(const PickleReader& reader, ProfileBuilder& builder)
        : m_reader(reader), m_builder(builder), m_stackOfTuple(reader.tupleCount(), kNoIndex),
          m_fileOfString(reader.stringCount(), kNoIndex)
    {
    }

    void decodeTraces(const Value& list)
    {
        const auto items = list.kind == Kind::Tuple
                               ? m_reader.tupleItems(list)
                               : std::span<const Value>(m_reader.containerItems(list));
        const uint64_t listPos =
            list.kind == Kind::Tuple ? m_reader.tuplePos(list) : m_reader.containerPos(list);
        for (size_t i = 0; i < items.size(); ++i)
            addTrace(items[i], i, listPos);
    }

    std::vector<StackCost> takeCosts() { return std::move(m_costs); }
    uint64_t totalSize = 0;
    uint64_t totalCount = 0;
    uint64_t truncatedCount = 0;
    int arity = 0;

private:
    [[noreturn]] void failTrace(size_t index, uint64_t pos, const std::string& what) const
    {
        m_reader.failAt(pos, "trace #" + std::to_string(index) + ": " + what);
    }

    void addTrace(const Value& trace, size_t index, uint64_t listPos)
    {
        if (trace.kind != Kind::Tuple)
            failTrace(index, listPos, "is not a tuple");
        const uint64_t pos = m_reader.tuplePos(trace);
        const auto t = m_reader.tupleItems(trace);
        if (t.size() != 3 && t.size() != 4)
            failTrace(index, pos, "is not (domain, size, traceback[, total_nframe])");
        if (arity == 0)
            arity = static_cast<int>(t.size());
        if (!isInt(t[0]) || t[0].num < 0 || t[0].num > UINT32_MAX)
            failTrace(index, pos, "domain is not an unsigned 32-bit integer");
        uint64_t size;
        if (isInt(t[1]) && t[1].num >= 0)
            size = static_cast<uint64_t>(t[1].num);
        else if (t[1].kind == Kind::UInt64)
            size = static_cast<uint64_t>(t[1].num);
        else
            failTrace(index, pos, "size is not an unsigned 64-bit integer");
        if (t[2].kind != Kind::Tuple)
            failTrace(index, pos, "traceback is not a tuple");
        const uint32_t stack = stackOf(t[2], index);
        uint64_t totalFrames = m_reader.tupleItems(t[2]).size();
        if (t.size() == 4) {
            if (!isInt(t[3]) || t[3].num < 0)
                failTrace(index, pos, "total_nframe is not a non-negative integer");
            totalFrames = static_cast<uint64_t>(t[3].num);
        }
        const bool truncated = totalFrames > m_reader.tupleItems(t[2]).size();
        const uint64_t key = static_cast<uint64_t>(stack) << 32 | static_cast<uint64_t>(t[0].num);
        auto [it, inserted] = m_costIndex.try_emplace(key, static_cast<uint32_t>(m_costs.size()));
        if (inserted)
            m_costs.push_back({stack, static_cast<uint32_t>(t[0].num), 0, 0, 0});
        StackCost& c = m_costs[it->second];
        if (__builtin_add_overflow(c.size, size, &c.size) ||
            __builtin_add_overflow(totalSize, size, &totalSize) || totalSize > INT64_MAX)
            failTrace(index, pos, "the sizes add up to more than 2^63 bytes");
        ++c.count;
        ++totalCount;
        c.truncated += truncated;
        truncatedCount += truncated;
    }

    uint32_t stackOf(const Value& traceback, size_t index)
    {
        uint32_t& cached = m_stackOfTuple[traceback.ref];
        if (cached != kNoIndex)
            return cached;
        const uint64_t pos = m_reader.tuplePos(traceback);
        const auto frames = m_reader.tupleItems(traceback);
        if (frames.empty())
            failTrace(index, pos, "traceback has no frames");
        // The file lists the most recent frame first; the trie starts at the oldest.
        uint32_t parent = kNoIndex;
        for (size_t i = frames.size(); i-- > 0;) {
            const Value& f = frames[i];
            if (f.kind != Kind::Tuple)
                failTrace(index, pos, "a frame is not a tuple");
            const auto fl = m_reader.tupleItems(f);
            if (fl.size() != 2 || fl[0].kind != Kind::Str || !isInt(fl[1]))
                failTrace(index, m_reader.tuplePos(f), "a frame is not (filename, lineno)");
            Frame frame;
            frame.file = fileOf(fl[0]);
            frame.line = fl[1].num;
            parent = m_builder.internStack(parent, m_builder.internFrame(frame));
        }
        cached = parent;
        return parent;
    }

    uint32_t fileOf(const Value& s)
    {
        uint32_t& cached = m_fileOfString[s.ref];
        if (cached == kNoIndex)
            cached = m_builder.internString(m_reader.str(s));
        return cached;
    }

    const PickleReader& m_reader;
    ProfileBuilder& m_builder;
    std::vector<uint32_t> m_stackOfTuple;
    std::vector<uint32_t> m_fileOfString;
    std::unordered_map<uint64_t, uint32_t> m_costIndex;
    std::vector<StackCost> m_costs;
};

const PickleReader::Object& expectObject(const PickleReader& r, const Value& v,
                                         pickle::AllowedGlobal cls, uint64_t pos,
                                         const char* what)
{
    if (v.kind != Kind::Object || r.object(v).cls != cls)
        r.failAt(pos, std::string("not a tracemalloc snapshot: ") + what);
    return r.object(v);
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
    PickleReader reader(data, fileName);
    const Value root = reader.read();
    const auto& snapshot =
        expectObject(reader, root, pickle::AllowedGlobal::Snapshot, 0, "no Snapshot object");
    const Value* traces = reader.attribute(snapshot, "traces");
    const Value* limit = reader.attribute(snapshot, "traceback_limit");
    if (!traces || !limit)
        reader.failAt(snapshot.pos, "the Snapshot has no 'traces' or no 'traceback_limit'");
    const auto& tracesObj = expectObject(reader, *traces, pickle::AllowedGlobal::Traces,
                                         snapshot.pos, "'traces' is not a _Traces object");
    const Value* list = reader.attribute(tracesObj, "_traces");
    if (!list || (list->kind != Kind::List && list->kind != Kind::Tuple))
        reader.failAt(tracesObj.pos, "the trace container is not a list or tuple");
    if (!isInt(*limit) || limit->num < 0)
        reader.failAt(snapshot.pos, "traceback_limit is not a non-negative integer");

    RecordingInfo rec;
    rec.kind = "tracemalloc";
    rec.sourceName = fileName;
    rec.sourceSize = data.size();
    for (const auto& [key, value] : snapshot.attributes) {
        const std::string_view name = reader.str(key);
        if (name != "traces" && name != "traceback_limit")
            rec.warnings.push_back("ignored an unknown Snapshot attribute '" + std::string(name) +
                                   "'");
    }
    const uint32_t recording = builder.addRecording(std::move(rec));

    SnapshotDecoder decoder(reader, builder);
    decoder.decodeTraces(*list);

    SnapshotInfo info;
    info.recording = recording;
    const size_t slash = fileName.find_last_of('/');
    info.label = slash == std::string::npos ? fileName : fileName.substr(slash + 1);
    info.tracebackLimit = limit->num;
    info.totalSize = decoder.totalSize;
    info.totalCount = decoder.totalCount;
    info.truncatedCount = decoder.truncatedCount;
    info.protocol = reader.protocol();
    info.python = pythonGeneration(info.protocol, decoder.arity);
    // Only 3.6 compares tracebacks most recent frame first. A protocol-4 dump with 3-tuples is
    // 3.6 or 3.7; the default follows the newer one unless the caller knows better.
    info.order = options.order.value_or(TracebackOrder::OldestFirst);
    const uint32_t index = builder.addSnapshot(std::move(info));
    builder.setCosts(index, decoder.takeCosts());
    return index;
}

} // namespace hs
