#!/usr/bin/env python3
"""numpy anchor for tools/bench/convert-medmnist224 --composites: a single-label MedMNIST .npz converted to pairwise
composites the way a Python user would write it: np.load, plan with numpy's generator (all singles, P pairs per
class combination, corner placement with offsets below side/4), ONE composite per loop iteration (slicing
placement on a zero canvas + np.maximum merge), np.save of images/labels/sources per split.

Usage: convert_medmnist_composite_anchor.py NPZ OUT_FOLDER CLASS_COUNT P_train,P_val,P_test
"""
import os
import sys
import numpy as np
from convert_numpy_anchor import compose_and_save  # the same loop as the CIFAR-10 anchor

def convert(images, labels, classes, pairs, rng, out_prefix):
    n_src, h, w = images.shape[:3]
    images = images.reshape(n_src, h, w, -1)
    H, W, m = 2 * h, 2 * w, h // 4
    pools = [np.flatnonzero(labels == k) for k in range(classes)]
    plan = []
    for s in range(n_src):
        corner, oy, ox = rng.integers(0, 2), rng.integers(0, m), rng.integers(0, m)
        pos = (oy, ox) if corner == 0 else (H - h - oy, W - w - ox)
        plan.append(((labels[s],), (s,), (pos,)))
    for a in range(classes):
        for b in range(a + 1, classes):
            if len(pools[a]) == 0 or len(pools[b]) == 0:
                continue
            for _ in range(pairs):
                ia, ib = rng.choice(pools[a]), rng.choice(pools[b])
                oy1, ox1, oy2, ox2 = rng.integers(0, m, 4)
                first, second = (ia, ib) if rng.integers(0, 2) == 0 else (ib, ia)
                plan.append(((a, b), (first, second), ((oy1, ox1), (H - h - oy2, W - w - ox2))))
    return compose_and_save(images, plan, classes, (H, W), out_prefix)

def main():
    npz, out, classes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    pairs = [int(v) for v in sys.argv[4].split(",")]
    os.makedirs(out, exist_ok=True)
    data = np.load(npz)
    rng = np.random.default_rng(0)
    total = 0
    for index, split in enumerate(["train", "val", "test"]):
        total += convert(data[split + "_images"], data[split + "_labels"].reshape(-1), classes, pairs[index], rng,
                         os.path.join(out, split))
    print(total)

if __name__ == "__main__":
    main()
