// libFuzzer target: any bytes as a heaptrack recording (plain, or compressed if the magic says
// so), through the stream, the line parser and the importer into a builder. Every input must
// either import (possibly marked incomplete) or be refused with hs::Error.

#include "heaptrackimporter.h"
#include "hserror.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    hs::ProfileBuilder builder;
    // Tiny timeline budgets, so that folding intervals and buckets is exercised too.
    const hs::HeaptrackImporter::Options options{"leak:a*b$\nleak:^main", 4, 6};
    try {
        hs::HeaptrackImporter::import(std::string_view(reinterpret_cast<const char*>(data), size),
                                      "fuzz", builder, options);
    } catch (const hs::Error&) {
    }
    return 0;
}
