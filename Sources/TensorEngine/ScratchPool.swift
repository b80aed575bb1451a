import Synchronization

/// Float scratch buffers reused across calls, so the per-worker im2col and GEMM buffers of every convolution do
/// not cost fresh pages (page faults) each step. Best fit: a request takes the smallest free buffer that is
/// large enough, else allocates. At most `retainedLimit` buffers are kept; extra ones are freed on release.
/// Contents of a buffer are unspecified when handed out. Thread-safe.
final class ScratchPool: Sendable {
    static let shared = ScratchPool()

    /// A free buffer: its address (pointers are not Sendable) and capacity in floats.
    private struct Block: Sendable {
        let address: Int
        let capacity: Int
    }

    private let free = Mutex<[Block]>([])
    private let retainedLimit = 16

    /// Calls `body` with a buffer of at least `count` floats (uninitialised), then returns it to the pool.
    func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<Float>) -> Result) -> Result {
        let block = acquire(count: max(count, 1))
        defer { release(block) }
        guard let pointer = UnsafeMutablePointer<Float>(bitPattern: block.address) else {
            preconditionFailure("scratch pool: null buffer")
        }
        return body(pointer)
    }

    private func acquire(count: Int) -> Block {
        let reused: Block? = free.withLock { blocks in
            var best: Int?
            for (index, block) in blocks.enumerated() where block.capacity >= count {
                if best.map({ block.capacity < blocks[$0].capacity }) ?? true { best = index }
            }
            return best.map { blocks.remove(at: $0) }
        }
        if let reused { return reused }
        let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        return Block(address: Int(bitPattern: pointer), capacity: count)
    }

    private func release(_ block: Block) {
        let evicted: Block? = free.withLock { blocks in
            blocks.append(block)
            guard blocks.count > retainedLimit else { return nil }
            // Drop the smallest: large buffers are the expensive ones to fault in again.
            var smallest = 0
            for index in blocks.indices where blocks[index].capacity < blocks[smallest].capacity { smallest = index }
            return blocks.remove(at: smallest)
        }
        if let evicted { UnsafeMutablePointer<Float>(bitPattern: evicted.address)?.deallocate() }
    }
}
