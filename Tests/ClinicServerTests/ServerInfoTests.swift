import Testing
@testable import ClinicServer

@Suite struct ServerInfoTests {
    @Test func nameIsStable() { #expect(ServerInfo.name == "clinic-lsp") }
}
