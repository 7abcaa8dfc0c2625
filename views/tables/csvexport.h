#pragma once

#include "calltree.h"

#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

namespace hs {

// Tables as CSV (RFC 4180: comma-separated, quoted where needed, exact integers), written
// atomically. Each returns an empty string or what went wrong.
class CsvExport
{
public:
    static QString write(const QString& path, const QStringList& header, size_t rows,
                         const std::function<QStringList(size_t)>& row);
    // A call tree depth first, children by the first cost, largest first; `keep` (by node, may
    // be null) drops what a filter hides. Columns: depth, frame, location, module, then each
    // cost inclusive and self.
    static QString writeTree(const QString& path, const ProfileData& data, const CallTree& tree,
                             const std::vector<uint8_t>* keep);
};

} // namespace hs
