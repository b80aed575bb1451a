// AVX2 kernels of the resize passes (CResample.h), compiled for AVX2 function by function
// (`target("avx2")`) and called only after a run-time CPU check. Same bytes as the portable path:
//
// Horizontal pass. The weights are split as `weight = high * 2^15 + low` (`low` = weight & 0x7fff,
// `high` = weight >> 15, both int16 when -2^30 <= weight < 2^30) and each output's sum is built as
// `sum(sample * low) + (sum(sample * high) << 15)` with `pmaddwd` (int16 x int16 -> int32, pairs added; samples
// are 0...255, so no pair saturates). Integer addition in 32-bit lanes wraps like the portable path's, so the
// sum is the same integer. Per output pixel the weights are laid out once per call in a table of 256-bit rows:
// - RGB: a group covers 4 taps; one 16-byte load (5 pixels) broadcast to both 128-bit lanes is shuffled to
//   int16 (R0 R1 G0 G1 B0 B1 0 0 | R2 R3 G2 G3 B2 B3 0 0) against weights (w0 w1 w0 w1 w0 w1 0 0 | w2 w3 ...).
// - Gray: a group covers 16 taps: 16 samples widened to int16 against 16 weights.
// Every pixel runs the same number of groups (enough for the largest count; missing taps weigh 0), so the
// loop never mispredicts. A pixel whose loads would pass the end of the input runs the portable code.
//
// Vertical pass. 32 samples at a time, sums in registers, 32-bit multiplies (`pmulld`, wrapping like C).
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

/// Partial sums of one RGB pixel: (R G B 0 | R G B 0) int32, taps split across the two lanes.
FEDNC_AVX2 static inline __m256i rgb_sums(const uint8_t *start, const __m256i *table, int32_t groups,
                                          __m256i shuffle) {
    __m256i low_sum = _mm256_setzero_si256(), high_sum = _mm256_setzero_si256();
    for (int32_t group = 0; group < groups; group++) {
        __m256i samples = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(start + 12 * group)));
        samples = _mm256_shuffle_epi8(samples, shuffle);
        low_sum = _mm256_add_epi32(low_sum, _mm256_madd_epi16(samples, _mm256_load_si256(table + 2 * group)));
        high_sum = _mm256_add_epi32(high_sum, _mm256_madd_epi16(samples, _mm256_load_si256(table + 2 * group + 1)));
    }
    return _mm256_add_epi32(low_sum, _mm256_slli_epi32(high_sum, 15));
}

/// Partial sums of one gray pixel: 8 int32 whose total is the pixel's sum.
FEDNC_AVX2 static inline __m256i gray_sums(const uint8_t *start, const __m256i *table, int32_t groups) {
    __m256i low_sum = _mm256_setzero_si256(), high_sum = _mm256_setzero_si256();
    for (int32_t group = 0; group < groups; group++) {
        __m256i samples = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(start + 16 * group)));
        low_sum = _mm256_add_epi32(low_sum, _mm256_madd_epi16(samples, _mm256_load_si256(table + 2 * group)));
        high_sum = _mm256_add_epi32(high_sum, _mm256_madd_epi16(samples, _mm256_load_si256(table + 2 * group + 1)));
    }
    return _mm256_add_epi32(low_sum, _mm256_slli_epi32(high_sum, 15));
}

/// Rounds (adds 2^21, shifts right 22); the packs that follow clamp to 0...255.
FEDNC_AVX2 static inline __m256i rounded(__m256i sums) {
    return _mm256_srai_epi32(_mm256_add_epi32(sums, _mm256_set1_epi32((int32_t)FEDNC_RESAMPLE_HALF)),
                             FEDNC_RESAMPLE_PRECISION_BITS);
}

/// Four RGB pixels (x ..< x + 4) into 12 output bytes.
FEDNC_AVX2 static inline void rgb_block(const uint8_t *in_row, const intptr_t *firsts, const __m256i *table,
                                        int32_t groups, int32_t x, __m256i shuffle, uint8_t *out) {
    __m256i a = rgb_sums(in_row + firsts[x] * 3, table + (size_t)x * 2 * groups, groups, shuffle);
    __m256i b = rgb_sums(in_row + firsts[x + 1] * 3, table + (size_t)(x + 1) * 2 * groups, groups, shuffle);
    __m256i c = rgb_sums(in_row + firsts[x + 2] * 3, table + (size_t)(x + 2) * 2 * groups, groups, shuffle);
    __m256i d = rgb_sums(in_row + firsts[x + 3] * 3, table + (size_t)(x + 3) * 2 * groups, groups, shuffle);
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

/// Eight gray pixels (x ..< x + 8) into 8 output bytes.
FEDNC_AVX2 static inline void gray_block(const uint8_t *in_row, const intptr_t *firsts, const __m256i *table,
                                         int32_t groups, int32_t x, uint8_t *out) {
    __m256i sums[8];
    for (int32_t k = 0; k < 8; k++) {
        sums[k] = gray_sums(in_row + firsts[x + k], table + (size_t)(x + k) * 2 * groups, groups);
    }
    __m256i s01 = _mm256_hadd_epi32(sums[0], sums[1]), s23 = _mm256_hadd_epi32(sums[2], sums[3]);
    __m256i s45 = _mm256_hadd_epi32(sums[4], sums[5]), s67 = _mm256_hadd_epi32(sums[6], sums[7]);
    __m256i s0123 = _mm256_hadd_epi32(s01, s23), s4567 = _mm256_hadd_epi32(s45, s67);  // (lane 0 parts | lane 1)
    __m256i total = _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                                     _mm256_permute2x128_si256(s0123, s4567, 0x31));
    total = rounded(total);
    __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
    _mm_storel_epi64((__m128i *)out, _mm_packus_epi16(words, words));
}

FEDNC_AVX2 int32_t fednc_resample_rows_avx2(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                                            uint8_t *output, int32_t output_width, const intptr_t *firsts,
                                            const intptr_t *counts, const int32_t *weights, int32_t taps) {
    if (channels != 1 && channels != 3) return -1;
    intptr_t largest = 1;
    for (int32_t x = 0; x < output_width; x++) largest = counts[x] > largest ? counts[x] : largest;
    int32_t groups = (int32_t)((largest + taps_per_group(channels) - 1) / taps_per_group(channels));
    int16_t *table = make_table(channels, output_width, counts, weights, taps, groups);
    if (!table) return -1;
    const __m256i *rows_table = (const __m256i *)table;
    const size_t in_stride = (size_t)input_width * (size_t)channels, out_stride = (size_t)output_width * (size_t)channels;
    const uint8_t *input_end = input + (size_t)rows * in_stride;
    const intptr_t span = read_span(channels, groups);
    const int32_t block = channels == 3 ? 4 : 8;
    const __m256i shuffle = _mm256_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1,
                                             6, -1, 9, -1, 7, -1, 10, -1, 8, -1, 11, -1, -1, -1, -1, -1);
    for (int32_t row = 0; row < rows; row++) {
        const uint8_t *in_row = input + (size_t)row * in_stride;
        uint8_t *out_row = output + (size_t)row * out_stride;
        for (int32_t x = 0; x < output_width; x += block) {
            int vector = x + block <= output_width;
            for (int32_t k = 0; vector && k < block; k++) {
                vector = in_row + firsts[x + k] * channels + span <= input_end;
            }
            if (vector && channels == 3) {
                rgb_block(in_row, firsts, rows_table, groups, x, shuffle, out_row + (size_t)x * 3);
            } else if (vector) {
                gray_block(in_row, firsts, rows_table, groups, x, out_row + x);
            } else {
                for (int32_t k = x; k < x + block && k < output_width; k++) {
                    fednc_resample_pixel_portable(in_row + firsts[k] * channels, channels, counts[k],
                                                  weights + (size_t)k * (size_t)taps, out_row + (size_t)k * (size_t)channels);
                }
            }
        }
    }
    free(table);
    return 0;
}

/// `count` rows from `first_row` (stride `row_length`) weighted by `row_weights`, 8 samples from `index`.
FEDNC_AVX2 static inline __m256i column_sums(const uint8_t *first_row, size_t row_length, intptr_t count,
                                             const int32_t *row_weights, size_t index) {
    __m256i sums = _mm256_set1_epi32((int32_t)FEDNC_RESAMPLE_HALF);
    for (intptr_t tap = 0; tap < count; tap++) {
        __m256i samples = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(first_row + (size_t)tap * row_length + index)));
        sums = _mm256_add_epi32(sums, _mm256_mullo_epi32(samples, _mm256_set1_epi32(row_weights[tap])));
    }
    return _mm256_srai_epi32(sums, FEDNC_RESAMPLE_PRECISION_BITS);
}

FEDNC_AVX2 void fednc_resample_columns_avx2(const uint8_t *input, int32_t row_length, int32_t row_offset,
                                            uint8_t *output, int32_t output_rows, const intptr_t *firsts,
                                            const intptr_t *counts, const int32_t *weights, int32_t taps) {
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    const size_t length = (size_t)row_length;
    for (int32_t y = 0; y < output_rows; y++) {
        const uint8_t *first_row = input + (size_t)(firsts[y] - row_offset) * length;
        const int32_t *row_weights = weights + (size_t)y * (size_t)taps;
        const intptr_t count = counts[y];
        uint8_t *out_row = output + (size_t)y * length;
        size_t index = 0;
        for (; index + 32 <= length; index += 32) {
            __m256i s0 = _mm256_set1_epi32((int32_t)FEDNC_RESAMPLE_HALF), s1 = s0, s2 = s0, s3 = s0;
            const uint8_t *samples = first_row + index;
            for (intptr_t tap = 0; tap < count; tap++, samples += length) {
                __m256i weight = _mm256_set1_epi32(row_weights[tap]);
                s0 = _mm256_add_epi32(s0, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)samples)), weight));
                s1 = _mm256_add_epi32(s1, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(samples + 8))), weight));
                s2 = _mm256_add_epi32(s2, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(samples + 16))), weight));
                s3 = _mm256_add_epi32(s3, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(samples + 24))), weight));
            }
            s0 = _mm256_srai_epi32(s0, FEDNC_RESAMPLE_PRECISION_BITS);
            s1 = _mm256_srai_epi32(s1, FEDNC_RESAMPLE_PRECISION_BITS);
            s2 = _mm256_srai_epi32(s2, FEDNC_RESAMPLE_PRECISION_BITS);
            s3 = _mm256_srai_epi32(s3, FEDNC_RESAMPLE_PRECISION_BITS);
            __m256i bytes = _mm256_packus_epi16(_mm256_packs_epi32(s0, s1), _mm256_packs_epi32(s2, s3));
            _mm256_storeu_si256((__m256i *)(out_row + index), _mm256_permutevar8x32_epi32(bytes, order));
        }
        for (; index + 8 <= length; index += 8) {
            __m256i sums = column_sums(first_row, length, count, row_weights, index);
            __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
            _mm_storel_epi64((__m128i *)(out_row + index), _mm_packus_epi16(words, words));
        }
        for (; index < length; index++) {
            uint32_t sum = FEDNC_RESAMPLE_HALF;
            for (intptr_t tap = 0; tap < count; tap++) {
                sum += (uint32_t)first_row[(size_t)tap * length + index] * (uint32_t)row_weights[tap];
            }
            out_row[index] = fednc_resample_clamp(sum);
        }
    }
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

void fednc_resample_columns_avx2(const uint8_t *input, int32_t row_length, int32_t row_offset, uint8_t *output,
                                 int32_t output_rows, const intptr_t *firsts, const intptr_t *counts,
                                 const int32_t *weights, int32_t taps) {
    (void)input; (void)row_length; (void)row_offset; (void)output; (void)output_rows;
    (void)firsts; (void)counts; (void)weights; (void)taps;
}

#endif
