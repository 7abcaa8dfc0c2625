#pragma once

#include "calltree.h"

#include <QAbstractItemModel>
#include <memory>

namespace hs {

// A call tree as a Qt tree model: the root's children are the top-level rows; column 0 is the
// frame, then each cost's inclusive figure, then each cost's own ("self") figure. Adopts a
// built tree whole; never computes on the GUI thread beyond an index per node.
class CallTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role
    {
        SortRole = Qt::UserRole + 1, // raw numbers for the cost columns, the text for column 0
        ShareRole,                   // the cost's share of the whole (for the bars)
        FrameRole,                   // the node's frame, as a uint
        NodeRole,                    // the node, as a uint
    };

    explicit CallTreeModel(QObject* parent = nullptr) : QAbstractItemModel(parent) {}

    void setTree(std::shared_ptr<const ProfileData> data, std::shared_ptr<const CallTree> tree);
    const CallTree* tree() const { return m_tree.get(); }
    // The index of a node (column 0); invalid for the root or an unknown node.
    QModelIndex indexOfNode(uint32_t node) const;
    // The node of this frame (by merge key) with the largest first-column cost.
    uint32_t bestNodeOfFrame(uint32_t frame) const;
    int costColumn(CostKind kind, bool self) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;

private:
    uint32_t nodeOf(const QModelIndex& index) const;

    std::shared_ptr<const ProfileData> m_data;
    std::shared_ptr<const CallTree> m_tree;
};

} // namespace hs
