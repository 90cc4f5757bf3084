@testable import ClinicServer
import JSON

/// The Content-Length framer on a hostile byte stream: it never traps, it frames the stream the same
/// whether the bytes arrive at once or in pieces (the pieces cut where a hash of the input says), every
/// message body is at most the body limit, and each body is read as a JSON-RPC message as the server
/// reads it. Framing the bodies again and reading them back yields the same bodies.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFramer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = events(of: [bytes[...]])
    let pieces = events(of: chunks(bytes))
    guard whole == pieces else { fatalError("framing depends on how the input is cut: \(whole) vs \(pieces)") }

    var bodies: [[UInt8]] = []
    for event in whole {
        guard case .message(let body) = event else { continue }
        guard body.count <= MessageFramer.maxBodyBytes else { fatalError("body over the limit") }
        bodies.append(body)
        if let json = try? JSON.parse(bytes: body), case .success(let message) = RPCMessage.classify(json) {
            if case .request(let id, _, _) = message { _ = id.json }
        }
    }
    let reframed = events(of: [bodies.flatMap { body -> [UInt8] in
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }[...]])
    guard reframed == bodies.map(MessageFramer.Event.message) else { fatalError("re-framed bodies differ") }
    return 0
}

func events(of pieces: [ArraySlice<UInt8>]) -> [MessageFramer.Event] {
    var framer = MessageFramer()
    var out: [MessageFramer.Event] = []
    for piece in pieces {
        framer.append(piece)
        while let event = framer.next() { out.append(event) }
    }
    if let last = framer.finish() { out.append(last) }
    return out
}

/// The input cut into pieces of 1 to 64 bytes, the cuts chosen by an FNV-1a hash of the input.
func chunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var state: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { state = (state ^ UInt64(b)) &* 0x100_0000_01b3 }
    var out: [ArraySlice<UInt8>] = []
    var i = 0
    while i < bytes.count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let n = min(bytes.count - i, 1 + Int(state >> 58))
        out.append(bytes[i..<(i + n)])
        i += n
    }
    return out
}
