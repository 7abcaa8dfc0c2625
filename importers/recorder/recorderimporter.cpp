#include "recorderimporter.h"

#include "flathashmap.h"
#include "graphanalysis.h"
#include "graphassembler.h"
#include "hsrcursor.h"
#include "hsrreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <map>

namespace hs {

bool RecorderImporter::sniff(std::string_view head)
{
    return HsrReader::sniff(head);
}

namespace {

// One checkpoint's snapshot and graph, filled as their records arrive.
class CheckpointBuilder
{
public:
    explicit CheckpointBuilder(uint32_t snapshot) : m_snapshot(snapshot) {}

    uint32_t snapshot() const { return m_snapshot; }

    void addCost(uint32_t stack, uint32_t domain, uint64_t size, bool truncated)
    {
        const auto next = static_cast<uint32_t>(m_costs.size());
        const uint32_t at = m_costIndex.findOrInsert(uint64_t(stack) << 32 | domain, next);
        if (at == next)
            m_costs.push_back({stack, domain, 0, 0, 0});
        m_costs[at].size += size;
        m_costs[at].count += 1;
        m_costs[at].truncated += truncated;
        m_totalSize += size;
        ++m_totalCount;
        m_truncated += truncated;
    }
    void finishSnapshot(ProfileBuilder& builder)
    {
        SnapshotInfo& info = builder.snapshotInfo(m_snapshot);
        info.totalSize = m_totalSize;
        info.totalCount = m_totalCount;
        info.truncatedCount = m_truncated;
        builder.setCosts(m_snapshot, std::move(m_costs));
        // A checkpoint's snapshot opened again (a damaged file) starts from nothing: the index
        // must not point into the costs just handed over (found by fuzz_hsr), and the totals
        // must stay those of the costs kept.
        m_costs.clear();
        m_costIndex.clear();
        m_totalSize = m_totalCount = m_truncated = 0;
        m_snapshotDone = true;
    }
    bool snapshotDone() const { return m_snapshotDone; }

    // Graph records as they come; the graph is analysed and handed over when it is whole.
    GraphAssembler graph;
    bool graphOpen = false;

    // Returns the number of references to objects the file does not hold.
    uint64_t finishGraph(ProfileBuilder& builder, Progress* progress)
    {
        uint64_t dangling = 0;
        ObjectGraph g = graph.finish(dangling);
        if (progress)
            progress->setStage("analysing the object graph");
        graph = GraphAssembler();
        GraphAnalysis analysis = analyseGraph(g);
        builder.setObjectGraph(m_snapshot, std::move(g), std::move(analysis));
        graphOpen = false;
        return dangling;
    }

private:
    uint32_t m_snapshot;
    std::vector<StackCost> m_costs;
    FlatHashMap m_costIndex;
    uint64_t m_totalSize = 0, m_totalCount = 0, m_truncated = 0;
    bool m_snapshotDone = false;
};

class Importer
{
public:
    Importer(const std::string& fileName, ProfileBuilder& builder, Progress* progress)
        : m_fileName(fileName), m_builder(builder), m_progress(progress)
    {}

    uint32_t run(std::string_view data);

private:
    uint32_t string(HsrCursor& c)
    {
        const uint64_t id = c.varint();
        if (id == 0)
            return kNoIndex;
        if (id > m_strings.size())
            c.fail("refers to string " + std::to_string(id) + ", which is not defined");
        return m_strings[id - 1];
    }
    uint32_t stack(HsrCursor& c, uint64_t frames)
    {
        // Files list the most recent frame first (as tracemalloc does); the trie starts at the
        // oldest.
        if (frames > kMaxFrames) // tracemalloc keeps at most this many
            c.fail("has a traceback of " + std::to_string(frames) + " frames (at most " +
                   std::to_string(kMaxFrames) + ")");
        m_frames.clear();
        for (uint64_t k = 0; k < frames; ++k) {
            Frame f;
            f.file = string(c);
            f.line = static_cast<int64_t>(c.varint());
            m_frames.push_back(f);
        }
        uint32_t parent = kNoIndex;
        for (size_t k = m_frames.size(); k-- > 0;)
            parent = m_builder.internStack(parent, m_builder.internFrame(m_frames[k]));
        return parent;
    }
    CheckpointBuilder& checkpoint(HsrCursor& c)
    {
        const uint32_t id = c.varint32("checkpoint id");
        auto it = m_checkpoints.find(id);
        if (it != m_checkpoints.end())
            return it->second;
        SnapshotInfo info;
        info.recording = m_recording;
        info.label = "checkpoint " + std::to_string(id);
        for (const auto& cp : m_builder.recordingInfo(m_recording).timeline.checkpoints)
            if (cp.id == id) {
                info.label = cp.label;
                info.timeMs = cp.timeMs;
            }
        info.python = m_python;
        return m_checkpoints.emplace(id, CheckpointBuilder(m_builder.addSnapshot(info)))
            .first->second;
    }
    void record(uint8_t type, HsrCursor& c);
    // A snapshot or graph left open when another one starts (or the file ends): kept as far as
    // it goes, with a warning.
    void closeOpen(bool snapshot, bool graph, const char* why);

    static constexpr uint64_t kMaxFrames = 65535;

    std::string m_fileName;
    ProfileBuilder& m_builder;
    Progress* m_progress;
    uint64_t m_size = 0;
    uint32_t m_recording = 0;
    std::string m_python;
    std::vector<uint32_t> m_strings;    // file string id - 1 -> profile string
    std::vector<uint32_t> m_tracebacks; // file traceback id - 1 -> stack
    std::vector<Frame> m_frames;
    std::map<uint32_t, CheckpointBuilder> m_checkpoints;
    CheckpointBuilder* m_snapshot = nullptr; // between SNAPSHOT_BEGIN and SNAPSHOT_END
    CheckpointBuilder* m_graph = nullptr;    // between GRAPH_BEGIN and GRAPH_END
    uint64_t m_dangling = 0;
    bool m_ended = false;
};

void Importer::record(uint8_t type, HsrCursor& c)
{
    RecordingInfo& rec = m_builder.recordingInfo(m_recording);
    switch (type) {
    case HsrReader::Meta: {
        const std::string_view text = c.str();
        const QJsonObject meta =
            QJsonDocument::fromJson(QByteArray(text.data(), qsizetype(text.size()))).object();
        QStringList argv;
        for (const auto& a : meta.value(QStringLiteral("argv")).toArray())
            argv << a.toString();
        rec.commandLine = argv.join(QLatin1Char(' ')).toStdString();
        m_python = meta.value(QStringLiteral("python")).toString().toStdString();
        rec.properties.emplace_back("python", m_python);
        rec.properties.emplace_back("pid",
                                    std::to_string(meta.value(QStringLiteral("pid")).toInteger()));
        rec.properties.emplace_back("tracemalloc",
                                    meta.value(QStringLiteral("tracemalloc")).toBool() ? "1" : "0");
        break;
    }
    case HsrReader::Strings: {
        const uint64_t first = c.varint(), count = c.varint();
        if (first != m_strings.size() + 1)
            c.fail("defines string " + std::to_string(first) + " where " +
                   std::to_string(m_strings.size() + 1) + " was next");
        for (uint64_t k = 0; k < count; ++k)
            m_strings.push_back(m_builder.internString(c.str()));
        break;
    }
    case HsrReader::Sample: {
        RecorderTimeline::Sample s;
        s.timeMs = c.f64() * 1000.0;
        s.tracedCurrent = c.varint();
        s.tracedPeak = c.varint();
        s.rssBytes = c.varint();
        for (uint64_t& v : s.gcCount)
            v = c.varint();
        for (uint64_t& v : s.gcCollections)
            v = c.varint();
        rec.timeline.samples.push_back(s);
        break;
    }
    case HsrReader::Checkpoint: {
        RecorderTimeline::Checkpoint cp;
        cp.id = c.varint32("checkpoint id");
        cp.timeMs = c.f64() * 1000.0;
        cp.label = std::string(c.str());
        cp.flags = c.varint32("checkpoint flag");
        rec.timeline.checkpoints.push_back(cp);
        break;
    }
    case HsrReader::SnapshotBegin: {
        if (m_snapshot)
            closeOpen(true, false, "another snapshot began");
        m_snapshot = &checkpoint(c);
        if (m_snapshot->snapshotDone())
            rec.warnings.push_back("checkpoint '" +
                                   m_builder.snapshotInfo(m_snapshot->snapshot()).label +
                                   "' has a second snapshot: the later one is kept");
        m_builder.snapshotInfo(m_snapshot->snapshot()).tracebackLimit =
            static_cast<int64_t>(c.varint() & INT64_MAX);
        break;
    }
    case HsrReader::Traces: {
        if (!m_snapshot)
            c.fail("holds traces outside a snapshot");
        const uint64_t count = c.varint();
        for (uint64_t k = 0; k < count; ++k) {
            const uint32_t domain = c.varint32("domain");
            const uint64_t size = c.varint();
            const uint64_t total = c.varint();
            const uint64_t frames = c.varint();
            m_snapshot->addCost(stack(c, frames), domain, size, total > frames);
        }
        break;
    }
    case HsrReader::SnapshotEnd:
        if (m_snapshot)
            m_snapshot->finishSnapshot(m_builder);
        m_snapshot = nullptr;
        break;
    case HsrReader::GraphBegin:
        if (m_graph)
            closeOpen(false, true, "another object graph began");
        m_graph = &checkpoint(c);
        m_graph->graphOpen = true;
        break;
    case HsrReader::Tracebacks: {
        const uint64_t count = c.varint();
        for (uint64_t k = 0; k < count; ++k) {
            const uint64_t id = c.varint();
            if (id != m_tracebacks.size() + 1)
                c.fail("defines traceback " + std::to_string(id) + " out of order");
            m_tracebacks.push_back(stack(c, c.varint()));
        }
        break;
    }
    case HsrReader::Nodes: {
        if (!m_graph)
            c.fail("holds objects outside a graph");
        const uint64_t count = c.varint();
        for (uint64_t k = 0; k < count; ++k) {
            const uint64_t address = c.varint();
            uint32_t type = string(c);
            const uint64_t size = c.varint();
            const uint32_t label = string(c);
            const auto flags = static_cast<uint8_t>(c.varint() & 7);
            const uint64_t tb = c.varint();
            if (tb > m_tracebacks.size())
                c.fail("refers to traceback " + std::to_string(tb) + ", which is not defined");
            if (type == kNoIndex)
                type = m_builder.internString("?");
            const bool kept = m_graph->graph.addNode(address, type, size, label, flags,
                                                     tb == 0 ? kNoIndex : m_tracebacks[tb - 1]);
            const uint64_t edges = c.varint();
            for (uint64_t e = 0; e < edges; ++e) {
                const uint64_t target = c.varint();
                const uint32_t name = string(c);
                if (kept)
                    m_graph->graph.addReference(target, name);
            }
        }
        break;
    }
    case HsrReader::Roots: {
        if (!m_graph)
            c.fail("holds roots outside a graph");
        const uint64_t count = c.varint();
        for (uint64_t k = 0; k < count; ++k) {
            const uint64_t address = c.varint();
            ObjectGraph::Root root;
            root.kind = string(c);
            root.name = string(c);
            m_graph->graph.addRoot(address, root);
        }
        break;
    }
    case HsrReader::GraphEnd:
        if (m_graph)
            m_dangling += m_graph->finishGraph(m_builder, m_progress);
        m_graph = nullptr;
        if (m_progress)
            m_progress->setStage("reading", m_size);
        break;
    case HsrReader::End:
        m_ended = true;
        break;
    default:
        break; // a newer recorder's record: skipped
    }
}

void Importer::closeOpen(bool snapshot, bool graph, const char* why)
{
    RecordingInfo& rec = m_builder.recordingInfo(m_recording);
    if (snapshot && m_snapshot) {
        rec.warnings.push_back("the snapshot of checkpoint '" +
                               m_builder.snapshotInfo(m_snapshot->snapshot()).label +
                               "' is incomplete (" + why + " before its end)");
        m_snapshot->finishSnapshot(m_builder);
        m_snapshot = nullptr;
    }
    if (graph && m_graph) {
        rec.warnings.push_back("the object graph of checkpoint '" +
                               m_builder.snapshotInfo(m_graph->snapshot()).label +
                               "' is incomplete (" + why + " before its end)");
        m_dangling += m_graph->finishGraph(m_builder, m_progress);
        m_graph = nullptr;
    }
}

uint32_t Importer::run(std::string_view data)
{
    HsrReader reader(data, m_fileName);
    RecordingInfo info;
    info.kind = "recorder";
    info.sourceName = m_fileName;
    info.sourceSize = data.size();
    m_recording = m_builder.addRecording(std::move(info));
    uint8_t type = 0;
    std::string_view payload;
    m_size = data.size();
    if (m_progress)
        m_progress->setStage("reading", m_size);
    while (reader.next(type, payload)) {
        if (m_progress)
            m_progress->advance(reader.recordOffset());
        HsrCursor cursor(payload, m_fileName + ": the record at byte " +
                                      std::to_string(reader.recordOffset()));
        record(type, cursor);
    }
    RecordingInfo& rec = m_builder.recordingInfo(m_recording);
    if (!reader.truncation().empty())
        rec.warnings.push_back("the recording is cut: " + reader.truncation() +
                               "; everything before it was imported");
    else if (!m_ended)
        rec.warnings.push_back("the recording has no end record (the program may have died "
                               "while it was recorded)");
    closeOpen(true, true, "the file ended");
    // References to objects made while the graph was written: inherent in a live heap, so a
    // figure of the recording rather than a warning.
    rec.properties.emplace_back("dropped_references", std::to_string(m_dangling));
    return m_recording;
}

} // namespace

uint32_t RecorderImporter::import(std::string_view data, const std::string& fileName,
                                  ProfileBuilder& builder, Progress* progress)
{
    return Importer(fileName, builder, progress).run(data);
}

} // namespace hs
