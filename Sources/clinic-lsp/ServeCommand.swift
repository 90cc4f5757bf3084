import ArgumentParser
import ClinicServer
import Foundation
import Logging
import QAEngine
#if canImport(Glibc)
import Glibc
#endif

/// `clinic-lsp serve`: the language server over stdin/stdout (the default command).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server over stdin/stdout (LSP 3.17, Content-Length framing)."
    )

    @Flag(name: .long, help: "Talk LSP over stdin/stdout (the only transport; accepted for editors that pass it).")
    var stdio = false

    @Option(name: .long, help: "Model directory (default: the `model` setting, $CLINIC_LSP_MODEL, then model/ next to the package).")
    var model: String?

    @Option(name: .long, help: "Linear layers in int8 or fp32 (default: the `precision` setting, int8).")
    var precision: Precision?

    @Option(name: .long, help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        signal(SIGPIPE, SIG_IGN)
        let factory = PipelineEngineFactory(
            environment: ProcessInfo.processInfo.environment,
            executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0],
            loadAnswerer: { [precision] directory, threads, settingsPrecision in
                try ModelLoading.load(directory: directory, threads: threads, precision: precision ?? settingsPrecision)
            })
        let server = ClinicLanguageServer(
            output: FileDescriptorOutput(fd: STDOUT_FILENO), factory: factory,
            options: .init(modelPath: model), logger: Logger(label: "clinic-lsp"),
            onExit: { code in
                fflush(nil)
                Glibc.exit(code)
            })
        FileDescriptorInput(fd: STDIN_FILENO).run { event in server.receive(event) }
        server.inputEnded()
        // The exit handler ends the process once queued messages are handled.
        while true { sleep(60) }
    }
}
