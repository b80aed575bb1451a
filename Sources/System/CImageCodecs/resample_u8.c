// The resize passes' entry points: argument checks, the portable path, and the dispatch to AVX2
// (resample_u8_avx2.c) when the CPU has it.
#include "CResample.h"
#include "resample_u8_internal.h"
#include <stdlib.h>

int32_t fednc_resample_has_avx2(void) { return fednc_resample_cpu_has_avx2(); }

/// Every output's inputs lie inside `0 ..< input_size`, and counts fit the slots.
static int coefficients_are_valid(int32_t input_size, int32_t output_size, const intptr_t *firsts,
                                  const intptr_t *counts, int32_t taps, int32_t offset) {
    for (int32_t index = 0; index < output_size; index++) {
        intptr_t first = firsts[index] - offset;
        if (first < 0 || counts[index] < 0 || counts[index] > taps || first + counts[index] > input_size) return 0;
    }
    return 1;
}

static void rows_portable(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                          uint8_t *output, int32_t output_width, const intptr_t *firsts, const intptr_t *counts,
                          const int32_t *weights, int32_t taps) {
    for (int32_t row = 0; row < rows; row++) {
        const uint8_t *in_row = input + (size_t)row * (size_t)input_width * (size_t)channels;
        uint8_t *out_row = output + (size_t)row * (size_t)output_width * (size_t)channels;
        for (int32_t x = 0; x < output_width; x++) {
            fednc_resample_pixel_portable(in_row + firsts[x] * channels, channels, counts[x],
                                          weights + (size_t)x * (size_t)taps, out_row + (size_t)x * (size_t)channels);
        }
    }
}

/// Whole rows at a time into `sums` (`row_length` entries), so the inner loop is a plain multiply-add over a
/// row that compilers vectorise.
static void columns_portable(const uint8_t *input, int32_t row_length, int32_t row_offset, uint8_t *output,
                             int32_t output_rows, const intptr_t *firsts, const intptr_t *counts,
                             const int32_t *weights, int32_t taps, uint32_t *sums) {
    const size_t length = (size_t)row_length;
    for (int32_t y = 0; y < output_rows; y++) {
        const uint8_t *first_row = input + (size_t)(firsts[y] - row_offset) * length;
        const int32_t *row_weights = weights + (size_t)y * (size_t)taps;
        uint8_t *out_row = output + (size_t)y * length;
        for (size_t index = 0; index < length; index++) sums[index] = FEDNC_RESAMPLE_HALF;
        for (intptr_t tap = 0; tap < counts[y]; tap++) {
            const uint8_t *in_row = first_row + (size_t)tap * length;
            uint32_t weight = (uint32_t)row_weights[tap];
            for (size_t index = 0; index < length; index++) sums[index] += (uint32_t)in_row[index] * weight;
        }
        for (size_t index = 0; index < length; index++) out_row[index] = fednc_resample_clamp(sums[index]);
    }
}

int32_t fednc_resample_rows_u8(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                               uint8_t *output, int32_t output_width, const intptr_t *firsts,
                               const intptr_t *counts, const int32_t *weights, int32_t taps,
                               fednc_resample_kernel kernel) {
    if (!input || !output || input_width < 1 || rows < 0 || output_width < 1 || taps < 1 ||
        (channels != 1 && channels != 3) ||
        !coefficients_are_valid(input_width, output_width, firsts, counts, taps, 0)) {
        return -1;
    }
    if (rows == 0) return 0;
    if (kernel == FEDNC_RESAMPLE_FASTEST && fednc_resample_cpu_has_avx2() &&
        fednc_resample_rows_avx2(input, input_width, channels, rows, output, output_width, firsts, counts,
                                 weights, taps) == 0) {
        return 0;
    }
    rows_portable(input, input_width, channels, rows, output, output_width, firsts, counts, weights, taps);
    return 0;
}

int32_t fednc_resample_columns_u8(const uint8_t *input, int32_t input_rows, int32_t row_length,
                                  int32_t row_offset, uint8_t *output, int32_t output_rows,
                                  const intptr_t *firsts, const intptr_t *counts, const int32_t *weights,
                                  int32_t taps, fednc_resample_kernel kernel) {
    if (!input || !output || input_rows < 1 || row_length < 1 || output_rows < 0 || taps < 1 ||
        !coefficients_are_valid(input_rows, output_rows, firsts, counts, taps, row_offset)) {
        return -1;
    }
    if (kernel == FEDNC_RESAMPLE_FASTEST && fednc_resample_cpu_has_avx2()) {
        fednc_resample_columns_avx2(input, row_length, row_offset, output, output_rows, firsts, counts, weights, taps);
        return 0;
    }
    uint32_t *sums = malloc((size_t)row_length * sizeof(uint32_t));
    if (!sums) return -2;
    columns_portable(input, row_length, row_offset, output, output_rows, firsts, counts, weights, taps, sums);
    free(sums);
    return 0;
}
