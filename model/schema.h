#pragma once

namespace hs::schema {

// Bump when the layout changes; Store refuses files newer than this and migrates older ones.
// 1: tracemalloc only. 2: heap profiles as columns (version-1 files read as before).
// 3: object graphs with their analysis, recorder timelines and checkpoints.
// 4: column blocks hold values in 1, 2, 4 or 8 bytes (the block's widest value decides).
// 5: each stack's node in the merged call tree (stack_block.merged_ids).
inline constexpr int kVersion = 5;
inline constexpr const char* kFormatName = "heapscope";

// The tables of a version-kVersion file.
const char* ddl();

} // namespace hs::schema
