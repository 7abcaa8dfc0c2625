#pragma once

#include "profiledata.h"
#include "progress.h"

#include <QObject>
#include <QString>
#include <memory>

class QTimer;

namespace hs {

// What an import hands back: the data, or why there is none.
struct ImportResult
{
    QString path;
    std::shared_ptr<const ProfileData> data; // null when it failed or was cancelled
    QString error;                           // plain words, naming the file
    bool cancelled = false;
};

// Imports one input on the thread pool (a .heapscope file is read back, anything else parsed
// in memory, so a cancelled or failed import leaves no file behind), reporting its stage and
// how far it is several times a second, and cancellable at any point.
class ImportJob : public QObject
{
    Q_OBJECT

public:
    explicit ImportJob(const QString& path, QObject* parent = nullptr);
    ~ImportJob() override;

    void start();
    void cancel();
    const QString& path() const { return m_path; }

signals:
    // `fraction` is 0..1, or -1 while the stage has no known length.
    void progressed(const QString& stage, double fraction);
    void finished(const hs::ImportResult& result);

private:
    QString m_path;
    std::shared_ptr<Progress> m_progress;
    QTimer* m_poll;
};

} // namespace hs
