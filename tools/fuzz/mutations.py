"""Mutations of FedNC's inputs for tools/fuzz/fuzz.py: each takes a seeded `random.Random` and the file's bytes and
returns new bytes. Generic ones (bit flips, interesting byte values, truncation, splices, insertions, huge fields)
and format-aware ones that keep CRCs, length prefixes and containers right so the change reaches the parser
(a tar inside gzip, .npy members inside a ZIP, PNG chunks, JPEG segments, safetensors headers, JSON, XML, lines)."""
import gzip
import io
import json
import zipfile
import zlib

INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF)
HUGE_NUMBERS = ("-1", "0", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999999", "1e308", "-0", "NaN", "1.5")


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
