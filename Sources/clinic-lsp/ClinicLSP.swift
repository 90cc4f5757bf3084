import ArgumentParser
import ClinicServer

@main
struct ClinicLSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic-lsp",
        abstract: "A language server that reads ophthalmology clinic notes.",
        version: ServerInfo.version,
        subcommands: [BenchCommand.self]
    )
}
