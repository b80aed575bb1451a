// JPEG encoding with libjpeg-turbo (baseline or progressive; gray or RGB). Errors longjmp back here only.
#include "CImageCodecs.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

struct encoder_errors {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    fednc_encoded *output;
};

static void fail_with_library_message(j_common_ptr common) {
    struct encoder_errors *errors = (struct encoder_errors *)common->err;
    char text[JMSG_LENGTH_MAX];
    common->err->format_message(common, text);
    snprintf(errors->output->message, sizeof errors->output->message, "%s", text);
    longjmp(errors->jump, 1);
}

static void ignore_message(j_common_ptr common, int level) {
    (void)common;
    (void)level;
}

fednc_codec_status fednc_jpeg_encode(const uint8_t *pixels, int32_t width, int32_t height, int32_t channels,
                                     int32_t quality, int32_t progressive, int32_t subsample_chroma,
                                     fednc_encoded *output) {
    output->data = NULL;
    output->size = 0;
    output->message[0] = 0;
    if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
        !(channels == 1 || channels == 3) || quality < 1 || quality > 100) {
        snprintf(output->message, sizeof output->message,
                 "cannot encode %dx%d with %d channels at quality %d (need 1...65500 px, 1 or 3 channels, "
                 "quality 1...100)", (int)width, (int)height, (int)channels, (int)quality);
        return FEDNC_CODEC_INVALID_ARGUMENT;
    }
    struct jpeg_compress_struct info;
    struct encoder_errors errors;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = fail_with_library_message;
    errors.base.emit_message = ignore_message;
    errors.output = output;
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        return FEDNC_CODEC_CORRUPT;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&buffer, &buffer_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    if (channels == 3 && !subsample_chroma) {
        info.comp_info[0].h_samp_factor = 1;
        info.comp_info[0].v_samp_factor = 1;
    }
    if (progressive) jpeg_simple_progression(&info);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)width * (size_t)channels;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    output->data = buffer;
    output->size = buffer_size;
    return FEDNC_CODEC_OK;
}

void fednc_codec_free(void *pointer) { free(pointer); }
