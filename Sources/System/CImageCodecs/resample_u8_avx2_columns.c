// AVX2 kernel of the vertical resize pass (CResample.h), compiled for AVX2 function by function
// (`target("avx2")`) and called only after a run-time CPU check. 32 samples at a time, the sums kept in
// registers over the taps, 32-bit multiplies (`pmulld`) and additions that wrap like the portable path's:
// the same bytes.
#include "resample_u8_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEDNC_AVX2 __attribute__((target("avx2")))

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

#else  // not x86: never called (fednc_resample_cpu_has_avx2 is 0).

void fednc_resample_columns_avx2(const uint8_t *input, int32_t row_length, int32_t row_offset, uint8_t *output,
                                 int32_t output_rows, const intptr_t *firsts, const intptr_t *counts,
                                 const int32_t *weights, int32_t taps) {
    (void)input; (void)row_length; (void)row_offset; (void)output; (void)output_rows;
    (void)firsts; (void)counts; (void)weights; (void)taps;
}

#endif
