import Foundation
import JSON
import Testing

/// Whole sessions against the real binary. Assertions on the pattern plugins (IOP, review) always
/// run; those that need the question-answering model run only when a model is available.
@Suite(.serialized) struct ServerSessionTests {
    static let hasModel = LSPProcess.modelDirectory != nil
    let uri = "file:///tmp/clinic-e2e/visit.clinic"
    let note = "Mrs Zebrafinch seen. IOP 14/16. R) eylea, VA R 6/9 L 6/12\nrev 4/52"

    func initialize(_ server: LSPProcess, _ capabilities: JSON = .obj([:])) throws -> JSON {
        let r = try server.result("initialize", .obj(["processId": .null, "capabilities": capabilities]), timeout: 15)
        server.notify("initialized")
        return r
    }

    func open(_ server: LSPProcess, _ text: String) {
        server.notify("textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(uri), "languageId": "clinic", "version": 1, "text": .string(text),
        ])]))
    }

    @Test func wholeSessionWithPatternPlugins() throws {
        let server = try LSPProcess()
        let started = Date()
        let caps = try initialize(server)["capabilities"]
        #expect(caps["positionEncoding"] == "utf-16")
        #expect(caps["inlayHintProvider"].objectValue != nil)
        open(server, note)
        let diags = try server.diagnostics(uri, version: 1, timeout: 30)
        let firstDiagnostics = Date().timeIntervalSince(started)
        let codes = diags.compactMap { $0["code"].stringValue }
        #expect(codes.contains("iop.right") && codes.contains("iop.left") && codes.contains("review"), "\(codes)")
        let right = try #require(diags.first { $0["code"] == "iop.right" })
        #expect(right["message"].stringValue?.hasPrefix("Right eye IOP: ") == true)
        #expect(right["range"]["start"] == .obj(["line": 0, "character": 25]))
        #expect(right["source"] == "clinic-lsp" && right["severity"] == 3)
        print("initialize -> first diagnostics: \(Int(firstDiagnostics * 1000)) ms (model: \(Self.hasModel))")

        let hints = try server.result("textDocument/inlayHint", .obj([
            "textDocument": .obj(["uri": .string(uri)]), "range": lspRange(0, 0, 2, 0),
        ]))
        #expect((hints.arrayValue ?? []).contains { $0["position"] == .obj(["line": 0, "character": 27]) })

        let hover = try server.result("textDocument/hover", .obj([
            "textDocument": .obj(["uri": .string(uri)]), "position": .obj(["line": 0, "character": 3]),
        ]))
        let md = hover["contents"]["value"].stringValue ?? ""
        #expect(md.contains("| Right eye IOP | `14` |"), "\(md)")
        #expect(md.contains("| Review in |"))

        let actions = try server.result("textDocument/codeAction", .obj([
            "textDocument": .obj(["uri": .string(uri)]), "range": lspRange(1, 2, 1, 2), "context": .obj(["diagnostics": []]),
        ]))
        let summary = try #require(actions.arrayValue?.first { $0["title"] == "Insert structured summary" })
        let edits = summary["edit"]["changes"][uri].arrayValue ?? []
        #expect(edits.count == 1)
        #expect(edits.allSatisfy { $0["range"]["start"] == $0["range"]["end"] }, "summary edits only insert")
        var buffer = EditorBuffer(text: note)
        buffer.apply(edits)
        #expect(buffer.text.hasPrefix(note + "\n"))
        #expect(buffer.text.contains("Right eye IOP: 14"))
        server.notify("textDocument/didChange", .obj([
            "textDocument": .obj(["uri": .string(uri), "version": 2]),
            "contentChanges": .array(edits.map { .obj(["range": $0["range"], "text": $0["newText"]]) }),
        ]))
        let after = try server.diagnostics(uri, version: 2)
        #expect(after.contains { $0["code"] == "iop.right" && $0["range"] == right["range"] })

        // Type a new note, one character at a time.
        let typed = "\n\nIOP 21/19"
        var version = 2
        for c in typed {
            version += 1
            let end = EditorBuffer(text: buffer.text).endPosition
            buffer.text.append(c)
            server.notify("textDocument/didChange", .obj([
                "textDocument": .obj(["uri": .string(uri), "version": .int(version)]),
                "contentChanges": [.obj(["range": .obj(["start": end, "end": end]), "text": .string(String(c))])],
            ]))
        }
        // The value at the cursor is held back while it may be half typed, and published after a pause.
        let typedDiags = try server.waitFor("diagnostics after the pause") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["version"] == .int(version)
                && ($0["params"]["diagnostics"].arrayValue ?? []).contains { $0["message"].stringValue?.contains("Left eye IOP: 19") == true }
        }["params"]["diagnostics"].arrayValue ?? []
        #expect(typedDiags.contains { $0["code"] == "iop.left" && $0["message"].stringValue?.contains("19") == true })
        let published = server.messages.filter { $0["method"] == "textDocument/publishDiagnostics" }.compactMap { $0["params"]["version"].intValue }
        #expect(Set(published.filter { $0 > 2 }) == [version], "only the last typed version is published: \(published)")

        let shutdown = try server.call("shutdown")
        #expect(shutdown["error"].isNull && shutdown.objectValue?.keys.contains("result") == true)
        server.notify("exit")
        #expect(server.waitForExit() == 0)
        #expect(server.strayOutput.isEmpty, "stdout carries only framed messages")
        #expect(!server.stderr.contains("Zebrafinch"), "no note text in logs when tracing is off")
    }

    @Test(.enabled(if: hasModel, "no model: set CLINIC_LSP_MODEL or put one in model/ to check model-backed fields"))
    func modelBackedFieldsAppear() throws {
        let server = try LSPProcess()
        _ = try initialize(server)
        open(server, "L) eylea given. VA R 6/9 L 6/12")
        let diags = try server.diagnostics(uri, version: 1, timeout: 30)
        #expect(diags.contains { $0["code"] == "drug.left" && $0["message"].stringValue?.contains("aflibercept") == true }, "\(diags)")
        #expect(diags.contains { $0["code"] == "acuity.right" && $0["message"].stringValue?.contains("6/9") == true }, "\(diags)")
        #expect(!diags.contains { $0["code"] == "drug.right" }, "\(diags)")
        server.closeInput()
        _ = server.waitForExit()
    }

    @Test(.enabled(if: hasModel, "no model: set CLINIC_LSP_MODEL or put one in model/ to check model-backed fields"))
    func insertedSummariesDoNotChangeTheFindings() throws {
        let server = try LSPProcess()
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:]),
                                                  "initializationOptions": .obj(["summaryFormat": "line"])]), timeout: 15)
        server.notify("initialized")
        let visit = "R) eylea given. VA R 6/9 L 6/12"
        open(server, visit)
        func findings(version: Int) throws -> [String] {
            try server.diagnostics(uri, version: version, timeout: 30).compactMap { d in
                d["message"].stringValue.map { "\(d["code"].stringValue ?? ""): \($0) @\(d["range"])" }
            }.sorted()
        }
        let before = try findings(version: 1)
        #expect(before.contains { $0.hasPrefix("drug.right:") && $0.contains("aflibercept") }, "\(before)")
        var buffer = EditorBuffer(text: visit)
        func insertSummary(version: Int) throws {
            let actions = try server.result("textDocument/codeAction", .obj([
                "textDocument": .obj(["uri": .string(uri)]), "range": lspRange(0, 3, 0, 3), "context": .obj(["diagnostics": []]),
            ]))
            let action = try #require(actions.arrayValue?.first { $0["title"] == "Insert structured summary" })
            let edits = action["edit"]["changes"][uri].arrayValue ?? []
            buffer.apply(edits)
            server.notify("textDocument/didChange", .obj([
                "textDocument": .obj(["uri": .string(uri), "version": .int(version)]),
                "contentChanges": .array(edits.map { .obj(["range": $0["range"], "text": $0["newText"]]) }),
            ]))
        }
        try insertSummary(version: 2)
        #expect(try findings(version: 2) == before)
        server.notify("workspace/didChangeConfiguration", .obj(["settings": .obj(["clinic": .obj(["summaryFormat": "json"])])]))
        try insertSummary(version: 3)
        #expect(buffer.text.hasPrefix(visit + "\n[Summary] ") && buffer.text.contains("\n{\""), "\(buffer.text)")
        #expect(try findings(version: 3) == before, "two summaries under the note change none of its findings")
        let again = try server.result("textDocument/codeAction", .obj([
            "textDocument": .obj(["uri": .string(uri)]), "range": lspRange(1, 3, 1, 3), "context": .obj(["diagnostics": []]),
        ]))
        #expect(!(again.arrayValue ?? []).contains { $0["title"] == "Insert structured summary" })
        server.closeInput()
        _ = server.waitForExit()
    }

    /// Neovim 0.11 and yegappan/lsp pull diagnostics but take no refresh request: what they get for
    /// the opened document (the model still loading) is all they show until the clinician types.
    @Test func aPullClientWithoutRefreshGetsTheFindingsOnOpen() throws {
        let server = try LSPProcess()
        _ = try initialize(server, .obj(["textDocument": .obj(["diagnostic": .obj([:])])]))
        open(server, note)
        var answer = try server.call("textDocument/diagnostic", .obj(["textDocument": .obj(["uri": .string(uri)])]), timeout: 30)
        for _ in 0..<20 where answer["error"]["code"] == -32802 {
            #expect(answer["error"]["data"]["retriggerRequest"] == true)
            answer = try server.call("textDocument/diagnostic", .obj(["textDocument": .obj(["uri": .string(uri)])]), timeout: 30)
        }
        let codes = answer["result"]["items"].arrayValue?.compactMap { $0["code"].stringValue } ?? []
        #expect(codes.contains("iop.right") && codes.contains("review"), "\(answer)")
        if Self.hasModel { #expect(codes.contains("drug.right"), "\(codes)") }
        server.closeInput()
        _ = server.waitForExit()
    }

    @Test func aPullClientWithoutRefreshThatDoesNotPullGetsThemPushed() throws {
        let server = try LSPProcess()
        _ = try initialize(server, .obj(["textDocument": .obj(["diagnostic": .obj([:])])]))
        open(server, note)
        let pushed = try server.waitFor("pushed diagnostics", timeout: 30) {
            $0["method"] == "textDocument/publishDiagnostics" && !($0["params"]["diagnostics"].arrayValue ?? []).isEmpty
        }
        let codes = pushed["params"]["diagnostics"].arrayValue?.compactMap { $0["code"].stringValue } ?? []
        #expect(codes.contains("iop.right"), "\(codes)")
        if Self.hasModel { #expect(codes.contains("drug.right"), "\(codes)") }
        server.closeInput()
        _ = server.waitForExit()
    }

    @Test func serveSubcommandWithStdioFlagAndExitWithoutShutdown() throws {
        let server = try LSPProcess(arguments: ["serve", "--stdio"])
        _ = try initialize(server)
        server.notify("exit")
        #expect(server.waitForExit() == 1)
    }

    @Test func endOfInputEndsTheServer() throws {
        let server = try LSPProcess()
        _ = try initialize(server)
        server.closeInput()
        #expect(server.waitForExit() == 1)
    }

    @Test func badInputNeverStopsTheServer() throws {
        let server = try LSPProcess()
        _ = try initialize(server)
        func stillAnswers(_ step: String) throws {
            let r = try server.call("clinic/ping-\(step)", timeout: 10)
            #expect(r["error"]["code"] == -32601, "after \(step)")
        }
        server.writeRaw(Array("Content-Length: abc\r\n\r\n{}".utf8))
        try stillAnswers("garbage length")
        server.writeRaw(Array("Content-Type: text/plain\r\n\r\n{\"jsonrpc\":\"2.0\"}".utf8))
        try stillAnswers("missing length")
        server.writeRaw(Array(String(repeating: "X-Padding: yes\r\n", count: 2000).utf8))
        try stillAnswers("huge header")
        // A body cut short takes its missing byte from the next message, which is lost with it (a body is
        // dropped whole, never searched for frames); the one after that is answered.
        server.writeRaw(Array("Content-Length: 6\r\n\r\n{\"a\":".utf8))
        server.notify("$/lostWithTheTruncatedBody")
        try stillAnswers("truncated body")
        let invalidUTF8: [UInt8] = Array("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"s\":\"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"}}".utf8)
        server.writeRaw(Array("Content-Length: \(invalidUTF8.count)\r\n\r\n".utf8) + invalidUTF8)
        _ = try server.waitFor("parse error for invalid UTF-8") { $0["error"]["code"] == -32700 && $0["id"].isNull }
        try stillAnswers("invalid UTF-8")
        server.writeRaw(Array("Content-Length: 9\r\n\r\nnot json!".utf8))
        try stillAnswers("malformed JSON")
        let bad = try server.call("textDocument/hover", .obj(["textDocument": .obj(["uri": 7]), "position": .obj([:])]))
        #expect(bad["error"]["code"] == -32602 && bad["error"]["message"].stringValue?.contains("params.textDocument.uri") == true)
        server.notify("textDocument/didChange", .obj(["textDocument": .obj(["uri": "file:///never-opened", "version": 3]),
                                                      "contentChanges": [.obj(["text": "x"])]]))
        open(server, "IOP 12/13 😀\r\nrev 6/12")
        server.notify("textDocument/didChange", .obj([
            "textDocument": .obj(["uri": .string(uri), "version": 2]),
            "contentChanges": [.obj(["range": lspRange(99, 99, 120, 0), "text": "\n\nIOP 30/31"])],
        ]))
        let diags = try server.diagnostics(uri, version: 2)
        #expect(diags.contains { $0["code"] == "iop.right" && $0["message"].stringValue?.contains("30") == true }, "\(diags)")
        #expect(server.process.isRunning)
        _ = try server.call("shutdown")
        server.notify("exit")
        #expect(server.waitForExit() == 0)
    }
}

extension EditorBuffer {
    /// The LSP position (UTF-16) at the end of the text.
    var endPosition: JSON {
        var line = 0, character = 0
        for u in text.utf16 {
            if u == 10 { line += 1; character = 0 } else { character += 1 }
        }
        return .obj(["line": .int(line), "character": .int(character)])
    }
}
