/// A patient's notes in the order of their visits: by visit date where the notes give one, an undated
/// note taking the date of the nearest dated note of the same patient above it (so notes without dates
/// keep document order, and a document of undated notes is in document order).
public enum VisitOrder {
    public struct Visit: Sendable, Equatable {
        /// Index of the note's analysis in the document's analyses.
        public var position: Int
        /// The date the note itself gives.
        public var date: VisitDate?
        /// The date it is ordered by (its own, else carried down from above).
        public var orderDate: VisitDate?
    }

    /// The visits of each identified patient (the notes above a document's first header are nobody's)
    /// among the analyses `include` keeps, in visit order. One pass over the analyses, then a sort of
    /// each patient's kept visits where they are not in order already.
    public static func timelines(_ analyses: [NoteAnalysis], include: (NoteAnalysis) -> Bool) -> [PatientRef.Identity: [Visit]] {
        var out: [PatientRef.Identity: [Visit]] = [:]
        var lastDate: [PatientRef.Identity: VisitDate] = [:]
        // The patient of the previous note and its carried date, so a run of one patient's notes costs
        // no table look-up per note.
        var current: PatientRef.Identity?
        var currentDate: VisitDate?
        for (i, a) in analyses.enumerated() {
            let who = a.patient.identity
            if who == .unknown { continue }
            if who != current {
                if let current, let currentDate { lastDate[current] = currentDate }
                current = who
                currentDate = lastDate[who]
            }
            if let d = a.visit.date { currentDate = d }
            guard include(a) else { continue }
            out[who, default: []].append(Visit(position: i, date: a.visit.date, orderDate: currentDate))
        }
        for (who, visits) in out where !isOrdered(visits) {
            out[who] = visits.sorted { before($0, $1) }
        }
        return out
    }

    /// Visit order: by order date (none first), then document order.
    static func before(_ a: Visit, _ b: Visit) -> Bool {
        switch (a.orderDate, b.orderDate) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        default: return a.position < b.position
        }
    }

    static func isOrdered(_ visits: [Visit]) -> Bool {
        zip(visits, visits.dropFirst()).allSatisfy { !before($1, $0) }
    }
}
