#pragma once

namespace hs::schema {

// Bump when the layout changes; Store refuses files newer than this and migrates older ones.
// 1: tracemalloc only. 2: heap profiles as columns (version-1 files read as before).
// 3: object graphs with their analysis, recorder timelines and checkpoints.
inline constexpr int kVersion = 3;
inline constexpr const char* kFormatName = "heapscope";

// The tables of a version-kVersion file.
const char* ddl();

} // namespace hs::schema
