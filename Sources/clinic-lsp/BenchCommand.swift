import ArgumentParser
import ClinicCore
import Foundation
import JSON
import QAEngine

/// Times the QA engine on a notes file: the questions the default plugins ask, per note in one batched pass, on
/// the notes the clinic layer's splitter finds, as the server and `extract` ask them.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the question-answering engine on a file of notes (separated by blank lines)."
    )

    @Option(name: .long, help: "Model directory (config.json, vocab.txt, model.safetensors).")
    var model: String?

    @Option(name: .long, help: "Notes file; notes are separated by blank lines.")
    var notes: String = "bench/notes.txt"

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = 2

    @Option(name: .long, help: "Linear layers in int8 or fp32.")
    var precision: Precision = .int8

    @Option(name: .long, help: "Untimed passes over all notes before timing.")
    var warmup: Int = 2

    @Option(name: .long, help: "Timed passes over all notes.")
    var rounds: Int = 5

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "With --json, include every note's time.")
    var times = false

    @Flag(name: .long, help: "Print the questions and notes that would be timed as one JSON object and stop (bench/compare.py asks every engine the same).")
    var inputs = false

    func validate() throws {
        guard model != nil || inputs else { throw ValidationError("--model is required") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard rounds >= 1, warmup >= 0 else { throw ValidationError("--rounds must be at least 1 and --warmup not negative") }
    }

    func run() throws {
        let text = try String(contentsOfFile: notes, encoding: .utf8)
        let clinic = ClinicPipeline(configuration: ClinicConfiguration(), answerer: nil)
        let questions = clinic.modelQuestions
        let noteList = clinic.notes(in: text).map(\.analysedText)
        if inputs {
            print(JSON.obj(["questions": .array(questions.map { .string($0) }), "notes": .array(noteList.map { .string($0) })]).serialized())
            return
        }
        guard !noteList.isEmpty else { throw ValidationError("\(notes) has no notes") }
        guard let model else { throw ValidationError("--model is required") }
        let loadStart = ContinuousClock.now
        let engine = try QAModel(directory: model, threads: threads, precision: precision)
        let arithmetic = engine.int8Kernel.map { "int8 (\($0.rawValue) kernel)" } ?? "fp32"
        let loadTime = ContinuousClock.now - loadStart
        let options = DecodeOptions()

        for _ in 0..<warmup {
            for note in noteList { _ = try engine.answer(questions: questions, context: note, options: options) }
        }
        var perNote: [Double] = []
        perNote.reserveCapacity(rounds * noteList.count)
        let cpuStart = Self.processCPUMilliseconds()
        for _ in 0..<rounds {
            for note in noteList {
                let start = ContinuousClock.now
                _ = try engine.answer(questions: questions, context: note, options: options)
                perNote.append((ContinuousClock.now - start).milliseconds)
            }
        }
        let cpuPerNote = (Self.processCPUMilliseconds() - cpuStart) / Double(perNote.count)
        let tokens = try noteList.map { note in
            try engine.encode(questions: questions, context: note, options: options).encodings
                .flatMap(\.windows).map(\.count).reduce(0, +)
        }
        let sorted = perNote.sorted()
        let median = Self.percentile(sorted, 0.5), p90 = Self.percentile(sorted, 0.9)
        let meanTokens = Double(tokens.reduce(0, +)) / Double(tokens.count * questions.count)
        if json {
            var report: JSON = [
                "engine": "swift", "precision": .string(precision.rawValue),
                "kernel": engine.int8Kernel.map { .string($0.rawValue) } ?? .null, "threads": .int(threads), "notes": .int(noteList.count), "rounds": .int(rounds),
                "median_ms": .double(Self.rounded(median)), "p90_ms": .double(Self.rounded(p90)),
                "cpu_ms": .double(Self.rounded(cpuPerNote)), "mean_tokens_per_sequence": .double(Self.rounded(meanTokens)),
                "load_ms": .double(Self.rounded(loadTime.milliseconds)),
            ]
            if times { report["times_ms"] = .array(perNote.map { .double(Self.rounded($0)) }) }
            print(report.serialized())
        } else {
            print("model \(model) (\(engine.config.architecture.rawValue), \(engine.config.layerCount) layers, hidden \(engine.config.hiddenSize)), \(arithmetic), loaded in \(Self.fixed(loadTime.milliseconds)) ms")
            print("\(noteList.count) notes x \(questions.count) questions, \(Self.fixed(meanTokens)) tokens per question+note, \(threads) threads, \(rounds) rounds")
            print("median \(Self.fixed(median)) ms/note, p90 \(Self.fixed(p90)) ms/note, CPU \(Self.fixed(cpuPerNote)) ms/note (all threads)")
        }
    }

    /// User plus system CPU time of the whole process, which (unlike wall time) a busy machine barely inflates.
    static func processCPUMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
    }

    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
