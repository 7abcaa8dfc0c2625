// libFuzzer target: any bytes through the restricted pickle reader and the snapshot decoder.
// Every input must either import or be refused with hs::Error; anything else is a bug.

#include "hserror.h"
#include "profilebuilder.h"
#include "statistics.h"
#include "tracemallocimporter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    hs::ProfileBuilder builder;
    try {
        const uint32_t snap = hs::TracemallocImporter::import(
            std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", builder, {});
        const hs::ProfileData profile = builder.take();
        for (const auto by : {hs::GroupBy::Lineno, hs::GroupBy::Filename, hs::GroupBy::Traceback})
            hs::computeStatistics(profile, snap, by, by != hs::GroupBy::Traceback);
    } catch (const hs::Error&) {
    }
    return 0;
}
