#pragma once

#include <QSortFilterProxyModel>
#include <memory>
#include <vector>

namespace hs {

// Sorting by the models' SortRole, and a filter decided beforehand on a worker: `keep` holds,
// by node (the source's NodeRole) or by row for a flat model, whether a row is shown. So a
// million-node tree filters without the proxy visiting every node on the GUI thread.
class TreeFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    TreeFilterProxy(int keyRole, int sortRole, QObject* parent = nullptr);

    void setKeep(std::shared_ptr<const std::vector<uint8_t>> keep);
    bool filtering() const { return m_keep != nullptr; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_keyRole; // -1: the source row is the key
    std::shared_ptr<const std::vector<uint8_t>> m_keep;
};

} // namespace hs
