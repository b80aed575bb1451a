/// How many singles to take per class: every source in order, or `count` after a shuffle.
public enum SinglesPerClass: Sendable, Equatable, CustomStringConvertible {
    case all
    case count(Int)

    /// Parses `all` or a non-negative integer.
    public init?(_ text: String) {
        if text == "all" { self = .all; return }
        guard let value = Int(text), value >= 0 else { return nil }
        self = .count(value)
    }

    public var description: String {
        switch self {
        case .all: "all"
        case let .count(value): String(value)
        }
    }
}

/// One source image placed on the composite canvas: its top-left corner in canvas pixels.
public struct CompositePlacement: Sendable, Equatable {
    public let source: Int
    public let top: Int
    public let left: Int

    public init(source: Int, top: Int, left: Int) {
        self.source = source
        self.top = top
        self.left = left
    }
}

/// One composite record: a single (one class, one placement) or a pair (classes a < b; placements in drawing
/// order, top-left image first). `sources` = (class-a source, class-b source), or (source, -1) for a single.
public struct CompositeRecord: Sendable, Equatable {
    /// The record's classes, ascending (1 or 2 entries).
    public let classes: [Int]
    public let placements: [CompositePlacement]
    public let sources: (Int64, Int64)

    public init(classes: [Int], placements: [CompositePlacement], sources: (Int64, Int64)) {
        self.classes = classes
        self.placements = placements
        self.sources = sources
    }

    public static func == (lhs: CompositeRecord, rhs: CompositeRecord) -> Bool {
        lhs.classes == rhs.classes && lhs.placements == rhs.placements && lhs.sources == rhs.sources
    }
}

/// The whole composite split, decided up front (cheap) so that pixel production can run in parallel.
public struct CompositePlan: Sendable {
    /// Singles (class ascending, selection order), then pairs (a < b lexicographic, P each).
    public let records: [CompositeRecord]
    /// Canvas size: twice the source on each axis.
    public let canvasHeight: Int
    public let canvasWidth: Int
    /// Classes that had fewer sources than the requested singles (all of them were used), for a warning.
    public let shortClasses: [(classIndex: Int, available: Int)]

    public init(records: [CompositeRecord], canvasHeight: Int, canvasWidth: Int,
                shortClasses: [(classIndex: Int, available: Int)]) {
        self.records = records
        self.canvasHeight = canvasHeight
        self.canvasWidth = canvasWidth
        self.shortClasses = shortClasses
    }
}
