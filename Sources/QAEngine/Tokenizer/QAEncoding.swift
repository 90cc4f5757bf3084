/// One model input: `[CLS] question [SEP] context[window] [SEP]`.
public struct QAWindow: Sendable, Equatable {
    public var inputIDs: [Int32]
    /// 0 through the first `[SEP]`, 1 after it.
    public var tokenTypeIDs: [Int32]
    /// Position in `inputIDs` of the first context token.
    public var contextOffset: Int
    /// Which of the context's tokens this window holds.
    public var contextTokens: Range<Int>

    public var count: Int { inputIDs.count }
}

/// A question and context encoded as transformers' QA pipeline does (question first, only the context truncated,
/// overflowing windows overlapping by `docStride` tokens).
public struct QAEncoding: Sendable {
    public var question: [Token]
    public var context: [Token]
    public var windows: [QAWindow]

    public init(question: [Token], context: [Token], clsID: Int32, sepID: Int32,
                maxSequenceLength: Int, docStride: Int) throws {
        self.question = question
        self.context = context
        let ranges = try Self.windowRanges(questionLength: question.count, contextLength: context.count,
                                           maxSequenceLength: maxSequenceLength, docStride: docStride)
        var head: [Int32] = [clsID]
        head.append(contentsOf: question.map(\.id))
        head.append(sepID)
        windows = ranges.map { range in
            var ids = head
            ids.reserveCapacity(head.count + range.count + 1)
            for t in context[range] { ids.append(t.id) }
            ids.append(sepID)
            var types = [Int32](repeating: 0, count: head.count)
            types.append(contentsOf: repeatElement(1, count: range.count + 1))
            return QAWindow(inputIDs: ids, tokenTypeIDs: types, contextOffset: head.count, contextTokens: range)
        }
    }

    /// The context slices of tokenizers' `only_second` truncation with overflow: windows of
    /// `maxSequenceLength - question - 3` tokens starting every `window - docStride` tokens, until one reaches the end.
    static func windowRanges(questionLength: Int, contextLength: Int, maxSequenceLength: Int,
                             docStride: Int) throws -> [Range<Int>] {
        let total = questionLength + contextLength + 3
        if total <= maxSequenceLength { return [0..<contextLength] }
        let toRemove = total - maxSequenceLength
        guard contextLength > toRemove else {
            throw QAEngineError.invalidInput(
                "the question is \(questionLength) tokens, which leaves no room for context in a \(maxSequenceLength)-token window")
        }
        let window = contextLength - toRemove
        guard docStride >= 0, docStride < window else {
            throw QAEngineError.invalidInput(
                "doc stride \(docStride) must be less than the \(window) context tokens that fit beside the question")
        }
        var ranges: [Range<Int>] = []
        var start = 0
        while true {
            let stop = min(start + window, contextLength)
            ranges.append(start..<stop)
            if stop == contextLength { break }
            start += window - docStride
        }
        return ranges
    }
}
