#pragma once

#include <QThreadPool>

namespace hs {

// The threads heapscope's jobs run on. Not Qt's global pool: the raster paint engine splits
// large fills over that one and waits for them, so a long job there would stall painting.
inline QThreadPool* workerPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool; // lives as long as the program: jobs may outlive windows
        p->setObjectName(QStringLiteral("heapscope workers"));
        return p;
    }();
    return pool;
}

} // namespace hs
