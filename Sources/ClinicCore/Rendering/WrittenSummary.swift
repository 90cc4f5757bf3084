import JSON

/// Recognises the structured summaries the summary code action writes (`NoteAnalysis.summary(format:)`),
/// so that they are never read as clinical text: the note splitter keeps them inside the note they
/// follow, and the plugins and the model read that note without them (`Note.analysedText`).
public enum WrittenSummary {
    /// How every summary in the `line` format starts.
    public static let linePrefix = "[Summary]"

    /// Whether a line (without its line break) is a whole summary: a `[Summary] …` line, or a JSON
    /// object keyed by field id whose members are null or carry the finding's "text" and "summary".
    public static func isSummaryLine(_ line: Substring) -> Bool {
        let trimmed = line.drop(while: \.isWhitespace)
        if trimmed.hasPrefix(linePrefix) { return true }
        guard trimmed.first == "{", trimmed.last(where: { !$0.isWhitespace }) == "}" else { return false }
        return isJSONSummary(String(trimmed))
    }

    /// Whether `text` is one JSON summary (on one line as written, or reformatted over several).
    public static func isJSONSummary(_ text: String) -> Bool {
        guard let object = (try? JSON.parse(text))?.objectValue, !object.keys.isEmpty else { return false }
        return object.allSatisfy { _, value in
            value.isNull || (value["text"].stringValue != nil && value["summary"].stringValue != nil)
        }
    }
}
