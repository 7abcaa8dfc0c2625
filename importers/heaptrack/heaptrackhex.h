#pragma once

#include <cstdint>
#include <string_view>

namespace hs::heaptrackhex {

// heaptrack's numbers: lower-case hex, no prefix, ended by a space or the end of the text.
// Consumes the number and the space after it.
inline bool read(std::string_view& text, uint64_t& value)
{
    size_t i = 0;
    value = 0;
    for (; i < text.size() && text[i] != ' '; ++i) {
        const char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else
            return false;
        if (i >= 16)
            return false; // more than 64 bits
        value = value << 4 | digit;
    }
    if (i == 0)
        return false;
    text.remove_prefix(i < text.size() ? i + 1 : i);
    return true;
}

} // namespace hs::heaptrackhex
