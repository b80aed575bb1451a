#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Keeps the large, short-lived tensors of a training step on the malloc heap instead of fresh `mmap` pages.
///
/// glibc serves blocks above its mmap threshold (128 KiB, rising dynamically to at most 32 MiB) with `mmap` and
/// returns them with `munmap`, and trims the heap top above its trim threshold, so every step faulted in and
/// zero-filled its feature maps and gradients again (perf: ~9% of a CIFAR step's CPU in page faults, most of
/// the time no worker thread ran). With the mmap threshold at 1 GiB and the trim threshold at 2 GiB - 1, freed
/// blocks are reused. The peak resident size is unchanged (the same blocks are live at the peak); memory freed
/// after the peak stays with the process.
///
/// Applied once by `EngineThreads.configure()` (so by the first engine op), through `mallopt` looked up with
/// `dlsym` (the Glibc module does not export it). Set `FEDNC_MALLOC_TUNING=0` to leave the allocator alone.
/// Does nothing on other C libraries.
enum AllocatorTuning {
    /// True when both thresholds were set.
    static let applied: Bool = {
        #if os(Linux) && canImport(Glibc)
        if ProcessInfo.processInfo.environment["FEDNC_MALLOC_TUNING"] == "0" { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        return mallopt(mmapThreshold, 1 << 30) == 1 && mallopt(trimThreshold, Int32.max) == 1
        #else
        return false
        #endif
    }()
}
