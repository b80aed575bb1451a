// PNG decoding with libpng's regular API. libpng's error callback longjmps back into this file only.
// Transforms (datasets.md, "Decoding rules"): palette -> RGB, gray 1/2/4 -> 8 bits, 16 -> 8 bits by keeping the
// high byte, alpha and tRNS dropped without compositing, interlace handled, and no gamma of any kind.
#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

struct fednc_png_decoder {
    png_structp png;
    png_infop info;
    jmp_buf jump;
    const uint8_t *data;
    size_t size;
    size_t offset;
    int truncated;
    int started;
    size_t row_bytes;
    uint32_t height;
    char message[FEDNC_CODEC_MESSAGE_CAPACITY];
};

static void fail_with_library_message(png_structp png, png_const_charp text) {
    fednc_png_decoder *decoder = (fednc_png_decoder *)png_get_error_ptr(png);
    snprintf(decoder->message, sizeof decoder->message, "%s", text);
    longjmp(decoder->jump, 1);
}

static void ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void read_from_memory(png_structp png, png_bytep destination, size_t length) {
    fednc_png_decoder *decoder = (fednc_png_decoder *)png_get_io_ptr(png);
    if (length > decoder->size - decoder->offset) {
        decoder->truncated = 1;
        png_error(png, "unexpected end of data");
    }
    memcpy(destination, decoder->data + decoder->offset, length);
    decoder->offset += length;
}

fednc_png_decoder *fednc_png_decoder_create(void) {
    fednc_png_decoder *decoder = calloc(1, sizeof *decoder);
    return decoder;
}

void fednc_png_decoder_destroy(fednc_png_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->png != NULL) png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
    free(decoder);
}

const char *fednc_png_decoder_message(const fednc_png_decoder *decoder) { return decoder->message; }

static fednc_color_model color_model_of(int color_type) {
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: return FEDNC_COLOR_GRAY;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return FEDNC_COLOR_GRAY_ALPHA;
    case PNG_COLOR_TYPE_RGB: return FEDNC_COLOR_RGB;
    case PNG_COLOR_TYPE_RGB_ALPHA: return FEDNC_COLOR_RGBA;
    case PNG_COLOR_TYPE_PALETTE: return FEDNC_COLOR_PALETTE;
    default: return FEDNC_COLOR_OTHER;
    }
}

static fednc_codec_status failure_status(const fednc_png_decoder *decoder) {
    return decoder->truncated ? FEDNC_CODEC_TRUNCATED : FEDNC_CODEC_CORRUPT;
}

fednc_codec_status fednc_png_decoder_start(fednc_png_decoder *decoder, const uint8_t *data, size_t size,
                                           int32_t gray16, int32_t header_only, fednc_image_header *header) {
    decoder->message[0] = 0;
    if (decoder->png != NULL) {
        snprintf(decoder->message, sizeof decoder->message, "session reused");
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        if (size < 8 && png_sig_cmp(data, 0, size) == 0) {
            snprintf(decoder->message, sizeof decoder->message, "only %zu bytes, shorter than the signature", size);
            return FEDNC_CODEC_TRUNCATED;
        }
        snprintf(decoder->message, sizeof decoder->message, "the first 8 bytes are not the PNG signature");
        return FEDNC_CODEC_WRONG_FORMAT;
    }
    decoder->data = data;
    decoder->size = size;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, fail_with_library_message, ignore_warning);
    if (decoder->png == NULL) {
        snprintf(decoder->message, sizeof decoder->message, "out of memory for libpng's read struct");
        return FEDNC_CODEC_OUT_OF_MEMORY;
    }
    decoder->info = png_create_info_struct(decoder->png);
    if (decoder->info == NULL) {
        snprintf(decoder->message, sizeof decoder->message, "out of memory for libpng's info struct");
        return FEDNC_CODEC_OUT_OF_MEMORY;
    }
    if (setjmp(decoder->jump)) return failure_status(decoder);
    png_structp png = decoder->png;
    png_infop info = decoder->info;
    png_set_read_fn(png, decoder, read_from_memory);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    header->width = (int32_t)width;
    header->height = (int32_t)height;
    header->output_width = (int32_t)width;
    header->output_height = (int32_t)height;
    header->bit_depth = bit_depth;
    header->color_model = color_model_of(color_type);
    header->interlaced = interlace != PNG_INTERLACE_NONE;
    header->adobe_marker = 0;
    int gray = (color_type & PNG_COLOR_MASK_COLOR) == 0;
    int keep16 = gray16 && gray && bit_depth == 16;
    header->output_channels = gray ? 1 : 3;
    header->output_bytes_per_sample = keep16 ? 2 : 1;
    uint64_t bytes = (uint64_t)width * height * (uint64_t)header->output_channels * header->output_bytes_per_sample;
    if (bytes > FEDNC_CODEC_MAX_PIXEL_BYTES) {
        snprintf(decoder->message, sizeof decoder->message, "%ux%u pixels exceed the %llu-byte limit",
                 (unsigned)width, (unsigned)height, (unsigned long long)FEDNC_CODEC_MAX_PIXEL_BYTES);
        return FEDNC_CODEC_TOO_LARGE;
    }
    if (header_only) return FEDNC_CODEC_OK;

    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (gray && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (bit_depth == 16) {
        if (keep16) {
            const uint16_t probe = 1;
            if (*(const uint8_t *)&probe == 1) png_set_swap(png);  // PNG is big-endian; hand out native order
        } else {
            png_set_strip_16(png);
        }
    }
    // Drops an alpha channel, including one libpng creates from tRNS while expanding a palette.
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    size_t expected = (size_t)width * (size_t)header->output_channels * (size_t)header->output_bytes_per_sample;
    if (channels != header->output_channels || row_bytes != expected) {
        snprintf(decoder->message, sizeof decoder->message,
                 "unexpected transform result: %d channels, %zu bytes per row (expected %d, %zu)", channels,
                 row_bytes, (int)header->output_channels, expected);
        return FEDNC_CODEC_UNSUPPORTED;
    }
    decoder->row_bytes = row_bytes;
    decoder->height = height;
    decoder->started = 1;
    return FEDNC_CODEC_OK;
}

/// Reads the chunks after the image data up to IEND, which checks the last IDAT CRC and the trailing chunks.
/// Data that simply ends there (IEND or trailing chunks missing) is accepted, as Pillow accepts it: every row is
/// already decoded. A CRC or chunk error is still an error.
static fednc_codec_status finish(fednc_png_decoder *decoder) {
    if (setjmp(decoder->jump)) {
        if (decoder->truncated) {
            decoder->message[0] = 0;
            return FEDNC_CODEC_OK;
        }
        return FEDNC_CODEC_CORRUPT;
    }
    png_read_end(decoder->png, NULL);
    return FEDNC_CODEC_OK;
}

fednc_codec_status fednc_png_decoder_read(fednc_png_decoder *decoder, uint8_t *pixels, size_t capacity) {
    if (!decoder->started) {
        snprintf(decoder->message, sizeof decoder->message, "read called before a successful start");
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    if (capacity != decoder->row_bytes * decoder->height) {
        snprintf(decoder->message, sizeof decoder->message, "buffer of %zu bytes, need %zu", capacity,
                 decoder->row_bytes * decoder->height);
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    png_bytep *volatile rows = malloc(sizeof(png_bytep) * (decoder->height == 0 ? 1 : decoder->height));
    if (rows == NULL) {
        snprintf(decoder->message, sizeof decoder->message, "out of memory for %u row pointers", decoder->height);
        return FEDNC_CODEC_OUT_OF_MEMORY;
    }
    if (setjmp(decoder->jump)) {
        free(rows);
        return failure_status(decoder);
    }
    for (uint32_t y = 0; y < decoder->height; y++) rows[y] = pixels + (size_t)y * decoder->row_bytes;
    png_read_image(decoder->png, rows);
    free(rows);
    rows = NULL;
    return finish(decoder);
}
