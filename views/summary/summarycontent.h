#pragma once

#include "profiledata.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace hs {

// What the summary page shows, as plain text made on a worker: the figures (heaptrack_gui's
// for a native recording; totals and limits for a Python snapshot) and the top lists.
struct SummaryContent
{
    struct Figure
    {
        QString key;   // stable name, for tests and tools ("peak", "total_size", ...)
        QString title; // for people
        QString value;
        QString exact; // the exact figure, for the tooltip
    };
    struct TopList
    {
        QString title;
        QStringList columns;
        std::vector<QStringList> rows;
    };
    QString heading;
    std::vector<Figure> figures;
    std::vector<TopList> lists;

    // Of a snapshot; `hasRange` restricts a heaptrack recording to [fromMs, toMs].
    static SummaryContent of(const ProfileData& data, uint32_t snapshot, bool hasRange,
                             int64_t fromMs, int64_t toMs, size_t limit = 10);
};

} // namespace hs
