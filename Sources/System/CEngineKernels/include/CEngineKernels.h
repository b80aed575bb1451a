// TensorEngine's vector kernels in C, compiled per instruction set with `target_clones` (AVX-512F, AVX2,
// baseline x86-64) and picked by the dynamic loader from the CPU at run time (ifunc). Swift code builds for the
// baseline x86-64 (SSE2) only, so loops that the compiler vectorises well live here. Every clone evaluates the
// same expressions in the same order (additions and subtractions only, no contraction), so results are bitwise
// identical on every CPU.
#ifndef FEDNC_CENGINEKERNELS_H
#define FEDNC_CENGINEKERNELS_H

/// Winograd F(2x2, 3x3) input transform `B^T d B` of one row of `tiles` 4x4 patches: the patches' four input rows
/// start at `r0`..`r3` (a zero-padded plane; patch t covers columns 2t ..< 2t + 4). Element e of patch t goes to
/// `v[e * stride + t]`.
void fednc_winograd_input_row(const float *r0, const float *r1, const float *r2, const float *r3, long tiles,
                              float *v, long stride);

/// Winograd output transform `A^T m A` of one row of tiles: element e of tile t is `m[e * stride + t]`; the 2x2
/// result plus `bias` goes to rows `y0` and `y1` (`y1` NULL when the bottom row falls outside an odd-height map)
/// at columns 2t, 2t + 1, the column `width` and beyond dropped.
void fednc_winograd_output_row(const float *m, long stride, long tiles, long width, float bias, float *y0,
                               float *y1);

/// Output-gradient transform `A dY A^T` of one row of 2x2 tiles (the adjoint of the output transform): tile t reads
/// rows `y0`, `y1` at columns 2t, 2t + 1 (a zero-padded plane of even width); element e goes to `dm[e * stride + t]`.
void fednc_winograd_output_gradient_row(const float *y0, const float *y1, long tiles, float *dm, long stride);

/// The instruction set the dynamic loader picked for these kernels on this CPU: "avx512f", "avx2" or "x86-64".
const char *fednc_engine_kernels_isa(void);

#endif
