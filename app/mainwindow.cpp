#include "mainwindow.h"

#include "calltreecache.h"
#include "documentlist.h"
#include "flamegraphpage.h"
#include "latestjob.h"
#include "selectionstate.h"
#include "store.h"
#include "storewriter.h"
#include "summarypage.h"
#include "tablespage.h"
#include "timelinepage.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>

namespace hs {

namespace {

constexpr int kRecentKept = 10;

QAction* menuAction(QMenu* menu, const QString& text, const QString& tip, const QKeySequence& key)
{
    QAction* a = menu->addAction(text);
    a->setShortcut(key);
    a->setToolTip(tip);
    a->setStatusTip(tip);
    return a;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_state(new SelectionState(this)), m_cache(new CallTreeCache(this)),
      m_fileJob(new LatestJob(this))
{
    setWindowTitle(QStringLiteral("heapscope"));
    setAcceptDrops(true);
    m_list = new DocumentList(this);
    m_pages = new QTabWidget(this);
    m_pages->setDocumentMode(true);
    m_summary = new SummaryPage(m_state, m_pages);
    m_flame = new FlameGraphPage(m_state, m_cache, m_pages);
    m_tables = new TablesPage(m_state, m_cache, m_pages);
    m_pages->addTab(m_summary, tr("Summary"));
    m_pages->addTab(m_flame, tr("Flame graph"));
    m_pages->addTab(m_tables, tr("Tables"));
    m_pages->setTabToolTip(Summary, tr("The recording's figures and top lists"));
    m_pages->setTabToolTip(Flame, tr("Where the memory goes, as a flame graph"));
    m_pages->setTabToolTip(Tables, tr("Call trees and top allocation sites as sortable tables"));
    // The timeline sits above the pages, which all follow its range.
    m_timeline = new TimelinePage(m_state, this);
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->addWidget(m_timeline);
    m_vertical->addWidget(m_pages);
    m_vertical->setStretchFactor(1, 1);
    m_vertical->setSizes({190, 700});
    m_vertical->setCollapsible(0, true);
    m_splitter = new QSplitter(this);
    m_splitter->addWidget(m_list);
    m_splitter->addWidget(m_vertical);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({260, 1000});
    setCentralWidget(m_splitter);

    m_status = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    m_progress->setToolTip(tr("How far the import has come"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setToolTip(tr("Stop opening this file (nothing is kept)"));
    m_cancel->setStatusTip(m_cancel->toolTip());
    m_cancel->setVisible(false);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, &MainWindow::cancelImport);

    createMenus();
    connect(m_list, &DocumentList::currentSnapshotChanged, m_state, &SelectionState::setCurrent);
    connect(m_list, &DocumentList::documentsChanged, this, &MainWindow::updateActions);
    connect(m_timeline, &TimelinePage::snapshotChosen, this, [this](uint32_t snapshot) {
        if (const auto& doc = m_state->document())
            m_list->selectSnapshot(doc.get(), snapshot);
    });
    connect(m_flame, &FlameGraphPage::showInTables, this, [this](uint32_t frame) {
        m_state->setSelectedFrame(frame);
        showPage(Tables);
    });
    connect(m_state, &SelectionState::currentChanged, this, [this] {
        const auto& doc = m_state->document();
        setWindowTitle(doc ? QStringLiteral("%1 — heapscope").arg(doc->title)
                           : QStringLiteral("heapscope"));
        updateActions();
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_vertical->restoreState(settings.value(QStringLiteral("window/vertical")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 800);
    showMessage(tr("Open a tracemalloc dump, a heaptrack recording, a recorder file or a "
                   ".heapscope file (File > Open, or drop it on the window)."));
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    connect(menuAction(file, tr("&Open..."), tr("Open recordings and dumps"), QKeySequence::Open),
            &QAction::triggered, this, &MainWindow::chooseOpen);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setToolTipsVisible(true);
    m_saveAction = menuAction(file, tr("&Save As .heapscope..."),
                              tr("Save the current recording as a .heapscope file that reopens "
                                 "at once"),
                              QKeySequence::Save);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::chooseSave);
    m_exportAction = menuAction(file, tr("&Export View..."),
                                tr("Write the flame graph as SVG, PNG or PDF, a table as CSV"),
                                QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::chooseExport);
    m_closeAction = menuAction(file, tr("&Close Recording"), tr("Close the current recording"),
                               QKeySequence::Close);
    connect(m_closeAction, &QAction::triggered, m_list, &DocumentList::removeCurrentDocument);
    file->addSeparator();
    connect(menuAction(file, tr("&Quit"), tr("Quit heapscope"), QKeySequence::Quit),
            &QAction::triggered, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QString names[] = {tr("&Summary"), tr("&Flame Graph"), tr("&Tables")};
    for (int k = 0; k < 3; ++k)
        connect(menuAction(view, names[k], m_pages->tabToolTip(k),
                           QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + k))),
                &QAction::triggered, this, [this, k] { showPage(Page(k)); });
    view->addSeparator();
    QAction* timeline =
        menuAction(view, tr("T&imeline"), tr("Show or hide the timeline above the pages"),
                   QKeySequence(Qt::CTRL | Qt::Key_T));
    timeline->setCheckable(true);
    timeline->setChecked(true);
    connect(timeline, &QAction::toggled, m_timeline, &QWidget::setVisible);
    for (QMenu* m : {file, view})
        m->setToolTipsVisible(true);
    updateRecentMenu();
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

bool MainWindow::busy() const
{
    return m_import || m_fileJob->busy();
}

void MainWindow::updateActions()
{
    const bool has = m_state->document() != nullptr;
    m_saveAction->setEnabled(has);
    m_exportAction->setEnabled(has);
    m_closeAction->setEnabled(has);
}

void MainWindow::showMessage(const QString& message, bool error)
{
    m_lastMessage = message;
    m_status->setText(message);
    m_status->setToolTip(message);
    if (error && isVisible() && !qEnvironmentVariableIsSet("HEAPSCOPE_NO_DIALOGS"))
        QMessageBox::warning(this, tr("heapscope"), message);
}

void MainWindow::openFiles(const QStringList& paths)
{
    for (const QString& p : paths)
        if (!p.isEmpty())
            m_queue << p;
    startNextImport();
}

void MainWindow::startNextImport()
{
    if (m_import || m_queue.isEmpty())
        return;
    const QString path = m_queue.takeFirst();
    m_import = new ImportJob(path, this);
    const QString name = QFileInfo(path).fileName();
    connect(m_import, &ImportJob::progressed, this,
            [this, name](const QString& stage, double fraction) {
                m_progress->setRange(0, fraction < 0 ? 0 : 1000);
                if (fraction >= 0)
                    m_progress->setValue(int(fraction * 1000));
                m_status->setText(
                    fraction < 0
                        ? tr("Opening %1: %2...").arg(name, stage)
                        : tr("Opening %1: %2, %3 %").arg(name, stage).arg(int(fraction * 100)));
            });
    connect(m_import, &ImportJob::finished, this, &MainWindow::onImportFinished);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
    m_cancel->setEnabled(true);
    m_status->setText(tr("Opening %1...").arg(name));
    m_import->start();
}

void MainWindow::cancelImport()
{
    m_queue.clear();
    if (m_import) {
        m_import->cancel();
        m_cancel->setEnabled(false);
        m_status->setText(tr("Cancelling..."));
    }
}

void MainWindow::onImportFinished(const ImportResult& result)
{
    m_import->deleteLater();
    m_import = nullptr;
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
    if (result.data) {
        auto doc = std::make_shared<Document>();
        doc->path = result.path;
        doc->title = QFileInfo(result.path).fileName();
        doc->data = result.data;
        m_list->addDocument(std::move(doc));
        addRecent(result.path);
        const size_t n = result.data->snapshots.size();
        showMessage(tr("Opened %1: %n snapshot(s)", nullptr, int(n)).arg(result.path));
    } else {
        showMessage(result.error, !result.cancelled);
    }
    emit importFinished(result);
    startNextImport();
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kRecentKept)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        a->setStatusTip(tr("Open %1").arg(path));
        connect(a, &QAction::triggered, this, [this, path] { openFiles({path}); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::runFileJob(std::function<QString()> job, const QString& what, bool save)
{
    showMessage(tr("Writing %1...").arg(what));
    m_fileJob->start<QString>(std::move(job), [this, what, save](QString error) {
        if (error.isEmpty())
            showMessage(tr("Wrote %1").arg(what));
        else
            showMessage(error, true);
        if (save)
            emit saveFinished(error);
        else
            emit exportFinished(error);
    });
}

bool MainWindow::exportCurrentView(const QString& path, double scale)
{
    std::function<QString()> job = m_pages->currentIndex() == Tables
                                       ? m_tables->exportCsvJob(path)
                                       : m_flame->exportJob(path, scale);
    if (!job)
        return false;
    runFileJob(std::move(job), path, false);
    return true;
}

bool MainWindow::saveSession(const QString& path)
{
    const auto doc = m_state->document();
    if (!doc)
        return false;
    const std::string target = path.toStdString();
    // As `heapscope import`: only a heapscope file is ever replaced, never a recording.
    if (QFileInfo::exists(path) && !Store::isHeapscopeFile(target)) {
        showMessage(tr("%1 exists and is not a heapscope file; it was left alone. Choose "
                       "another name.")
                        .arg(path),
                    true);
        emit saveFinished(m_lastMessage);
        return false;
    }
    auto data = doc->data;
    runFileJob(
        [data, target, path]() -> QString {
            try {
                StoreWriter::write(*data, target);
                return {};
            } catch (const std::exception& e) {
                return path + QStringLiteral(": ") + QString::fromStdString(e.what());
            }
        },
        path, true);
    return true;
}

void MainWindow::chooseOpen()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open"), QString(),
        tr("Recordings (*.pickle *.dump *.tracemalloc *.zst *.gz *.hsr *.heapscope);;"
           "All files (*)"));
    openFiles(paths);
}

void MainWindow::chooseExport()
{
    const bool table = m_pages->currentIndex() == Tables;
    const QString filter =
        table ? tr("CSV (*.csv)") : tr("SVG (*.svg);;PNG image (*.png);;PDF (*.pdf)");
    QString chosen;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export"), QString(), filter, &chosen);
    if (path.isEmpty())
        return;
    double scale = 1;
    if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
        bool ok = false;
        scale = QInputDialog::getDouble(this, tr("PNG scale"),
                                        tr("Pixels per point (2 for a HiDPI screen):"),
                                        devicePixelRatioF(), 0.25, 8, 2, &ok);
        if (!ok)
            return;
    }
    if (!exportCurrentView(path, scale))
        showMessage(tr("There is nothing to export yet."));
}

void MainWindow::chooseSave()
{
    const auto doc = m_state->document();
    if (!doc)
        return;
    const QString suggested =
        QFileInfo(doc->path).completeBaseName() + QStringLiteral(".heapscope");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save As"), suggested,
                                                      tr("heapscope files (*.heapscope)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).canonicalFilePath() == QFileInfo(doc->path).canonicalFilePath()) {
        showMessage(
            tr("%1 is the file this recording was opened from; choose another name.").arg(path),
            true);
        return;
    }
    saveSession(path);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_import)
        m_import->cancel();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/vertical"), m_vertical->saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openFiles(paths);
    event->acceptProposedAction();
}

} // namespace hs
