#include "importjob.h"

#include "hserror.h"
#include "inputloader.h"
#include "workerpool.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent>

namespace hs {

ImportJob::ImportJob(const QString& path, QObject* parent)
    : QObject(parent), m_path(path), m_progress(std::make_shared<Progress>()),
      m_poll(new QTimer(this))
{
    // The worker only stores numbers; the window reads them at its own pace.
    m_poll->setInterval(50);
    connect(m_poll, &QTimer::timeout, this, [this] {
        emit progressed(QString::fromLatin1(m_progress->stage()), m_progress->fraction());
    });
}

ImportJob::~ImportJob()
{
    // A job destroyed while running (the window closing) stops its worker early.
    m_progress->cancel();
}

void ImportJob::start()
{
    auto* watcher = new QFutureWatcher<ImportResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_poll->stop();
        ImportResult result = watcher->result();
        watcher->deleteLater();
        // Cancel wins until the result is handed over, even if the work had just finished.
        if (m_progress->cancelled() && result.data) {
            result.data.reset();
            result.cancelled = true;
            result.error = QStringLiteral("Opening %1 was cancelled.").arg(m_path);
        }
        emit finished(result);
    });
    m_poll->start();
    const QString path = m_path;
    std::shared_ptr<Progress> progress = m_progress;
    watcher->setFuture(QtConcurrent::run(workerPool(), [path, progress] {
        ImportResult r;
        r.path = path;
        try {
            InputLoader::Options options;
            options.progress = progress.get();
            auto data =
                std::make_shared<ProfileData>(InputLoader::load(path.toStdString(), options));
            if (data->snapshots.empty())
                r.error = path + QStringLiteral(": holds no snapshots");
            else
                r.data = std::move(data);
        } catch (const Cancelled&) {
            r.cancelled = true;
            r.error = QStringLiteral("Opening %1 was cancelled.").arg(path);
        } catch (const Error& e) {
            r.error = QString::fromStdString(e.what());
        } catch (const std::bad_alloc&) {
            r.error = path + QStringLiteral(": there was not enough memory to open it");
        } catch (const std::exception& e) {
            r.error = path + QStringLiteral(": ") + QString::fromStdString(e.what());
        }
        return r;
    }));
}

void ImportJob::cancel()
{
    m_progress->cancel();
}

} // namespace hs
