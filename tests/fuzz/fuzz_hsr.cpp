// libFuzzer target: any bytes as a heapscope recorder file (.hsr), through the record reader,
// zlib, the importer and the graph analysis. Every input must either import (possibly with
// warnings) or be refused with hs::Error.

#include "hserror.h"
#include "recorderimporter.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    hs::ProfileBuilder builder;
    try {
        hs::RecorderImporter::import(std::string_view(reinterpret_cast<const char*>(data), size),
                                     "fuzz", builder);
    } catch (const hs::Error&) {
    }
    return 0;
}
