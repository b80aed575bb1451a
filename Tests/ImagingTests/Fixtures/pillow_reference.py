#!/usr/bin/env python3
"""Writes the pixels Python's Pillow gives, for FedNC's Imaging tests to compare against.

usage: pillow_reference.py decode OUT_DIR FILE...
       pillow_reference.py decode-cmyk-plain OUT_DIR FILE...
       pillow_reference.py decode-luma OUT_DIR FILE...
       pillow_reference.py resize OUT_DIR HEIGHTxWIDTH[,HEIGHTxWIDTH...] FILE...

decode: for each FILE writes OUT_DIR/<name>.raw (row-major HWC uint8) and an entry in OUT_DIR/index.json:
  {"<name>": {"height": H, "width": W, "channels": C, "mode": "<Pillow mode>"}} or {"<name>": {"error": "..."}}.
  Gray rule: a source Pillow opens as a gray mode ("1", "L", "LA", "I", "I;16", "I;16B") is compared as one
  channel: band 0, with 16-bit samples reduced to their high byte (value >> 8); every other mode is compared as
  convert("RGB").
decode-cmyk-plain: as decode, but CMYK JPEGs are converted by the rule for files WITHOUT an Adobe marker
  (stored values not inverted): R = ((255-C)*(255-K) + 127) // 255 with C, K the stored values. Pillow itself
  always assumes Adobe polarity (its samples are 255 - stored), so this is computed here from Pillow's samples.
decode-luma: Image.open(FILE).convert("L") (Pillow's integer luma for colour sources), one channel.
resize: FILE is decoded the same way, then resized with Image.resize((WIDTH, HEIGHT), Image.BILINEAR) to each
  size; the entries are named "<name>@<HEIGHT>x<WIDTH>".
"""
import json
import warnings
import os
import sys

import numpy as np
from PIL import Image

GRAY_MODES = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L"}


def reference_pixels(path, cmyk_plain=False, luma=False):
    with Image.open(path) as image:
        image.load()
        mode = image.mode
        if luma:
            array = np.asarray(image.convert("L"))
            array = array.reshape(array.shape[0], array.shape[1], 1)
        elif mode == "CMYK" and cmyk_plain:
            inverted = np.asarray(image).astype(np.int64)  # Pillow's samples: 255 - stored
            rgb = (inverted[:, :, :3] * inverted[:, :, 3:4] + 127) // 255
            array = rgb.astype(np.uint8)
        elif mode in GRAY_MODES:
            if mode == "1":
                array = np.asarray(image.convert("L"))
            elif mode == "LA":
                array = np.asarray(image)[:, :, 0]
            elif mode.startswith("I"):
                array = (np.asarray(image).astype(np.int64) >> 8).astype(np.uint8)
            else:
                array = np.asarray(image)
            array = array.reshape(array.shape[0], array.shape[1], 1)
        else:
            array = np.asarray(image.convert("RGB"))
        return mode, np.ascontiguousarray(array, dtype=np.uint8)


def main():
    warnings.simplefilter("ignore")
    command, out_dir = sys.argv[1], sys.argv[2]
    cmyk_plain, luma = command == "decode-cmyk-plain", command == "decode-luma"
    if command in ("decode", "decode-cmyk-plain", "decode-luma"):
        size, files = None, sys.argv[3:]
    elif command == "resize":
        sizes = [tuple(int(part) for part in size.split("x")) for size in sys.argv[3].split(",")]
        size, files = sizes, sys.argv[4:]
    else:
        raise SystemExit(f"unknown command {command}")
    os.makedirs(out_dir, exist_ok=True)
    index = {}
    for path in files:
        name = os.path.basename(path)
        try:
            mode, array = reference_pixels(path, cmyk_plain, luma)
        except Exception as error:  # every failure is reported, never fatal
            index[name] = {"error": f"{type(error).__name__}: {error}"}
            continue
        results = {name: array}
        if size is not None:
            channels = array.shape[2]
            image = Image.fromarray(array[:, :, 0] if channels == 1 else array, "L" if channels == 1 else "RGB")
            results = {
                f"{name}@{height}x{width}": np.asarray(image.resize((width, height), Image.BILINEAR))
                .reshape(height, width, channels)
                for height, width in size
            }
        for key, result in results.items():
            with open(os.path.join(out_dir, key + ".raw"), "wb") as output:
                output.write(result.tobytes())
            index[key] = {"height": result.shape[0], "width": result.shape[1], "channels": result.shape[2],
                          "mode": mode}
    with open(os.path.join(out_dir, "index.json"), "w") as output:
        json.dump(index, output, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
