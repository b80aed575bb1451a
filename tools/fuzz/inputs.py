"""The inputs of tools/fuzz/fuzz.py: a corpus of valid files made with `fednc-samples` and the built tools, the
formats under test (which file a case mutates, how, and which command reads it), and the file-system helpers that
copy the corpus for a case and put a mutated or special file in place."""
import json
import os
import shutil
import sys
import xml.etree.ElementTree

from mutations import (BINARY_MUTATIONS, JPEG_MUTATIONS, JSON_MUTATIONS, NPZ_MUTATIONS, PNG_MUTATIONS,
                       SAFETENSORS_MUTATIONS, TARBALL_MUTATIONS, TEXT_MUTATIONS, XML_MUTATIONS)
from runner import run

class Format:
    """A reader under test: which base folder a case copies, which file it mutates, how, and the command."""

    def __init__(self, name, base, targets, mutations, command, promised=None):
        self.name = name
        self.base = base            # folder (relative to the corpus) copied into each case
        self.targets = targets      # glob-free relative paths inside the copy; one is mutated
        self.mutations = mutations
        self.command = command      # (bin, case folder, rng) -> argv
        self.promised = promised    # (case folder, argv) -> None if the output a success promises is there, else why


def prepared_ok(case, argv):
    path = os.path.join(case, "out", "dataset.json")
    if not os.path.isfile(path):
        return "exit 0 but out/dataset.json is missing"
    try:
        json.load(open(path))
    except ValueError:
        return "exit 0 but out/dataset.json is not JSON"
    return None


def figures_ok(case, argv):
    """After `histogram`: a PNG and an SVG that parses as XML (nothing to check after `verify`)."""
    if argv[1] != "histogram":
        return None
    try:
        with open(os.path.join(case, "figure.png"), "rb") as file:
            if file.read(8) != b"\x89PNG\r\n\x1a\n":
                return "exit 0 but figure.png is not a PNG"
        xml.etree.ElementTree.parse(os.path.join(case, "figure.svg"))
    except OSError as error:
        return f"exit 0 but a figure is missing ({error.strerror})"
    except xml.etree.ElementTree.ParseError as error:
        return f"exit 0 but figure.svg is not well-formed XML ({error})"
    return None


def shards_ok(case, argv):
    return None if os.path.isfile(os.path.join(case, "out", "partition.json")) else "exit 0 but no partition.json"


def files_under(corpus, folder, suffix):
    root = os.path.join(corpus, folder)
    found = []
    for directory, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(directory, name), root) for name in names if name.endswith(suffix)]
    return sorted(found)


def formats(corpus):
    cifar_args = ["--allow-short-batches", "--singles-per-class", "all", "--pairs-per-combination", "2,1,1",
                  "--seed", "0", "--workers", "1", "--quiet"]
    resize = ["--size", "16", "--workers", "1", "--quiet"]
    histogram = lambda b, c, rng: [f"{b}/fednc-shards", "histogram", f"{c}/in/shards", "--png", f"{c}/figure.png",
                                   "--svg", f"{c}/figure.svg"] + (["--normalize"] if rng.random() < 0.5 else [])
    verify = lambda b, c, rng: [f"{b}/fednc-shards", "verify", f"{c}/in/shards"]
    evaluate = lambda b, c, rng: [f"{b}/fednc-train", "evaluate", "--run", f"{c}/in/run", "--split",
                                  rng.choice(("test", "validation"))]
    return [
        Format("cifar10-folder", "cifar10/cifar-10-batches-bin",
               ["data_batch_1.bin", "data_batch_3.bin", "test_batch.bin", "batches.meta.txt"], BINARY_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-cifar10", "--raw", f"{c}/in", "--out", f"{c}/out"] + cifar_args,
               prepared_ok),
        Format("cifar10-tarball", "cifar10-tarball", ["cifar-10-binary.tar.gz"], TARBALL_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-cifar10", "--raw", f"{c}/in/cifar-10-binary.tar.gz", "--out",
                                  f"{c}/out"] + cifar_args, prepared_ok),
        Format("npz", "dermamnist", ["dermamnist.npz"], NPZ_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-medmnist", "--npz", f"{c}/in/dermamnist.npz", "--out", f"{c}/out",
                                  "--singles-per-class", "all", "--pairs-per-combination", "1,1,1", "--workers", "1",
                                  "--quiet"], prepared_ok),
        Format("voc-xml", "voc", files_under(corpus, "voc", ".xml")[:8], XML_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-voc", "--root", f"{c}/in/VOCdevkit/VOC2012", "--out", f"{c}/out"]
               + resize, prepared_ok),
        Format("voc-jpeg", "voc", files_under(corpus, "voc", ".jpg")[:8], JPEG_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-voc", "--root", f"{c}/in/VOCdevkit/VOC2012", "--out", f"{c}/out"]
               + resize, prepared_ok),
        Format("voc-lists", "voc", ["VOCdevkit/VOC2012/ImageSets/Main/train.txt",
                                    "VOCdevkit/VOC2012/ImageSets/Main/val.txt"], TEXT_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-voc", "--root", f"{c}/in/VOCdevkit/VOC2012", "--out", f"{c}/out"]
               + resize, prepared_ok),
        Format("cxr14-png", "chestxray14", files_under(corpus, "chestxray14", ".png")[:8], PNG_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-chestxray14", "--root", f"{c}/in/ChestXray14", "--out", f"{c}/out"] + resize,
               prepared_ok),
        Format("cxr14-csv", "chestxray14", ["ChestXray14/Data_Entry_2017_v2020.csv"], TEXT_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-chestxray14", "--root", f"{c}/in/ChestXray14", "--out", f"{c}/out"] + resize,
               prepared_ok),
        Format("cxr14-lists", "chestxray14", ["ChestXray14/train_val_list.txt", "ChestXray14/test_list.txt"], TEXT_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-chestxray14", "--root", f"{c}/in/ChestXray14", "--out", f"{c}/out"] + resize,
               prepared_ok),
        Format("safetensors", "pipeline", ["shards/client-000.safetensors", "prepared/train.safetensors"],
               SAFETENSORS_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-shards", "inspect", f"{c}/in/" + rng.choice(
                   ("shards/client-000.safetensors", "prepared/train.safetensors")), "--rows", "2"]),
        Format("partition-json", "pipeline", ["shards/partition.json"], JSON_MUTATIONS,
               lambda b, c, rng: (histogram if rng.random() < 0.7 else verify)(b, c, rng), figures_ok),
        Format("dataset-json", "pipeline", ["prepared/dataset.json"], JSON_MUTATIONS,
               lambda b, c, rng: [f"{b}/fednc-shards", "partition", "--dataset", f"{c}/in/prepared", "--out",
                                  f"{c}/out", "--clients", "3", "--alpha", "1", "--rho", "0.5", "--seed", "0",
                                  "--quiet"], shards_ok),
        Format("run-json", "pipeline", ["run/run.json"], JSON_MUTATIONS, evaluate),
        Format("checkpoint", "pipeline", CHECKPOINT_FILES, SAFETENSORS_MUTATIONS + JSON_MUTATIONS[:1], evaluate),
    ]


CHECKPOINT_FILES = []  # filled in by make_corpus from the run folder the trainer wrote


def link_copy(source, destination):
    """Copies a folder as hard links (fast; every file stays a regular file); mutated files are replaced, never
    written through, so the corpus is never changed."""
    shutil.copytree(source, destination, copy_function=os.link, symlinks=True)


def replace_file(path, data):
    os.unlink(path)
    with open(path, "wb") as file:
        file.write(data)


SPECIAL_FILE_SHARE = 0.04
SPECIAL_FILES = ("fifo", "folder", "link-to-dev-zero", "dangling-link", "empty-file")


def make_special_file(path, kind):
    """The input file replaced by something that is not a regular file (readers must refuse it, not wait on it or
    read it forever), or by an empty file."""
    os.unlink(path)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        os.mkdir(path)
    elif kind == "link-to-dev-zero":
        os.symlink("/dev/zero", path)
    elif kind == "dangling-link":
        os.symlink(path + ".missing", path)
    else:
        open(path, "wb").close()


def checked(argv, what):
    code, out, err, _ = run(argv, 600)
    if code != 0:
        sys.exit(f"fuzz: making the corpus failed at {what}: {shlex.join(argv)}\n{out}{err}")


def make_corpus(binaries, corpus):
    """Valid inputs of every format, from fednc-samples and the built tools (a few seconds)."""
    if os.path.exists(corpus):
        shutil.rmtree(corpus)
    os.makedirs(corpus)
    samples = f"{binaries}/fednc-samples"
    checked([samples, "cifar10", "--out", f"{corpus}/cifar10", "--per-class", "3", "--seed", "0"], "cifar10 samples")
    os.makedirs(f"{corpus}/cifar10-tarball")
    os.link(f"{corpus}/cifar10/cifar-10-binary.tar.gz", f"{corpus}/cifar10-tarball/cifar-10-binary.tar.gz")
    checked([samples, "dermamnist", "--out", f"{corpus}/dermamnist", "--per-class", "3", "--seed", "0"], "npz samples")
    checked([samples, "voc", "--out", f"{corpus}/voc", "--per-class", "1", "--train", "6", "--val", "4", "--width", "48",
             "--height", "32", "--seed", "0"], "VOC samples")
    checked([samples, "chestxray14", "--out", f"{corpus}/chestxray14", "--images", "12", "--size", "32", "--seed", "0"],
            "ChestX-ray14 samples")
    pipeline = f"{corpus}/pipeline"
    checked([f"{binaries}/fednc-cifar10", "--raw", f"{corpus}/cifar10/cifar-10-batches-bin", "--out",
             f"{pipeline}/prepared", "--allow-short-batches", "--singles-per-class", "all", "--pairs-per-combination",
             "2,1,1", "--seed", "0", "--quiet"], "the prepared dataset")
    checked([f"{binaries}/fednc-shards", "partition", "--dataset", f"{pipeline}/prepared", "--out", f"{pipeline}/shards",
             "--clients", "3", "--alpha", "1", "--rho", "0.5", "--seed", "0", "--quiet"], "the shards")
    checked([f"{binaries}/fednc-train", "--shards", f"{pipeline}/shards", "--out", f"{pipeline}/run", "--method",
             "fedavg", "--model", "linear", "--rounds", "1", "--input-size", "16", "--seed", "0"], "the run")
    CHECKPOINT_FILES[:] = [path for path in files_under(corpus, "pipeline/run", "") if path != "run.json"
                           and (path.endswith(".safetensors") or path.endswith("state.json"))]
    CHECKPOINT_FILES[:] = ["run/" + path for path in CHECKPOINT_FILES]
    if not CHECKPOINT_FILES:
        sys.exit("fuzz: the one-round run wrote no checkpoint files")
