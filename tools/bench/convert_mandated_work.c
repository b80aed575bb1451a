// Benchmark anchor for tools/bench/convert and tools/bench/convert-medmnist224: the work every conversion of the
// benchmark's input must do on this machine, and nothing else.
//
// datasets.md asks dataset.json to carry the SHA-256 of every file written and of every raw input read, so a
// converter writes the output bytes (the dd floor), hashes all of them and all of its input, and inflates what
// the input holds compressed. This program does exactly that, in C on two threads, with OpenSSL's SHA-256
// (SHA-NI) and libdeflate; no pixel is read or composed (windows are filled by memset), no header is written.
//
// Jobs, taken in the given order by whichever thread is free (list the longest first):
//   fill:NAME:BYTES           fill 4 MiB windows, hash them, write OUT_DIR/NAME.bin
//   inflate:FILE:BYTES[:NAME] inflate a raw DEFLATE stream of BYTES bytes (libdeflate, one call); with NAME, into
//                             OUT_DIR/NAME.bin mapped, then hash it
//   hash:FILE                 hash a mapped input file
// Writes are queued. After each window it hashed, a thread writes the oldest queued window unless the only one
// queued is the window it has just added, which is left to the other thread; a thread waiting for a window buffer,
// or out of jobs, writes queued windows. So the writing goes to whichever thread has less hashing to do (as
// measured, this balances the CIFAR-10 benchmark as well as a hand-made split of the work).
// Usage: convert_mandated_work OUT_DIR JOB...   (prints nothing on success; time it)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { windowBytes = 4 << 20, ringSize = 4, queueCapacity = 64, threadCount = 2 };

static void fail(const char *what, const char *path) {
    fprintf(stderr, "convert_mandated_work: %s %s: %s\n", what, path, errno ? strerror(errno) : "");
    exit(1);
}

/// One queued write; `pending` is decremented once the bytes are written.
typedef struct {
    int fd;
    const uint8_t *bytes;
    size_t count;
    off_t offset;
    int *pending;
} Write;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    Write entries[queueCapacity];
    size_t head, count;
} queue = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};

static const char *outDir;
static char **jobs;
static int jobCount, nextJob;

/// Writes the oldest queued window if more than `leave` are queued; returns 0 when it wrote nothing.
static int writeQueuedLeaving(size_t leave) {
    pthread_mutex_lock(&queue.lock);
    if (queue.count <= leave) {
        pthread_mutex_unlock(&queue.lock);
        return 0;
    }
    Write write = queue.entries[queue.head];
    queue.head = (queue.head + 1) % queueCapacity;
    queue.count -= 1;
    pthread_mutex_unlock(&queue.lock);
    for (size_t done = 0; done < write.count;) {
        ssize_t written = pwrite(write.fd, write.bytes + done, write.count - done, write.offset + (off_t)done);
        if (written <= 0) fail("cannot write", "an output file");
        done += (size_t)written;
    }
    pthread_mutex_lock(&queue.lock);
    *write.pending -= 1;
    pthread_cond_broadcast(&queue.changed);
    pthread_mutex_unlock(&queue.lock);
    return 1;
}

/// Waits until `*pending` is 0, writing queued windows meanwhile.
static void waitForWrites(int *pending) {
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        int left = *pending;
        pthread_mutex_unlock(&queue.lock);
        if (left == 0) return;
        if (writeQueuedLeaving(0)) continue;
        pthread_mutex_lock(&queue.lock);
        while (*pending > 0 && queue.count == 0) pthread_cond_wait(&queue.changed, &queue.lock);
        pthread_mutex_unlock(&queue.lock);
    }
}

static void enqueueWrite(int fd, const uint8_t *bytes, size_t count, off_t offset, int *pending) {
    pthread_mutex_lock(&queue.lock);
    while (queue.count == queueCapacity) {
        pthread_mutex_unlock(&queue.lock);
        if (!writeQueuedLeaving(0)) sched_yield();
        pthread_mutex_lock(&queue.lock);
    }
    queue.entries[(queue.head + queue.count) % queueCapacity] = (Write){fd, bytes, count, offset, pending};
    queue.count += 1;
    *pending += 1;
    pthread_cond_broadcast(&queue.changed);
    pthread_mutex_unlock(&queue.lock);
}

static int createOutput(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.bin", outDir, name);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) fail("cannot create", path);
    return fd;
}

static const uint8_t *mapInput(const char *path, size_t *count) {
    int fd = open(path, O_RDONLY);
    struct stat status;
    if (fd < 0 || fstat(fd, &status) != 0) fail("cannot open", path);
    *count = (size_t)status.st_size;
    const uint8_t *mapped = NULL;
    if (*count > 0) {
        mapped = mmap(NULL, *count, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (mapped == MAP_FAILED) fail("cannot map", path);
    }
    close(fd);
    return mapped;
}

static size_t windowLength(size_t total, size_t start) {
    return total - start < windowBytes ? total - start : windowBytes;
}

/// SHA-256 of `count` bytes, a window at a time, writing a queued window (if any) after each.
static void hashInWindows(const uint8_t *bytes, size_t count) {
    EVP_MD_CTX *hash = EVP_MD_CTX_new();
    EVP_DigestInit_ex(hash, EVP_sha256(), NULL);
    for (size_t start = 0; start < count; start += windowBytes) {
        EVP_DigestUpdate(hash, bytes + start, windowLength(count, start));
        writeQueuedLeaving(0);
    }
    unsigned char digest[32];
    EVP_DigestFinal_ex(hash, digest, NULL);
    EVP_MD_CTX_free(hash);
}

static void fillJob(const char *name, size_t bytes) {
    int fd = createOutput(name);
    uint8_t *ring[ringSize];
    int pending[ringSize] = {0};
    for (int slot = 0; slot < ringSize; slot++) ring[slot] = aligned_alloc(4096, windowBytes);
    EVP_MD_CTX *hash = EVP_MD_CTX_new();
    EVP_DigestInit_ex(hash, EVP_sha256(), NULL);
    for (size_t start = 0, index = 0; start < bytes; start += windowBytes, index++) {
        int slot = (int)(index % ringSize);
        waitForWrites(&pending[slot]);
        size_t length = windowLength(bytes, start);
        memset(ring[slot], (int)index, length);
        EVP_DigestUpdate(hash, ring[slot], length);
        enqueueWrite(fd, ring[slot], length, (off_t)start, &pending[slot]);
        writeQueuedLeaving(1);
    }
    unsigned char digest[32];
    EVP_DigestFinal_ex(hash, digest, NULL);
    EVP_MD_CTX_free(hash);
    for (int slot = 0; slot < ringSize; slot++) {
        waitForWrites(&pending[slot]);
        free(ring[slot]);
    }
    close(fd);
}

/// Inflates a raw DEFLATE stream into memory, or with `name` straight into that output file, allocated and mapped
/// (as fednc-medmnist does: no copy by write()), then hashed from the mapping.
static void inflateJob(const char *path, size_t bytes, const char *name) {
    size_t compressedCount;
    const uint8_t *compressed = mapInput(path, &compressedCount);
    int fd = -1;
    uint8_t *inflated;
    if (name) {
        fd = createOutput(name);
        if (bytes && posix_fallocate(fd, 0, (off_t)bytes) != 0) fail("cannot allocate the output of", name);
        inflated = bytes ? mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : NULL;
        if (inflated == MAP_FAILED) fail("cannot map the output of", name);
    } else {
        inflated = malloc(bytes ? bytes : 1);
    }
    struct libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor();
    size_t inflatedCount = 0;
    if (libdeflate_deflate_decompress(decompressor, compressed, compressedCount, inflated, bytes, &inflatedCount) != LIBDEFLATE_SUCCESS
        || inflatedCount != bytes) {
        errno = 0;
        fail("cannot inflate (or wrong size)", path);
    }
    libdeflate_free_decompressor(decompressor);
    if (name) {
        hashInWindows(inflated, bytes);
        if (bytes) munmap(inflated, bytes);
        close(fd);
    } else {
        free(inflated);
    }
    if (compressedCount > 0) munmap((void *)compressed, compressedCount);
}

static void hashJob(const char *path) {
    size_t count;
    const uint8_t *mapped = mapInput(path, &count);
    hashInWindows(mapped, count);
    if (count > 0) munmap((void *)mapped, count);
}

static void runJob(char *job) {
    char *kind = strtok(job, ":");
    char *first = strtok(NULL, ":");
    char *second = strtok(NULL, ":");
    char *third = strtok(NULL, ":");
    if (kind && first && second && strcmp(kind, "fill") == 0) {
        fillJob(first, strtoull(second, NULL, 10));
    } else if (kind && first && second && strcmp(kind, "inflate") == 0) {
        inflateJob(first, strtoull(second, NULL, 10), third);
    } else if (kind && first && strcmp(kind, "hash") == 0) {
        hashJob(first);
    } else {
        errno = 0;
        fail("unknown job (fill:NAME:BYTES, inflate:FILE:BYTES[:NAME], hash:FILE):", kind ? kind : "");
    }
}

static void *worker(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&queue.lock);
        int job = nextJob < jobCount ? nextJob++ : -1;
        pthread_mutex_unlock(&queue.lock);
        if (job < 0) break;
        runJob(jobs[job]);
    }
    while (writeQueuedLeaving(0)) {}
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: convert_mandated_work OUT_DIR JOB...  (fill:NAME:BYTES, inflate:FILE:BYTES[:NAME], hash:FILE)\n");
        return 2;
    }
    outDir = argv[1];
    jobs = argv + 2;
    jobCount = argc - 2;
    pthread_t threads[threadCount - 1];
    for (int thread = 0; thread < threadCount - 1; thread++) pthread_create(&threads[thread], NULL, worker, NULL);
    worker(NULL);
    for (int thread = 0; thread < threadCount - 1; thread++) pthread_join(threads[thread], NULL);
    return 0;
}
