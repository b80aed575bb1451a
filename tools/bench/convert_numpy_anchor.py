#!/usr/bin/env python3
"""numpy anchor for tools/bench/convert: the same CIFAR-10 pairwise-composite conversion written the way a
Python user would: np.fromfile the batches, plan with numpy's generator, then ONE composite per loop iteration
(slicing placement on a zero canvas + np.maximum merge), and np.save of images/labels/sources per split.

Usage: convert_numpy_anchor.py BATCH_FOLDER OUT_FOLDER [S_train,S_val,S_test] [P_train,P_val,P_test]
"""
import os
import sys
import numpy as np

def load(folder, names):
    records = np.concatenate([np.fromfile(os.path.join(folder, n), dtype=np.uint8).reshape(-1, 3073) for n in names])
    labels = records[:, 0].astype(np.int64)
    images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # N, H, W, C (a view)
    return images, labels

def convert(images, labels, singles, pairs, rng, out_prefix):
    K, h, H, m = 10, 32, 64, 8
    pools = [np.flatnonzero(labels == k) for k in range(K)]
    plan = []
    for k in range(K):
        chosen = rng.permutation(pools[k])[:singles]
        for s in chosen:
            corner, oy, ox = rng.integers(0, 2), rng.integers(0, m), rng.integers(0, m)
            pos = (oy, ox) if corner == 0 else (H - h - oy, H - h - ox)
            plan.append(((k,), (s,), (pos,)))
    for a in range(K):
        for b in range(a + 1, K):
            for _ in range(pairs):
                ia, ib = rng.choice(pools[a]), rng.choice(pools[b])
                swap = rng.integers(0, 2)
                oy1, ox1, oy2, ox2 = rng.integers(0, m, 4)
                first, second = (ia, ib) if swap == 0 else (ib, ia)
                plan.append(((a, b), (first, second), ((oy1, ox1), (H - h - oy2, H - h - ox2))))
    return compose_and_save(images, plan, K, (H, H), out_prefix)

def compose_and_save(images, plan, class_count, canvas_size, out_prefix):
    """The plan's composites, ONE per loop iteration: slicing placement on a zero canvas + np.maximum merge;
    then np.save of images/labels/sources. images: N, h, w, C; plan: (classes, sources, (y, x) positions)."""
    h, w, channels = images.shape[1:]
    n = len(plan)
    out_images = np.zeros((n, *canvas_size, channels), dtype=np.uint8)
    out_labels = np.zeros((n, class_count), dtype=np.uint8)
    out_sources = np.full((n, 2), -1, dtype=np.int64)
    for i, (classes, sources, positions) in enumerate(plan):
        canvas = np.zeros((*canvas_size, channels), dtype=np.uint8)
        for s, (y, x) in zip(sources, positions):
            region = canvas[y:y + h, x:x + w]
            np.maximum(region, images[s], out=region)
        out_images[i] = canvas
        out_labels[i, list(classes)] = 1
        out_sources[i, :len(sources)] = sources
    np.save(out_prefix + "_images.npy", out_images)
    np.save(out_prefix + "_labels.npy", out_labels)
    np.save(out_prefix + "_sources.npy", out_sources)
    return n

def main():
    folder, out = sys.argv[1], sys.argv[2]
    singles = [int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "3100,800,800").split(",")]
    pairs = [int(v) for v in (sys.argv[4] if len(sys.argv) > 4 else "200,50,50").split(",")]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    splits = [("train", [f"data_batch_{i}.bin" for i in range(1, 5)]), ("val", ["data_batch_5.bin"]), ("test", ["test_batch.bin"])]
    total = 0
    for index, (name, files) in enumerate(splits):
        images, labels = load(folder, files)
        total += convert(images, labels, singles[index], pairs[index], rng, os.path.join(out, name))
    print(total)

if __name__ == "__main__":
    main()
