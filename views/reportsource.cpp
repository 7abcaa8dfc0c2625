#include "reportsource.h"

#include "jsonwriter.h"

namespace hs {

void writeReportSource(JsonWriter& w, const ReportSource& s)
{
    const SnapshotInfo& info = s.data->snapshots[s.snapshot].info;
    const RecordingInfo& rec = s.data->recordings[info.recording];
    w.beginObject();
    w.key("path");
    w.value(s.path);
    w.key("format");
    w.value(s.format);
    w.key("recording");
    w.beginObject();
    w.key("kind");
    w.value(rec.kind);
    w.key("source_name");
    w.value(rec.sourceName);
    w.key("source_size");
    w.value(rec.sourceSize);
    w.key("source_sha256");
    w.value(rec.sourceSha256);
    w.key("imported_at");
    w.value(rec.importedAt);
    w.key("warnings");
    w.beginArray();
    for (const auto& warning : rec.warnings)
        w.value(warning);
    w.endArray();
    w.endObject();
    w.key("snapshots");
    w.value(static_cast<uint64_t>(s.data->snapshots.size()));
    w.endObject();
}

} // namespace hs
