#pragma once

#include "workerpool.h"

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>
#include <functional>

namespace hs {

// Runs work on the thread pool and hands the result to the GUI thread, keeping only the
// newest: a result of a job started before the latest one is dropped. The work returns a
// plain value (it must not throw; wrap failures into the result).
class LatestJob : public QObject
{
    Q_OBJECT

public:
    explicit LatestJob(QObject* parent = nullptr) : QObject(parent) {}

    template <typename Result>
    void start(std::function<Result()> work, std::function<void(Result)> adopt)
    {
        const quint64 id = ++m_latest;
        ++m_running;
        auto* watcher = new QFutureWatcher<Result>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id, adopt] {
            --m_running;
            if (id == m_latest)
                adopt(watcher->result());
            watcher->deleteLater();
            emit settled();
        });
        watcher->setFuture(QtConcurrent::run(workerPool(), std::move(work)));
    }

    // Drops whatever is running (its result will be ignored).
    void forget() { ++m_latest; }
    bool busy() const { return m_running > 0; }

signals:
    void settled(); // a job finished (adopted or dropped)

private:
    quint64 m_latest = 0;
    int m_running = 0;
};

} // namespace hs
