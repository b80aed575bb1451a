"""The handshake: which node serves which client, refused unless every client is served once by a matching node.

The server's `fednc-train server identify` lists the run's code version, partition SHA-256 and every client's
shard SHA-256; each node answers `fednc-train client identify`. A node is refused (with the fix) when it runs
another FedNC build, holds another partition or another shard, or claims a client index that is out of range
or already claimed; the run is refused while any client has no node.
"""

import json
from collections.abc import Mapping


class HandshakeError(RuntimeError):
    """The nodes do not make up the run's federation; the text names each offending node and the fix."""


def match_nodes(server: Mapping, answers: Mapping[int, Mapping]) -> dict[int, int]:
    """Maps client index -> node ID from the server's identity and each node's `fednc` reply entries.

    `answers[node_id]` holds either "identity" (the node's `client identify` JSON text) or "error".
    Raises HandshakeError listing every problem found (not only the first).
    """
    expected_shards = {int(entry["client"]): entry["shardSHA256"] for entry in server["clients"]}
    problems: list[str] = []
    claimed: dict[int, int] = {}
    for node_id in sorted(answers):
        answer = answers[node_id]
        if "identity" not in answer:
            problems.append(f"node {node_id}: {answer.get('error', 'sent no identity')}")
            continue
        try:
            identity = json.loads(answer["identity"])
            client = int(identity["client"])
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"node {node_id}: its identity {answer['identity']!r} is unreadable ({error}): "
                            "install the server's FedNC build on the node")
            continue
        where = f"node {node_id} (client {client})"
        if identity.get("codeVersion") != server["codeVersion"]:
            problems.append(f"{where} runs FedNC build {identity.get('codeVersion')!r}, the server "
                            f"{server['codeVersion']!r}: install the server's FedNC build on the node")
        elif identity.get("partitionSHA256") != server["partitionSHA256"]:
            problems.append(f"{where} holds a shards folder of another partition (partition.json SHA-256 "
                            f"{identity.get('partitionSHA256')}, the run's {server['partitionSHA256']}): point the "
                            "node's `shards` at a copy of this run's shards folder")
        elif client not in expected_shards:
            problems.append(f"{where}: the run has clients 0..{len(expected_shards) - 1}: fix the node's "
                            "`client` node config")
        elif identity.get("shardSHA256") != expected_shards[client]:
            problems.append(f"{where} holds a client-{client:03d}.safetensors with SHA-256 "
                            f"{identity.get('shardSHA256')}, not the partition's {expected_shards[client]}: copy "
                            "that shard from this run's shards folder to the node")
        elif client in claimed:
            problems.append(f"{where}: client {client} is already served by node {claimed[client]}: give each "
                            "SuperNode its own `client` index")
        else:
            claimed[client] = node_id
    missing = sorted(set(expected_shards) - set(claimed))
    if missing and not problems:
        problems.append(f"no node serves client(s) {', '.join(map(str, missing))}: start one SuperNode per client "
                        "with --node-config 'shards=\"...\" client=N'")
    elif missing:
        problems.append(f"so no node serves client(s) {', '.join(map(str, missing))}")
    if problems:
        raise HandshakeError("the nodes do not make up this run's federation:\n  " + "\n  ".join(problems))
    return claimed
