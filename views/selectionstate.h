#pragma once

#include "calltree.h"
#include "document.h"

#include <QObject>
#include <QString>
#include <memory>
#include <utility>

namespace hs {

// What every view shows, in one place: the current document and snapshot, the cost, the
// search, the selected frame, the time range and the snapshot pair to compare. Views follow its
// signals and change it through its setters; none of them keeps a copy of its own.
class SelectionState : public QObject
{
    Q_OBJECT

public:
    explicit SelectionState(QObject* parent = nullptr) : QObject(parent) {}

    const std::shared_ptr<const Document>& document() const { return m_document; }
    uint32_t snapshot() const { return m_snapshot; }
    const ProfileData* data() const { return m_document ? m_document->data.get() : nullptr; }
    CostKind cost() const { return m_cost; }
    const QString& search() const { return m_search; }
    uint32_t selectedFrame() const { return m_selectedFrame; }
    bool hasTimeRange() const { return m_hasRange; }
    int64_t fromMs() const { return m_fromMs; }
    int64_t toMs() const { return m_toMs; }
    // Two snapshots of one recording to compare (the nearest before and after a time range on
    // a recorder's timeline); kNoIndex for both when there is no pair.
    std::pair<uint32_t, uint32_t> comparePair() const { return m_pair; }

    // The cost kinds the current snapshot offers (with the time range, if one is set).
    std::vector<CostKind> costKinds() const;

public slots:
    void setCurrent(std::shared_ptr<const Document> document, uint32_t snapshot);
    void setCost(hs::CostKind cost);
    void setSearch(const QString& search);
    void setSelectedFrame(uint32_t frame);
    void setTimeRange(int64_t fromMs, int64_t toMs);
    void clearTimeRange();
    void setComparePair(uint32_t before, uint32_t after);

signals:
    void currentChanged();
    void costChanged();
    void searchChanged();
    void selectedFrameChanged();
    void timeRangeChanged();
    void comparePairChanged();

private:
    void fixCost();

    std::shared_ptr<const Document> m_document;
    uint32_t m_snapshot = 0;
    CostKind m_cost = CostKind::Size;
    QString m_search;
    uint32_t m_selectedFrame = kNoIndex;
    bool m_hasRange = false;
    int64_t m_fromMs = 0, m_toMs = 0;
    std::pair<uint32_t, uint32_t> m_pair{kNoIndex, kNoIndex};
};

} // namespace hs
