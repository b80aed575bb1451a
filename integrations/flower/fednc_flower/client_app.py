"""The ClientApp: runs `fednc-train client identify` and `fednc-train client step` on this node's shard.

Node configuration (`flower-supernode --node-config '...'`):
  shards       the shards folder on this node (partition.json and at least this client's client-NNN.safetensors)
  client       this node's client index (0-based, as in partition.json)
  state        folder for client state kept between rounds (SCAFFOLD's c_i), keyed by run inside
               (default: ~/.fednc/client-state)
  fednc-train  this node's fednc-train executable (default: `fednc-train` on PATH)
In Flower's simulation engine (no node config of ours) the client index is the virtual node's `partition-id`,
and the shards folder, fednc-train and the state folder are the run config's (`state`, default OUT/client-state,
where `fednc-train train` keeps it too), so a simulated run never writes to the home folder.

A failed step is replied as an "error" entry naming the node and the fix, never as a half-made reply.
"""

import os
import tempfile
from dataclasses import dataclass

from flwr.app import Context, Message
from flwr.clientapp import ClientApp

from . import records
from .steps import StepError, resolve_executable, run_step

app = ClientApp()


@dataclass(frozen=True)
class NodeSettings:
    """This node's part of the federation, read from its node configuration."""

    shards: str
    client: int
    state: str
    executable: str
    simulated: bool  # a virtual SuperNode of Flower's simulation engine (client index = partition-id)

    @staticmethod
    def read(context: Context) -> "NodeSettings":
        config = dict(context.node_config)
        simulated = "client" not in config and "partition-id" in config
        if simulated:  # Flower's simulation engine (Ray): one machine
            config["client"] = config["partition-id"]
            config.setdefault("shards", context.run_config.get("shards", ""))
            config.setdefault("fednc-train", context.run_config.get("fednc-train", ""))
            out = str(context.run_config.get("out", ""))
            config.setdefault("state", str(context.run_config.get("state", ""))
                              or (os.path.join(os.path.abspath(out), "client-state") if out else ""))
        fix = ("start the SuperNode with --node-config 'shards=\"/path/to/shards\" client=N' (N = this node's "
               "client index in partition.json)")
        if not isinstance(config.get("shards"), str) or not config["shards"]:
            raise StepError(f"node config has no `shards` folder: {fix}")
        client = config.get("client")
        if isinstance(client, bool) or not isinstance(client, int) or client < 0:
            raise StepError(f"node config `client` is {client!r}, not a client index >= 0: {fix}")
        state = config.get("state") or os.path.join(os.path.expanduser("~"), ".fednc", "client-state")
        executable = resolve_executable(str(config.get("fednc-train") or "fednc-train"))
        return NodeSettings(shards=str(config["shards"]), client=client, state=str(state), executable=executable,
                            simulated=simulated)


def _error_reply(message: Message, error: Exception) -> Message:
    return Message(content=records.pack(None, {"error": str(error)}), reply_to=message)


@app.query()
def identify(message: Message, context: Context) -> Message:
    """Replies `fednc-train client identify` (code version, partition and shard SHA-256, client index) as JSON."""
    node = None
    try:
        node = NodeSettings.read(context)
        identity = run_step(node.executable, ["client", "identify", "--shards", node.shards,
                                              "--client", str(node.client)], who=f"client {node.client}")
        return Message(content=records.pack(None, {"identity": identity.strip()}), reply_to=message)
    except Exception as error:  # every failure goes back to the server, which names this node
        if node is not None and node.simulated:
            error = StepError(f"{error} (Flower's simulation engine: a virtual SuperNode's client index is its "
                              "partition-id, so num-supernodes must equal partition.json's client count: "
                              "flwr run ... --federation-config 'num-supernodes=N', or tools/flower-sim-run)")
        return _error_reply(message, error)


@app.train()
def step(message: Message, context: Context) -> Message:
    """Runs the client half of one step on the message file and replies the reply file's bytes."""
    try:
        node = NodeSettings.read(context)
        sent = records.info(message.content)
        if sent.get("client") != node.client:
            raise StepError(f"the server sent client {sent.get('client')}'s step to this node, which serves client "
                            f"{node.client}: restart the ServerApp (its handshake maps clients to nodes)")
        payload = records.file_bytes(message.content, "the server")
        with tempfile.TemporaryDirectory(prefix="fednc-flower-step-") as folder:
            message_file = os.path.join(folder, f"client-{node.client:03d}.message.safetensors")
            reply_file = os.path.join(folder, f"client-{node.client:03d}.reply.safetensors")
            with open(message_file, "wb") as handle:
                handle.write(payload)
            os.makedirs(node.state, exist_ok=True)
            run_step(node.executable, ["client", "step", "--message", message_file, "--shards", node.shards,
                                       "--client", str(node.client), "--state", node.state, "--reply", reply_file],
                     who=f"client {node.client}")
            with open(reply_file, "rb") as handle:
                reply = handle.read()
        return Message(content=records.pack(reply, {"client": node.client}), reply_to=message)
    except Exception as error:  # every failure goes back to the server, which names this node
        return _error_reply(message, error)

