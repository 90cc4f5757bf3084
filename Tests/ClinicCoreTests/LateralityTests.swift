import ClinicCore
import Testing

@Suite struct LateralityTests {
    func marker(_ s: String) -> (Laterality, Int)? {
        let tokens = ShorthandLexer.tokens(Array(s.unicodeScalars))
        return LateralityMarker.marker(in: tokens, at: 0).map { ($0.0, $0.next) }
    }

    @Test(arguments: [("R", Laterality.right), ("R)", .right), ("r)", .right), ("RE", .right), ("R.E.", .right), ("OD", .right),
                      ("O.D.", .right), ("rt", .right), ("right", .right), ("L", .left), ("l)", .left), ("LE", .left),
                      ("OS", .left), ("O.S.", .left), ("lt", .left), ("left", .left), ("OU", .both), ("BE", .both),
                      ("bilateral", .both), ("bilat", .both), ("both", .both), ("R+L", .both), ("L&R", .both)])
    func markers(text: String, laterality: Laterality) throws {
        let (lat, next) = try #require(marker(text), "\(text)")
        #expect(lat == laterality)
        #expect(next == ShorthandLexer.tokens(Array(text.unicodeScalars)).count, "\(text) consumed whole")
    }

    @Test(arguments: ["eylea", "RL", "6/9", "rev", "o.k."])
    func notMarkers(text: String) {
        #expect(marker(text) == nil, "\(text)")
    }
}
