#include "calltreecache.h"

#include "workerpool.h"

#include <QFutureWatcher>
#include <QtConcurrent>

namespace hs {

std::shared_ptr<const CallTree> CallTreeCache::get(const std::shared_ptr<const ProfileData>& data,
                                                   uint32_t snapshot,
                                                   const CallTreeOptions& options)
{
    if (!data)
        return {};
    const Key key{data.get(),       snapshot,       options.bottomUp, options.collapseRecursion,
                  options.windowed, options.fromMs, options.toMs};
    for (size_t k = 0; k < m_entries.size(); ++k)
        if (m_entries[k].key == key) {
            std::rotate(m_entries.begin() + long(k), m_entries.begin() + long(k) + 1,
                        m_entries.end());
            return m_entries.back().tree;
        }
    // Forget the least recently used finished trees beyond the budget.
    for (size_t k = 0; m_entries.size() >= kKept && k < m_entries.size();)
        if (m_entries[k].tree)
            m_entries.erase(m_entries.begin() + long(k));
        else
            ++k;
    m_entries.push_back({key, data, nullptr});
    auto* watcher = new QFutureWatcher<std::shared_ptr<const CallTree>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key] {
        for (Entry& e : m_entries)
            if (e.key == key)
                e.tree = watcher->result();
        watcher->deleteLater();
        emit ready();
    });
    std::shared_ptr<Merged> merged = mergedFor(data);
    watcher->setFuture(QtConcurrent::run(workerPool(), [data, snapshot, options, merged] {
        std::call_once(merged->once, [&] { merged->tree = mergedTree(*data); });
        return std::shared_ptr<const CallTree>(
            std::make_shared<CallTree>(buildCallTree(*data, snapshot, options, &merged->tree)));
    }));
    return {};
}

std::shared_ptr<CallTreeCache::Merged>
CallTreeCache::mergedFor(const std::shared_ptr<const ProfileData>& data)
{
    // Inputs that were closed are forgotten; a new input at a freed one's address is another.
    std::erase_if(m_merged, [](const auto& m) { return m->data.expired(); });
    for (const auto& m : m_merged)
        if (m->data.lock() == data)
            return m;
    auto m = std::make_shared<Merged>();
    m->data = data;
    m_merged.push_back(m);
    return m;
}

bool CallTreeCache::building() const
{
    for (const Entry& e : m_entries)
        if (!e.tree)
            return true;
    return false;
}

void CallTreeCache::clear()
{
    for (size_t k = 0; k < m_entries.size();)
        if (m_entries[k].tree)
            m_entries.erase(m_entries.begin() + long(k));
        else
            ++k;
}

} // namespace hs
