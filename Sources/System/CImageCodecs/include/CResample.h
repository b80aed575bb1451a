#ifndef FEDNC_CRESAMPLE_H
#define FEDNC_CRESAMPLE_H
/// The two 8-bit passes of Imaging's separable resize (Pillow's BILINEAR fixed-point arithmetic), in C with an
/// AVX2 path chosen at run time and a portable path that gives the same bytes.
///
/// Arithmetic (both paths, bit for bit the same as Imaging's Swift reference): each output sample is
/// `clamp((2^21 + sum(sample[first + tap] * weight[tap])) >> 22, 0, 255)` with 32-bit wrapping integer
/// arithmetic, `weight` the fixed-point weights (22 fractional bits) of `ResampleCoefficients`.
/// The AVX2 path multiplies 16-bit samples by the weights split as `weight = high * 2^15 + low`
/// (`low` in 0..<2^15, `high` = weight >> 15), with `pmaddwd`, and recombines `sum(low) + sum(high) << 15`:
/// the same integer. It is used when every weight lies in -2^30..<2^30 (always, for normalised weights).
///
/// Coefficient arrays (one output sample `i` of the resampled axis): `firsts[i]` is the first input index,
/// `counts[i]` the number of inputs read, `weights[i * taps + tap]` the weight of input `firsts[i] + tap`
/// (`counts[i] <= taps`). Inputs named by the coefficients must lie inside the axis (as
/// `ResampleCoefficients` guarantees).
#include <stddef.h>
#include <stdint.h>

typedef enum {
    /// AVX2 when the CPU has it, otherwise the portable path.
    FEDNC_RESAMPLE_FASTEST = 0,
    /// Plain C (the reference for the AVX2 path's tests).
    FEDNC_RESAMPLE_PORTABLE = 1
} fednc_resample_kernel;

/// 1 when `FEDNC_RESAMPLE_FASTEST` runs the AVX2 path on this CPU, else 0.
int32_t fednc_resample_has_avx2(void);

/// Horizontal pass: `rows` packed rows of `input_width * channels` samples (`channels` 1 or 3) to `rows`
/// packed rows of `output_width * channels` samples. `input` is read only inside its
/// `rows * input_width * channels` bytes. Returns 0, or -1 for impossible arguments.
int32_t fednc_resample_rows_u8(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                               uint8_t *output, int32_t output_width, const intptr_t *firsts,
                               const intptr_t *counts, const int32_t *weights, int32_t taps,
                               fednc_resample_kernel kernel);

/// Vertical pass: output row `y` (of `row_length` samples) is the weighted sum of input rows
/// `firsts[y] - row_offset ...` (`input` holds `input_rows` rows of `row_length` samples).
/// Returns 0, -1 for impossible arguments (a row outside the input, for example), or -2 when the portable path
/// finds no memory for its one row of sums.
int32_t fednc_resample_columns_u8(const uint8_t *input, int32_t input_rows, int32_t row_length,
                                  int32_t row_offset, uint8_t *output, int32_t output_rows,
                                  const intptr_t *firsts, const intptr_t *counts, const int32_t *weights,
                                  int32_t taps, fednc_resample_kernel kernel);

#endif
