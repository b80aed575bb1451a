#!/usr/bin/env python3
"""PyTorch simulation of FedNC's federated protocol on a shards folder, to compare head parametrisations (issue 17).

Model: tools/fixtures/torch_model.py (FedNC's model in PyTorch; RoundParityTests prove one round equal), ImageNet stem,
width 0.25, 64 px. Protocol as fednc-train: every client trains 1 epoch from the global model with a fresh AdamW (lr
--lr, betas (0.9, 0.98), eps 1e-8, weight decay 0.01 on rank >= 2 only), batch 32; the server takes the equal-weight
mean of every state entry (BN buffers included). Shuffles come from torch, not FedNC's streams.
--variant: paper (s learnable, init 10, b = 0) | fixed1 (s = 1 fixed, b = 0: FedNC's default) | authors (the authors'
code: s = 1, b uniform as nn.Linear) | s1 (s learnable from 1) | sfixed (s = 10 fixed).
Prints per round the validation macro-AUC/F1 and the four tensors whose update has the most negative cosine with the
previous round's update; finally the mean absolute round-to-round change ("swing").
Usage: python3 tools/bench/fedncalign_swing_torch.py --shards DIR [--variant paper] [--rounds 8] [--seed 0]
Needs torch (pip install torch==2.13.0+cpu), numpy, safetensors, scikit-learn. About 1 min per round on 1 thread.
"""
import argparse, json, math, os, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from safetensors.numpy import load_file
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import torch_model as tm
from sklearn.metrics import roc_auc_score

p = argparse.ArgumentParser()
p.add_argument("--shards"); p.add_argument("--variant", default="paper"); p.add_argument("--rounds", type=int, default=8)
p.add_argument("--seed", type=int, default=0); p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--head", default="ladm-etf"); p.add_argument("--threads", type=int, default=1)
p.add_argument("--clients", type=int, default=10)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(a.seed); np.random.seed(a.seed)
man = json.load(open(f"{a.shards}/partition.json"))
def load(f):
    t = load_file(f"{a.shards}/{f}"); return t["images"], t["labels"].astype(np.float32)
clients = [load(c["file"]) for c in man["clients"]][: a.clients]
val = load(man["dataset"]["validation"]["file"])
K = val[1].shape[1]
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1); std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
def prep(imgs):
    x = torch.from_numpy(imgs).float().div(255).permute(0, 3, 1, 2)
    if x.shape[1] == 1: x = x.repeat(1, 3, 1, 1)
    if x.shape[-1] != 64: x = F.interpolate(x, size=(64, 64), mode="bilinear", align_corners=False)
    return (x - mean) / std
model = tm.Model(K, a.head, "imagenet", 0.25, "fixed", True)
h = model.head_module
if a.head == "ladm-etf":
    if a.variant == "authors":  # anonymous copy: nn.Linear(ETF) with uniform bias, no scale
        h.scale.data.fill_(1.0); h.scale.requires_grad_(False)
        d = h.etf.shape[1]; h.bias.data.uniform_(-1 / math.sqrt(d), 1 / math.sqrt(d))
    elif a.variant == "fixed1":  # s fixed at 1, bias init 0
        h.scale.data.fill_(1.0); h.scale.requires_grad_(False)
    elif a.variant == "s1":
        h.scale.data.fill_(1.0)
    elif a.variant == "sfixed":
        h.scale.requires_grad_(False)
lam_rej, lam_con = (0.01, 1.0) if a.head == "ladm-etf" else (0.0, 0.0)
names = [n for n, _ in model.named_parameters()]
def opt_for(m):
    decay = [p for p in m.parameters() if p.requires_grad and p.dim() >= 2]
    nodecay = [p for p in m.parameters() if p.requires_grad and p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": nodecay, "weight_decay": 0.0}],
                             lr=a.lr, betas=(0.9, 0.98), eps=1e-8)
def evaluate(m, data):
    m.eval(); outs = []
    with torch.no_grad():
        for i in range(0, len(data[0]), 256):
            s, _, _ = m(prep(data[0][i:i + 256]))
            lg = torch.diagonal(s, dim1=1, dim2=2) if s.shape[2] == K and K > 1 else s[:, :, 0]
            outs.append(torch.sigmoid(lg))
    pr = torch.cat(outs).numpy(); y = data[1]
    aucs = [roc_auc_score(y[:, k], pr[:, k]) * 100 for k in range(K) if 0 < y[:, k].sum() < len(y)]
    f1 = []
    for k in range(K):
        pp = pr[:, k] >= 0.5; tp = (pp & (y[:, k] > 0)).sum(); f1.append(200 * tp / max(1, pp.sum() + (y[:, k] > 0).sum()))
    return float(np.mean(aucs)), float(np.mean(f1)), [round(x, 1) for x in aucs]
glob = {k: v.clone() for k, v in model.state_dict().items()}
prev_update = None; hist = []
for r in range(1, a.rounds + 1):
    t0 = time.time(); states = []
    for c, (imgs, labels) in enumerate(clients):
        model.load_state_dict(glob); model.train(); opt = opt_for(model)
        g = torch.Generator().manual_seed(a.seed * 1000003 + r * 1009 + c)
        order = torch.randperm(len(imgs), generator=g).numpy()
        for s0 in range(0, len(order), 32):
            idx = order[s0:s0 + 32]
            if len(idx) < 2: continue
            s, f, pr = model(prep(imgs[idx]))
            loss = tm.losses(s, f, pr, torch.from_numpy(labels[idx]), lam_rej, lam_con)["total"]
            opt.zero_grad(); loss.backward(); opt.step()
        states.append({k: v.clone() for k, v in model.state_dict().items()})
    new = {k: sum(st[k].float() for st in states) / len(states) for k in glob}
    new = {k: v.to(glob[k].dtype) for k, v in new.items()}
    upd = {k: (new[k] - glob[k]).float() for k in glob}
    cos = {}
    if prev_update is not None:
        for k in upd:
            if "running" in k or "num_batches" in k: continue
            a1, b1 = upd[k].flatten(), prev_update[k].flatten()
            if a1.norm() > 0 and b1.norm() > 0: cos[k] = float(a1 @ b1 / (a1.norm() * b1.norm()))
    prev_update = upd; glob = new
    model.load_state_dict(glob)
    auc, f1, per = evaluate(model, val); hist.append(auc)
    worst = sorted(cos.items(), key=lambda kv: kv[1])[:4]
    print(f"round {r} valAUC {auc:.2f} F1 {f1:.1f} per {per} s={float(h.scale.detach()) if hasattr(h,'scale') else 0:.3f} "
          f"{time.time()-t0:.0f}s worst-cos {[(k, round(v, 2)) for k, v in worst]}", flush=True)
sw = np.mean(np.abs(np.diff(hist))) if len(hist) > 1 else 0
print(f"RESULT variant={a.variant} head={a.head} swing={sw:.2f} last={hist[-1]:.2f} best={max(hist):.2f}")
