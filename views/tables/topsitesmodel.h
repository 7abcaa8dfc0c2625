#pragma once

#include "calltree.h"

#include <QAbstractTableModel>
#include <QString>
#include <functional>
#include <memory>

namespace hs {

// The flat "top sites" table: where memory is allocated, grouped by the allocating function
// (or line), by file, or by whole call stack, one row per group with every cost.
class TopSitesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum class Grouping
    {
        Frame,    // the allocating function (native) or file:line (Python): statistics('lineno')
        File,     // statistics('filename')
        CallStack // statistics('traceback')
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1,
        ShareRole,
        FrameRole,
    };

    // The rows as plain numbers (hundreds of thousands of call stacks stay small); their text
    // is made when it is shown. Immutable once built, so workers may read it.
    struct Rows
    {
        std::shared_ptr<const ProfileData> data;
        std::shared_ptr<const CallTree> tree; // what the nodes refer to
        Grouping grouping = Grouping::Frame;
        std::vector<CostKind> kinds;
        std::vector<int64_t> all;    // by kind: the snapshot's total
        std::vector<uint32_t> frame; // by row
        std::vector<uint32_t> node;  // by row: the tree node (by call stack only)
        std::vector<int64_t> cost;   // by row, then kind

        size_t size() const { return frame.size(); }
        int64_t at(size_t row, size_t kind) const { return cost[row * kinds.size() + kind]; }
        QString label(size_t row) const;
        QString detail(size_t row) const;
        QStringList csvHeader() const;
        QStringList csvRow(size_t row) const;
    };

    explicit TopSitesModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}

    // From the top-down tree's nodes with a cost of their own: each one a row (CallStack), or
    // summed by frame (Frame, what the bottom-up tree's first level shows) or by file.
    static Rows build(std::shared_ptr<const ProfileData> data,
                      std::shared_ptr<const CallTree> topDown, Grouping grouping);
    void setRows(std::shared_ptr<const Rows> rows);
    const std::shared_ptr<const Rows>& rows() const { return m_rows; }
    Grouping grouping() const { return m_rows ? m_rows->grouping : Grouping::Frame; }
    int rowOfFrame(uint32_t frame) const; // -1 if no row is that frame's

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Rows> m_rows;
};

} // namespace hs
