#include "pickletext.h"

#include <cstdint>
#include <cstring>

namespace hs::pickle {

namespace {
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool readHex(std::string_view in, size_t at, size_t digits, uint32_t& value)
{
    if (at + digits > in.size())
        return false;
    value = 0;
    for (size_t i = 0; i < digits; ++i) {
        const int h = hexValue(in[at + i]);
        if (h < 0)
            return false;
        value = value * 16 + static_cast<uint32_t>(h);
    }
    return true;
}
} // namespace

bool isValidSurrogatepassUtf8(std::string_view bytes)
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (static_cast<size_t>(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF)
            return false;
        p += n + 1;
    }
    return true;
}

void appendCodePoint(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | cp >> 6);
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | cp >> 12);
        out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | cp >> 18);
        out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
        out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool decodeRawUnicodeEscape(std::string_view in, std::string& out)
{
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if (c == '\\' && i + 1 < in.size() && (in[i + 1] == 'u' || in[i + 1] == 'U')) {
            // An odd run of backslashes escapes; Python counts the backslashes before the 'u'.
            size_t run = 0;
            for (size_t k = i; k > 0 && in[k - 1] == '\\'; --k)
                ++run;
            if (run % 2 == 0) {
                const size_t digits = in[i + 1] == 'u' ? 4 : 8;
                uint32_t cp;
                if (!readHex(in, i + 2, digits, cp) || cp > 0x10FFFF)
                    return false;
                appendCodePoint(out, cp);
                i += 1 + digits;
                continue;
            }
        }
        appendCodePoint(out, c);
    }
    return true;
}

bool decodeEscapedString(std::string_view in, std::string& out)
{
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '\\') {
            out += in[i];
            continue;
        }
        if (++i >= in.size())
            return false; // a trailing lone backslash
        const char c = in[i];
        switch (c) {
        case '\n':
            break;
        case '\\':
        case '\'':
        case '"':
            out += c;
            break;
        case 'a':
            out += '\a';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'v':
            out += '\v';
            break;
        case 'x': {
            uint32_t v;
            if (!readHex(in, i + 1, 2, v))
                return false;
            out += static_cast<char>(v);
            i += 2;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                uint32_t v = 0;
                size_t k = 0;
                while (k < 3 && i + k < in.size() && in[i + k] >= '0' && in[i + k] <= '7')
                    v = v * 8 + static_cast<uint32_t>(in[i + k++] - '0');
                out += static_cast<char>(v & 0xFF);
                i += k - 1;
            } else {
                out += '\\';
                out += c;
            }
        }
    }
    return true;
}

Value intValue(int64_t v)
{
    return Value{Kind::Int, 0, 0, 0, v};
}

Value decodeLong(const unsigned char* b, size_t n)
{
    // Little-endian two's complement; drop redundant sign bytes first.
    while (n > 1 &&
           ((b[n - 1] == 0x00 && !(b[n - 2] & 0x80)) || (b[n - 1] == 0xFF && (b[n - 2] & 0x80))))
        --n;
    if (n == 0)
        return intValue(0);
    if (n <= 8) {
        uint64_t u = 0;
        for (size_t i = 0; i < n; ++i)
            u |= static_cast<uint64_t>(b[i]) << (8 * i);
        if (n < 8 && (b[n - 1] & 0x80))
            u |= ~uint64_t(0) << (8 * n);
        return intValue(static_cast<int64_t>(u));
    }
    if (n == 9 && b[8] == 0) {
        uint64_t u = 0;
        for (size_t i = 0; i < 8; ++i)
            u |= static_cast<uint64_t>(b[i]) << (8 * i);
        return Value{Kind::UInt64, 0, 0, 0, static_cast<int64_t>(u)};
    }
    return Value{Kind::BigInt, 0, 0, 0, 0};
}

Value parseTextInt(std::string_view text)
{
    // int(text, 0) as Python's protocol-0 reader uses it: sign, 0x/0o/0b, underscores, spaces.
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && std::strchr("xXoObB", text[1])) {
        base = (text[1] == 'x' || text[1] == 'X') ? 16 : (text[1] == 'o' || text[1] == 'O') ? 8 : 2;
        text.remove_prefix(2);
        if (!text.empty() && text.front() == '_')
            text.remove_prefix(1);
    }
    if (text.empty())
        throw Refusal{"malformed integer"};
    uint64_t value = 0;
    bool big = false, lastUnderscore = true;
    for (const char c : text) {
        if (c == '_') {
            if (lastUnderscore)
                throw Refusal{"malformed integer"};
            lastUnderscore = true;
            continue;
        }
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'z') ? c - 'a' + 10
                : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                         : 99;
        if (d >= base)
            throw Refusal{"malformed integer"};
        lastUnderscore = false;
        if (!big)
            big = __builtin_mul_overflow(value, static_cast<uint64_t>(base), &value) ||
                  __builtin_add_overflow(value, static_cast<uint64_t>(d), &value);
    }
    if (lastUnderscore)
        throw Refusal{"malformed integer"};
    if (base == 10 && text.size() > 1 && text[0] == '0' && value != 0)
        throw Refusal{"malformed integer (leading zero)"};
    if (big)
        return Value{Kind::BigInt, 0, 0, 0, 0};
    constexpr uint64_t kMinMagnitude = uint64_t(1) << 63; // |INT64_MIN|
    if (negative) {
        if (value > kMinMagnitude)
            return Value{Kind::BigInt, 0, 0, 0, 0};
        return intValue(value == kMinMagnitude ? INT64_MIN : -static_cast<int64_t>(value));
    }
    if (value > static_cast<uint64_t>(INT64_MAX))
        return Value{Kind::UInt64, 0, 0, 0, static_cast<int64_t>(value)};
    return intValue(static_cast<int64_t>(value));
}

} // namespace hs::pickle
