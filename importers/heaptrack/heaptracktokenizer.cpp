#include "heaptracktokenizer.h"

#include "heaptracktokenwindows.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
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

// AMD before Zen 3 runs the bit-extract in microcode, hundreds of cycles each.
bool fastPext()
{
    return __builtin_cpu_supports("bmi2") && !__builtin_cpu_is("amdfam15h") &&
           !__builtin_cpu_is("amdfam17h");
}
#endif

HeaptrackTokenizer::Function widest()
{
#if defined(HEAPSCOPE_TOKENIZER_AVX2)
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
#endif
    return all;
}

} // namespace hs
