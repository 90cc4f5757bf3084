import Foundation

/// Note analyses by note text (offsets relative to the note), so an edit re-runs only the notes it
/// changed. Bounded: past `capacity` entries, those unused for longest are dropped.
final class NoteCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (analysis: NoteAnalysis, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func get(_ text: String) -> NoteAnalysis? {
        lock.withLock {
            guard let e = entries[text] else { return nil }
            clock += 1
            entries[text] = (e.analysis, clock)
            return e.analysis
        }
    }

    func put(_ text: String, _ analysis: NoteAnalysis) {
        lock.withLock {
            clock += 1
            entries[text] = (analysis, clock)
            if entries.count > capacity {
                let keep = entries.sorted { $0.value.lastUse > $1.value.lastUse }.prefix(capacity * 3 / 4)
                entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
        }
    }

    var count: Int { lock.withLock { entries.count } }
}
