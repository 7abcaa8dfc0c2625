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
    watcher->setFuture(QtConcurrent::run(workerPool(), [data, snapshot, options] {
        return std::shared_ptr<const CallTree>(
            std::make_shared<CallTree>(buildCallTree(*data, snapshot, options)));
    }));
    return {};
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
