import Testing
@testable import QAEngine

@Suite struct DecodeOptionsTests {
    @Test func defaultsMatchTransformersPipeline() {
        let o = DecodeOptions()
        #expect(o.maxSequenceLength == 384 && o.docStride == 128 && o.maxAnswerLength == 15 && o.nullThreshold == 0)
    }
}
