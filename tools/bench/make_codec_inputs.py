#!/usr/bin/env python3
"""Writes the benchmark inputs of tools/bench/codecs into a folder: JPEG photos-like 500x375 RGB (VOC-sized,
quality 90, 4:2:0) and 1024x1024 8-bit gray PNGs (ChestX-ray14-sized). Smooth shapes plus mild noise, so the
files compress like real images, not like pure noise. Deterministic (numpy seed 0).
usage: make_codec_inputs.py FOLDER JPEG_COUNT PNG_COUNT"""
import os
import sys

import numpy as np
from PIL import Image


def smooth_field(rng, height, width, channels):
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    field = np.zeros((height, width, channels), np.float32)
    for channel in range(channels):
        for _ in range(4):
            fy, fx, phase = rng.uniform(0.002, 0.03), rng.uniform(0.002, 0.03), rng.uniform(0, 6.3)
            field[:, :, channel] += np.sin(fy * y + fx * x + phase)
    field = (field - field.min()) / (field.max() - field.min() + 1e-6) * 220 + 16
    field += rng.normal(0, 6, field.shape)
    return np.clip(field, 0, 255).astype(np.uint8)


def main():
    folder, jpeg_count, png_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    for index in range(jpeg_count):
        Image.fromarray(smooth_field(rng, 375, 500, 3)).save(os.path.join(folder, f"photo-{index:04d}.jpg"),
                                                            quality=90)
    for index in range(png_count):
        Image.fromarray(smooth_field(rng, 1024, 1024, 1)[:, :, 0]).save(os.path.join(folder, f"xray-{index:04d}.png"))


if __name__ == "__main__":
    main()
