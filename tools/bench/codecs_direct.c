// The anchor for tools/bench/codecs: decodes every .jpg and .png in a folder with libjpeg and libpng directly,
// with the same settings as FedNC's Imaging (JPEG: defaults, RGB or gray out; PNG: regular API, palette->RGB,
// gray expand, strip 16, strip alpha, interlace handling), from memory, one fresh decoder per image.
// Prints images per (CPU) second per format, best of ROUNDS. Usage: codecs_direct FOLDER [ROUNDS]
#include <dirent.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jpeglib.h>
#include <png.h>

typedef struct { uint8_t *data; size_t size; } file_bytes;
typedef struct { file_bytes *items; size_t count; } file_list;

static int has_suffix(const char *name, const char *suffix) {
    size_t n = strlen(name), s = strlen(suffix);
    return n >= s && strcmp(name + n - s, suffix) == 0;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static file_list load(const char *folder, const char *suffix) {
    file_list list = {0};
    DIR *dir = opendir(folder);
    if (!dir) { perror(folder); exit(1); }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (!has_suffix(entry->d_name, suffix)) continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, compare_names);
    list.items = calloc(count ? count : 1, sizeof *list.items);
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, names[i]);
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); exit(1); }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        list.items[i].data = malloc((size_t)size);
        if (fread(list.items[i].data, 1, (size_t)size, f) != (size_t)size) { perror(path); exit(1); }
        list.items[i].size = (size_t)size;
        fclose(f);
        free(names[i]);
    }
    free(names);
    list.count = count;
    return list;
}

struct jpeg_failure { struct jpeg_error_mgr base; jmp_buf jump; };
static void jpeg_fail(j_common_ptr info) { longjmp(((struct jpeg_failure *)info->err)->jump, 1); }

static uint64_t decode_jpeg(const file_bytes *file) {
    struct jpeg_decompress_struct info;
    struct jpeg_failure failure;
    info.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = jpeg_fail;
    if (setjmp(failure.jump)) { fprintf(stderr, "jpeg error\n"); exit(1); }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, file->data, (unsigned long)file->size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * info.output_components;
    size_t total = stride * info.output_height;
    uint8_t *pixels = malloc(total);
    JSAMPROW rows[16];
    while (info.output_scanline < info.output_height) {
        JDIMENSION wanted = info.output_height - info.output_scanline;
        if (wanted > 16) wanted = 16;
        for (JDIMENSION r = 0; r < wanted; r++) rows[r] = pixels + (info.output_scanline + r) * stride;
        jpeg_read_scanlines(&info, rows, wanted);
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    uint64_t checksum = pixels[total / 2] + (uint64_t)total;
    free(pixels);
    return checksum;
}

typedef struct { const uint8_t *data; size_t size, offset; } png_source;
static void png_read_memory(png_structp png, png_bytep out, size_t length) {
    png_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "truncated");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static uint64_t decode_png(const file_bytes *file) {
    png_source source = {file->data, file->size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) { fprintf(stderr, "png error\n"); exit(1); }
    png_set_read_fn(png, &source, png_read_memory);
    png_read_info(png, info);
    int color_type = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (!(color_type & PNG_COLOR_MASK_COLOR) && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t stride = png_get_rowbytes(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    uint8_t *pixels = malloc(stride * height);
    png_bytep *rows = malloc(sizeof(png_bytep) * height);
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    uint64_t checksum = pixels[stride * height / 2] + (uint64_t)(stride * height);
    free(rows);
    free(pixels);
    return checksum;
}

/// Process CPU time: less disturbed than wall time on a machine shared with other builds.
static double seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void measure(const char *format, file_list files, int rounds, uint64_t (*decode)(const file_bytes *)) {
    if (files.count == 0) return;
    double best = 1e300;
    uint64_t checksum = 0;
    for (int round = 0; round < rounds; round++) {
        checksum = 0;
        double start = seconds_now();
        for (size_t i = 0; i < files.count; i++) checksum += decode(&files.items[i]);
        double elapsed = seconds_now() - start;
        if (elapsed < best) best = elapsed;
    }
    printf("%s %zu files %.1f images/s checksum %llu\n", format, files.count, (double)files.count / best,
           (unsigned long long)checksum);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: codecs_direct FOLDER [ROUNDS]\n"); return 2; }
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    measure("jpeg", load(argv[1], ".jpg"), rounds, decode_jpeg);
    measure("png", load(argv[1], ".png"), rounds, decode_png);
    return 0;
}
