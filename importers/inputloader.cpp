#include "inputloader.h"

#include "filehead.h"
#include "hserror.h"
#include "inputfile.h"
#include "mappedpages.h"
#include "sha256.h"
#include "store.h"

#include <QDateTime>
#include <cstdio>
#include <future>

namespace hs {

InputFormat InputLoader::detect(std::string_view head)
{
    if (head.starts_with(std::string_view("SQLite format 3\0", 16)))
        return InputFormat::Heapscope;
    if (TracemallocImporter::sniff(head))
        return InputFormat::Tracemalloc;
    if (HeaptrackImporter::sniff(head))
        return InputFormat::Heaptrack;
    if (RecorderImporter::sniff(head))
        return InputFormat::Recorder;
    return InputFormat::Unknown;
}

const char* InputLoader::formatName(InputFormat format)
{
    switch (format) {
    case InputFormat::Heapscope:
        return "heapscope";
    case InputFormat::Tracemalloc:
        return "tracemalloc";
    case InputFormat::Heaptrack:
        return "heaptrack";
    case InputFormat::Recorder:
        return "recorder";
    case InputFormat::Unknown:
    default:
        return "unknown";
    }
}

InputFormat InputLoader::detectFile(const std::string& path)
{
    // The first bytes are enough; an unreadable file is reported by the loader proper.
    const auto head = readRegularFileHead(path, 64);
    return head ? detect(*head) : InputFormat::Unknown;
}

void InputLoader::importRaw(const std::string& path, ProfileBuilder& builder,
                            const Options& options)
{
    // A heaptrack recording is streamed: its pages are read as decompressed and given back.
    const InputFile file(path, detectFile(path) != InputFormat::Heaptrack);
    const std::string_view bytes = file.bytes();
    const InputFormat format = detect(bytes.substr(0, 64));
    if (format == InputFormat::Tracemalloc || format == InputFormat::Heaptrack ||
        format == InputFormat::Recorder) {
        // The input's digest is computed while it is parsed; a streamed input's pages are
        // given back behind the digest too.
        const bool stream = format == InputFormat::Heaptrack;
        auto sha256 = std::async(options.hash ? std::launch::async : std::launch::deferred, [&] {
            if (!options.hash)
                return std::string();
            Sha256 hash;
            constexpr size_t kPiece = size_t(4) << 20;
            for (size_t at = 0; at < bytes.size(); at += kPiece) {
                const std::string_view piece = bytes.substr(at, kPiece);
                hash.addData(piece.data(), piece.size());
                if (stream)
                    releaseMappedPages(piece.data(), piece.data() + piece.size());
            }
            return hash.hexResult();
        });
        // The input is a private read-only mapping of the file (InputFile).
        HeaptrackImporter::Options heaptrackOptions = options.heaptrack;
        heaptrackOptions.releaseInput = true;
        heaptrackOptions.progress = options.progress;
        TracemallocImporter::Options tracemallocOptions = options.tracemalloc;
        tracemallocOptions.progress = options.progress;
        if (options.progress)
            options.progress->setStage("reading", bytes.size());
        uint32_t recording = 0;
        if (format == InputFormat::Recorder)
            recording = RecorderImporter::import(bytes, path, builder, options.progress);
        else
            recording =
                builder
                    .snapshotInfo(
                        format == InputFormat::Tracemalloc
                            ? TracemallocImporter::import(bytes, path, builder, tracemallocOptions)
                            : HeaptrackImporter::import(bytes, path, builder, heaptrackOptions))
                    .recording;
        RecordingInfo& rec = builder.recordingInfo(recording);
        rec.importedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
        rec.sourceSha256 = sha256.get();
        return;
    }
    switch (format) {
    case InputFormat::Heapscope:
        throw Error(path + ": is already a heapscope file");
    case InputFormat::Unknown:
    default:
        throw Error(path + (bytes.empty() ? ": the file is empty"
                                          : ": not a recognised input (expected a tracemalloc "
                                            "Snapshot.dump() file, a heaptrack recording, a "
                                            "heapscope recorder file or a .heapscope file)"));
    }
}

ProfileData InputLoader::load(const std::string& path, const Options& options)
{
    if (detectFile(path) == InputFormat::Heapscope) {
        if (options.progress)
            options.progress->setStage("opening");
        return Store(path).load();
    }
    ProfileBuilder builder;
    importRaw(path, builder, options);
    return builder.take();
}

} // namespace hs
