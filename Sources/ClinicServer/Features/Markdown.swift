enum Markdown {
    /// Escapes text for a Markdown table cell or inline text.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#": out += "\\\(c)"
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// A confidence as a whole percentage; a score that is no number (a broken model's NaN) reads "?".
    static func percent(_ score: Double) -> String {
        guard score.isFinite else { return "?" }
        return "\(Int(exactly: (min(max(score, 0), 1) * 100).rounded()) ?? 0)%"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
