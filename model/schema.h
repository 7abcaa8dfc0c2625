#pragma once

namespace hs::schema {

// Bump when the layout changes; Store refuses files newer than this and migrates older ones.
inline constexpr int kVersion = 1;
inline constexpr const char* kFormatName = "heapscope";

// The tables of a version-kVersion file.
const char* ddl();

} // namespace hs::schema
