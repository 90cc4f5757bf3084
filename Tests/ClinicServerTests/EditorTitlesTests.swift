import Foundation
import JSON
import Testing

/// The editor configurations in editors/ run the summary actions by title (a prefix of it, since the
/// all-notes title carries the count): every title they name must start a title the server offers.
@Suite struct EditorTitlesTests {
    static let editors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("editors")
    static let files = ["neovim/lua/clinic_lsp/init.lua", "vscode/extension.js", "emacs/clinic-lsp.el",
                        "vim/vim-lsp.vim", "vim/yegappan-lsp.vim"]

    /// Quoted titles ('…', "…" or \"…\"), and yegappan's unquoted `LspCodeAction TITLE<CR>`.
    static func titlesNamed(in source: String) -> [String] {
        let patterns = [#"['"](Insert s[^'"\\]*)\\?['"]"#, #"LspCodeAction (Insert s[^<]*)<CR>"#]
        return patterns.flatMap { pattern in
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map {
                String(source[Range($0.range(at: 1), in: source)!])
            }
        }
    }

    @Test func everyTitleTheEditorsNameIsOneTheServerOffers() throws {
        let client = TestClient()
        _ = try client.initialize()
        let uri = "file:///titles.clinic"
        client.open(uri, "R) eylea\n\nL) lucentis\n\niop 14")
        _ = try client.diagnostics(uri, version: 1)
        let actions = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument(uri), "range": range(0, 2, 0, 2), "context": .obj(["diagnostics": []]),
        ]))
        let offered = actions.arrayValue?.compactMap(\.["title"].stringValue) ?? []
        #expect(offered.contains("Insert summaries for all 3 notes"), "\(offered)")
        for file in Self.files {
            let source = try String(contentsOf: Self.editors.appendingPathComponent(file), encoding: .utf8)
            let named = Self.titlesNamed(in: source)
            #expect(!named.isEmpty, "\(file) names no summary action")
            for title in named {
                #expect(offered.contains { $0.hasPrefix(title) }, "\(file) runs \"\(title)\"; the server offers \(offered)")
            }
        }
    }
}
