import Foundation

/// Writes a safetensors file row by row without holding the dataset in memory.
///
/// Declare each tensor with its dtype and row shape (every dimension but the leading one), then append rows in
/// order; the leading dimension is the number of rows appended. `finish()` writes the final file: header, then
/// every tensor's bytes in the layout order of `SafetensorsHeader` (dtype width descending, then name), through a
/// temporary sibling renamed onto the destination. Until then each tensor's rows go to a spill file in the
/// destination's folder (buffered 4 MiB at a time), unlinked as soon as it is created so that nothing is left
/// even if the process is killed; `finish()` concatenates them with in-kernel copies. `cancel()`, a failed
/// `finish()` or deinit release everything. Not thread-safe: one writer per task.
///
/// ```swift
/// let writer = try SafetensorsWriter(destination: url, metadata: ["split": "train"])
/// try writer.declare("images", dtype: .uint8, rowShape: [64, 64, 3])
/// try writer.append("images", rows: pixels)   // 64 * 64 * 3 * k bytes for k records
/// try writer.finish()
/// ```
public final class SafetensorsWriter {
    /// Where `finish()` puts the file.
    public let destination: URL
    /// The `__metadata__` written into the header.
    public let metadata: [String: String]

    private struct Declared {
        let dtype: TensorDType
        let rowShape: [Int]
        let rowByteCount: Int
        let spill: SpillFile
        var rowCount = 0
    }

    private var declared: [String: Declared] = [:]
    private var isOpen = true

    /// A writer for `destination` (its folder must exist; an existing file is replaced on `finish()`).
    public init(destination: URL, metadata: [String: String] = [:]) {
        self.destination = destination
        self.metadata = metadata
    }

    deinit { cancel() }

    /// Declares tensor `name` with elements of `dtype` and shape `[rows] + rowShape`. Creates its spill file.
    /// Names must be unique and not `__metadata__`; dimensions must be non-negative (programmer errors).
    public func declare(_ name: String, dtype: TensorDType, rowShape: [Int]) throws(SafetensorsError) {
        precondition(isOpen, "SafetensorsWriter.declare after finish or cancel")
        precondition(declared[name] == nil, "tensor \(name) declared twice")
        precondition(name != Safetensors.metadataKey && !name.isEmpty, "invalid tensor name '\(name)'")
        precondition(rowShape.allSatisfy { $0 >= 0 }, "negative dimension in row shape \(rowShape) of \(name)")
        let spill = try SpillFile(besides: destination, purpose: "spill")
        declared[name] = Declared(dtype: dtype, rowShape: rowShape,
                                  rowByteCount: rowShape.reduce(1, *) * dtype.byteWidth, spill: spill)
    }

    /// Appends whole rows to tensor `name`: `rows.count` must be a multiple of the row's byte count
    /// (`product(rowShape) * dtype.byteWidth`); the bytes are little-endian elements, row-major.
    public func append(_ name: String, rows: UnsafeRawBufferPointer) throws(SafetensorsError) {
        precondition(isOpen, "SafetensorsWriter.append after finish or cancel")
        guard var tensor = declared[name] else { preconditionFailure("tensor \(name) was not declared") }
        let newRows: Int
        if tensor.rowByteCount == 0 {
            precondition(rows.isEmpty, "\(name) has zero-size rows; use appendEmptyRows")
            newRows = 0
        } else {
            precondition(rows.count % tensor.rowByteCount == 0,
                         "\(rows.count) bytes are not whole rows of \(name) (\(tensor.rowByteCount) bytes each)")
            newRows = rows.count / tensor.rowByteCount
        }
        do {
            try tensor.spill.append(rows)
        } catch {
            cancel()
            throw error
        }
        tensor.rowCount += newRows
        declared[name] = tensor
    }

    /// Appends whole rows given as Swift values; `Scalar.tensorDType` must be the declared dtype.
    public func append<Scalar: SafetensorsScalar>(_ name: String, rows values: [Scalar]) throws(SafetensorsError) {
        precondition(declared[name]?.dtype == Scalar.tensorDType,
                     "\(name) is not declared as \(Scalar.tensorDType)")
        let outcome = values.withUnsafeBytes { raw in
            Result { () throws(SafetensorsError) in try append(name, rows: raw) }
        }
        try outcome.get()
    }

    /// Adds `count` rows to a tensor whose rows hold zero bytes (a zero in `rowShape`).
    public func appendEmptyRows(_ name: String, count: Int) {
        guard var tensor = declared[name], tensor.rowByteCount == 0, count >= 0 else {
            preconditionFailure("appendEmptyRows needs a declared tensor with zero-size rows")
        }
        tensor.rowCount += count
        declared[name] = tensor
    }

    /// Rows appended so far to tensor `name` (its leading dimension), or `nil` if it was not declared.
    public func rowCount(of name: String) -> Int? { declared[name]?.rowCount }

    /// Writes the file and removes the temporaries; returns its size in bytes. On failure nothing is left behind
    /// (neither the destination nor temporaries) and the writer is closed.
    @discardableResult
    public func finish() throws(SafetensorsError) -> Int {
        precondition(isOpen, "SafetensorsWriter.finish after finish or cancel")
        defer { cancel() }
        let header = SafetensorsHeader.layout(
            metadata: metadata,
            tensors: declared.map { ($0.key, $0.value.dtype, [$0.value.rowCount] + $0.value.rowShape) })
        let output = try TemporarySibling(of: destination)
        do {
            let prefix = header.encodedPrefix()
            try output.file.write(prefix)
            for name in header.dataOrder {
                guard let tensor = declared[name] else { continue }
                try tensor.spill.flush()
                try output.file.append(contentsOf: tensor.spill.file, byteCount: tensor.spill.byteCount)
            }
            try output.commit()
            return prefix.count + header.dataByteCount
        } catch {
            output.discard()
            throw error
        }
    }

    /// Abandons the file: removes every temporary file and closes the writer. Safe to call more than once.
    public func cancel() {
        isOpen = false
        for tensor in declared.values { tensor.spill.remove() }
        declared = [:]
    }
}
