// Decode floor for tools/bench/voc-cxr: reads each file named in LIST (one path per line) and decodes it with
// libjpeg (defaults; RGB out for colour, gray for gray) or libpng (regular API: palette->RGB, gray expand,
// strip 16, strip alpha, interlace handling), one fresh decoder per image, one thread, pixels discarded.
// No resize, no output: the least work any converter must do. Prints CPU seconds and images/s.
// Usage: voc-cxr-floor LIST
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jpeglib.h>
#include <png.h>

static uint8_t *read_file(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    uint8_t *data = malloc(length > 0 ? (size_t)length : 1);
    if (fread(data, 1, (size_t)length, file) != (size_t)length) { perror(path); exit(1); }
    fclose(file);
    *size = (size_t)length;
    return data;
}

struct jpeg_failure { struct jpeg_error_mgr manager; jmp_buf jump; };
static void jpeg_fail(j_common_ptr info) { longjmp(((struct jpeg_failure *)info->err)->jump, 1); }

static uint64_t decode_jpeg(const uint8_t *data, size_t size) {
    struct jpeg_decompress_struct info;
    struct jpeg_failure failure;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jpeg_fail;
    if (setjmp(failure.jump)) { jpeg_destroy_decompress(&info); fprintf(stderr, "bad jpeg\n"); exit(1); }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    size_t row = (size_t)info.output_width * info.output_components;
    uint8_t *pixels = malloc(row * info.output_height);
    while (info.output_scanline < info.output_height) {
        JSAMPROW target = pixels + row * info.output_scanline;
        jpeg_read_scanlines(&info, &target, 1);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    uint64_t sum = pixels[row * info.output_height / 2];
    free(pixels);
    return sum;
}

struct png_memory { const uint8_t *data; size_t size, offset; };
static void png_read_memory(png_structp png, png_bytep out, png_size_t count) {
    struct png_memory *memory = png_get_io_ptr(png);
    if (memory->offset + count > memory->size) png_error(png, "truncated");
    memcpy(out, memory->data + memory->offset, count);
    memory->offset += count;
}

static uint64_t decode_png(const uint8_t *data, size_t size) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    uint8_t *pixels = NULL;
    if (setjmp(png_jmpbuf(png))) { fprintf(stderr, "bad png\n"); exit(1); }
    struct png_memory memory = {data, size, 0};
    png_set_read_fn(png, &memory, png_read_memory);
    png_read_info(png, info);
    int type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);
    if (type & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row = png_get_rowbytes(png, info), height = png_get_image_height(png, info);
    pixels = malloc(row * height);
    png_bytep *rows = malloc(height * sizeof *rows);
    for (size_t y = 0; y < height; y++) rows[y] = pixels + y * row;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    uint64_t sum = pixels[row * height / 2];
    free(rows);
    free(pixels);
    return sum;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s LIST\n", argv[0]); return 2; }
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 1; }
    char path[4096];
    size_t count = 0;
    uint64_t checksum = 0;
    clock_t start = clock();
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = 0;
        if (!path[0]) continue;
        size_t size;
        uint8_t *data = read_file(path, &size);
        size_t length = strlen(path);
        checksum += (length > 4 && strcmp(path + length - 4, ".png") == 0) ? decode_png(data, size)
                                                                          : decode_jpeg(data, size);
        free(data);
        count++;
    }
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    printf("floor %zu images %.3f cpu-s %.1f images/s (one thread) checksum %llu\n", count, seconds,
           count / seconds, (unsigned long long)checksum);
    return 0;
}
