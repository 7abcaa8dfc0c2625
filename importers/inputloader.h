#pragma once

#include "heaptrackimporter.h"
#include "profilebuilder.h"
#include "recorderimporter.h"
#include "tracemallocimporter.h"

#include <string>
#include <string_view>

namespace hs {

enum class InputFormat
{
    Unknown,
    Heapscope,
    Tracemalloc,
    Heaptrack,
    Recorder
};

// Finds the format of a file by its content, never by its name, and loads it.
class InputLoader
{
public:
    struct Options
    {
        TracemallocImporter::Options tracemalloc;
        HeaptrackImporter::Options heaptrack;
        bool hash = false;            // compute the input's SHA-256 for the recording
        Progress* progress = nullptr; // told how far the import is; may throw Cancelled
    };

    static InputFormat detect(std::string_view head);
    static const char* formatName(InputFormat format);
    static InputFormat detectFile(const std::string& path); // Unknown if it cannot be read

    // Adds a raw input (not a .heapscope file) to the builder.
    static void importRaw(const std::string& path, ProfileBuilder& builder, const Options& options);

    // A .heapscope file is read back; any other input is imported in memory.
    static ProfileData load(const std::string& path, const Options& options);
};

} // namespace hs
