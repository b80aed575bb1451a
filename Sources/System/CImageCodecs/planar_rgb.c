// Planar RGB -> interleaved RGB placement (see CPlanarPixels.h): a portable loop and an SSSE3 path that
// interleaves 16 pixels (48 bytes) per step with byte shuffles, dispatched at run time.
#include "CPlanarPixels.h"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FEDNC_PLANAR_X86 1
#endif

/// Pixels `first ..< width` of one row, one byte at a time.
static void place_row_portable(const uint8_t *red, const uint8_t *green, const uint8_t *blue, int32_t first,
                               int32_t width, uint8_t *out, int32_t merge) {
    for (int32_t x = first; x < width; x++) {
        uint8_t *pixel = out + 3 * (size_t)x;
        if (merge) {
            pixel[0] = pixel[0] > red[x] ? pixel[0] : red[x];
            pixel[1] = pixel[1] > green[x] ? pixel[1] : green[x];
            pixel[2] = pixel[2] > blue[x] ? pixel[2] : blue[x];
        } else {
            pixel[0] = red[x];
            pixel[1] = green[x];
            pixel[2] = blue[x];
        }
    }
}

#if FEDNC_PLANAR_X86
static int cpu_has_ssse3(void) { return __builtin_cpu_supports("ssse3") ? 1 : 0; }

/// `interleave_masks[block][channel]`: the shuffle that moves plane `channel`'s bytes to their places in output
/// block `block` (0-2) of 16 pixels. Output byte `i` of a block is pixel `(16 * block + i) / 3`, channel
/// `(16 * block + i) % 3`; -1 (bit 7 set) makes `pshufb` write zero there.
static const int8_t interleave_masks[3][3][16] = {
    {
        {0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1, 5},
        {-1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1},
        {-1, -1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1}},
    {
        {-1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10, -1},
        {5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10},
        {-1, 5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1}},
    {
        {-1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1, -1},
        {-1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1},
        {10, -1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15}}};

__attribute__((target("ssse3")))
static void place_ssse3(const uint8_t *planes, int32_t width, int32_t height, uint8_t *canvas,
                        intptr_t canvas_row_bytes, int32_t merge) {
    __m128i masks[3][3];
    for (int block = 0; block < 3; block++) {
        for (int channel = 0; channel < 3; channel++) {
            masks[block][channel] = _mm_loadu_si128((const __m128i *)interleave_masks[block][channel]);
        }
    }
    const size_t plane = (size_t)width * (size_t)height;
    for (int32_t y = 0; y < height; y++) {
        const uint8_t *red = planes + (size_t)y * (size_t)width;
        const uint8_t *green = red + plane;
        const uint8_t *blue = green + plane;
        uint8_t *out = canvas + (size_t)y * (size_t)canvas_row_bytes;
        int32_t x = 0;
        for (; x + 16 <= width; x += 16) {
            __m128i r = _mm_loadu_si128((const __m128i *)(red + x));
            __m128i g = _mm_loadu_si128((const __m128i *)(green + x));
            __m128i b = _mm_loadu_si128((const __m128i *)(blue + x));
            for (int block = 0; block < 3; block++) {
                __m128i value = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(r, masks[block][0]),
                                                          _mm_shuffle_epi8(g, masks[block][1])),
                                             _mm_shuffle_epi8(b, masks[block][2]));
                __m128i *target = (__m128i *)(out + 3 * (size_t)x + 16 * (size_t)block);
                if (merge) value = _mm_max_epu8(value, _mm_loadu_si128(target));
                _mm_storeu_si128(target, value);
            }
        }
        place_row_portable(red, green, blue, x, width, out, merge);
    }
}
#endif

int32_t fednc_planar_has_ssse3(void) {
#if FEDNC_PLANAR_X86
    return cpu_has_ssse3();
#else
    return 0;
#endif
}

int32_t fednc_place_planar_rgb(const uint8_t *planes, int32_t width, int32_t height, uint8_t *canvas,
                               intptr_t canvas_row_bytes, int32_t merge, fednc_planar_kernel kernel) {
    if (!planes || !canvas || width < 1 || height < 1 || canvas_row_bytes < 3 * (intptr_t)width) return -1;
#if FEDNC_PLANAR_X86
    if (kernel == FEDNC_PLANAR_FASTEST && cpu_has_ssse3()) {
        place_ssse3(planes, width, height, canvas, canvas_row_bytes, merge);
        return 0;
    }
#endif
    const size_t plane = (size_t)width * (size_t)height;
    for (int32_t y = 0; y < height; y++) {
        const uint8_t *red = planes + (size_t)y * (size_t)width;
        place_row_portable(red, red + plane, red + 2 * plane, 0, width, canvas + (size_t)y * (size_t)canvas_row_bytes, merge);
    }
    return 0;
}
