#include "profilebuilder.h"

#include "hserror.h"
#include "stackmerge.h"

namespace hs {

namespace {
void checkRoom(size_t size, const char* what)
{
    if (size >= kNoIndex)
        throw Error(std::string("too many distinct ") + what + " for one file");
}
} // namespace

ProfileBuilder::~ProfileBuilder()
{
    dropMergeAhead();
}

void ProfileBuilder::mergeAhead()
{
    dropMergeAhead();
    m_mergeAhead = std::async(std::launch::async, [data = &m_data] { return mergeStacks(*data); });
}

void ProfileBuilder::dropMergeAhead()
{
    if (m_mergeAhead.valid()) {
        m_mergeAhead.wait(); // an exception it holds goes with it: take() merges again
        m_mergeAhead = {};
    }
}

uint32_t ProfileBuilder::internString(std::string_view value)
{
    dropMergeAhead();
    if (auto it = m_stringIds.find(value); it != m_stringIds.end())
        return it->second;
    checkRoom(m_data.strings.size(), "strings");
    const auto id = static_cast<uint32_t>(m_data.strings.size());
    m_data.strings.emplace_back(value);
    m_stringIds.emplace(std::string(value), id);
    return id;
}

uint32_t ProfileBuilder::internFrame(const Frame& frame)
{
    dropMergeAhead();
    // Only the line is chosen freely by an input; it goes through the seeded mix, the ids
    // (assigned here, in order) are spread by odd multipliers. FlatHashMap mixes the sum again.
    const uint64_t h = seededhash::mix(static_cast<uint64_t>(frame.line) ^ seededhash::seed()) ^
                       frame.file * 0x9E3779B97F4A7C15ull ^ frame.function * 0xC2B2AE3D27D4EB4Full ^
                       frame.module * 0x165667B19E3779F9ull;
    checkRoom(m_data.frames.size(), "frames");
    const auto next = static_cast<uint32_t>(m_data.frames.size());
    const uint32_t id = m_frameIds.findOrInsertHashed(h, next, [&](uint32_t existing) {
        const Frame& f = m_data.frames[existing];
        return f.file == frame.file && f.line == frame.line && f.function == frame.function &&
               f.module == frame.module;
    });
    if (id == next)
        m_data.frames.push_back(frame);
    return id;
}

namespace {
uint64_t stackHash(uint32_t parent, uint32_t frame)
{
    return seededhash::mix(((static_cast<uint64_t>(parent) + 1) << 32 | frame) ^
                           seededhash::seed());
}
} // namespace

void ProfileBuilder::reserveStacks(size_t count)
{
    dropMergeAhead();
    m_data.stacks.reserve(m_data.stacks.size() + count);
    m_stackIds.reserve(m_data.stacks.size() + count, [&](uint32_t existing) {
        return stackHash(m_data.stacks[existing].parent, m_data.stacks[existing].frame);
    });
}

void ProfileBuilder::releaseStackIndex()
{
    m_stackIds.clear();
    m_stacksIndexed = false;
}

uint32_t ProfileBuilder::internStack(uint32_t parent, uint32_t frame)
{
    const auto hashOfExisting = [&](uint32_t existing) {
        return stackHash(m_data.stacks[existing].parent, m_data.stacks[existing].frame);
    };
    dropMergeAhead();
    if (!m_stacksIndexed) { // rebuilt after releaseStackIndex(): every stack is distinct
        m_stacksIndexed = true;
        for (size_t i = 0; i < m_data.stacks.size(); ++i)
            m_stackIds.findOrInsert(
                hashOfExisting(static_cast<uint32_t>(i)), static_cast<uint32_t>(i),
                [](uint32_t) { return false; }, hashOfExisting);
    }
    const auto hashOf = stackHash;
    checkRoom(m_data.stacks.size(), "call stacks");
    const auto next = static_cast<uint32_t>(m_data.stacks.size());
    const uint32_t id = m_stackIds.findOrInsert(
        hashOf(parent, frame), next,
        [&](uint32_t existing) {
            return m_data.stacks[existing].parent == parent &&
                   m_data.stacks[existing].frame == frame;
        },
        hashOfExisting);
    if (id == next)
        m_data.stacks.push_back({parent, frame});
    return id;
}

uint32_t ProfileBuilder::addRecording(RecordingInfo info)
{
    m_data.recordings.push_back(std::move(info));
    return static_cast<uint32_t>(m_data.recordings.size() - 1);
}

uint32_t ProfileBuilder::addSnapshot(SnapshotInfo info)
{
    m_data.snapshots.push_back({std::move(info), {}, {}, {}, {}});
    return static_cast<uint32_t>(m_data.snapshots.size() - 1);
}

void ProfileBuilder::setCosts(uint32_t snapshot, std::vector<StackCost> costs)
{
    m_data.snapshots[snapshot].costs = std::move(costs);
}

void ProfileBuilder::setObjectGraph(uint32_t snapshot, ObjectGraph graph, GraphAnalysis analysis)
{
    m_data.snapshots[snapshot].graph = std::move(graph);
    m_data.snapshots[snapshot].analysis = std::move(analysis);
}

void ProfileBuilder::setHeapProfile(uint32_t snapshot, HeapProfile heap)
{
    m_data.snapshots[snapshot].heap = std::move(heap);
}

ProfileData ProfileBuilder::take()
{
    m_stringIds.clear();
    m_frameIds.clear();
    m_stackIds.clear();
    m_data.mergedStacks = m_mergeAhead.valid() ? m_mergeAhead.get() : mergeStacks(m_data);
    return std::move(m_data);
}

} // namespace hs
