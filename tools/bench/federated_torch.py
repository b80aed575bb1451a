#!/usr/bin/env python3
"""PyTorch anchor for tools/bench/federated: one FedAvg round over a shards folder, as fednc-train does it.

Clients one after another (fresh AdamW lr 1e-4, betas (0.9, 0.98), eps 1e-8, weight decay 0.01 on rank >= 2
tensors; batch 32; one local epoch; a trailing batch of one sample skipped), sample-weighted average of every
parameter and buffer, then validation (eval mode, batches of 64). Model: ResNet-18 with a channel multiplier and
the mlp head (Linear(d, 1024) -> LayerNorm -> GELU -> Linear(1024, K)); inputs /255, bilinear resize, ImageNet
normalisation, gray repeated to RGB. Prints one JSON line: seconds and images of training and validation.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.numpy import load_file


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Net(nn.Module):
    def __init__(self, classes, width, stem):
        super().__init__()
        widths = [max(4, round(c * width)) for c in (64, 128, 256, 512)]
        if stem == "imagenet":
            self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 7, 2, 3, bias=False), nn.BatchNorm2d(widths[0]),
                                      nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        else:
            self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        layers, cin = [], widths[0]
        for i, c in enumerate(widths):
            layers += [Block(cin, c, 1 if i == 0 else 2), Block(c, c, 1)]
            cin = c
        self.layers = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(cin, 1024), nn.LayerNorm(1024), nn.GELU(), nn.Linear(1024, classes))

    def forward(self, x):
        return self.head(self.layers(self.stem(x)).mean(dim=(2, 3)))


MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def preprocess(images, size):
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255
    if x.shape[1] == 1:
        x = x.repeat(1, 3, 1, 1)
    if x.shape[2] != size or x.shape[3] != size:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return (x - MEAN) / STD


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shards", required=True)
    p.add_argument("--width", type=float, default=0.25)
    p.add_argument("--stem", default="imagenet")
    p.add_argument("--input-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    manifest = json.load(open(os.path.join(a.shards, "partition.json")))
    classes = len(manifest["dataset"]["classNames"])
    clients = [load_file(os.path.join(a.shards, c["file"])) for c in manifest["clients"]]
    validation = load_file(os.path.join(a.shards, manifest["dataset"]["validation"]["file"]))
    global_model = Net(classes, a.width, a.stem)
    start = time.perf_counter()
    states, sizes, trained = [], [], 0
    for client in clients:
        model = Net(classes, a.width, a.stem)
        model.load_state_dict(global_model.state_dict())
        model.train()
        decay = [t for t in model.parameters() if t.dim() >= 2]
        plain = [t for t in model.parameters() if t.dim() < 2]
        optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": plain, "weight_decay": 0.0}],
                                      lr=1e-4, betas=(0.9, 0.98), eps=1e-8)
        n = len(client["labels"])
        order = rng.permutation(n)
        for s in range(0, n, 32):
            idx = np.sort(order[s:s + 32])
            if len(idx) < 2:
                continue
            x = preprocess(client["images"][idx], a.input_size)
            y = torch.from_numpy(client["labels"][idx]).float()
            loss = F.binary_cross_entropy_with_logits(model(x), y, reduction="sum") / len(idx)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            trained += len(idx)
        states.append(model.state_dict())
        sizes.append(n)
    total = float(sum(sizes))
    averaged = {}
    for key, value in states[0].items():
        if value.dtype.is_floating_point:
            averaged[key] = sum(state[key] * (size / total) for state, size in zip(states, sizes))
        else:
            averaged[key] = value
    global_model.load_state_dict(averaged)
    train_seconds = time.perf_counter() - start
    global_model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        for s in range(0, len(validation["labels"]), 64):
            torch.sigmoid(global_model(preprocess(validation["images"][s:s + 64], a.input_size)))
    validation_seconds = time.perf_counter() - start
    print(json.dumps({"train_seconds": train_seconds, "train_images": trained,
                      "validation_seconds": validation_seconds, "validation_images": len(validation["labels"])}))


if __name__ == "__main__":
    main()
