#pragma once

#include "compactidset.h"
#include "flathashmap.h"
#include "profiledata.h"
#include "seededhash.h"

#include <future>
#include <string_view>
#include <unordered_map>

namespace hs {

// The writer API importers feed: interns strings, frames and stacks in memory so that each is
// stored once, and collects snapshots with their per-stack costs. StoreWriter persists the result.
class ProfileBuilder
{
public:
    ProfileBuilder() = default;
    ProfileBuilder(const ProfileBuilder&) = delete; // a merge ahead reads this one's data
    ProfileBuilder& operator=(const ProfileBuilder&) = delete;
    ~ProfileBuilder();

    uint32_t internString(std::string_view value);
    uint32_t internFrame(const Frame& frame);
    // `parent` is kNoIndex or a stack this returned.
    uint32_t internStack(uint32_t parent, uint32_t frame);
    // Room for `count` more stacks: an importer that knows its tree's size avoids regrowing.
    void reserveStacks(size_t count);
    // Frees the stack index while an importer has no stacks to add (it is rebuilt if another
    // input adds some later): a big trie's index is then not held through the rest.
    void releaseStackIndex();

    uint32_t addRecording(RecordingInfo info);
    uint32_t addSnapshot(SnapshotInfo info);
    void setCosts(uint32_t snapshot, std::vector<StackCost> costs);
    void setHeapProfile(uint32_t snapshot, HeapProfile heap);
    void setObjectGraph(uint32_t snapshot, ObjectGraph graph, GraphAnalysis analysis);
    SnapshotInfo& snapshotInfo(uint32_t snapshot) { return m_data.snapshots[snapshot].info; }
    RecordingInfo& recordingInfo(uint32_t recording) { return m_data.recordings[recording]; }

    // Starts merging the stacks (see mergeStacks) on another thread, for take(): an importer
    // whose stacks are final calls it before the rest of its work. Interning anything after
    // it drops the merge (take() then merges again), so it is only ever an overlap.
    void mergeAhead();

    const ProfileData& data() const { return m_data; }
    ProfileData take();

private:
    ProfileData m_data;
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return seededhash::bytes(s); }
    };

    std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> m_stringIds;
    FlatHashMap m_frameIds; // by hash of the frame's fields
    // A stack is found among its parent's children: a trie grows mostly in chains, each new
    // stack the child of the one made just before, whose list is empty and still in cache (a
    // hash probe per stack was a cache miss each, most of building a big trie). A parent with
    // more than kMaxWalk children is a hub: its children are in m_hubChildren instead, keyed
    // by (parent, frame).
    static constexpr uint32_t kMaxWalk = 4;
    static constexpr uint32_t kHub = kNoIndex - 1; // as a first child: the parent is a hub
    struct Links
    {
        uint32_t firstChild = kNoIndex;
        uint32_t nextSibling = kNoIndex;
    };
    HugeVector<Links> m_links; // by stack
    Links m_rootLinks;         // the stacks without a parent
    CompactIdSet m_hubChildren;
    bool m_stacksIndexed = true;
    Links& linksOf(uint32_t parent);
    void addChild(Links& links, uint32_t child, size_t siblings);
    void indexStacks();
    void dropMergeAhead();
    // Last: it is waited for before the data it reads is destroyed.
    std::future<std::vector<uint32_t>> m_mergeAhead;
};

} // namespace hs
