/// Requests received and not yet answered, those of them the client cancelled, and those parked
/// until their document's results land (ParkedRequests.swift). Behind its own lock: `$/cancelRequest`
/// is read on the input thread, ahead of the messages queued before it.
struct RequestTracker: Sendable {
    var inFlight: Set<RequestID> = []
    var cancelled: Set<RequestID> = []
    var parked: [RequestID: ParkedRequest] = [:]

    /// Marks `id` cancelled if it is still in flight; returns whether it was.
    mutating func cancel(_ id: RequestID) -> Bool {
        guard inFlight.contains(id) else { return false }
        cancelled.insert(id)
        return true
    }

    mutating func finished(_ id: RequestID) {
        inFlight.remove(id)
        cancelled.remove(id)
    }
}
