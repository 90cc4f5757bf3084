import ClinicCore
import JSON

extension ClinicLanguageServer {
    /// The configuration for documents under `projectFile` (nil: no project file), built on first
    /// use from the client's settings overlaid by the project file. Starts loading the model it needs.
    func configuration(forProjectFile file: String?) -> ResolvedConfiguration {
        let key = file ?? ""
        if let cached = state.withLock({ $0.config.resolved[key] }) { return cached }

        var problems: [String] = []
        var section = state.withLock { SettingsJSON.merge($0.config.initializationSettings, $0.config.changedSettings) }
        // The project file's `model`, when it has one, is relative to the project file's folder.
        var modelSettingsFile: String?
        if let file {
            switch projectSettings(file) {
            case .success(let project):
                section = SettingsJSON.merge(section, project)
                if !project["model"].isNull { modelSettingsFile = file }
            case .failure(let problem): problems.append(problem.message)
            }
        }
        let (settings, clinicSection, settingProblems) = ServerSettings.parse(section, path: "clinic")
        problems += settingProblems
        let clinic = factory.read(settings: clinicSection)

        var engine: (any ClinicEngine)?
        if let modelPath = factory.modelPath(explicit: options.modelPath, settings: clinic, settingsFile: modelSettingsFile) {
            let variant = factory.modelVariant(settings: clinic)
            let key = variant.isEmpty ? modelPath : modelPath + " (" + variant + ")"
            let model = state.withLock { s -> ModelState? in
                let current = s.config.models[key]
                if current == nil { s.config.models[key] = .loading }
                return current
            }
            switch model {
            case nil:
                loadModel(at: modelPath, key: key, settings: clinic)
            case .loading:
                break
            case .loaded(let handle):
                engine = buildEngine(clinic, handle, &problems)
            case .failed:
                engine = buildEngine(clinic, nil, &problems)
            }
        } else {
            showMessage(.warning, "clinic-lsp found no model (set clinic.model, CLINIC_LSP_MODEL or --model); "
                + "only the pattern plugins run.")
            engine = buildEngine(clinic, nil, &problems)
        }
        reportSettingProblems(problems)
        let resolved = ResolvedConfiguration(settings: settings, engine: engine)
        state.withLock { $0.config.resolved[key] = resolved }
        return resolved
    }

    /// Settings problems as one message, however many there are (a settings object of 20,000 unknown
    /// keys is one popup, not 20,000): the first few named, the rest counted and written to the log.
    func reportSettingProblems(_ problems: [String]) {
        guard !problems.isEmpty else { return }
        let shown = 5
        for problem in problems.prefix(50) { logger.warning("setting \(problem) (ignored)") }
        if problems.count > 50 { logger.warning("\(problems.count - 50) more settings ignored") }
        guard problems.count > 1 else {
            showMessage(.warning, "clinic-lsp setting \(Self.clipped(problems[0])) (ignored; the other settings apply)")
            return
        }
        var list = problems.prefix(shown).map(Self.clipped).joined(separator: "; ")
        if problems.count > shown { list += "; and \(problems.count - shown) more (see the log)" }
        showMessage(.warning, "clinic-lsp ignored \(problems.count) settings (the other settings apply): \(list)")
    }

    /// A problem cut to a length a popup can show (a key can be a megabyte long).
    static func clipped(_ problem: String) -> String {
        problem.count <= 300 ? problem : String(problem.prefix(300)) + "…"
    }

    /// The engine, with the clinic settings' problems added: they are reported when an engine is built, once
    /// the model it needs has loaded (or is known to be missing).
    private func buildEngine(_ clinic: EngineSettings, _ model: (any ModelHandle)?, _ problems: inout [String]) -> any ClinicEngine {
        problems += clinic.problems
        return factory.makeEngine(settings: clinic, model: model)
    }

    private func projectSettings(_ file: String) -> Result<JSON, SettingsProblem> {
        if let cached = state.withLock({ $0.config.projectFiles[file] }) {
            return cached.settings.map { .success($0) } ?? .failure(SettingsProblem("\(file) cannot be used"))
        }
        let contents = ProjectSettings.contents(file)
        let result = ProjectSettings.read(file, contents: contents)
        state.withLock { $0.config.projectFiles[file] = ProjectFileEntry(contents: contents, settings: try? result.get()) }
        return result
    }

    /// Loads the model at `path` into `models[key]`.
    private func loadModel(at path: String, key: String, settings: EngineSettings) {
        modelLoader.async {
            let started = ContinuousClock.now
            let outcome: Result<any ModelHandle, any Error>
            do { outcome = .success(try self.factory.loadModel(at: path, settings: settings)) } catch { outcome = .failure(error) }
            let elapsed = ContinuousClock.now - started
            self.messages.async {
                switch outcome {
                case .success(let handle):
                    self.logger.info("model loaded from \(key) in \(elapsed)")
                    self.state.withLock { $0.config.models[key] = .loaded(handle) }
                case .failure(let error):
                    self.logger.error("model at \(path) failed to load: \(error)")
                    self.state.withLock { $0.config.models[key] = .failed }
                    self.showMessage(.error, "clinic-lsp cannot load the model at \(path): \(error). "
                        + "Only the pattern plugins run.")
                }
                self.settingsChanged()
                // Requests that waited for an engine: hints for a range are computed now, pulls wait on.
                self.retryParked(uri: nil)
            }
        }
    }

    /// Forgets every resolved configuration and re-analyses open documents under the new ones.
    func settingsChanged() {
        state.withLock { s in
            s.config.resolved = [:]
            for uri in s.documents.open.keys { s.documents[uri]!.analysis = nil }
        }
        jobs.withLock { b in
            b.epoch += 1
            b.noteResults = [:]
        }
        for uri in state.withLock({ Array($0.documents.open.keys) }) {
            scheduleAnalysis(uri, delayMilliseconds: 0)
        }
    }

    func applyClientSettings(_ settings: JSON) {
        state.withLock { $0.config.changedSettings = SettingsJSON.section(settings) }
        settingsChanged()
    }

    func didChangeConfiguration(_ params: JSON) {
        let settings = params["settings"]
        let wantsPull = state.withLock { $0.session.client.configuration }
        let isEmpty = settings.isNull || settings.objectValue?.isEmpty == true
        if isEmpty && wantsPull {
            requestConfiguration()
        } else {
            applyClientSettings(settings)
        }
    }

    func requestConfiguration() {
        sendRequestToClient("workspace/configuration", .obj(["items": [.obj(["section": "clinic"])]]))
    }

    /// Whether the project file that applies at `documentURI` is another one than `current`, or
    /// changed since it was read: editors do not always report changes to files they did not open.
    func projectFileChanged(forDocument documentURI: String, current: String?) -> Bool {
        let found = ProjectSettings.path(ofFileURI: documentURI).flatMap(ProjectSettings.findFile(forDocumentPath:))
        if found != current { return true }
        guard let found, let entry = state.withLock({ $0.config.projectFiles[found] }) else { return false }
        return entry.contents != ProjectSettings.contents(found)
    }

    /// Asks the client to report changes to project files, where it lets servers register watchers.
    func watchProjectFiles() {
        sendRequestToClient("client/registerCapability", .obj(["registrations": [.obj([
            "id": "clinic-lsp-project-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": .obj(["watchers": [.obj(["globPattern": .string("**/" + ProjectSettings.fileName)])]]),
        ])]]))
    }

    func projectFilesChanged() {
        state.withLock { s in
            s.config.projectFiles = [:]
            for (uri, doc) in s.documents.open {
                s.documents[uri]?.projectFile = ProjectSettings.path(ofFileURI: doc.document.uri)
                    .flatMap(ProjectSettings.findFile(forDocumentPath:))
            }
        }
        settingsChanged()
    }
}

struct DidChangeConfigurationNotification: LSPNotification {
    static let method = "workspace/didChangeConfiguration"
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { server.didChangeConfiguration(p.value) }
}

struct DidChangeWatchedFilesNotification: LSPNotification {
    static let method = "workspace/didChangeWatchedFiles"
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { server.projectFilesChanged() }
}
