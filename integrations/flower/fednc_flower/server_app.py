"""The ServerApp: drives `fednc-train server` round by round and moves step files to and from the nodes.

Loop (the same as `fednc-train train`, whose in-process loop is plan -> client step per participant -> collect):
  server start (or, with resume, continue the run folder) -> server identify -> handshake with every node ->
  repeat: server plan -> Grid.send_and_receive (each participant's message to its node) -> server collect.
Rule for a node that drops out: nothing is aggregated unless every planned participant replied. A missing or
failed reply stops the run, naming the node and the client; the run folder still holds the last completed
round, and running again with `resume=true` redoes the interrupted step with every node back.
"""

import json
import os
import shlex
import shutil
import tempfile
import time
from dataclasses import dataclass

from flwr.app import Context, Message
from flwr.serverapp import Grid, ServerApp

from . import records
from .handshake import HandshakeError, match_nodes
from .steps import StepError, resolve_executable, run_json_step, run_step

app = ServerApp()

IDENTIFY_TYPE = "query"
STEP_TYPE = "train"


class NodeDropped(RuntimeError):
    """A planned participant did not reply; the text names node, client and `--resume`."""


@dataclass(frozen=True)
class ServerSettings:
    """The run configuration (pyproject.toml [tool.flwr.app.config], overridden by `flwr run --run-config`)."""

    out: str
    shards: str
    method: str
    options: list[str]
    resume: bool
    executable: str
    work: str
    node_wait: float
    round_timeout: float

    @staticmethod
    def read(context: Context) -> "ServerSettings":
        config = context.run_config
        for key in ("out", "shards"):
            if not str(config.get(key, "")):
                raise StepError(f"run config `{key}` is empty: pass it, e.g. flwr run APP CONNECTION "
                                f"--run-config '{key}=\"/path\"'")
        return ServerSettings(
            out=os.path.abspath(str(config["out"])), shards=os.path.abspath(str(config["shards"])),
            method=str(config.get("method", "fedavg")), options=shlex.split(str(config.get("options", ""))),
            resume=bool(config.get("resume", False)),
            executable=resolve_executable(str(config.get("fednc-train", "fednc-train"))),
            work=str(config.get("work", "")), node_wait=float(config.get("node-wait", 120.0)),
            round_timeout=float(config.get("round-timeout", 0.0)))


def log(text: str) -> None:
    """One line on the ServerApp's log (shown by `flwr run --stream` and `flwr log`)."""
    print(f"fednc: {text}", flush=True)


def start_run(settings: ServerSettings, work: str) -> None:
    """`server start`; with resume, an existing run folder is continued if its run.json equals the one these
    settings give (made by `server start` into a scratch folder), and a run without run.json starts over."""
    arguments = ["server", "start", "--shards", settings.shards, "--method", settings.method, *settings.options]
    existing = os.path.join(settings.out, "run.json")
    if not (settings.resume and os.path.exists(existing)):
        run_step(settings.executable, [*arguments[:2], "--out", settings.out, *arguments[2:]], who="server")
        return
    scratch = os.path.join(work, "resume-check")
    run_step(settings.executable, [*arguments[:2], "--out", scratch, *arguments[2:]], who="server")
    with open(existing, "rb") as handle:
        recorded = json.load(handle)
    with open(os.path.join(scratch, "run.json"), "rb") as handle:
        requested = json.load(handle)
    differing = sorted(key for key in set(recorded) | set(requested) if recorded.get(key) != requested.get(key))
    if differing:
        raise StepError(f"resume: {existing} was made with other settings (differing keys: {', '.join(differing)}): "
                        "run again with the run's own method and options, or choose another `out`")
    log(f"resuming {settings.out}")


def wait_for_nodes(grid: Grid, count: int, seconds: float) -> list[int]:
    """Node IDs once at least `count` SuperNodes are connected; an error naming the shortfall after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        nodes = sorted(grid.get_node_ids())
        if len(nodes) >= count:
            return nodes
        if time.monotonic() > deadline:
            raise HandshakeError(f"{len(nodes)} of the run's {count} clients' SuperNodes connected within "
                                 f"{seconds:g} s: start one SuperNode per client (--node-config 'shards=\"...\" "
                                 "client=N') or raise `node-wait`; on Flower's simulation engine set num-supernodes "
                                 "to the client count (flwr run ... --federation-config 'num-supernodes=N')")
        time.sleep(0.5)


def handshake(grid: Grid, settings: ServerSettings) -> dict[int, int]:
    """Asks every connected node for its identity and maps client index -> node ID (see handshake.py)."""
    server = run_json_step(settings.executable, ["server", "identify", "--run", settings.out], who="server")
    nodes = wait_for_nodes(grid, len(server["clients"]), settings.node_wait)
    messages = [Message(content=records.pack(None, {"action": "identify"}), dst_node_id=node,
                        message_type=IDENTIFY_TYPE, group_id="handshake") for node in nodes]
    answers: dict[int, dict] = {node: {"error": "sent no reply to the handshake"} for node in nodes}
    for reply in grid.send_and_receive(messages, timeout=settings.node_wait):
        node = reply.metadata.src_node_id
        answers[node] = ({"error": reply.error.reason} if reply.has_error() else records.info(reply.content))
    mapping = match_nodes(server, answers)
    log("handshake: " + ", ".join(f"client {client} = node {node}" for client, node in sorted(mapping.items())))
    return mapping


def run_step_round(grid: Grid, settings: ServerSettings, mapping: dict[int, int], plan: dict,
                   messages_folder: str, replies_folder: str) -> None:
    """Sends each participant's message file to its node and writes every reply file, or raises NodeDropped."""
    round_number, kind = int(plan["round"]), str(plan["kind"])
    outgoing, client_of = [], {}
    for client in plan["participants"]:
        with open(os.path.join(messages_folder, f"client-{client:03d}.message.safetensors"), "rb") as handle:
            payload = handle.read()
        message = Message(content=records.pack(payload, {"client": client, "round": round_number, "kind": kind}),
                          dst_node_id=mapping[client], message_type=STEP_TYPE, group_id=f"{kind}-{round_number}")
        outgoing.append(message)
        client_of[mapping[client]] = client
    timeout = settings.round_timeout if settings.round_timeout > 0 else None
    try:
        received = list(grid.send_and_receive(outgoing, timeout=timeout))
    except Exception as error:  # e.g. a destination node that left before the messages were pushed
        nodes = ", ".join(f"node {node} (client {client})" for node, client in client_of.items())
        raise NodeDropped(f"round {round_number} ({kind}) stopped, nothing aggregated: sending to {nodes} failed "
                          f"({error}); restart the node(s), then run again with resume=true "
                          "(tools/flower-run-local ... --resume).") from error
    replies = {reply.metadata.src_node_id: reply for reply in received}
    problems = []
    for node, client in sorted(client_of.items(), key=lambda item: item[1]):
        reply = replies.get(node)
        if reply is None:
            problems.append(f"node {node} (client {client}) sent no reply within {settings.round_timeout:g} s"
                            if timeout is not None else
                            f"node {node} (client {client}) left the federation before replying (its SuperNode "
                            "stopped or was removed)")
        elif reply.has_error():
            problems.append(f"node {node} (client {client}) dropped out: {reply.error.reason}")
        elif "error" in records.info(reply.content):
            problems.append(f"node {node} (client {client}): {records.info(reply.content)['error']}")
        else:
            path = os.path.join(replies_folder, f"client-{client:03d}.reply.safetensors")
            with open(path + ".partial", "wb") as handle:
                handle.write(records.file_bytes(reply.content, f"node {node} (client {client})"))
            os.replace(path + ".partial", path)
    if problems:
        raise NodeDropped(f"round {round_number} ({kind}) stopped, nothing aggregated:\n  " + "\n  ".join(problems)
                          + f"\nThe run folder {settings.out} holds every completed round: fix or restart the "
                          "node(s), then run again with resume=true (tools/flower-run-local ... --resume).")


@app.main()
def main(grid: Grid, context: Context) -> None:
    """Runs the whole federated run; raises (the run fails) with a message naming the node and the fix."""
    settings = ServerSettings.read(context)
    if settings.work:
        os.makedirs(settings.work, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fednc-flower-", dir=settings.work or None) as work:
        start_run(settings, work)
        mapping = handshake(grid, settings)
        step = 0
        while True:
            step += 1
            messages_folder = os.path.join(work, f"step-{step:04d}-messages")
            replies_folder = os.path.join(work, f"step-{step:04d}-replies")
            os.makedirs(messages_folder)
            os.makedirs(replies_folder)
            started = time.monotonic()
            plan = run_json_step(settings.executable, ["server", "plan", "--run", settings.out,
                                                       "--messages", messages_folder], who="server")
            if plan["kind"] == "done":
                log("the run is finished")
                return
            planned = time.monotonic()
            run_step_round(grid, settings, mapping, plan, messages_folder, replies_folder)
            exchanged = time.monotonic()
            collected = run_json_step(settings.executable, ["server", "collect", "--run", settings.out,
                                                            "--replies", replies_folder], who="server")
            done = time.monotonic()
            shutil.rmtree(messages_folder)  # both made above; a model per participant each
            shutil.rmtree(replies_folder)
            log(f"round {plan['round']} {plan['kind']}: {len(plan['participants'])} participants, "
                f"{done - started:.3f} s (plan {planned - started:.3f} s, nodes {exchanged - planned:.3f} s, "
                f"collect {done - exchanged:.3f} s)")
            if collected.get("finished"):
                log(f"finished: {settings.out}")
                return
