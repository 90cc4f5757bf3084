import ClinicCore
import JSON

// `$/progress` for long analyses, for clients that advertise `window.workDoneProgress`: the server
// asks the client to create a token, and sends begin, reports and end only once it has.
extension ClinicLanguageServer {
    func createProgress(uri: String, generation: Int) {
        let token = "clinic-lsp/analysis/\(generation)"
        jobs.withLock { b in
            guard b.jobs[uri]?.generation == generation else { return }
            b.jobs[uri]?.progress = ProgressReport(token: token)
        }
        _ = sendRequestToClient("window/workDoneProgress/create", .obj(["token": .string(token)])) { id in
            jobs.withLock { $0.progressRequests[id] = token }
        }
    }

    /// The client answered a create request: the token may be used (or, on an error, never).
    func progressCreated(requestID: Int, ok: Bool) {
        let (found, endedEarly) = jobs.withLock { b -> ((String, Int)?, (String, String)?) in
            guard let token = b.progressRequests.removeValue(forKey: requestID) else { return (nil, nil) }
            if let message = b.endedBeforeCreated.removeValue(forKey: token) { return (nil, ok ? (token, message) : nil) }
            for (uri, job) in b.jobs where job.progress?.token == token {
                if ok { b.jobs[uri]?.progress?.created = true } else { b.jobs[uri]?.progress = nil }
                return ((uri, job.generation), nil)
            }
            // No job holds the token: it finished or was superseded after its create request was sent, and
            // its `endProgress` has not recorded it yet (it will find the request gone and send nothing).
            return (nil, ok ? (token, "done") : nil)
        }
        // The job finished before the client made its token: the client still sees it begin and end.
        if let (token, message) = endedEarly { sendBeginAndEnd(token: token, message: message) }
        if ok, let (uri, generation) = found { worker.async { self.reportProgress(uri: uri, generation: generation) } }
    }

    static let progressReportMilliseconds = 500
    static let progressTitle = "Analysing clinic notes"

    /// Begins the job's progress, or reports how far it is (at most every `progressReportMilliseconds`).
    func reportProgress(uri: String, generation: Int) {
        let send = jobs.withLock { b -> (String, JSON)? in
            guard let job = b.jobs[uri], job.generation == generation, var p = job.progress, p.created else { return nil }
            if let last = p.lastReport, ContinuousClock.now - last < .milliseconds(Self.progressReportMilliseconds) { return nil }
            let total = max(job.notes.count, 1)
            let percentage = min(100, job.analysedCount * 100 / total)
            var value: JSON = .obj([
                "kind": .string(p.begun ? "report" : "begin"),
                "message": .string("\(job.analysedCount) of \(job.notes.count) notes"),
                "percentage": .int(percentage),
            ])
            if !p.begun {
                value["title"] = .string(Self.progressTitle)
                value["cancellable"] = false
            }
            p.begun = true
            p.lastReport = .now
            b.jobs[uri]!.progress = p
            return (p.token, value)
        }
        guard let (token, value) = send else { return }
        sendProgress(token: token, value)
    }

    /// Ends a finished, superseded or dropped job's progress: at once if it had begun, with a begin first if
    /// its token was made but no report was due yet, and when the client answers if the token is not made yet.
    func endProgress(_ job: AnalysisJob, message: String) {
        guard let p = job.progress else { return }
        if p.begun {
            sendProgress(token: p.token, .obj(["kind": "end", "message": .string(message)]))
        } else if p.created {
            sendBeginAndEnd(token: p.token, message: message)
        } else {
            jobs.withLock { b in
                if b.progressRequests.values.contains(p.token) { b.endedBeforeCreated[p.token] = message }
            }
        }
    }

    private func sendBeginAndEnd(token: String, message: String) {
        sendProgress(token: token, .obj(["kind": "begin", "title": .string(Self.progressTitle), "cancellable": false]))
        sendProgress(token: token, .obj(["kind": "end", "message": .string(message)]))
    }

    private func sendProgress(token: String, _ value: JSON) {
        output.send(RPCEnvelope.notification("$/progress", .obj(["token": .string(token), "value": value])))
    }
}
