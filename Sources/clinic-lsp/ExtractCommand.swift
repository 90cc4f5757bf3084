import ArgumentParser
import ClinicCore
import ExtractOutput
import Foundation
import JSON
import QAEngine

extension ExtractFormat: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}

/// `clinic-lsp extract`: runs the pipeline the server runs over files and prints what it found.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract drugs, acuities and the other fields from clinic notes.",
        discussion: """
            Notes are runs of non-blank lines. Output goes to standard output, one record per note in \
            document order; problems go to standard error. Settings come from --config, else from \
            ./.clinic-lsp.json when present. The model is found with --model, the settings' "model", \
            $CLINIC_LSP_MODEL, then model/ next to the package the binary was built in.
            Exit status: 0 all files done, 1 usage, settings or model error, 2 a file could not be read.
            """)

    @Option(help: "Output format: jsonl, json, csv or text.")
    var format: ExtractFormat = .jsonl

    @Option(name: .long, help: ArgumentHelp("Settings file (JSON, as .clinic-lsp.json).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Model directory (config.json, vocab.txt, model.safetensors).", valueName: "dir"))
    var model: String?

    @Option(help: "Threads for the model (default: the settings' modelThreads, 2).")
    var threads: Int?

    @Option(help: "Linear layers in int8 or fp32, the reference (default: the settings' precision, int8).")
    var precision: Precision?

    @Argument(help: ArgumentHelp("Clinic note files; - or none reads standard input.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be from 1 to 64, got \(threads)") }
    }

    func run() throws {
        let (configuration, settingsFile) = try loadConfiguration()
        let pipelineShape = ClinicPipeline(configuration: configuration, answerer: nil)
        var pipeline = pipelineShape
        // One single-threaded model per thread (sharing the weights) analyses a file's notes side by side; the
        // model on all threads is for a file of one note.
        var workers: [ClinicPipeline] = []
        if pipelineShape.needsModel {
            let loaded = try loadModel(configuration, settingsFile: settingsFile)
            pipeline = ClinicPipeline(configuration: configuration, answerer: loaded.model)
            workers = loaded.workers.map { ClinicPipeline(configuration: configuration, answerer: $0) }
        }

        let inputs = files.isEmpty ? ["-"] : files
        let progress = isatty(STDERR_FILENO) == 1
        var renderer = ExtractRenderer(format: format, fields: pipeline.fields)
        var failed = false
        for (i, file) in inputs.enumerated() {
            if progress { Self.stderr("\rextract: \(i + 1)/\(inputs.count) \(file)\u{1B}[K") }
            let text: String
            do { text = try InputFile.read(file) } catch {
                if progress { Self.stderr("\r\u{1B}[K") }
                Self.stderr("clinic-lsp extract: \(error)\n")
                failed = true
                continue
            }
            let analyses: [NoteAnalysis]
            let notes = pipeline.notes(in: text)
            let total = notes.count
            let label = "\(i + 1)/\(inputs.count) \(file)"
            var done = 0
            // The pipeline polls between notes; the poll doubles as a progress tick.
            let tick: () -> Bool = {
                if progress, done % 10 == 0 || done == total {
                    Self.stderr("\rextract: \(label): note \(min(done + 1, total))/\(total)\u{1B}[K")
                }
                done += 1
                return false
            }
            do {
                if workers.count > 1, notes.count > 1 {
                    analyses = try Self.analyzeSideBySide(notes, workers: workers, document: pipeline,
                                                          progress: progress ? label : nil)
                } else {
                    analyses = try pipeline.analyze(text: text, isCancelled: tick)
                }
            } catch {
                if progress { Self.stderr("\r\u{1B}[K") }
                throw Self.fail("\(file): the model failed: \(error)")
            }
            try Self.stdout(renderer.render(file: file == "-" ? "<stdin>" : file, text: text, analyses: analyses))
        }
        if progress { Self.stderr("\r\u{1B}[K") }
        try Self.stdout(renderer.finish())
        if failed { throw ExitCode(2) }
    }

    /// The settings, and the file they were read from.
    func loadConfiguration() throws -> (ClinicConfiguration, file: String?) {
        var path = config
        if path == nil, FileManager.default.fileExists(atPath: ".clinic-lsp.json") { path = ".clinic-lsp.json" }
        guard let path else { return (.default, nil) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Self.fail("cannot read settings file \(path)")
        }
        let json: JSON
        // A byte-order mark some editors write is not JSON; it is skipped, as for note files.
        let bytes = [UInt8](data)
        do { json = try JSON.parse(bytes: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes) } catch {
            throw Self.fail("\(path): \(error)")
        }
        let (configuration, problems) = ClinicConfiguration.parse(json)
        guard problems.isEmpty else {
            throw Self.fail(problems.map { "\(path): \($0)" }.joined(separator: "\n"))
        }
        return (configuration, path)
    }

    /// What `document.analyze(text:)` returns for the whole text of `notes`, each note analysed by whichever
    /// worker pipeline is free (in document order), then the checks that read earlier notes, in document order.
    static func analyzeSideBySide(_ notes: [Note], workers: [ClinicPipeline], document: ClinicPipeline,
                                  progress label: String?) throws -> [NoteAnalysis] {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var done = 0
            var results: [NoteAnalysis?]
            var error: (any Error)?
            init(count: Int) { results = Array(repeating: nil, count: count) }
        }
        let shared = Shared(count: notes.count)
        // Longest notes first, so the last ones handed out are short and no worker waits long for the other.
        let order = notes.indices.sorted { notes[$0].range.count > notes[$1].range.count }
        DispatchQueue.concurrentPerform(iterations: workers.count) { w in
            while let i: Int = shared.lock.withLock({
                guard shared.error == nil, shared.next < notes.count else { return nil }
                defer { shared.next += 1 }
                return order[shared.next]
            }) {
                do {
                    let analysis = try workers[w].analyzeNote(notes[i])
                    let done: Int = shared.lock.withLock {
                        shared.results[i] = analysis
                        shared.done += 1
                        return shared.done
                    }
                    if let label, done % 10 == 0 || done == notes.count {
                        stderr("\rextract: \(label): note \(done)/\(notes.count)\u{1B}[K")
                    }
                } catch {
                    shared.lock.withLock { if shared.error == nil { shared.error = error } }
                    return
                }
            }
        }
        if let error = shared.error { throw error }
        return document.withDocumentChecks(shared.results.compactMap { $0 })
    }

    func loadModel(_ configuration: ClinicConfiguration, settingsFile: String?)
        throws -> (model: any QuestionAnswering, workers: [any QuestionAnswering]) {
        let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
        guard let dir = ModelLocator.resolve(explicit: model, setting: configuration.modelPath, settingsFile: settingsFile,
                                             environment: ProcessInfo.processInfo.environment, executablePath: exe) else {
            let looked = ModelLocator.defaultCandidates(executablePath: exe).joined(separator: ", ")
            throw Self.fail("no model found (looked in \(looked)); pass --model DIR or set \(ModelLocator.environmentVariable), "
                + "or disable the model-backed plugins in the settings")
        }
        if let problem = ModelLocator.problem(with: dir) { throw Self.fail(problem) }
        do {
            return try ModelLoading.loadWithWorkers(directory: dir, threads: threads ?? configuration.modelThreads,
                                                    precision: precision ?? configuration.modelPrecision)
        } catch {
            throw Self.fail("cannot load the model in \(dir): \(error)")
        }
    }

    static func fail(_ message: String) -> ExitCode {
        stderr("clinic-lsp extract: \(message)\n")
        return ExitCode(1)
    }

    /// Writes to standard output; a failed write (`> /dev/full`) is one line on stderr and exit status 1.
    static func stdout(_ s: String) throws(ExitCode) {
        guard !s.isEmpty else { return }
        do { try StandardStream.write(s, to: STDOUT_FILENO) } catch {
            throw fail("cannot write the output: \(error)")
        }
    }

    static func stderr(_ s: String) {
        StandardStream.error(s)
    }
}
