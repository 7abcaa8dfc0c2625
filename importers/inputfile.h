#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace hs {

// A whole input file read into memory, read-only. Reading (not mapping) means a file that is
// rewritten or truncated while it is being imported gives a parse error, never a SIGBUS.
class InputFile
{
public:
    explicit InputFile(const std::string& path); // throws hs::Error naming the file

    std::string_view bytes() const { return {m_data.get(), m_size}; }

private:
    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
};

} // namespace hs
