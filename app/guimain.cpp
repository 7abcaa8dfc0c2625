#include "guimain.h"

#include "documentlist.h"
#include "mainwindow.h"

#include <QApplication>
#include <QStringList>
#include <QTimer>

namespace hs {

int GuiMain::run(int argc, char** argv, const std::vector<std::string>& files)
{
    QApplication::setApplicationName(QStringLiteral("heapscope"));
    QApplication::setOrganizationName(QStringLiteral("heapscope"));
    QApplication::setApplicationVersion(QStringLiteral(HEAPSCOPE_VERSION));
    QApplication app(argc, argv);
    qRegisterMetaType<hs::ImportResult>();
    MainWindow window;
    window.show();
    QStringList paths;
    for (const std::string& f : files)
        paths << QString::fromLocal8Bit(f.c_str());
    // Start importing once the window is on screen, so it appears at once.
    QTimer::singleShot(0, &window, [&window, paths] { window.openFiles(paths); });
    // A screenshot for the README and for checking the looks: HEAPSCOPE_SCREENSHOT=file.png
    // grabs the window once the inputs are open and quits.
    const QString shot = qEnvironmentVariable("HEAPSCOPE_SCREENSHOT");
    if (!shot.isEmpty()) {
        const int page = qEnvironmentVariableIntValue("HEAPSCOPE_SCREENSHOT_PAGE");
        auto* poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, shot, page] {
            static int settledTicks = 0;
            if (window.busy() || window.documents()->documents().empty()) {
                settledTicks = 0;
                return;
            }
            window.showPage(MainWindow::Page(page));
            if (++settledTicks < 10) // let the pages' workers finish and paint
                return;
            poll->stop();
            window.grab().save(shot);
            QApplication::quit();
        });
        poll->start(100);
    }
    return QApplication::exec();
}

} // namespace hs
