/// What the server knows, in parts with one job each, behind one lock (`ClinicLanguageServer.state`)
/// so that a request's snapshot (`documentContext`) is read in one step. Requests received and
/// parked are kept apart, in `RequestTracker`, as are the worker's jobs (`JobBoard`).
struct ServerState: Sendable {
    var session = ClientSession()
    var documents = DocumentStore()
    var config = ConfigurationStore()
}
