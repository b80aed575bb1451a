// AVX2 kernel of the horizontal resize pass (CResample.h), compiled for AVX2 function by function
// (`target("avx2")`) and called only after a run-time CPU check. Same bytes as the portable path:
//
// The weights are split as `weight = high * 2^15 + low` (`low` = weight & 0x7fff,
// `high` = weight >> 15, both int16 when -2^30 <= weight < 2^30) and each output's sum is built as
// `sum(sample * low) + (sum(sample * high) << 15)` with `pmaddwd` (int16 x int16 -> int32, pairs added; samples
// are 0...255, so no pair saturates). Integer addition in 32-bit lanes wraps like the portable path's, so the
// sum is the same integer. Per output pixel the weights are laid out once per call in a table of 256-bit rows:
// - RGB: a group covers 4 taps; one 16-byte load (5 pixels) broadcast to both 128-bit lanes is shuffled to
//   int16 (R0 R1 G0 G1 B0 B1 0 0 | R2 R3 G2 G3 B2 B3 0 0) against weights (w0 w1 w0 w1 w0 w1 0 0 | w2 w3 ...).
// - Gray: a group covers 16 taps: 16 samples widened to int16 against 16 weights.
// Every pixel runs the same number of groups (enough for the largest count; missing taps weigh 0), so the
// loop never mispredicts; the common group counts (RGB 1-3, gray 1-2) get their own unrolled copies. Rows go in pairs,
// which share the weights and addresses (both rows read the same columns). A row whose loads could pass the
// end of the input goes alone, pixel blocks checked one by one; a pixel block that would runs the portable code.
#include "resample_u8_internal.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEDNC_AVX2 __attribute__((target("avx2")))

int32_t fednc_resample_cpu_has_avx2(void) { return __builtin_cpu_supports("avx2") ? 1 : 0; }

/// Taps per group: RGB 4, gray 16.
static int32_t taps_per_group(int32_t channels) { return channels == 3 ? 4 : 16; }

/// Bytes one pixel's loads span from its first input sample: the last group's 16-byte load.
static intptr_t read_span(int32_t channels, int32_t groups) {
    return (intptr_t)(groups - 1) * taps_per_group(channels) * channels + 16;
}

/// The weight table: per output pixel, per group, a 256-bit row of `low` int16 then one of `high`.
/// NULL when a weight is out of range or memory is short.
static int16_t *make_table(int32_t channels, int32_t output_width, const intptr_t *counts, const int32_t *weights,
                           int32_t taps, int32_t groups) {
    size_t bytes = (size_t)output_width * (size_t)groups * 64;
    int16_t *table = aligned_alloc(32, bytes);
    if (!table) return NULL;
    memset(table, 0, bytes);
    for (int32_t x = 0; x < output_width; x++) {
        for (intptr_t tap = 0; tap < counts[x]; tap++) {
            int32_t weight = weights[(size_t)x * (size_t)taps + (size_t)tap];
            if (weight < -(1 << 30) || weight >= (1 << 30)) {
                free(table);
                return NULL;
            }
            int16_t low = (int16_t)(weight & 0x7fff), high = (int16_t)(weight >> 15);
            int32_t group = (int32_t)(tap / taps_per_group(channels));
            int32_t within = (int32_t)(tap % taps_per_group(channels));
            int16_t *row = table + ((size_t)x * (size_t)groups + (size_t)group) * 32;
            if (channels == 3) {
                // Lane `within / 2` (8 int16), slot `within % 2` of each channel's pair.
                int32_t base = (within / 2) * 8 + within % 2;
                for (int32_t channel = 0; channel < 3; channel++) {
                    row[base + 2 * channel] = low;
                    row[16 + base + 2 * channel] = high;
                }
            } else {
                row[within] = low;
                row[16 + within] = high;
            }
        }
    }
    return table;
}

#define FEDNC_INLINE __attribute__((always_inline)) static inline

/// Partial sums of one RGB pixel in two rows (`start` and `start + stride`): (R G B 0 | R G B 0) int32 each,
/// taps split across the two lanes.
FEDNC_AVX2 FEDNC_INLINE void rgb_sums(const uint8_t *start, size_t stride, const __m256i *table, int32_t groups,
                                      __m256i shuffle, __m256i *first, __m256i *second) {
    __m256i low0 = _mm256_setzero_si256(), high0 = low0, low1 = low0, high1 = low0;
    for (int32_t group = 0; group < groups; group++) {
        __m256i low = _mm256_load_si256(table + 2 * group), high = _mm256_load_si256(table + 2 * group + 1);
        __m256i samples0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(start + 12 * group)));
        __m256i samples1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(start + stride + 12 * group)));
        samples0 = _mm256_shuffle_epi8(samples0, shuffle);
        samples1 = _mm256_shuffle_epi8(samples1, shuffle);
        low0 = _mm256_add_epi32(low0, _mm256_madd_epi16(samples0, low));
        high0 = _mm256_add_epi32(high0, _mm256_madd_epi16(samples0, high));
        low1 = _mm256_add_epi32(low1, _mm256_madd_epi16(samples1, low));
        high1 = _mm256_add_epi32(high1, _mm256_madd_epi16(samples1, high));
    }
    *first = _mm256_add_epi32(low0, _mm256_slli_epi32(high0, 15));
    *second = _mm256_add_epi32(low1, _mm256_slli_epi32(high1, 15));
}

/// Partial sums of one gray pixel in two rows: 8 int32 each, whose total is the pixel's sum.
FEDNC_AVX2 FEDNC_INLINE void gray_sums(const uint8_t *start, size_t stride, const __m256i *table, int32_t groups,
                                       __m256i *first, __m256i *second) {
    __m256i low0 = _mm256_setzero_si256(), high0 = low0, low1 = low0, high1 = low0;
    for (int32_t group = 0; group < groups; group++) {
        __m256i low = _mm256_load_si256(table + 2 * group), high = _mm256_load_si256(table + 2 * group + 1);
        __m256i samples0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(start + 16 * group)));
        __m256i samples1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(start + stride + 16 * group)));
        low0 = _mm256_add_epi32(low0, _mm256_madd_epi16(samples0, low));
        high0 = _mm256_add_epi32(high0, _mm256_madd_epi16(samples0, high));
        low1 = _mm256_add_epi32(low1, _mm256_madd_epi16(samples1, low));
        high1 = _mm256_add_epi32(high1, _mm256_madd_epi16(samples1, high));
    }
    *first = _mm256_add_epi32(low0, _mm256_slli_epi32(high0, 15));
    *second = _mm256_add_epi32(low1, _mm256_slli_epi32(high1, 15));
}

/// Rounds (adds 2^21, shifts right 22); the packs that follow clamp to 0...255.
FEDNC_AVX2 FEDNC_INLINE __m256i rounded(__m256i sums) {
    return _mm256_srai_epi32(_mm256_add_epi32(sums, _mm256_set1_epi32((int32_t)FEDNC_RESAMPLE_HALF)),
                             FEDNC_RESAMPLE_PRECISION_BITS);
}

/// Four RGB pixels' partial sums (`rgb_sums`) into 12 output bytes.
FEDNC_AVX2 FEDNC_INLINE void store_rgb4(__m256i a, __m256i b, __m256i c, __m256i d, uint8_t *out) {
    // Fold the lanes: (a | b) and (c | d), each R G B 0.
    __m256i ab = _mm256_add_epi32(_mm256_permute2x128_si256(a, b, 0x20), _mm256_permute2x128_si256(a, b, 0x31));
    __m256i cd = _mm256_add_epi32(_mm256_permute2x128_si256(c, d, 0x20), _mm256_permute2x128_si256(c, d, 0x31));
    __m256i words = _mm256_packs_epi32(rounded(ab), rounded(cd));  // (a c | b d) int16
    __m256i bytes = _mm256_packus_epi16(words, words);               // (a c a c | b d b d) 4 bytes each
    __m128i pixels = _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1));
    const __m128i compact = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    pixels = _mm_shuffle_epi8(pixels, compact);
    _mm_storel_epi64((__m128i *)out, pixels);
    int32_t last = _mm_extract_epi32(pixels, 2);
    memcpy(out + 8, &last, 4);
}

/// Two gray pixels' partial sums folded pairwise (`hadd`): (p q p q | p q p q) parts.
FEDNC_AVX2 FEDNC_INLINE __m256i gray_pair(__m256i p, __m256i q) { return _mm256_hadd_epi32(p, q); }

/// Eight gray pixels' folded parts (`gray_pair` of pixels 0-1, 2-3, 4-5, 6-7) into 8 output bytes.
FEDNC_AVX2 FEDNC_INLINE void store_gray8(__m256i s01, __m256i s23, __m256i s45, __m256i s67, uint8_t *out) {
    __m256i s0123 = _mm256_hadd_epi32(s01, s23), s4567 = _mm256_hadd_epi32(s45, s67);  // (lane 0 parts | lane 1)
    __m256i total = _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                                     _mm256_permute2x128_si256(s0123, s4567, 0x31));
    total = rounded(total);
    __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(words, words));
}

/// Pixels `x` and `x + 1` of two rows, folded pairwise: `*first` for the first row, `*second` the second.
FEDNC_AVX2 FEDNC_INLINE void gray_two(const uint8_t *in_row, size_t stride, const intptr_t *firsts,
                                      const __m256i *table, int32_t groups, int32_t x,
                                      __m256i *first, __m256i *second) {
    __m256i p0, p1, q0, q1;
    gray_sums(in_row + firsts[x], stride, table + (size_t)x * 2 * (size_t)groups, groups, &p0, &p1);
    gray_sums(in_row + firsts[x + 1], stride, table + (size_t)(x + 1) * 2 * (size_t)groups, groups, &q0, &q1);
    *first = gray_pair(p0, q0);
    *second = gray_pair(p1, q1);
}

/// The pass's fixed arguments.
typedef struct {
    const uint8_t *input;
    const uint8_t *input_end;
    size_t in_stride;
    uint8_t *output;
    size_t out_stride;
    int32_t output_width;
    int32_t channels;
    const intptr_t *firsts;
    const intptr_t *counts;
    const int32_t *weights;
    int32_t taps;
    const __m256i *table;
    int32_t groups;
} rows_pass;

/// Output pixel `x` of row `row`, portable.
static void pixel_portable(const rows_pass *pass, int32_t row, int32_t x) {
    fednc_resample_pixel_portable(pass->input + (size_t)row * pass->in_stride + pass->firsts[x] * pass->channels,
                                  pass->channels, pass->counts[x], pass->weights + (size_t)x * (size_t)pass->taps,
                                  pass->output + (size_t)row * pass->out_stride + (size_t)x * (size_t)pass->channels);
}

/// Rows `row` and `row + 1` (all their loads inside the input), RGB, `groups` groups per pixel.
FEDNC_AVX2 FEDNC_INLINE void rgb_row_pair(const rows_pass *pass, int32_t row, int32_t groups) {
    const __m256i shuffle = _mm256_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1,
                                             6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
    const uint8_t *in_row = pass->input + (size_t)row * pass->in_stride;
    uint8_t *out_row = pass->output + (size_t)row * pass->out_stride;
    int32_t x = 0;
    for (; x + 4 <= pass->output_width; x += 4) {
        const __m256i *table = pass->table + (size_t)x * 2 * (size_t)groups;
        __m256i a0, a1, b0, b1, c0, c1, d0, d1;  // pixels x ..< x + 4 of the two rows
        rgb_sums(in_row + pass->firsts[x] * 3, pass->in_stride, table, groups, shuffle, &a0, &a1);
        rgb_sums(in_row + pass->firsts[x + 1] * 3, pass->in_stride, table + 2 * groups, groups, shuffle, &b0, &b1);
        rgb_sums(in_row + pass->firsts[x + 2] * 3, pass->in_stride, table + 4 * groups, groups, shuffle, &c0, &c1);
        rgb_sums(in_row + pass->firsts[x + 3] * 3, pass->in_stride, table + 6 * groups, groups, shuffle, &d0, &d1);
        store_rgb4(a0, b0, c0, d0, out_row + (size_t)x * 3);
        store_rgb4(a1, b1, c1, d1, out_row + pass->out_stride + (size_t)x * 3);
    }
    for (; x < pass->output_width; x++) {
        pixel_portable(pass, row, x);
        pixel_portable(pass, row + 1, x);
    }
}

/// Rows `row` and `row + 1` (all their loads inside the input), gray, `groups` groups per pixel.
FEDNC_AVX2 FEDNC_INLINE void gray_row_pair(const rows_pass *pass, int32_t row, int32_t groups) {
    const uint8_t *in_row = pass->input + (size_t)row * pass->in_stride;
    uint8_t *out_row = pass->output + (size_t)row * pass->out_stride;
    int32_t x = 0;
    for (; x + 8 <= pass->output_width; x += 8) {
        __m256i a0, a1, b0, b1, c0, c1, d0, d1;  // pixel pairs x, x + 2, x + 4, x + 6 of the two rows
        gray_two(in_row, pass->in_stride, pass->firsts, pass->table, groups, x, &a0, &a1);
        gray_two(in_row, pass->in_stride, pass->firsts, pass->table, groups, x + 2, &b0, &b1);
        gray_two(in_row, pass->in_stride, pass->firsts, pass->table, groups, x + 4, &c0, &c1);
        gray_two(in_row, pass->in_stride, pass->firsts, pass->table, groups, x + 6, &d0, &d1);
        store_gray8(a0, b0, c0, d0, out_row + x);
        store_gray8(a1, b1, c1, d1, out_row + pass->out_stride + x);
    }
    for (; x < pass->output_width; x++) {
        pixel_portable(pass, row, x);
        pixel_portable(pass, row + 1, x);
    }
}

/// A row pair with the group count as a constant for the common counts (unrolled copies).
FEDNC_AVX2 static void row_pair(const rows_pass *pass, int32_t row) {
    if (pass->channels == 3) {
        switch (pass->groups) {
        case 1: rgb_row_pair(pass, row, 1); break;
        case 2: rgb_row_pair(pass, row, 2); break;
        case 3: rgb_row_pair(pass, row, 3); break;
        default: rgb_row_pair(pass, row, pass->groups); break;
        }
    } else {
        switch (pass->groups) {
        case 1: gray_row_pair(pass, row, 1); break;
        case 2: gray_row_pair(pass, row, 2); break;
        default: gray_row_pair(pass, row, pass->groups); break;
        }
    }
}

/// One row near the end of the input: each pixel block runs in AVX2 only if its loads stay inside the input,
/// else portable.
FEDNC_AVX2 static void row_checked(const rows_pass *pass, int32_t row, intptr_t span) {
    const uint8_t *in_row = pass->input + (size_t)row * pass->in_stride;
    uint8_t *out_row = pass->output + (size_t)row * pass->out_stride;
    const int32_t block = pass->channels == 3 ? 4 : 8;
    for (int32_t x = 0; x < pass->output_width; x += block) {
        int vector = x + block <= pass->output_width;
        for (int32_t k = 0; vector && k < block; k++) {
            vector = in_row + pass->firsts[x + k] * pass->channels + span <= pass->input_end;
        }
        if (!vector) {
            for (int32_t k = x; k < x + block && k < pass->output_width; k++) pixel_portable(pass, row, k);
        } else if (pass->channels == 3) {
            const __m256i shuffle = _mm256_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1,
                                                     6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
            __m256i sums[4], unused;  // stride 0: the "second row" is this row again
            for (int32_t k = 0; k < 4; k++) {
                rgb_sums(in_row + pass->firsts[x + k] * 3, 0, pass->table + (size_t)(x + k) * 2 * (size_t)pass->groups,
                         pass->groups, shuffle, &sums[k], &unused);
            }
            store_rgb4(sums[0], sums[1], sums[2], sums[3], out_row + (size_t)x * 3);
        } else {
            __m256i a, b, c, d, unused;  // stride 0: the "second row" is this row again
            gray_two(in_row, 0, pass->firsts, pass->table, pass->groups, x, &a, &unused);
            gray_two(in_row, 0, pass->firsts, pass->table, pass->groups, x + 2, &b, &unused);
            gray_two(in_row, 0, pass->firsts, pass->table, pass->groups, x + 4, &c, &unused);
            gray_two(in_row, 0, pass->firsts, pass->table, pass->groups, x + 6, &d, &unused);
            store_gray8(a, b, c, d, out_row + x);
        }
    }
}

FEDNC_AVX2 int32_t fednc_resample_rows_avx2(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                                            uint8_t *output, int32_t output_width, const intptr_t *firsts,
                                            const intptr_t *counts, const int32_t *weights, int32_t taps) {
    if (channels != 1 && channels != 3) return -1;
    intptr_t largest = 1, last_first = 0;
    for (int32_t x = 0; x < output_width; x++) {
        largest = counts[x] > largest ? counts[x] : largest;
        last_first = firsts[x] > last_first ? firsts[x] : last_first;
    }
    int32_t groups = (int32_t)((largest + taps_per_group(channels) - 1) / taps_per_group(channels));
    int16_t *table = make_table(channels, output_width, counts, weights, taps, groups);
    if (!table) return -1;
    const size_t in_stride = (size_t)input_width * (size_t)channels;
    const rows_pass pass = {
        .input = input, .input_end = input + (size_t)rows * in_stride, .in_stride = in_stride,
        .output = output, .out_stride = (size_t)output_width * (size_t)channels, .output_width = output_width,
        .channels = channels, .firsts = firsts, .counts = counts, .weights = weights, .taps = taps,
        .table = (const __m256i *)table, .groups = groups,
    };
    const intptr_t span = read_span(channels, groups);
    // Bytes past a row's start that its furthest pixel reads.
    const size_t reach = (size_t)(last_first * channels + span);
    int32_t row = 0;
    // Pairs whose second row's furthest read stays inside the input.
    for (; row + 1 < rows && (size_t)(row + 1) * in_stride + reach <= (size_t)rows * in_stride; row += 2) {
        row_pair(&pass, row);
    }
    for (; row < rows; row++) row_checked(&pass, row, span);
    free(table);
    return 0;
}

#else  // not x86: the portable path always runs.

int32_t fednc_resample_cpu_has_avx2(void) { return 0; }

int32_t fednc_resample_rows_avx2(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                                 uint8_t *output, int32_t output_width, const intptr_t *firsts,
                                 const intptr_t *counts, const int32_t *weights, int32_t taps) {
    (void)input; (void)input_width; (void)channels; (void)rows; (void)output; (void)output_width;
    (void)firsts; (void)counts; (void)weights; (void)taps;
    return -1;
}

#endif
