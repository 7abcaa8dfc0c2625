#pragma once

#include <string>
#include <string_view>

namespace hs {

// A whole input file mapped read-only: the input is never modified and never copied. If the
// file is truncated while mapped, reading the lost pages raises SIGBUS; the application's
// handler reports lastMappedPath() as changed while being read (see app/main.cpp).
class InputFile
{
public:
    // `populate`: read the whole file in at once (else page by page, as it is used).
    explicit InputFile(const std::string& path, bool populate = true); // throws hs::Error
    ~InputFile();
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    std::string_view bytes() const { return {static_cast<const char*>(m_data), m_size}; }

    // The path of the file mapped last; a static, always NUL-terminated buffer.
    static const char* lastMappedPath();

private:
    void* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace hs
