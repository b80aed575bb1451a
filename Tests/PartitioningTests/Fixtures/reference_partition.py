#!/usr/bin/env python3
"""A second, independent implementation of partition/1, written from partition.md alone, for cross-checks.

Reads JSON from stdin: {"labels": [[0/1, ...], ...], "clients", "alpha" (number or "inf"), "rho", "seed",
"absentLabels", "emptyLabels", "minClientSize"}. Writes JSON: {"attempt", "classSets", "clients" (ascending sample
indices per client), "masked" (ascending masked sample indices per client), "dropped": {...}} or {"error": ...}.
Python's math functions call the platform C library, like the Swift implementation.
"""
import json
import math
import sys

MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def fnv1a64(text):
    value = 0xCBF29CE484222325
    for byte in text.encode():
        value ^= byte
        value = (value * 0x100000001B3) & MASK
    return value


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Stream:
    def __init__(self, seed, name):
        state = seed ^ fnv1a64(name)
        self.s = []
        for _ in range(4):
            state, out = splitmix64(state)
            self.s.append(out)

    def next(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        return float(self.next() >> 11) * (2.0 ** -53)

    def uniform_int(self, n):
        return self.next() % n

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.uniform_int(i + 1)
            items[i], items[j] = items[j], items[i]

    def nonzero_uniform(self):
        u = self.uniform()
        while u == 0:
            u = self.uniform()
        return u

    def normal(self):
        u1 = self.nonzero_uniform()
        u2 = self.uniform()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)

    def gamma(self, a):
        d = a - 1 / 3
        c = 1 / math.sqrt(9 * d)
        while True:
            x = self.normal()
            v = 1 + c * x
            if v <= 0:
                continue
            v = (v * v) * v
            u = self.uniform()
            x2 = x * x
            if u < 1 - 0.0331 * (x2 * x2):
                return d * v
            if math.log(u) < 0.5 * x2 + d * ((1 - v) + math.log(v)):
                return d * v

    def dirichlet(self, alpha, n):
        if math.isinf(alpha):
            return [1 / n] * n
        if alpha >= 1:
            g = [self.gamma(alpha) for _ in range(n)]
            total = 0.0
            for value in g:
                total += value
            return [value / total for value in g]
        logs = []
        for _ in range(n):
            g = self.gamma(alpha + 1)
            u = self.nonzero_uniform()
            logs.append(math.log(g) + math.log(u) / alpha)
        top = max(logs)
        weights = [math.exp(value - top) for value in logs]
        total = 0.0
        for value in weights:
            total += value
        return [value / total for value in weights]


def class_sets(K, M, rho, seed):
    m = min(max(math.floor(rho * K + 1e-9), 1), K)
    if m == K:
        return [list(range(K)) for _ in range(M)]
    stream = Stream(seed, "class-sets")
    usage = [0] * K
    sets = []
    for _ in range(M):
        tie = list(range(K))
        stream.shuffle(tie)
        rank = [0] * K
        for r, c in enumerate(tie):
            rank[c] = r
        chosen = sorted(sorted(range(K), key=lambda c: (usage[c], rank[c]))[:m])
        for c in chosen:
            usage[c] += 1
        sets.append(chosen)
    return sets


def quotas(total, q):
    exact = [p * total for p in q]
    t = [math.floor(x) for x in exact]
    order = sorted(range(len(q)), key=lambda h: (-(exact[h] - t[h]), h))
    k = 0
    while sum(t) < total:
        t[order[k % len(order)]] += 1
        k += 1
    return t


def partition(spec):
    Y = spec["labels"]
    N, K = len(Y), len(Y[0])
    M = spec["clients"]
    alpha = math.inf if spec["alpha"] == "inf" else float(spec["alpha"])
    seed = spec["seed"]
    sets = class_sets(K, M, spec["rho"], seed)
    label_sets = [frozenset(c for c in range(K) if Y[s][c]) for s in range(N)]
    n = [sum(Y[s][c] for s in range(N)) for c in range(K)]
    anchored = [[] for _ in range(K)]
    empty = []
    for s in range(N):
        if label_sets[s]:
            anchored[min(label_sets[s], key=lambda c: (n[c], c))].append(s)
        else:
            empty.append(s)
    holders = [[h for h in range(M) if c in sets[h]] for c in range(K)]
    held = [frozenset(x) for x in sets]
    sizes = None
    for t in range(10):
        where = {}
        masked = set()
        dropped = {"unroutable": 0, "noEligibleClient": 0, "emptyLabels": 0}
        proportions = Stream(seed, f"dirichlet/{t}")
        for c in range(K):
            H = holders[c]
            if not H:
                dropped["unroutable"] += len(anchored[c])
                continue
            q = proportions.dirichlet(alpha, len(H))
            quota = quotas(len(anchored[c]), q)
            assigned = [0] * len(H)
            order = list(anchored[c])
            Stream(seed, f"route/{c}/{t}").shuffle(order)
            for s in order:
                E = [i for i, h in enumerate(H) if label_sets[s] <= held[h]]
                if not E:
                    if spec["absentLabels"] == "drop":
                        dropped["noEligibleClient"] += 1
                        continue
                    E = list(range(len(H)))
                    masked.add(s)
                best = max(E, key=lambda i: (quota[i] - assigned[i], q[i], -H[i]))
                assigned[best] += 1
                where[s] = H[best]
        if spec["emptyLabels"] == "spread":
            order = list(empty)
            Stream(seed, f"empty/{t}").shuffle(order)
            for k, s in enumerate(order):
                where[s] = k % M
        else:
            dropped["emptyLabels"] = len(empty)
        sizes = [0] * M
        for h in where.values():
            sizes[h] += 1
        if all(size >= spec["minClientSize"] for size in sizes):
            clients = [[] for _ in range(M)]
            masked_by_client = [[] for _ in range(M)]
            for s in sorted(where):
                clients[where[s]].append(s)
                if s in masked:
                    masked_by_client[where[s]].append(s)
            return {"attempt": t, "classSets": sets, "clients": clients, "masked": masked_by_client,
                    "dropped": dropped}
    return {"error": "clientsTooSmall", "sizes": sizes}


if __name__ == "__main__":
    json.dump(partition(json.load(sys.stdin)), sys.stdout)
