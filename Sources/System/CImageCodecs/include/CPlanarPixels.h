#ifndef FEDNC_CPLANARPIXELS_H
#define FEDNC_CPLANARPIXELS_H
/// Planar RGB (all R bytes, then all G, then all B: the CIFAR-10 record layout) drawn onto an interleaved
/// H x W x 3 canvas, in C with an SSSE3 path (16 pixels per step, chosen at run time) and a portable path that
/// gives the same bytes.
#include <stddef.h>
#include <stdint.h>

typedef enum {
    /// SSSE3 when the CPU has it, otherwise the portable path.
    FEDNC_PLANAR_FASTEST = 0,
    /// Plain C (the reference for the SSSE3 path's tests).
    FEDNC_PLANAR_PORTABLE = 1
} fednc_planar_kernel;

/// 1 when `FEDNC_PLANAR_FASTEST` runs the SSSE3 path on this CPU, else 0.
int32_t fednc_planar_has_ssse3(void);

/// Draws `planes` (`3 * width * height` bytes: R plane, G plane, B plane, each row-major) onto `canvas`: pixel
/// (y, x) channel c goes to `canvas[y * canvas_row_bytes + 3 * x + c]`. `merge` 0 overwrites, 1 keeps the
/// per-byte maximum with what the canvas holds. The caller guarantees `canvas_row_bytes >= 3 * width` and that
/// the `height` rows fit the canvas. Returns 0, or -1 for impossible arguments.
int32_t fednc_place_planar_rgb(const uint8_t *planes, int32_t width, int32_t height, uint8_t *canvas,
                               intptr_t canvas_row_bytes, int32_t merge, fednc_planar_kernel kernel);

#endif
