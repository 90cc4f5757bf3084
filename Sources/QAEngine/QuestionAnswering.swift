/// Extractive question answering over one context. Offsets are Unicode scalar offsets into the
/// context string (what Python's `str` indexes), end exclusive, so they compare directly with
/// transformers' fixtures and map back onto the typed text exactly.
public protocol QuestionAnswering: Sendable {
    /// Answers every question about one context; implementations run them as one batched pass.
    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult]
}

public struct DecodeOptions: Sendable, Equatable {
    public var maxSequenceLength: Int = 384
    public var docStride: Int = 128
    public var maxAnswerLength: Int = 15
    /// The empty answer wins when `nullScore > bestScore + nullThreshold` (0 = the transformers pipeline).
    public var nullThreshold: Float = 0
    /// How many runners-up (`QAResult.alternatives`) to keep besides the best span; 0 keeps none.
    public var alternatives: Int = 0
    public init() {}
}

public struct QAAnswer: Sendable, Equatable {
    public var text: String
    public var start: Int
    public var end: Int
    /// p_start x p_end, as the transformers pipeline reports it.
    public var score: Float
    public init(text: String, start: Int, end: Int, score: Float) {
        self.text = text
        self.start = start
        self.end = end
        self.score = score
    }
}

public struct QAResult: Sendable, Equatable {
    /// The best non-empty span, whether or not the null answer beat it.
    public var best: QAAnswer?
    /// p_start[CLS] x p_end[CLS], the minimum over windows.
    public var nullScore: Float
    /// The answer after the null decision: nil means "no answer".
    public var answer: QAAnswer?
    /// The next-best spans after `best`, best first, each a different stretch of text (as `top_k` would
    /// list them), so a caller whose rules reject the best span can weigh the model's other readings.
    public var alternatives: [QAAnswer]
    public init(best: QAAnswer?, nullScore: Float, answer: QAAnswer?, alternatives: [QAAnswer] = []) {
        self.best = best
        self.nullScore = nullScore
        self.answer = answer
        self.alternatives = alternatives
    }
}
