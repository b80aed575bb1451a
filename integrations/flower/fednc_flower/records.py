"""How FedNC's step files travel as Flower records.

A message (server -> node) and a reply (node -> server) are each one safetensors file written by `fednc-train`.
It travels unchanged as the bytes of one `Array` (dtype "uint8", shape (byte count,), stype "safetensors-file")
in the ArrayRecord "fednc-file"; the ConfigRecord "fednc" carries what the receiving Python side needs before it
can read the file (the client index, the step's round and kind) and, in a reply, "error" when the step failed.
"""

from flwr.app import Array, ArrayRecord, ConfigRecord, RecordDict

FILE_RECORD = "fednc-file"
FILE_ARRAY = "file"
INFO_RECORD = "fednc"
FILE_STYPE = "safetensors-file"


def pack(file_bytes: bytes | None, info: dict[str, int | str | bool]) -> RecordDict:
    """A RecordDict holding `file_bytes` (when given) and the `info` scalars."""
    records = RecordDict({INFO_RECORD: ConfigRecord(dict(info))})
    if file_bytes is not None:
        array = Array(dtype="uint8", shape=(len(file_bytes),), stype=FILE_STYPE, data=file_bytes)
        records[FILE_RECORD] = ArrayRecord({FILE_ARRAY: array})
    return records


def info(records: RecordDict) -> dict:
    """The "fednc" ConfigRecord's entries (empty when the record is absent)."""
    if INFO_RECORD not in records.config_records:
        return {}
    return dict(records.config_records[INFO_RECORD])


def file_bytes(records: RecordDict, sender: str) -> bytes:
    """The step file carried in `records`; `sender` names the other side in the error when it is absent."""
    if FILE_RECORD not in records.array_records or FILE_ARRAY not in records.array_records[FILE_RECORD]:
        raise ValueError(f"{sender} sent no FedNC step file (ArrayRecord {FILE_RECORD!r}): both sides must run "
                         "the same fednc-flower app version")
    array = records.array_records[FILE_RECORD][FILE_ARRAY]
    if array.stype != FILE_STYPE:
        raise ValueError(f"{sender} sent an array of stype {array.stype!r}, not {FILE_STYPE!r}")
    return array.data
