#pragma once

#include "document.h"

#include <QTreeWidget>
#include <memory>
#include <vector>

namespace hs {

// The sidebar: every opened input as a recording with its snapshots below it. Choosing a
// snapshot makes it the current one for every view.
class DocumentList : public QTreeWidget
{
    Q_OBJECT

public:
    explicit DocumentList(QWidget* parent = nullptr);

    // Adds a document and selects its last snapshot with allocations.
    void addDocument(std::shared_ptr<const Document> document);
    void removeCurrentDocument();
    std::shared_ptr<const Document> currentDocument() const;
    const std::vector<std::shared_ptr<const Document>>& documents() const { return m_documents; }
    bool selectSnapshot(const Document* document, uint32_t snapshot);

signals:
    void currentSnapshotChanged(std::shared_ptr<const hs::Document> document, uint32_t snapshot);
    void documentsChanged();

private:
    void onCurrentItem(QTreeWidgetItem* item);
    QTreeWidgetItem* documentItem(const Document* document) const;

    std::vector<std::shared_ptr<const Document>> m_documents;
};

} // namespace hs
