#pragma once

#include "calltree.h"

#include <QObject>
#include <memory>
#include <mutex>
#include <vector>

namespace hs {

// The call trees the views are showing, built on the thread pool and kept for a while, so
// that the flame graph and the tables share one tree and switching back is instant. A view
// asks for the tree it needs; if it is not built yet, the build starts and ready() follows.
class CallTreeCache : public QObject
{
    Q_OBJECT

public:
    explicit CallTreeCache(QObject* parent = nullptr) : QObject(parent) {}

    std::shared_ptr<const CallTree> get(const std::shared_ptr<const ProfileData>& data,
                                        uint32_t snapshot, const CallTreeOptions& options);
    bool building() const;
    void clear();

signals:
    void ready();

private:
    struct Key
    {
        const ProfileData* data = nullptr;
        uint32_t snapshot = 0;
        bool bottomUp = false, collapse = false, windowed = false;
        int64_t fromMs = 0, toMs = 0;
        bool operator==(const Key&) const = default;
    };
    struct Entry
    {
        Key key;
        std::shared_ptr<const ProfileData> data; // kept alive while its tree is
        std::shared_ptr<const CallTree> tree;    // null while building
    };
    // Each input's merged nodes, computed once on the first build that needs them (12 MB and
    // ~15 ms for a large recording, which every re-filter would otherwise pay again).
    struct Merged
    {
        std::weak_ptr<const ProfileData> data;
        std::once_flag once;
        MergedTree tree;
    };
    std::shared_ptr<Merged> mergedFor(const std::shared_ptr<const ProfileData>& data);
    std::vector<std::shared_ptr<Merged>> m_merged;

    // A tree of a large recording is 100-300 MB: keep the ones in use and the last one or two
    // (the whole recording's, to come back to after a range), not a history of ranges.
    static constexpr size_t kKept = 3;
    std::vector<Entry> m_entries; // most recently used last
};

} // namespace hs
