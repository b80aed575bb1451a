// PNG encoding with libpng's regular API into a growing memory buffer. Errors longjmp back here only.
#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

struct png_sink {
    jmp_buf jump;
    uint8_t *data;
    size_t size;
    size_t capacity;
    int out_of_memory;
    fednc_encoded *output;
};

static void fail_with_library_message(png_structp png, png_const_charp text) {
    struct png_sink *sink = (struct png_sink *)png_get_error_ptr(png);
    snprintf(sink->output->message, sizeof sink->output->message, "%s", text);
    longjmp(sink->jump, 1);
}

static void ignore_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void append_to_memory(png_structp png, png_bytep bytes, size_t length) {
    struct png_sink *sink = (struct png_sink *)png_get_io_ptr(png);
    if (length > sink->capacity - sink->size) {
        size_t capacity = sink->capacity < 4096 ? 4096 : sink->capacity;
        while (length > capacity - sink->size) capacity *= 2;
        uint8_t *grown = realloc(sink->data, capacity);
        if (grown == NULL) {
            sink->out_of_memory = 1;
            png_error(png, "out of memory for the encoded PNG");
        }
        sink->data = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->data + sink->size, bytes, length);
    sink->size += length;
}

static void flush_nothing(png_structp png) { (void)png; }

fednc_codec_status fednc_png_encode(const void *samples, int32_t width, int32_t height, int32_t channels,
                                    int32_t bit_depth, int32_t compression_level, fednc_encoded *output) {
    output->data = NULL;
    output->size = 0;
    output->message[0] = 0;
    if (width <= 0 || height <= 0 || channels < 1 || channels > 4 || !(bit_depth == 8 || bit_depth == 16) ||
        compression_level < 0 || compression_level > 9) {
        snprintf(output->message, sizeof output->message,
                 "cannot encode %dx%d with %d channels of %d bits at level %d", (int)width, (int)height,
                 (int)channels, (int)bit_depth, (int)compression_level);
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                       PNG_COLOR_TYPE_RGB_ALPHA};
    struct png_sink sink;
    memset(&sink, 0, sizeof sink);
    sink.output = output;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, fail_with_library_message,
                                              ignore_warning);
    if (png == NULL) {
        snprintf(output->message, sizeof output->message, "out of memory for libpng's write struct");
        return FEDNC_CODEC_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(output->message, sizeof output->message, "out of memory for libpng's info struct");
        return FEDNC_CODEC_OUT_OF_MEMORY;
    }
    if (setjmp(sink.jump)) {
        png_destroy_write_struct(&png, &info);
        free(sink.data);
        return sink.out_of_memory ? FEDNC_CODEC_OUT_OF_MEMORY : FEDNC_CODEC_INVALID_ARGUMENT;
    }
    png_set_write_fn(png, &sink, append_to_memory, flush_nothing);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth, color_types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const uint8_t *)&probe == 1) png_set_swap(png);  // samples arrive native-endian
    }
    size_t stride = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    for (int32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)samples + (size_t)y * stride);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    output->data = sink.data;
    output->size = sink.size;
    return FEDNC_CODEC_OK;
}
