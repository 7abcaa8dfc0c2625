#include "tracemallocimporter.h"

#include "flathashmap.h"
#include "hserror.h"
#include "picklereader.h"
#include "snapshotdecoder.h"

#include <cctype>
#include <set>
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
    reader.setProgress(options.progress);
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
