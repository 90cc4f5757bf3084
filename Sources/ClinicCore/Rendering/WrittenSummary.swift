import Foundation
import JSON

/// Recognises the structured summaries the summary code action writes (`NoteAnalysis.summary(format:)`),
/// so that they are never read as clinical text: the note splitter keeps them inside the note they
/// follow, and the plugins and the model read that note without them (`Note.analysedText`).
public enum WrittenSummary {
    /// How every summary in the `line` format starts.
    public static let linePrefix = "[Summary]"
    private static let linePrefixScalars = Array(linePrefix.unicodeScalars)

    /// Whether a line (without its line break) is a whole summary: a `[Summary] …` line, or a JSON
    /// object keyed by field id whose members are null or carry the finding's "text" and "summary".
    public static func isSummaryLine(_ line: Substring) -> Bool {
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return false }
        if scalars[first...].starts(with: linePrefixScalars) { return true }
        guard scalars[first] == "{", scalars.last(where: { !$0.properties.isWhitespace }) == "}" else { return false }
        return isJSONSummary(String(line))
    }

    /// Whether `text` is one JSON summary (on one line as written, or reformatted over several).
    /// Answers are remembered: the splitter asks about every summary line on every keystroke.
    public static func isJSONSummary(_ text: String) -> Bool {
        if let known = recognised.get(text) { return known }
        let answer = parsesAsSummary(text)
        recognised.put(text, answer)
        return answer
    }

    private static func parsesAsSummary(_ text: String) -> Bool {
        guard let object = (try? JSON.parse(text))?.objectValue, !object.isEmpty else { return false }
        return object.allSatisfy { _, value in
            value.isNull || (value["text"].stringValue != nil && value["summary"].stringValue != nil)
        }
    }

    private static let recognised = Answers(capacity: 8192)

    /// A bounded table of answers by text, emptied when full.
    private final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [String: Bool] = [:]
        let capacity: Int
        init(capacity: Int) { self.capacity = capacity }

        func get(_ text: String) -> Bool? { lock.withLock { answers[text] } }

        func put(_ text: String, _ answer: Bool) {
            lock.withLock {
                if answers.count >= capacity { answers.removeAll(keepingCapacity: true) }
                answers[text] = answer
            }
        }
    }
}
