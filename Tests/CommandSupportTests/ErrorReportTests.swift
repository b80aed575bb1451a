import ArgumentParser
import CommandSupport
import Foundation
import Testing

private enum SampleFailure: FedNCError {
    case badRecord(file: String, record: Int)
    case custom

    var description: String {
        switch self {
        case let .badRecord(file, record): "\(file): record \(record) is truncated; download the file again"
        case .custom: "custom failure"
        }
    }

    var exitCode: Int32 {
        switch self {
        case .badRecord: 1
        case .custom: 3
        }
    }
}

private struct PlainError: Error, CustomStringConvertible {
    var description: String { "plain description" }
}

@Suite("Error reporting")
struct ErrorReportTests {
    @Test("FedNCError: error: line with its description and exit code")
    func fedNCError() {
        let report = ErrorReport(for: SampleFailure.badRecord(file: "data_batch_2.bin", record: 17))
        #expect(report.message == "error: data_batch_2.bin: record 17 is truncated; download the file again")
        #expect(report.exitCode == 1)
        #expect(ErrorReport(for: SampleFailure.custom).exitCode == 3)
    }

    @Test("other errors: description and exit code 1")
    func otherErrors() {
        let report = ErrorReport(for: PlainError())
        #expect(report.message == "error: plain description")
        #expect(report.exitCode == 1)
        #expect(ErrorReport(for: AtomicOutputError.destinationExists(path: "/tmp/x")).message
            == "error: /tmp/x already exists; choose another output or pass --force to replace it")
    }
}

private struct Sample: ParsableCommand {
    @Option var count = 1
    func run() throws {}
}

@Suite("ArgumentParser's own errors are left to ArgumentParser")
struct ArgumentParserErrorTests {
    @Test("help, validation and exit codes are recognised; our errors are not")
    func recognised() throws {
        #expect(ErrorReport.isArgumentParserError(ValidationError("bad")))
        #expect(ErrorReport.isArgumentParserError(ExitCode(3)))
        var help = try Sample.parseAsRoot(["--help"])
        do {
            try help.run()
            Issue.record("the help command should throw")
        } catch {
            #expect(ErrorReport.isArgumentParserError(error))
        }
        #expect(!ErrorReport.isArgumentParserError(SampleFailure.custom))
        #expect(!ErrorReport.isArgumentParserError(PlainError()))
    }
}
