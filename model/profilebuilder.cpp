#include "profilebuilder.h"

#include "hserror.h"
#include "stackmerge.h"

#include <algorithm>

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
    if (m_stacksIndexed)
        m_links.reserve(m_data.stacks.size() + count);
}

void ProfileBuilder::releaseStackIndex()
{
    HugeVector<Links>().swap(m_links);
    m_rootLinks = {};
    m_hubChildren.clear();
    m_stacksIndexed = false;
}

ProfileBuilder::Links& ProfileBuilder::linksOf(uint32_t parent)
{
    return parent == kNoIndex ? m_rootLinks : m_links[parent];
}

void ProfileBuilder::addChild(Links& links, uint32_t child, size_t siblings)
{
    const auto hashOf = [&](uint32_t stack) {
        return stackHash(m_data.stacks[stack].parent, m_data.stacks[stack].frame);
    };
    if (links.firstChild != kHub && siblings < kMaxWalk) {
        m_links[child].nextSibling = links.firstChild;
        links.firstChild = child;
        return;
    }
    if (links.firstChild != kHub) { // becomes a hub: its children go into the set
        for (uint32_t c = links.firstChild; c != kNoIndex; c = m_links[c].nextSibling)
            m_hubChildren.insertNew(hashOf(c), c, hashOf);
        links.firstChild = kHub;
    }
    m_hubChildren.insertNew(hashOf(child), child, hashOf);
}

void ProfileBuilder::indexStacks()
{
    // Rebuilt after releaseStackIndex(): every stack is distinct.
    m_stacksIndexed = true;
    m_links.assign(m_data.stacks.size(), Links{});
    std::vector<uint8_t> children(m_data.stacks.size() + 1, 0); // up to kMaxWalk; last: roots
    for (size_t i = 0; i < m_data.stacks.size(); ++i) {
        const uint32_t parent = m_data.stacks[i].parent;
        uint8_t& count = children[parent == kNoIndex ? m_links.size() : parent];
        addChild(linksOf(parent), static_cast<uint32_t>(i), count);
        count = static_cast<uint8_t>(std::min<uint32_t>(count + 1, kMaxWalk));
    }
}

uint32_t ProfileBuilder::internStack(uint32_t parent, uint32_t frame)
{
    dropMergeAhead();
    if (parent != kNoIndex && parent >= m_data.stacks.size())
        throw Error("a call stack's parent does not exist"); // importers pass what this returned
    if (!m_stacksIndexed)
        indexStacks();
    const auto matches = [&](uint32_t stack) {
        return m_data.stacks[stack].parent == parent && m_data.stacks[stack].frame == frame;
    };
    size_t siblings = 0;
    if (const Links& links = linksOf(parent); links.firstChild == kHub) {
        if (const uint32_t found = m_hubChildren.find(stackHash(parent, frame), matches);
            found != CompactIdSet::kEmpty)
            return found;
    } else {
        for (uint32_t c = links.firstChild; c != kNoIndex; c = m_links[c].nextSibling, ++siblings)
            if (matches(c))
                return c;
    }
    checkRoom(m_data.stacks.size() + 1, "call stacks"); // kNoIndex - 1 marks a hub
    const auto id = static_cast<uint32_t>(m_data.stacks.size());
    m_data.stacks.push_back({parent, frame});
    m_links.push_back({});
    addChild(linksOf(parent), id, siblings);
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
    releaseStackIndex();
    m_data.mergedStacks = m_mergeAhead.valid() ? m_mergeAhead.get() : mergeStacks(m_data);
    return std::move(m_data);
}

} // namespace hs
