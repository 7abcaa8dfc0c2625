#pragma once

#include "document.h"
#include "importjob.h"

#include <QMainWindow>
#include <QStringList>
#include <functional>
#include <memory>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;

namespace hs {

class CallTreeCache;
class DocumentList;
class FlameGraphPage;
class LatestJob;
class SelectionState;
class SummaryPage;
class TablesPage;
class TimelinePage;

// The window: menus, the sidebar of opened recordings, the pages and the status bar with
// the import's progress. It wires the pages to the shared selection; what they show is
// theirs. Inputs are imported one at a time on a worker, the rest wait in a queue.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum Page
    {
        Summary,
        Flame,
        Tables
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    SelectionState* state() const { return m_state; }
    DocumentList* documents() const { return m_list; }
    SummaryPage* summaryPage() const { return m_summary; }
    FlameGraphPage* flamePage() const { return m_flame; }
    TablesPage* tablesPage() const { return m_tables; }
    TimelinePage* timelinePage() const { return m_timeline; }
    QTabWidget* pages() const { return m_pages; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QMenu* recentMenu() const { return m_recentMenu; }
    bool importing() const { return m_import != nullptr; }
    bool busy() const; // importing, saving or exporting
    const QString& lastMessage() const { return m_lastMessage; }

    // Export the current page: the flame graph as .svg/.png/.pdf, a table as .csv. The result
    // arrives through exportFinished (an empty error on success).
    bool exportCurrentView(const QString& path, double scale = 1);
    // Write the current recording as a .heapscope file; saveFinished follows.
    bool saveSession(const QString& path);

public slots:
    void openFiles(const QStringList& paths);
    void cancelImport();
    void showPage(hs::MainWindow::Page page);

signals:
    void importFinished(const hs::ImportResult& result);
    void exportFinished(const QString& error);
    void saveFinished(const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void startNextImport();
    void onImportFinished(const ImportResult& result);
    void showMessage(const QString& message, bool error = false);
    void addRecent(const QString& path);
    void updateRecentMenu();
    void updateActions();
    void runFileJob(std::function<QString()> job, const QString& what, bool save);
    void chooseOpen();
    void chooseExport();
    void chooseSave();

    SelectionState* m_state;
    CallTreeCache* m_cache;
    DocumentList* m_list;
    QSplitter* m_splitter;
    QTabWidget* m_pages;
    SummaryPage* m_summary;
    FlameGraphPage* m_flame;
    TablesPage* m_tables;
    TimelinePage* m_timeline;
    QSplitter* m_vertical;
    QLabel* m_status;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QMenu* m_recentMenu = nullptr;
    QAction *m_saveAction = nullptr, *m_exportAction = nullptr, *m_closeAction = nullptr;
    LatestJob* m_fileJob;
    ImportJob* m_import = nullptr;
    QStringList m_queue;
    QString m_lastMessage;
};

} // namespace hs
