#ifndef FEDNC_CIMAGECODECS_H
#define FEDNC_CIMAGECODECS_H
/// FedNC's one C target: libjpeg and libpng calls whose error exits `longjmp`. Every `setjmp` lives in the C
/// function that calls the library, so a `longjmp` never crosses a Swift frame. Swift sees only status codes,
/// an opaque decoder session and a message text (libjpeg's `format_message` / libpng's error string).
///
/// Decoding is two-phase so the caller can allocate the pixel buffer once, at its final size:
/// `*_start` reads the header and fills `fednc_image_header` (output size and channels after all transforms),
/// `*_read` writes packed rows (stride = output_width * output_channels bytes, or 2 bytes per sample for the
/// 16-bit gray PNG option) into the caller's buffer. Always `*_destroy` the session (also after an error).
#include <stddef.h>
#include <stdint.h>

/// Result of every call. Anything but `FEDNC_CODEC_OK` comes with a message (`*_message`).
typedef enum {
    FEDNC_CODEC_OK = 0,
    /// The library found malformed data (bad marker, CRC mismatch, bad Huffman table, ...).
    FEDNC_CODEC_CORRUPT = 1,
    /// The data ends before the image does.
    FEDNC_CODEC_TRUNCATED = 2,
    /// Well-formed but not supported here (12-bit or lossless JPEG, for example).
    FEDNC_CODEC_UNSUPPORTED = 3,
    /// The signature is not the one of this format.
    FEDNC_CODEC_WRONG_FORMAT = 4,
    FEDNC_CODEC_OUT_OF_MEMORY = 5,
    /// Width * height * channels exceeds `FEDNC_CODEC_MAX_PIXEL_BYTES`.
    FEDNC_CODEC_TOO_LARGE = 6,
    /// The caller passed something impossible (wrong buffer size, bad option): a programming error.
    FEDNC_CODEC_INVALID_ARGUMENT = 7
} fednc_codec_status;

/// Largest decoded image accepted, in bytes (2 GiB): guards against absurd header sizes.
#define FEDNC_CODEC_MAX_PIXEL_BYTES ((uint64_t)1 << 31)
#define FEDNC_CODEC_MESSAGE_CAPACITY 256

/// Colour model stored in the file (before any transform).
typedef enum {
    FEDNC_COLOR_GRAY = 0,
    FEDNC_COLOR_GRAY_ALPHA = 1,
    FEDNC_COLOR_RGB = 2,
    FEDNC_COLOR_RGBA = 3,
    FEDNC_COLOR_PALETTE = 4,
    FEDNC_COLOR_YCBCR = 5,
    FEDNC_COLOR_CMYK = 6,
    FEDNC_COLOR_YCCK = 7,
    FEDNC_COLOR_OTHER = 8
} fednc_color_model;

typedef struct {
    /// Size stored in the file, in pixels.
    int32_t width;
    int32_t height;
    /// Size of the decoded output (differs from width/height only with JPEG DCT scaling).
    int32_t output_width;
    int32_t output_height;
    /// 1 (gray) or 3 (RGB).
    int32_t output_channels;
    /// Bytes per output sample: 1, or 2 for the 16-bit gray PNG option.
    int32_t output_bytes_per_sample;
    /// Bits per sample in the file (PNG: 1, 2, 4, 8, 16; JPEG: 8).
    int32_t bit_depth;
    fednc_color_model color_model;
    /// PNG: Adam7 interlaced; JPEG: progressive.
    int32_t interlaced;
    /// JPEG only: an Adobe APP14 marker was present (CMYK values stored inverted).
    int32_t adobe_marker;
} fednc_image_header;

// MARK: JPEG decoding (libjpeg-turbo; ISLOW IDCT and fancy upsampling, the library defaults)

typedef struct fednc_jpeg_decoder fednc_jpeg_decoder;

/// A new session, or NULL when out of memory.
fednc_jpeg_decoder *fednc_jpeg_decoder_create(void);
void fednc_jpeg_decoder_destroy(fednc_jpeg_decoder *decoder);
/// The message of the last failure ("" if none). Valid until the next call on this session.
const char *fednc_jpeg_decoder_message(const fednc_jpeg_decoder *decoder);
/// Reads the header of `data` (which must stay valid until `read` returns). `scale_denom` is 1, 2, 4 or 8
/// (DCT scaling: output = ceil(size / scale_denom)). With `header_only` the session stops after the header.
fednc_codec_status fednc_jpeg_decoder_start(fednc_jpeg_decoder *decoder, const uint8_t *data, size_t size,
                                            int32_t scale_denom, int32_t header_only, fednc_image_header *header);
/// Decodes all rows into `pixels` (exactly output_height * output_width * output_channels bytes).
/// Gray JPEGs give 1 channel; YCbCr/RGB give RGB; CMYK/YCCK give RGB by the Adobe-aware rule in datasets.md.
fednc_codec_status fednc_jpeg_decoder_read(fednc_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity);

// MARK: PNG decoding (libpng regular API: no gamma, alpha and tRNS dropped without compositing)

typedef struct fednc_png_decoder fednc_png_decoder;

fednc_png_decoder *fednc_png_decoder_create(void);
void fednc_png_decoder_destroy(fednc_png_decoder *decoder);
const char *fednc_png_decoder_message(const fednc_png_decoder *decoder);
/// Reads the header and sets up the transforms. With `gray16`, 16-bit gray sources keep 16-bit samples
/// (native byte order, output_bytes_per_sample = 2); other sources ignore the flag.
fednc_codec_status fednc_png_decoder_start(fednc_png_decoder *decoder, const uint8_t *data, size_t size,
                                           int32_t gray16, int32_t header_only, fednc_image_header *header);
/// Decodes all rows (interlaced files included) into `pixels` (exactly output_height * output_width *
/// output_channels * output_bytes_per_sample bytes), then reads the chunks up to IEND (CRC errors there are
/// errors; data ending after the last row, without IEND, is accepted as Pillow accepts it).
fednc_codec_status fednc_png_decoder_read(fednc_png_decoder *decoder, uint8_t *pixels, size_t capacity);

// MARK: Encoding (output is malloc'ed; release it with fednc_codec_free)

typedef struct {
    /// Encoded file bytes (malloc'ed; NULL after a failure).
    uint8_t *data;
    size_t size;
    char message[FEDNC_CODEC_MESSAGE_CAPACITY];
} fednc_encoded;

/// Encodes packed 8-bit rows (channels 1 = gray, 3 = RGB). `quality` 1...100; `progressive` 0/1;
/// `subsample_chroma` 1 = 4:2:0 (libjpeg's default), 0 = 4:4:4 (ignored for gray).
fednc_codec_status fednc_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                                     int32_t quality, int32_t progressive, int32_t subsample_chroma,
                                     fednc_encoded *output);
/// Encodes packed rows: channels 1 (gray), 2 (gray+alpha), 3 (RGB), 4 (RGBA); bit_depth 8, or 16 with samples
/// as native-endian uint16. `compression_level` 0...9 (zlib).
fednc_codec_status fednc_png_encode(const void *samples, int32_t width, int32_t height, int32_t channels,
                                    int32_t bit_depth, int32_t compression_level, fednc_encoded *output);
void fednc_codec_free(void *pointer);

// The resize passes (CResample.h) and the planar RGB placement (CPlanarPixels.h) live in the same target.
#include "CResample.h"
#include "CPlanarPixels.h"

#endif
