// Winograd F(2x2, 3x3) row transforms (CEngineKernels.h). One clone per instruction set; the loops are written
// tile by tile and vectorised by the compiler across tiles.
#include "CEngineKernels.h"

#if defined(__x86_64__) && defined(__clang__)
#define FEDNC_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FEDNC_CLONES
#endif

FEDNC_CLONES
void fednc_winograd_input_row(const float *restrict r0, const float *restrict r1, const float *restrict r2,
                              const float *restrict r3, long tiles, float *restrict v, long s) {
    for (long t = 0; t < tiles; t++) {
        const long x = 2 * t;
        // B^T d: four rows of four.
        const float a0 = r0[x] - r2[x], a1 = r0[x + 1] - r2[x + 1], a2 = r0[x + 2] - r2[x + 2];
        const float a3 = r0[x + 3] - r2[x + 3];
        const float b0 = r1[x] + r2[x], b1 = r1[x + 1] + r2[x + 1], b2 = r1[x + 2] + r2[x + 2];
        const float b3 = r1[x + 3] + r2[x + 3];
        const float c0 = r2[x] - r1[x], c1 = r2[x + 1] - r1[x + 1], c2 = r2[x + 2] - r1[x + 2];
        const float c3 = r2[x + 3] - r1[x + 3];
        const float d0 = r1[x] - r3[x], d1 = r1[x + 1] - r3[x + 1], d2 = r1[x + 2] - r3[x + 2];
        const float d3 = r1[x + 3] - r3[x + 3];
        // (B^T d) B: the same combination along each row.
        float *p = v + t;
        p[0] = a0 - a2; p[s] = a1 + a2; p[2 * s] = a2 - a1; p[3 * s] = a1 - a3;
        p[4 * s] = b0 - b2; p[5 * s] = b1 + b2; p[6 * s] = b2 - b1; p[7 * s] = b1 - b3;
        p[8 * s] = c0 - c2; p[9 * s] = c1 + c2; p[10 * s] = c2 - c1; p[11 * s] = c1 - c3;
        p[12 * s] = d0 - d2; p[13 * s] = d1 + d2; p[14 * s] = d2 - d1; p[15 * s] = d1 - d3;
    }
}

/// Rows of A^T m for tile t: top (a) and bottom (b) of four.
#define FEDNC_OUTPUT_ROWS(p, s) \
    const float a0 = p[0] + p[4 * s] + p[8 * s], a1 = p[s] + p[5 * s] + p[9 * s]; \
    const float a2 = p[2 * s] + p[6 * s] + p[10 * s], a3 = p[3 * s] + p[7 * s] + p[11 * s]

FEDNC_CLONES
void fednc_winograd_output_row(const float *restrict m, long s, long tiles, long width, float bias,
                               float *restrict y0, float *restrict y1) {
    // Tiles whose two output columns both fit: vectorised; a last tile cut by an odd width after them.
    const long full = tiles < width / 2 ? tiles : width / 2;
    if (y1) {
        for (long t = 0; t < full; t++) {
            const float *p = m + t;
            FEDNC_OUTPUT_ROWS(p, s);
            const float b0 = p[4 * s] - p[8 * s] - p[12 * s], b1 = p[5 * s] - p[9 * s] - p[13 * s];
            const float b2 = p[6 * s] - p[10 * s] - p[14 * s], b3 = p[7 * s] - p[11 * s] - p[15 * s];
            y0[2 * t] = a0 + a1 + a2 + bias;
            y0[2 * t + 1] = a1 - a2 - a3 + bias;
            y1[2 * t] = b0 + b1 + b2 + bias;
            y1[2 * t + 1] = b1 - b2 - b3 + bias;
        }
    } else {
        for (long t = 0; t < full; t++) {
            const float *p = m + t;
            FEDNC_OUTPUT_ROWS(p, s);
            y0[2 * t] = a0 + a1 + a2 + bias;
            y0[2 * t + 1] = a1 - a2 - a3 + bias;
        }
    }
    for (long t = full; t < tiles; t++) {
        const float *p = m + t;
        FEDNC_OUTPUT_ROWS(p, s);
        const long x = 2 * t;
        y0[x] = a0 + a1 + a2 + bias;
        if (x + 1 < width) y0[x + 1] = a1 - a2 - a3 + bias;
        if (y1) {
            const float b0 = p[4 * s] - p[8 * s] - p[12 * s], b1 = p[5 * s] - p[9 * s] - p[13 * s];
            const float b2 = p[6 * s] - p[10 * s] - p[14 * s], b3 = p[7 * s] - p[11 * s] - p[15 * s];
            y1[x] = b0 + b1 + b2 + bias;
            if (x + 1 < width) y1[x + 1] = b1 - b2 - b3 + bias;
        }
    }
}

FEDNC_CLONES
void fednc_winograd_output_gradient_row(const float *restrict y0, const float *restrict y1, long tiles,
                                        float *restrict dm, long s) {
    for (long t = 0; t < tiles; t++) {
        const long x = 2 * t;
        const float p = y0[x], q = y0[x + 1], r = y1[x], u = y1[x + 1];
        // Rows of A dY: (p, q), (p + r, q + u), (p - r, q - u), (-r, -u); each row (g, h) -> (g, g + h, g - h, -h).
        const float g1 = p + r, h1 = q + u, g2 = p - r, h2 = q - u;
        float *d = dm + t;
        d[0] = p; d[s] = p + q; d[2 * s] = p - q; d[3 * s] = -q;
        d[4 * s] = g1; d[5 * s] = g1 + h1; d[6 * s] = g1 - h1; d[7 * s] = -h1;
        d[8 * s] = g2; d[9 * s] = g2 + h2; d[10 * s] = g2 - h2; d[11 * s] = -h2;
        d[12 * s] = -r; d[13 * s] = -r + -u; d[14 * s] = -r - -u; d[15 * s] = u;
    }
}

const char *fednc_engine_kernels_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("avx2")) return "avx2";
    return "x86-64";
#else
    return "portable";
#endif
}
