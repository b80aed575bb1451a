// JPEG decoding with libjpeg-turbo. Every libjpeg call that can fail runs under a setjmp in this file; the
// error exit longjmps back here, never into Swift.
#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct fednc_jpeg_decoder {
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    jmp_buf jump;
    int created;
    int started;
    fednc_codec_status failure;
    char message[FEDNC_CODEC_MESSAGE_CAPACITY];
};

/// Classifies libjpeg's message code into a status.
static fednc_codec_status status_for_code(int code) {
    switch (code) {
    case JERR_BAD_PRECISION:
    case JERR_SOF_UNSUPPORTED:
    case JERR_NOTIMPL:
    case JERR_ARITH_NOTIMPL:
        return FEDNC_CODEC_UNSUPPORTED;
    case JERR_NO_SOI:
        return FEDNC_CODEC_WRONG_FORMAT;
    case JERR_INPUT_EMPTY:
    case JERR_INPUT_EOF:
    case JWRN_JPEG_EOF:
        return FEDNC_CODEC_TRUNCATED;
    case JERR_OUT_OF_MEMORY:
        return FEDNC_CODEC_OUT_OF_MEMORY;
    default:
        return FEDNC_CODEC_CORRUPT;
    }
}

static void fail_with_library_message(j_common_ptr common) {
    fednc_jpeg_decoder *decoder = (fednc_jpeg_decoder *)common->client_data;
    char text[JMSG_LENGTH_MAX];
    common->err->format_message(common, text);
    snprintf(decoder->message, sizeof decoder->message, "%s", text);
    decoder->failure = status_for_code(common->err->msg_code);
    longjmp(decoder->jump, 1);
}

/// Warnings: libjpeg recovers from most corrupt-data warnings (as Pillow does), but running out of data
/// (even when only the EOI marker is missing) means a truncated file, which Pillow refuses: an error here too.
static void emit_message(j_common_ptr common, int level) {
    if (level < 0) {
        common->err->num_warnings++;
        if (common->err->msg_code == JWRN_JPEG_EOF) fail_with_library_message(common);
    }
}

fednc_jpeg_decoder *fednc_jpeg_decoder_create(void) {
    fednc_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    return decoder;
}

void fednc_jpeg_decoder_destroy(fednc_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->info);
    free(decoder);
}

const char *fednc_jpeg_decoder_message(const fednc_jpeg_decoder *decoder) { return decoder->message; }

static fednc_color_model color_model_of(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return FEDNC_COLOR_GRAY;
    case JCS_RGB: return FEDNC_COLOR_RGB;
    case JCS_YCbCr: return FEDNC_COLOR_YCBCR;
    case JCS_CMYK: return FEDNC_COLOR_CMYK;
    case JCS_YCCK: return FEDNC_COLOR_YCCK;
    default: return FEDNC_COLOR_OTHER;
    }
}

fednc_codec_status fednc_jpeg_decoder_start(fednc_jpeg_decoder *decoder, const uint8_t *data, size_t size,
                                            int32_t scale_denom, int32_t header_only, fednc_image_header *header) {
    decoder->message[0] = 0;
    if (decoder->created || !(scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8)) {
        snprintf(decoder->message, sizeof decoder->message, "session reused or scale_denom %d not 1, 2, 4 or 8",
                 (int)scale_denom);
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    if (size == 0) {
        snprintf(decoder->message, sizeof decoder->message, "empty input (0 bytes)");
        return FEDNC_CODEC_TRUNCATED;
    }
    decoder->info.err = jpeg_std_error(&decoder->errors);
    decoder->errors.error_exit = fail_with_library_message;
    decoder->errors.emit_message = emit_message;
    if (setjmp(decoder->jump)) return decoder->failure;
    jpeg_create_decompress(&decoder->info);
    decoder->created = 1;
    decoder->info.client_data = decoder;
    jpeg_mem_src(&decoder->info, data, (unsigned long)size);
    jpeg_read_header(&decoder->info, TRUE);

    struct jpeg_decompress_struct *info = &decoder->info;
    header->width = (int32_t)info->image_width;
    header->height = (int32_t)info->image_height;
    header->bit_depth = info->data_precision;
    header->color_model = color_model_of(info->jpeg_color_space);
    header->interlaced = info->progressive_mode ? 1 : 0;
    header->adobe_marker = info->saw_Adobe_marker ? 1 : 0;
    header->output_bytes_per_sample = 1;
    switch (info->jpeg_color_space) {
    case JCS_GRAYSCALE:
        info->out_color_space = JCS_GRAYSCALE;
        header->output_channels = 1;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        info->out_color_space = JCS_CMYK;
        header->output_channels = 3;
        break;
    default:
        info->out_color_space = JCS_RGB;
        header->output_channels = 3;
        break;
    }
    info->scale_num = 1;
    info->scale_denom = (unsigned int)scale_denom;
    jpeg_calc_output_dimensions(info);
    header->output_width = (int32_t)info->output_width;
    header->output_height = (int32_t)info->output_height;
    uint64_t bytes = (uint64_t)info->output_width * info->output_height * (uint64_t)header->output_channels;
    if (bytes > FEDNC_CODEC_MAX_PIXEL_BYTES) {
        snprintf(decoder->message, sizeof decoder->message, "%ux%u pixels exceed the %llu-byte limit",
                 info->output_width, info->output_height, (unsigned long long)FEDNC_CODEC_MAX_PIXEL_BYTES);
        return FEDNC_CODEC_TOO_LARGE;
    }
    if (header_only) return FEDNC_CODEC_OK;
    jpeg_start_decompress(info);
    decoder->started = 1;
    return FEDNC_CODEC_OK;
}

/// CMYK to RGB as Pillow's convert("RGB") does: with the Adobe marker the stored values are inverted, so
/// R = (C*K + 127) / 255; without it R = ((255-C)*(255-K) + 127) / 255 (likewise G from M, B from Y).
static void cmyk_row_to_rgb(const uint8_t *cmyk, uint8_t *rgb, JDIMENSION width, int inverted) {
    for (JDIMENSION x = 0; x < width; x++) {
        unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
        if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        rgb[3 * x] = (uint8_t)((c * k + 127) / 255);
        rgb[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
        rgb[3 * x + 2] = (uint8_t)((y * k + 127) / 255);
    }
}

enum { ROWS_PER_CALL = 16 };

fednc_codec_status fednc_jpeg_decoder_read(fednc_jpeg_decoder *decoder, uint8_t *pixels, size_t capacity) {
    struct jpeg_decompress_struct *info = &decoder->info;
    if (!decoder->started) {
        snprintf(decoder->message, sizeof decoder->message, "read called before a successful start");
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    int cmyk = info->out_color_space == JCS_CMYK;
    size_t stride = (size_t)info->output_width * (cmyk ? 3 : (size_t)info->output_components);
    if (capacity != stride * info->output_height) {
        snprintf(decoder->message, sizeof decoder->message, "buffer of %zu bytes, need %zu", capacity,
                 stride * info->output_height);
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    uint8_t *volatile cmyk_rows = NULL;
    if (setjmp(decoder->jump)) {
        free(cmyk_rows);
        return decoder->failure;
    }
    JSAMPROW rows[ROWS_PER_CALL];
    if (cmyk) {
        // Scratch rows for the 4-channel output, converted to RGB right after each call.
        cmyk_rows = malloc((size_t)info->output_width * 4 * ROWS_PER_CALL);
        if (cmyk_rows == NULL) {
            snprintf(decoder->message, sizeof decoder->message, "out of memory for CMYK rows");
            return FEDNC_CODEC_OUT_OF_MEMORY;
        }
    }
    int inverted = info->saw_Adobe_marker;
    while (info->output_scanline < info->output_height) {
        JDIMENSION first = info->output_scanline;
        JDIMENSION wanted = info->output_height - first;
        if (wanted > ROWS_PER_CALL) wanted = ROWS_PER_CALL;
        for (JDIMENSION r = 0; r < wanted; r++) {
            rows[r] = cmyk ? cmyk_rows + (size_t)r * info->output_width * 4 : pixels + (first + r) * stride;
        }
        JDIMENSION got = jpeg_read_scanlines(info, rows, wanted);
        if (cmyk) {
            for (JDIMENSION r = 0; r < got; r++) {
                cmyk_row_to_rgb(rows[r], pixels + (first + r) * stride, info->output_width, inverted);
            }
        }
    }
    jpeg_finish_decompress(info);
    free(cmyk_rows);
    return FEDNC_CODEC_OK;
}
