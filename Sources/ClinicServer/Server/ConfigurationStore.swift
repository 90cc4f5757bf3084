import ClinicCore
import JSON

/// The configuration that applies to a set of documents (those sharing a project file).
struct ResolvedConfiguration: Sendable {
    var settings: ServerSettings
    /// nil while the model it needs is still loading.
    var engine: (any ClinicEngine)?
}

enum ModelState: Sendable {
    case loading
    case loaded(any ModelHandle)
    case failed
}

/// Where settings come from and what they resolved to: the client's settings, project files read,
/// the configuration per project file and the models loaded (see Configuration.swift).
struct ConfigurationStore: Sendable {
    /// initializationOptions, overlaid by the latest workspace/didChangeConfiguration settings.
    var initializationSettings: JSON = .object(JSONObject())
    var changedSettings: JSON = .object(JSONObject())
    /// Project files read so far, by path.
    var projectFiles: [String: ProjectFileEntry] = [:]
    /// Keyed by project file path ("" for none).
    var resolved: [String: ResolvedConfiguration] = [:]
    var models: [String: ModelState] = [:]
}
