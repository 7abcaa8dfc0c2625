#include "heaptracktokenizer.h"

#include "heaptracktokenwindows.h"

#include <algorithm>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#if !defined(__clang__)
// GCC 12's AVX-512 headers start masked results from an "undefined" register, which its
// own uninitialised-use warning then reports.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define HEAPSCOPE_TOKENIZER_AVX2 1
#endif

namespace hs {

namespace {

#if defined(__SSE2__)
LineMasks masksSse2(const char* p)
{
    const __m128i nl = _mm_set1_epi8('\n');
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    const __m128i a = _mm_set1_epi8('a'), five = _mm_set1_epi8(5);
    LineMasks m{0, 0};
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i d = _mm_sub_epi8(v, zero), x = _mm_sub_epi8(v, a);
        // Unsigned "at most": min(d, 9) == d.
        const __m128i hex = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d),
                                         _mm_cmpeq_epi8(_mm_min_epu8(x, five), x));
        m.newline |= uint64_t(uint16_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)))) << (16 * k);
        m.hex |= uint64_t(uint16_t(_mm_movemask_epi8(hex))) << (16 * k);
    }
    return m;
}

size_t tokenizeSse2(std::string_view text, uint32_t* out)
{
    return tokenizeWindows(text, out, masksSse2);
}
#endif

#if defined(HEAPSCOPE_TOKENIZER_AVX2)
// Compiled for AVX2 function by function (the rest of the program runs on any x86-64), and
// only called where the processor has it.
__attribute__((target("avx2"))) LineMasks masksAvx2(const char* p)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    const __m256i zero = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
    const __m256i a = _mm256_set1_epi8('a'), five = _mm256_set1_epi8(5);
    LineMasks m{0, 0};
    for (int k = 0; k < 2; ++k) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
        const __m256i d = _mm256_sub_epi8(v, zero), x = _mm256_sub_epi8(v, a);
        const __m256i hex = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(d, nine), d),
                                            _mm256_cmpeq_epi8(_mm256_min_epu8(x, five), x));
        m.newline |= uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl)))) << (32 * k);
        m.hex |= uint64_t(uint32_t(_mm256_movemask_epi8(hex))) << (32 * k);
    }
    return m;
}

__attribute__((target("avx2"))) size_t tokenizeAvx2(std::string_view text, uint32_t* out)
{
    return tokenizeWindows(text, out, masksAvx2);
}

// The digits gathered by one bit-extract instead of three shift-and-mask steps.
__attribute__((target("bmi2"))) inline uint32_t hexValuePext(uint64_t w, unsigned digits)
{
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    const uint64_t v = (w & (kOnes * 0x0f)) + 9 * ((w >> 6) & kOnes); // one digit per byte
    const uint64_t wanted = (~0ull << (8 * (8 - digits))) & (kOnes * 0x0f);
    return static_cast<uint32_t>(_pext_u64(__builtin_bswap64(v), wanted));
}

__attribute__((target("avx2,bmi2"))) size_t tokenizeAvx2Pext(std::string_view text, uint32_t* out)
{
    return tokenizeWindows(text, out, masksAvx2, hexValuePext);
}

// AVX-512 with the byte permutes and compresses (VBMI, VBMI2): eight lines per step, without a
// branch per line. The newline positions are packed into one register, each line's last
// eight bytes are gathered into a lane of its own, and the hex digits are summed by
// multiply-adds. A step ends after its eighth line, so the number of lines in 64 bytes
// never decides a branch.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt"))) size_t
tokenizeAvx512(std::string_view text, uint32_t* out)
{
    alignas(64) static constexpr uint8_t kIota[64] = {
        0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
        44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};
    // Byte j of lane i: line i's byte j places before its newline (j = 0 the last digit).
    alignas(64) static constexpr uint8_t kLane[64] = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2,
        2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5,
        5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7};
    alignas(64) static constexpr uint8_t kBack[64] = {
        1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6,
        7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4,
        5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    // Bytes 2i and 2i+1: line i's first two bytes.
    alignas(16) static constexpr uint8_t kHeadLane[16] = {0, 0, 1, 1, 2, 2, 3, 3,
                                                          4, 4, 5, 5, 6, 6, 7, 7};
    alignas(16) static constexpr uint8_t kHeadByte[16] = {0, 1, 0, 1, 0, 1, 0, 1,
                                                          0, 1, 0, 1, 0, 1, 0, 1};
    const __m512i iota = _mm512_load_si512(kIota);
    const __m512i one = _mm512_set1_epi8(1);
    const __m512i lane = _mm512_load_si512(kLane), back = _mm512_load_si512(kBack);
    const __m128i headLane = _mm_load_si128(reinterpret_cast<const __m128i*>(kHeadLane));
    const __m128i headByte = _mm_load_si128(reinterpret_cast<const __m128i*>(kHeadByte));
    const __m512i newline = _mm512_set1_epi8('\n'), low = _mm512_set1_epi8(0x0f);
    const __m512i letter = _mm512_set1_epi8(0x40), nine = _mm512_set1_epi8(9);
    const __m512i zero = _mm512_set1_epi8('0'), a = _mm512_set1_epi8('a');
    const __m512i ten = _mm512_set1_epi8(10), six = _mm512_set1_epi8(6);
    const __m512i weights = _mm512_set1_epi16(0x1001); // bytes 1, 16
    const __m128i plus = _mm_set1_epi16(0x202b), minus = _mm_set1_epi16(0x202d);

    uint32_t* const first = out;
    const char* const begin = text.data();
    const char* p = begin;
    const char* const end = p + text.size();
    while (end - p >= 64 + 16) {
        const __m512i t = _mm512_loadu_si512(p);
        const __mmask64 nl = _mm512_cmpeq_epi8_mask(t, newline);
        const uint64_t bits = _cvtmask64_u64(nl);
        if (bits == 0) { // a line longer than the window
            *out++ = lineToken(begin, p, end);
            continue;
        }
        const uint64_t eighth = _pdep_u64(0x80, bits);
        const size_t advance =
            eighth ? _tzcnt_u64(eighth) + 1 : 64 - static_cast<size_t>(std::countl_zero(bits));
        const size_t lines = std::min<size_t>(8, static_cast<size_t>(_mm_popcnt_u64(bits)));
        // e: each line's newline; s: where each line starts.
        const __m512i e = _mm512_maskz_compress_epi8(nl, iota);
        const __m512i s = _mm512_bslli_epi128(_mm512_add_epi8(e, one), 1);
        const __m512i at = _mm512_sub_epi8(_mm512_permutexvar_epi8(lane, e), back);
        const __m512i d = _mm512_permutexvar_epi8(at, t);
        // A line's digit bytes: from its third byte to its newline.
        const __mmask64 digit = _mm512_cmpge_epi8_mask(
            at, _mm512_add_epi8(_mm512_permutexvar_epi8(lane, s), _mm512_set1_epi8(2)));
        const __mmask64 hex = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(d, zero), ten) |
                              _mm512_cmplt_epu8_mask(_mm512_sub_epi8(d, a), six);
        const __mmask8 bad =
            _mm512_test_epi64_mask(_mm512_movm_epi8(digit & ~hex), _mm512_movm_epi8(digit & ~hex));
        __m512i nibble = _mm512_and_si512(d, low);
        nibble = _mm512_mask_add_epi8(nibble, _mm512_test_epi8_mask(d, letter), nibble, nine);
        nibble = _mm512_maskz_mov_epi8(digit, nibble);
        const __m256i value = _mm512_cvtepi16_epi8(_mm512_maddubs_epi16(nibble, weights));
        // Each line's first two bytes: "+ " or "- ".
        const __m128i headAt =
            _mm_add_epi8(_mm_permutexvar_epi8(headLane, _mm512_castsi512_si128(s)), headByte);
        const __m128i head =
            _mm512_castsi512_si128(_mm512_permutexvar_epi8(_mm512_castsi128_si512(headAt), t));
        const __mmask8 isMinus = _mm_cmpeq_epi16_mask(head, minus);
        const __mmask8 isEvent = _mm_cmpeq_epi16_mask(head, plus) | isMinus;
        const __m256i ends = _mm256_cvtepu8_epi32(_mm512_castsi512_si128(e));
        const __m256i starts = _mm256_cvtepu8_epi32(_mm512_castsi512_si128(s));
        const __m256i digits = _mm256_sub_epi32(ends, starts); // digits + 2
        const __mmask8 fits = _mm256_cmplt_epu32_mask(
            _mm256_sub_epi32(digits, _mm256_set1_epi32(3)), _mm256_set1_epi32(7));
        const __mmask8 event = isEvent & fits & ~bad;
        const __m256i offset =
            _mm256_add_epi32(starts, _mm256_set1_epi32(static_cast<int>(p - begin)));
        const __m256i other = _mm256_or_si256(_mm256_slli_epi32(offset, 2), _mm256_set1_epi32(2));
        __m256i token = _mm256_slli_epi32(value, 2);
        token = _mm256_mask_or_epi32(token, isMinus, token, _mm256_set1_epi32(1));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                            _mm256_mask_blend_epi32(event, other, token));
        out += lines;
        p += advance;
    }
    while (p < end)
        *out++ = lineToken(begin, p, end);
    return size_t(out - first);
}

// AMD before Zen 3 runs the bit-extract in microcode, hundreds of cycles each.
bool fastPext()
{
    return __builtin_cpu_supports("bmi2") && !__builtin_cpu_is("amdfam15h") &&
           !__builtin_cpu_is("amdfam17h");
}

bool hasAvx512Bytes()
{
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("popcnt") && fastPext();
}
#endif

HeaptrackTokenizer::Function widest()
{
#if defined(HEAPSCOPE_TOKENIZER_AVX2)
    if (hasAvx512Bytes())
        return tokenizeAvx512;
    if (__builtin_cpu_supports("avx2"))
        return fastPext() ? tokenizeAvx2Pext : tokenizeAvx2;
#endif
#if defined(__SSE2__)
    return tokenizeSse2;
#else
    return HeaptrackTokenizer::tokenizeLines;
#endif
}

} // namespace

size_t HeaptrackTokenizer::tokenizeLines(std::string_view text, uint32_t* out)
{
    uint32_t* const first = out;
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end)
        *out++ = lineToken(text.data(), p, end);
    return size_t(out - first);
}

size_t HeaptrackTokenizer::tokenize(std::string_view text, uint32_t* out)
{
    static const Function best = widest();
    return best(text, out);
}

std::vector<std::pair<const char*, HeaptrackTokenizer::Function>> HeaptrackTokenizer::variants()
{
    std::vector<std::pair<const char*, Function>> all;
#if defined(__SSE2__)
    all.emplace_back("sse2", tokenizeSse2);
#endif
#if defined(HEAPSCOPE_TOKENIZER_AVX2)
    if (__builtin_cpu_supports("avx2"))
        all.emplace_back("avx2", tokenizeAvx2);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2"))
        all.emplace_back("avx2 with pext", tokenizeAvx2Pext);
    if (hasAvx512Bytes())
        all.emplace_back("avx512 with vbmi2", tokenizeAvx512);
#endif
    return all;
}

} // namespace hs
