#!/usr/bin/env python3
"""Independent check of a prepared VOC or ChestX-ray14 dataset against Pillow and Python's own parsers.

Usage: tools/bench/voc-cxr-check.py voc|chestxray14 RAW_ROOT PREPARED_DIR
Prints one JSON object: records checked, the largest absolute pixel difference from Pillow's
decode + convert + resize(BILINEAR), and the number of label / difficult / split mismatches.
Written for the FedNC tests (not derived from the Swift code): labels come from xml.etree and csv.
"""
import csv
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image
from safetensors.numpy import load_file


def voc_expected(root, image_id, classes):
    tree = ET.parse(os.path.join(root, "Annotations", image_id + ".xml")).getroot()
    labels = np.zeros(len(classes), np.uint8)
    hard = np.zeros(len(classes), np.uint8)
    for obj in tree.findall("object"):
        index = classes.index(obj.find("name").text.strip())
        flag = obj.find("difficult")
        if flag is not None and flag.text.strip() == "1":
            hard[index] = 1
        else:
            labels[index] = 1
    hard[labels == 1] = 0
    return labels, hard


def gray_like_fednc(path):
    image = Image.open(path)
    if image.mode in ("I;16", "I;16B", "I"):
        return Image.fromarray((np.asarray(image).astype(np.uint32) >> 8).astype(np.uint8), "L")
    if image.mode == "L":
        return image
    return image.convert("RGB").convert("L")


def main():
    kind, root, prepared = sys.argv[1:4]
    description = json.load(open(os.path.join(prepared, "dataset.json")))
    classes = description["classNames"]
    size = description["imageShape"][0]
    flags = description["build"]["flags"]
    report = {"records": 0, "maxPixelDifference": 0, "labelMismatches": 0, "difficultMismatches": 0,
              "splitMismatches": 0, "patientOverlaps": 0}
    if kind == "voc":
        lists = {}
        for key in ("train-list", "test-list"):
            lists[key] = open(os.path.join(root, "ImageSets", "Main", flags[key] + ".txt")).read().split()
    else:
        rows = list(csv.reader(open(os.path.join(root, "Data_Entry_2017_v2020.csv"))))
        header, rows = rows[0], rows[1:]
        paths = {os.path.basename(p): p for p in glob.glob(os.path.join(root, "images*", "**", "*.png"), recursive=True)}
        test_names = set(open(os.path.join(root, "test_list.txt")).read().split())
        patients = {}
    for split in ("train", "val", "test"):
        tensors = load_file(os.path.join(prepared, split + ".safetensors"))
        images, labels, sources = tensors["images"], tensors["labels"], tensors["sources"]
        for i in range(images.shape[0]):
            report["records"] += 1
            if kind == "voc":
                image_id = lists["test-list" if split == "test" else "train-list"][sources[i, 0]]
                expected_labels, expected_hard = voc_expected(root, image_id, classes)
                if not np.array_equal(tensors["difficult"][i], expected_hard):
                    report["difficultMismatches"] += 1
                source = Image.open(os.path.join(root, "JPEGImages", image_id + ".jpg")).convert("RGB")
                expected = np.asarray(source.resize((size, size), Image.BILINEAR))
            else:
                row = rows[sources[i, 0]]
                name, findings, patient = row[0], row[1], row[3]
                expected_labels = np.zeros(len(classes), np.uint8)
                if findings != "No Finding":
                    for finding in findings.split("|"):
                        expected_labels[classes.index(finding)] = 1
                if (split == "test") != (name in test_names):
                    report["splitMismatches"] += 1
                patients.setdefault(patient, set()).add(split)
                expected = np.asarray(gray_like_fednc(paths[name]).resize((size, size), Image.BILINEAR))[..., None]
            if not np.array_equal(labels[i], expected_labels):
                report["labelMismatches"] += 1
            difference = np.abs(images[i].astype(np.int16) - expected.astype(np.int16)).max()
            report["maxPixelDifference"] = max(report["maxPixelDifference"], int(difference))
    if kind != "voc":
        report["patientOverlaps"] = sum(1 for splits in patients.values() if len(splits) > 1)
    print(json.dumps(report, sort_keys=True))


main()
