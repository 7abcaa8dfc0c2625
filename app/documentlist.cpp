#include "documentlist.h"

#include "costformat.h"

#include <QHeaderView>
#include <cstdlib>

namespace hs {

namespace {

enum Role
{
    DocumentRole = Qt::UserRole + 1, // index into m_documents
    SnapshotRole,                    // snapshot index; -1 on a recording's row
};

QString snapshotText(const SnapshotData& s, size_t index)
{
    QString text = s.info.label.empty() ? QStringLiteral("Snapshot %1").arg(index)
                                        : QString::fromStdString(s.info.label);
    if (s.info.timeMs >= 0)
        text += QStringLiteral(" · %1 s").arg(s.info.timeMs / 1000.0, 0, 'f', 1);
    return text;
}

QString snapshotSize(const SnapshotData& s, const RecordingInfo& rec)
{
    if (!s.heap.empty()) { // a heaptrack recording: its peak heap
        return formatBytes(int64_t(rec.number("peak_bytes")));
    }
    return s.info.totalSize || s.info.totalCount ? formatBytes(int64_t(s.info.totalSize))
                                                 : QString();
}

} // namespace

DocumentList::DocumentList(QWidget* parent) : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Recording"), tr("Size")});
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setToolTip(tr("Opened recordings and their snapshots: choose the snapshot every page shows"));
    setStatusTip(toolTip());
    connect(this, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem* item) { onCurrentItem(item); });
}

void DocumentList::addDocument(std::shared_ptr<const Document> document)
{
    const ProfileData& data = *document->data;
    auto* top = new QTreeWidgetItem(this);
    top->setText(0, document->title);
    top->setToolTip(0, document->path);
    top->setData(0, DocumentRole, int(m_documents.size()));
    top->setData(0, SnapshotRole, -1);
    QStringList kinds;
    for (const RecordingInfo& r : data.recordings)
        if (!kinds.contains(QString::fromStdString(r.kind)))
            kinds << QString::fromStdString(r.kind);
    top->setText(1, kinds.join(QStringLiteral(", ")));
    QTreeWidgetItem* last = top;
    QTreeWidgetItem* lastWithCosts = nullptr;
    for (size_t k = 0; k < data.snapshots.size(); ++k) {
        auto* item = new QTreeWidgetItem(top);
        item->setText(0, snapshotText(data.snapshots[k], k));
        const auto& rec = data.recordings[data.snapshots[k].info.recording];
        item->setText(1, snapshotSize(data.snapshots[k], rec));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setData(0, DocumentRole, int(m_documents.size()));
        item->setData(0, SnapshotRole, int(k));
        item->setToolTip(
            0,
            QStringLiteral("%1 of %2").arg(item->text(0), QString::fromStdString(rec.sourceName)));
        last = item;
        if (!data.snapshots[k].costs.empty() || !data.snapshots[k].heap.empty())
            lastWithCosts = item;
    }
    m_documents.push_back(std::move(document));
    top->setExpanded(true);
    // The last snapshot with allocations (a recorder's exit checkpoint may have only a graph).
    setCurrentItem(lastWithCosts ? lastWithCosts : last);
    emit documentsChanged();
}

void DocumentList::removeCurrentDocument()
{
    const auto doc = currentDocument();
    if (!doc)
        return;
    QTreeWidgetItem* item = documentItem(doc.get());
    const int index = item->data(0, DocumentRole).toInt();
    m_documents.erase(m_documents.begin() + index);
    delete item;
    // Rows after the removed one move up by one.
    for (int k = 0; k < topLevelItemCount(); ++k) {
        QTreeWidgetItem* top = topLevelItem(k);
        top->setData(0, DocumentRole, k);
        for (int c = 0; c < top->childCount(); ++c)
            top->child(c)->setData(0, DocumentRole, k);
    }
    if (m_documents.empty())
        emit currentSnapshotChanged({}, 0);
    else
        onCurrentItem(currentItem());
    emit documentsChanged();
}

std::shared_ptr<const Document> DocumentList::currentDocument() const
{
    const QTreeWidgetItem* item = currentItem();
    if (!item)
        return {};
    const int index = item->data(0, DocumentRole).toInt();
    return index >= 0 && size_t(index) < m_documents.size() ? m_documents[size_t(index)] : nullptr;
}

bool DocumentList::selectSnapshot(const Document* document, uint32_t snapshot)
{
    QTreeWidgetItem* top = documentItem(document);
    if (!top || int(snapshot) >= top->childCount())
        return false;
    setCurrentItem(top->child(int(snapshot)));
    return true;
}

QTreeWidgetItem* DocumentList::documentItem(const Document* document) const
{
    for (size_t k = 0; k < m_documents.size(); ++k)
        if (m_documents[k].get() == document)
            return topLevelItem(int(k));
    return nullptr;
}

void DocumentList::onCurrentItem(QTreeWidgetItem* item)
{
    if (!item)
        return;
    const int index = item->data(0, DocumentRole).toInt();
    if (index < 0 || size_t(index) >= m_documents.size())
        return;
    int snapshot = item->data(0, SnapshotRole).toInt();
    // A recording's row stands for its last snapshot.
    if (snapshot < 0)
        snapshot = item->childCount() - 1;
    if (snapshot < 0)
        return;
    emit currentSnapshotChanged(m_documents[size_t(index)], uint32_t(snapshot));
}

} // namespace hs
