#!/usr/bin/env python3
"""Seeded mutation fuzzer over every FedNC reader (issue 16, "Fuzzing as a habit").

It makes valid inputs with `fednc-samples` and the built tools (a prepared dataset, shards, a one-round linear
run), then, for each format, copies the inputs, mutates one file (bit flips, byte values, truncation, splices,
insertions, huge numbers, deep nesting, format-aware edits that keep checksums right so the mutation reaches
the parser) and runs the real executable with a timeout. Now and then (4%) the file is replaced by a FIFO, a
folder, a link to /dev/zero, a dangling link or an empty file instead. Each case is one of:

  accepted  exit 0, and the output the command promises is there (else: unclean)
  clean     non-zero exit with an `error:` line that leaks no Swift internals
  crash     killed by a signal, or a crash report / backtrace / fatal error on stderr
  hang      still running at the timeout (killed)
  known     a crash, hang or unclean case matching KNOWN (a reported bug being fixed elsewhere)
  unclean   exit 0 without the promised output or with an `error:` line, a non-zero exit without an `error:`
            line, or an error that leaks Swift internals (NSCocoaErrorDomain, DecodingError, ...), prints a
            path twice or prints a raw control character such as ESC

The same seed gives the same mutations. Any crash, hang or unclean case not in KNOWN makes the exit status 1; each is kept
under WORK/failures/ and printed with the command that reproduces it. Standard library only.

Usage: tools/fuzz/fuzz.py [--seed 0] [--cases 10] [--formats a,b] [--bin DIR] [--work DIR] [--timeout S]
"""
import argparse
import gzip
import io
import json
import os
import random
import resource
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree
import zipfile
import zlib

LEAKS = ("NSCocoaErrorDomain", "NSPOSIXErrorDomain", "Error Domain=", "Swift.", "CodingKeys", "DecodingError",
         "numberIsNotRepresentableInSwift", "codingPath", "_GenericObjCError", "Foundation._")
CRASH_MARKERS = ("Fatal error", "Program crashed", "Crash at", "Backtrace", "Thread 0 crashed", "Segmentation fault",
                 "Illegal instruction", "Stack dump", "*** Signal", "Aborted", "Trace/breakpoint trap")
# Known, reported bugs in readers being fixed elsewhere (issue 16): a crash, hang or unclean case of this format
# ("*": any) and outcome whose "mutation reason stderr" text contains the given text counts as "known" and does not
# fail the run (unless --strict). Delete an entry when its fix lands, so the fuzzer guards it from then on.
LEAK = "issue 16 (rough edges 9): error messages leak Swift internals"
TWICE = "issue 16 (rough edges 9): error messages print the path twice"
KNOWN = (
    ("*", "hang", "fifo killed at the timeout", "issue 16 item 5: readers wait on a FIFO (cifar10 folder, npz, "
     "safetensors, checkpoint); every reader must refuse non-regular files"),
    ("cifar10-tarball", "crash", "killed by signal", "issue 16 item 2: the tarball hashing thread outlives main"),
    ("voc-xml", "crash", "deep_xml killed by signal 11", "issue 16 item 3: freeing a deeply nested annotation recurses"),
    ("run-json", "unclean", "DecodingError", LEAK + " (run.json)"),
    ("run-json", "unclean", "CodingKeys", LEAK + " (run.json)"),
    ("checkpoint", "unclean", "DecodingError", LEAK + " (checkpoint state.json)"),
    ("checkpoint", "unclean", "CodingKeys", LEAK + " (checkpoint state.json)"),
    ("checkpoint", "unclean", "prints a path twice", TWICE + " (safetensors reader)"),
    ("safetensors", "unclean", "prints a path twice", TWICE + " (safetensors reader)"),
    ("safetensors", "unclean", "numberIsNotRepresentableInSwift", LEAK + " (safetensors header)"),
    ("checkpoint", "unclean", "numberIsNotRepresentableInSwift", LEAK + " (safetensors header)"),
    ("voc-lists", "unclean", "raw control character", "issue 16 item 7: raw ESC sequences from list files"),
    ("cxr14-lists", "unclean", "raw control character", "issue 16 item 7: raw ESC sequences from list files"),
    ("cxr14-csv", "unclean", "raw control character", "issue 16 item 7: raw ESC sequences from list files"),
    ("npz", "unclean", "raw control character", "issue 16 item 7: control characters from an .npy header printed"),
    ("dataset-json", "unclean", "NSCocoaErrorDomain", LEAK + " (dataset.json that is a folder)"),
    ("partition-json", "unclean", "DecodingError", "issue 16 item 4: verify's partition.json reader"),
    ("dataset-json", "unclean", "DecodingError", LEAK + " (dataset.json)"),
)
INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF)
HUGE_NUMBERS = ("-1", "0", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999999", "1e308", "-0", "NaN", "1.5")


# ---------------------------------------------------------------- mutations (each: rng, bytes -> bytes)

def flip_bits(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def set_bytes(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.choice(INTERESTING_BYTES)
    return bytes(data)


def truncate(rng, data):
    return data[:rng.randrange(len(data))] if data else data


def splice(rng, data):
    """A random chunk of the file copied over (or inserted at) another position."""
    if len(data) < 2:
        return data + data
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, min(4096, len(data) - start))]
    at = rng.randrange(len(data))
    if rng.random() < 0.5:
        return data[:at] + chunk + data[at:]
    return data[:at] + chunk + data[at + len(chunk):]


def insert_random(rng, data):
    at = rng.randrange(len(data) + 1)
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))) + data[at:]


def huge_word(rng, data):
    """A 32- or 64-bit field set to a huge or negative value (binary formats)."""
    if len(data) < 8:
        return data + b"\xff" * 8
    width = rng.choice((4, 8))
    at = rng.randrange(len(data) - width + 1)
    value = rng.choice((b"\xff", b"\x7f", b"\x80"))
    return data[:at] + value * width + data[at + width:]


BINARY_MUTATIONS = (flip_bits, set_bytes, truncate, splice, insert_random, huge_word)


def huge_number(rng, data):
    """A number in the text replaced by a huge, negative, fractional or non-number value."""
    text = data.decode("latin-1")
    spans = []
    start = None
    for index, character in enumerate(text + " "):
        if character.isdigit():
            start = index if start is None else start
        elif start is not None:
            spans.append((start, index))
            start = None
    if not spans:
        return data + rng.choice(HUGE_NUMBERS).encode()
    start, end = rng.choice(spans)
    return (text[:start] + rng.choice(HUGE_NUMBERS) + text[end:]).encode("latin-1")


def mangle_lines(rng, data):
    """A line duplicated, dropped, emptied, swapped, or given a BOM, control characters, ESC or a huge length."""
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    choice = rng.randrange(7)
    if choice == 0:
        lines.insert(index, lines[index])
    elif choice == 1:
        del lines[index]
    elif choice == 2:
        lines[index] = b""
    elif choice == 3:
        other = rng.randrange(len(lines))
        lines[index], lines[other] = lines[other], lines[index]
    elif choice == 4:
        lines[0] = b"\xef\xbb\xbf" + lines[0]
    elif choice == 5:
        lines[index] += rng.choice((b"\x1b[31m", b"\x00", b"\r", b"\t", b"\x07", b"\xff\xfe", b"\x1b]0;x\x07"))
    else:
        lines[index] = lines[index] * rng.randint(100, 5000)
    return b"\n".join(lines)


TEXT_MUTATIONS = (huge_number, mangle_lines, flip_bits, truncate, splice, insert_random)


def deep_json(rng, data):
    depth = rng.choice((100, 1000, 20000, 100000))
    text = data.decode("utf-8", "replace")
    at = text.find(":", rng.randrange(max(1, len(text))))
    if at < 0:
        return ("[" * depth + "]" * depth).encode()
    end = at + 1
    return (text[:end] + "[" * depth + "0" + "]" * depth + "," + text[end:]).encode()


def json_edit(rng, data):
    """One field of the JSON document replaced by a value of another type or size, or removed."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # not JSON any more, or nested too deep for Python
        return huge_number(rng, data)
    paths = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + [key])
        elif isinstance(node, list):
            for index, value in enumerate(node[:50]):
                walk(value, path + [index])
    walk(document, [])
    path = rng.choice(paths[1:] or paths)
    if not path:
        return json.dumps(rng.choice((None, [], 0, "x"))).encode()
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    replacement = rng.choice((None, -1, 0, 2**63, -2**63 - 1, 1e300, -1e-300, 0.5, "", "x" * 1000, "../../etc/passwd",
                              "/etc/passwd", [], [1] * 300, {}, True, "\u001b[31m", "inf", "nan"))
    if rng.random() < 0.2 and isinstance(parent, dict):
        del parent[key]
    elif rng.random() < 0.2 and isinstance(parent[key], list):
        parent[key] = parent[key][:-1] if rng.random() < 0.5 else parent[key] + parent[key][-1:]
    else:
        parent[key] = replacement
    return json.dumps(document, indent=1).encode()


JSON_MUTATIONS = (json_edit, json_edit, json_edit, huge_number, deep_json, flip_bits, truncate, splice)


def deep_xml(rng, data):
    depth = rng.choice((100, 1000, 20000, 60000))
    text = data.decode("utf-8", "replace")
    at = text.find("<object>")
    at = at if at >= 0 else max(0, text.rfind("</annotation>"))
    return (text[:at] + "<a>" * depth + "</a>" * depth + text[at:]).encode()


def xml_edit(rng, data):
    """An element's text changed, an element dropped or duplicated, an entity or a comment inserted."""
    text = data.decode("utf-8", "replace")
    choice = rng.randrange(5)
    tags = [index for index in range(len(text)) if text.startswith("<", index) and not text.startswith("</", index)]
    if not tags:
        return huge_number(rng, data)
    at = rng.choice(tags)
    if choice == 0:
        return (text[:at] + "<!-- " + "x" * rng.randint(0, 100) + " -->" + text[at:]).encode()
    if choice == 1:
        return (text[:at] + rng.choice(("&amp;", "&lt;", "&#0;", "&#x110000;", "&bogus;", "<![CDATA[x]]>", "<?pi?>"))
                + text[at:]).encode()
    if choice == 2:
        return text.replace(rng.choice(("<name>", "<difficult>", "<object>", "<filename>")), "<x>", 1).encode()
    if choice == 3:
        name_end = text.find(">", at)
        return (text[:name_end] + " attr=\"" + "y" * 10 + "\"" + text[name_end:]).encode()
    return huge_number(rng, data)


XML_MUTATIONS = (xml_edit, xml_edit, huge_number, deep_xml, flip_bits, truncate, splice, mangle_lines)


def png_chunk_edit(rng, data):
    """Bytes changed inside one PNG chunk, with its CRC recomputed so the decoder goes past the check."""
    chunks = []
    offset = 8
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset:offset + 4], "big")
        if offset + 12 + length > len(data):
            break
        chunks.append((offset, length))
        offset += 12 + length
    if not chunks:
        return flip_bits(rng, data)
    offset, length = rng.choice(chunks)
    body = bytearray(data[offset + 4:offset + 8 + length])
    if rng.random() < 0.3 and data[offset + 4:offset + 8] == b"IDAT":
        body = body[:4] + zlib.compress(bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000))))
    else:
        for _ in range(rng.randint(1, 4)):
            position = 4 + rng.randrange(max(1, len(body) - 4)) if len(body) > 4 else 0
            body[position % len(body)] = rng.choice(INTERESTING_BYTES + (rng.randrange(256),))
    new_length = len(body) - 4
    crc = zlib.crc32(bytes(body)).to_bytes(4, "big")
    return data[:offset] + new_length.to_bytes(4, "big") + bytes(body) + crc + data[offset + 12 + length:]


PNG_MUTATIONS = (png_chunk_edit, png_chunk_edit, flip_bits, set_bytes, truncate, splice, huge_word)


def jpeg_edit(rng, data):
    """A marker segment's length or a header field changed (SOF sizes, Huffman/quantisation tables)."""
    markers = [index for index in range(2, len(data) - 4) if data[index] == 0xFF and 0xC0 <= data[index + 1] <= 0xFE]
    if not markers:
        return flip_bits(rng, data)
    at = rng.choice(markers) + 2 + rng.randrange(8)
    data = bytearray(data)
    if at < len(data):
        data[at] = rng.choice(INTERESTING_BYTES + (rng.randrange(256),))
    return bytes(data)


JPEG_MUTATIONS = (jpeg_edit, jpeg_edit, flip_bits, set_bytes, truncate, splice, huge_word)


def safetensors_header_edit(rng, data):
    """The JSON header edited (shapes, dtypes, offsets) with its length prefix kept right."""
    if len(data) < 8:
        return data
    length = int.from_bytes(data[:8], "little")
    header = data[8:8 + length]
    edited = json_edit(rng, header)
    if rng.random() < 0.2:
        return len(edited).to_bytes(8, "little")[:rng.randrange(1, 8)] + edited
    return len(edited).to_bytes(8, "little") + edited + data[8 + length:]


SAFETENSORS_MUTATIONS = (safetensors_header_edit, safetensors_header_edit, huge_word, flip_bits, truncate, splice)


def gzip_member_edit(rng, data):
    """The tar inside the gzip mutated (headers or a member's bytes), then compressed again, CRC right."""
    try:
        tar = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return flip_bits(rng, data)
    headers = list(range(0, len(tar), 512))
    if rng.random() < 0.5:
        block = rng.choice(headers[:64])
        tar = bytearray(tar)
        field = rng.choice(((124, 12), (100, 8), (148, 8), (156, 1), (0, 100), (345, 155)))
        start, size = field
        tar[block + start:block + start + size] = rng.choice((b"7" * size, b"\x00" * size, b"0" * (size - 1) + b"\x00",
                                                              bytes(rng.randrange(256) for _ in range(size))))
        tar = bytes(tar)
    else:
        tar = rng.choice((flip_bits, set_bytes, truncate, splice, huge_word))(rng, tar)
    return gzip.compress(tar, mtime=0)


TARBALL_MUTATIONS = (gzip_member_edit, gzip_member_edit, gzip_member_edit, flip_bits, truncate, splice)


def npz_member_edit(rng, data):
    """One .npy member mutated (header dict, shape, dtype or data) and the ZIP written again, CRCs right."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return flip_bits(rng, data)
    index = rng.randrange(len(members))
    info, content = members[index]
    if rng.random() < 0.5 and content.startswith(b"\x93NUMPY"):
        header_end = content.find(b"\n", 10)
        header = content[10:header_end]
        header = rng.choice((huge_number, huge_number, flip_bits, truncate, insert_random))(rng, header)
        content = content[:8] + len(header + b"\n").to_bytes(2, "little") + header + content[header_end:]
    else:
        content = rng.choice((flip_bits, truncate, splice, huge_word))(rng, content)
    members[index] = (info, content)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for member_info, member_content in members:
            archive.writestr(member_info, member_content, compress_type=member_info.compress_type)
    return output.getvalue()


NPZ_MUTATIONS = (npz_member_edit, npz_member_edit, npz_member_edit, flip_bits, truncate, splice, huge_word)


# ---------------------------------------------------------------- formats

class Format:
    """A reader under test: which base folder a case copies, which file it mutates, how, and the command."""

    def __init__(self, name, base, targets, mutations, command, promised=None, timeout=None):
        self.name = name
        self.base = base            # folder (relative to the corpus) copied into each case
        self.targets = targets      # glob-free relative paths inside the copy; one is mutated
        self.mutations = mutations
        self.command = command      # (bin, case folder, rng) -> argv
        self.promised = promised    # (case folder, argv) -> None if the output a success promises is there, else why
        self.timeout = timeout


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


# ---------------------------------------------------------------- running

MEMORY_LIMIT = 4 << 30


def limit_memory():
    """Caps a case's address space at 4 GiB, so a reader that reads /dev/zero or a huge size field fails (and is
    reported) instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(argv, timeout, cwd=None):
    """(returncode or None on timeout, stdout, stderr, seconds); the whole process group is killed on timeout."""
    start = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               cwd=cwd, start_new_session=True, preexec_fn=limit_memory)
    try:
        out, err = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        out, err = process.communicate()
        code = None
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start


def classify(code, err, promised, case, argv):
    """(outcome, reason)."""
    if code is None:
        return "hang", "killed at the timeout"
    if code < 0:
        return "crash", f"killed by signal {-code}"
    marker = next((m for m in CRASH_MARKERS if m in err), None)
    if marker:
        return "crash", f"exit {code} with '{marker}' on stderr"
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    leak = next((leak for leak in LEAKS if leak in err), None)
    if code == 0:
        if error_lines:
            return "unclean", "exit 0 with an error: line"
        why = promised(case, argv) if promised else None
        return ("unclean", why) if why else ("accepted", "")
    if not error_lines:
        return "unclean", f"exit {code} without an error: line"
    if leak:
        return "unclean", f"the error leaks '{leak}'"
    if any(ord(character) < 0x20 and character != "\t" or ord(character) == 0x7F for character in "".join(error_lines)):
        return "unclean", "the error prints a raw control character (escape it)"
    for line in error_lines:
        paths = [word.rstrip(":,;)") for word in line.split() if word.startswith("/")]
        if len(paths) != len(set(paths)):
            return "unclean", "the error prints a path twice"
    return "clean", ""


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=10, help="cases per format (default 10)")
    parser.add_argument("--formats", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--bin", default=None, help="built executables (default: swift build -c release --show-bin-path)")
    parser.add_argument("--work", default=None, help="scratch folder (default: .build/fuzz-SEED in the repository)")
    parser.add_argument("--timeout", type=float, default=10,
                        help="seconds before a case counts as a hang (default 10; a case takes about 0.1 s)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and failures")
    parser.add_argument("--strict", action="store_true", help="count KNOWN bugs as failures too")
    arguments = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binaries = arguments.bin or os.environ.get("FEDNC_BIN_DIR") or subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, capture_output=True, text=True,
        check=True).stdout.strip()
    binaries = os.path.abspath(binaries)
    work = os.path.abspath(arguments.work or os.path.join(root, ".build", f"fuzz-{arguments.seed}"))
    corpus, cases, failures = f"{work}/corpus", f"{work}/cases", f"{work}/failures"
    for folder in (cases, failures):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    selected = [name for name in arguments.formats.split(",") if name]
    names = [fmt.name for fmt in formats("/nonexistent")]
    if set(selected) - set(names):
        sys.exit(f"fuzz: unknown format(s) {', '.join(sorted(set(selected) - set(names)))}; choose from {', '.join(names)}")
    started = time.monotonic()
    make_corpus(binaries, corpus)
    table = []
    bad, known_cases = [], []
    for fmt in formats(corpus):
        if selected and fmt.name not in selected:
            continue
        counts = dict.fromkeys(("accepted", "clean", "crash", "hang", "unclean", "known"), 0)
        slowest = 0.0
        for index in range(arguments.cases):
            rng = random.Random(f"{arguments.seed}/{fmt.name}/{index}")
            case = f"{cases}/{fmt.name}-{index:04d}"
            link_copy(f"{corpus}/{fmt.base}", f"{case}/in")
            target = rng.choice(fmt.targets)
            path = f"{case}/in/{target}"
            original = open(path, "rb").read()
            if rng.random() < SPECIAL_FILE_SHARE:
                applied = rng.choice(SPECIAL_FILES)
                make_special_file(path, applied)
            else:
                mutations = [rng.choice(fmt.mutations)]
                if rng.random() < 0.25:  # a second mutation now and then
                    mutations.append(rng.choice(fmt.mutations))
                mutated = original
                for mutation in mutations:
                    mutated = mutation(rng, mutated)
                applied = "+".join(mutation.__name__ for mutation in mutations)
                replace_file(path, mutated)
            argv = fmt.command(binaries, case, rng)
            code, out, err, seconds = run(argv, fmt.timeout or arguments.timeout)
            slowest = max(slowest, seconds)
            outcome, reason = classify(code, err, fmt.promised, case, argv)
            haystack = f"{applied} {reason}\n{err}"
            known = next((entry for entry in KNOWN if entry[0] in ("*", fmt.name) and entry[1] == outcome
                          and entry[2] in haystack), None)
            if known and not arguments.strict:
                outcome, reason = "known", f"{outcome}: {known[3]}"
            counts[outcome] += 1
            if outcome in ("crash", "hang", "unclean", "known"):
                kept = f"{failures}/{fmt.name}-{index:04d}"
                shutil.rmtree(f"{case}/out", ignore_errors=True)
                os.rename(case, kept)
                argv = [part.replace(case, kept) for part in argv]
                with open(f"{kept}/stderr.txt", "w") as file:
                    file.write(err)
                (known_cases if outcome == "known" else bad).append(
                    (fmt.name, index, outcome, reason, applied, f"{kept}/in/{target}", argv,
                     err.strip().splitlines()[-3:]))
            else:
                shutil.rmtree(case)
            if not arguments.quiet:
                print(f"  {fmt.name} #{index}: {outcome:<8} {applied} on {target} ({seconds:.2f} s)"
                      + (f": {reason}" if reason else ""), file=sys.stderr)
        table.append((fmt.name, arguments.cases, counts, slowest))
    print(f"fuzz: seed {arguments.seed}, {arguments.cases} cases per format, {time.monotonic() - started:.0f} s "
          f"(binaries: {binaries})")
    columns = ("accepted", "clean", "crash", "hang", "unclean", "known")
    print(f"{'format':<16}{'cases':>6}" + "".join(f"{column:>9}" for column in columns) + f"{'slowest':>9}")
    for name, total, counts, slowest in table:
        print(f"{name:<16}{total:>6}" + "".join(f"{counts[column]:>9}" for column in columns) + f"{slowest:>8.1f}s")
    if known_cases:
        print(f"fuzz: {len(known_cases)} case(s) hit known, reported bugs (KNOWN in {os.path.relpath(__file__, root)}); "
              f"inputs under {failures}" + ("" if arguments.quiet else ":"))
        if not arguments.quiet:
            for name, index, _, reason, mutation, input_path, argv, _ in known_cases:
                print(f"  {name} case {index} ({mutation}): {reason}\n    reproduce: {shlex.join(argv)}")
    for name, index, outcome, reason, mutation, input_path, argv, tail in bad:
        print(f"\n{outcome.upper()}: {name} case {index} ({mutation}): {reason}\n  input: {input_path}\n"
              f"  reproduce: {shlex.join(argv)}")
        for line in tail:
            print(f"  | {line}")
    if bad:
        print(f"\nfuzz: {len(bad)} failing case(s); inputs kept under {failures}")
        return 1
    shutil.rmtree(cases, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
