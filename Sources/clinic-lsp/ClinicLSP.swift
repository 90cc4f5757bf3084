import ArgumentParser
import ClinicServer
import Foundation

@main
struct ClinicLSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic-lsp",
        abstract: "A language server that reads ophthalmology clinic notes.",
        version: ServerInfo.version,
        subcommands: [ServeCommand.self, ExtractCommand.self, BenchCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    /// Usage errors exit with status 1 (ArgumentParser's default is 64), as the CLI documents.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardStream.error(fullMessage(for: error) + "\n")
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}
