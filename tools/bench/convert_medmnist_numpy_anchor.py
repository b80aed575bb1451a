#!/usr/bin/env python3
"""numpy anchor for tools/bench/convert-medmnist224: np.load of the .npz (each member inflated into memory), then
per split one-hot labels and np.save of images/labels/sources. Usage: ... NPZ OUT_FOLDER CLASS_COUNT"""
import os
import sys
import numpy as np

npz, out, classes = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
data = np.load(npz)
total = 0
for split in ["train", "val", "test"]:
    images = data[split + "_images"]
    labels = data[split + "_labels"].reshape(-1)
    onehot = np.zeros((len(labels), classes), dtype=np.uint8)
    onehot[np.arange(len(labels)), labels] = 1
    sources = np.stack([np.arange(len(labels), dtype=np.int64), np.full(len(labels), -1, dtype=np.int64)], axis=1)
    np.save(os.path.join(out, split + "_images.npy"), images)
    np.save(os.path.join(out, split + "_labels.npy"), onehot)
    np.save(os.path.join(out, split + "_sources.npy"), sources)
    total += len(labels)
print(total)
