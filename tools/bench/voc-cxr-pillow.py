#!/usr/bin/env python3
"""Pillow anchor for tools/bench/voc-cxr: decode + convert + BILINEAR resize + collect into one numpy array,
with multiprocessing over WORKERS processes (imap in input order).

Usage: voc-cxr-pillow.py rgb|gray LIST SIZE WORKERS
rgb: Image.open(p).convert("RGB"); gray: 16-bit samples reduced to the high byte, colour to L (luma, alpha
ignored), as FedNC does. Prints images, wall seconds, images/s and a checksum.
"""
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image

MODE, SIZE = None, None


def init(mode, size):
    global MODE, SIZE
    MODE, SIZE = mode, size


def load(path):
    image = Image.open(path)
    if MODE == "rgb":
        image = image.convert("RGB")
    elif image.mode in ("I;16", "I;16B", "I"):
        image = Image.fromarray((np.asarray(image).astype(np.uint32) >> 8).astype(np.uint8), "L")
    elif image.mode != "L":
        image = image.convert("RGB").convert("L")
    return np.asarray(image.resize((SIZE, SIZE), Image.BILINEAR))


def main():
    mode, list_path, size, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    paths = [line.strip() for line in open(list_path) if line.strip()]
    channels = 3 if mode == "rgb" else 1
    start = time.perf_counter()
    collected = np.empty((len(paths), size, size, channels), np.uint8)
    with Pool(workers, initializer=init, initargs=(mode, size)) as pool:
        for index, pixels in enumerate(pool.imap(load, paths, chunksize=8)):
            collected[index] = pixels.reshape(size, size, channels)
    seconds = time.perf_counter() - start
    print(f"pillow {len(paths)} images {seconds:.3f} s {len(paths) / seconds:.1f} images/s "
          f"checksum {int(collected.sum(dtype=np.uint64))}")


main()
