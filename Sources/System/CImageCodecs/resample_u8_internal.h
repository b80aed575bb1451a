// Shared between resample_u8.c (portable path, dispatch) and resample_u8_avx2.c (AVX2 path). Not public.
#ifndef FEDNC_RESAMPLE_U8_INTERNAL_H
#define FEDNC_RESAMPLE_U8_INTERNAL_H
#include <stdint.h>

/// Fractional bits of the fixed-point weights (Pillow: 32 - 8 - 2).
#define FEDNC_RESAMPLE_PRECISION_BITS 22
/// Added before the shift: rounds half up.
#define FEDNC_RESAMPLE_HALF ((uint32_t)1 << (FEDNC_RESAMPLE_PRECISION_BITS - 1))

/// `sum >> 22` (arithmetic, on the sum read as signed 32-bit), clamped to 0...255.
static inline uint8_t fednc_resample_clamp(uint32_t sum) {
    int32_t value = (int32_t)sum >> FEDNC_RESAMPLE_PRECISION_BITS;
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

/// One output pixel of the horizontal pass, portable: `channels` samples from `count` input pixels starting
/// at `start` (the first input pixel), weighted by `weights[0 ..< count]`.
static inline void fednc_resample_pixel_portable(const uint8_t *start, int32_t channels, intptr_t count,
                                                 const int32_t *weights, uint8_t *output) {
    if (channels == 3) {  // the three sums in one pass over the taps
        uint32_t red = FEDNC_RESAMPLE_HALF, green = FEDNC_RESAMPLE_HALF, blue = FEDNC_RESAMPLE_HALF;
        for (intptr_t tap = 0; tap < count; tap++) {
            const uint8_t *pixel = start + 3 * tap;
            uint32_t weight = (uint32_t)weights[tap];
            red += (uint32_t)pixel[0] * weight;
            green += (uint32_t)pixel[1] * weight;
            blue += (uint32_t)pixel[2] * weight;
        }
        output[0] = fednc_resample_clamp(red);
        output[1] = fednc_resample_clamp(green);
        output[2] = fednc_resample_clamp(blue);
        return;
    }
    for (int32_t channel = 0; channel < channels; channel++) {
        uint32_t sum = FEDNC_RESAMPLE_HALF;
        for (intptr_t tap = 0; tap < count; tap++) {
            sum += (uint32_t)start[tap * channels + channel] * (uint32_t)weights[tap];
        }
        output[channel] = fednc_resample_clamp(sum);
    }
}

/// The AVX2 horizontal pass (resample_u8_avx2.c). Returns 0, or -1 when it cannot run (a weight outside
/// -2^30..<2^30, channels not 1 or 3, or no memory for its tables): the caller then runs the portable path.
int32_t fednc_resample_rows_avx2(const uint8_t *input, int32_t input_width, int32_t channels, int32_t rows,
                                 uint8_t *output, int32_t output_width, const intptr_t *firsts,
                                 const intptr_t *counts, const int32_t *weights, int32_t taps);

/// The AVX2 vertical pass; arguments already checked by the caller.
void fednc_resample_columns_avx2(const uint8_t *input, int32_t row_length, int32_t row_offset, uint8_t *output,
                                 int32_t output_rows, const intptr_t *firsts, const intptr_t *counts,
                                 const int32_t *weights, int32_t taps);

/// Whether the AVX2 path was compiled in and the CPU supports it.
int32_t fednc_resample_cpu_has_avx2(void);

#endif
