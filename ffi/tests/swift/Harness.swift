// A small test harness for the Swift bindings tests (XCTest is not available in the Linux chroot
// the tests run in): named tests, expectations that throw, one line per test, and the closing line
// "N passed, N failed". Compiled into one module with the generated Teng.swift.

import Foundation

struct ExpectationFailed: Error, CustomStringConvertible {
    let description: String
}

final class TestRun {
    private(set) var passed = 0
    private(set) var failed = 0

    func test(_ name: String, _ body: () throws -> Void) {
        let start = Date()
        do {
            try body()
            passed += 1
            print("ok   \(name) (\(Int(Date().timeIntervalSince(start) * 1000)) ms)")
        } catch {
            failed += 1
            print("FAIL \(name)\n    \(error)")
        }
    }

    /// Prints the closing line and returns the process exit code.
    func finish() -> Int32 {
        print("\n\(passed) passed, \(failed) failed")
        return failed == 0 && passed > 0 ? 0 : 1
    }
}

func expect(
    _ condition: @autoclosure () throws -> Bool, _ message: @autoclosure () -> String = "",
    file: StaticString = #fileID, line: UInt = #line
) throws {
    if try !condition() {
        throw ExpectationFailed(description: "\(file):\(line): expectation failed. \(message())")
    }
}

func expectEqual<T: Equatable>(
    _ actual: T, _ expected: T, file: StaticString = #fileID, line: UInt = #line
) throws {
    if actual != expected {
        throw ExpectationFailed(description: "\(file):\(line): got \(actual), expected \(expected)")
    }
}

/// Runs `body`, which must throw a `TengError`, and returns it.
func expectTengError(
    file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Void
) throws -> TengError {
    do {
        try body()
    } catch let error as TengError {
        return error
    }
    throw ExpectationFailed(description: "\(file):\(line): expected a TengError, nothing was thrown")
}

/// The `field` of an `InvalidInput` error, failing on any other outcome.
func invalidField(
    file: StaticString = #fileID, line: UInt = #line, _ body: () throws -> Void
) throws -> String {
    let error = try expectTengError(file: file, line: line, body)
    guard case .InvalidInput(let field, _) = error else {
        throw ExpectationFailed(description: "\(file):\(line): expected InvalidInput, got \(error)")
    }
    return field
}

func hasCyrillic(_ s: String) -> Bool {
    s.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
}

/// Temporary folders for the stores, removed at the end of the run.
enum Demo {
    static let seed: UInt64 = 42
    private static var folders: [URL] = []

    static func tempDir() -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("teng-swift-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folders.append(dir)
        return dir
    }

    static func open(_ language: Language = .ru) throws -> TengStore {
        try TengStore.open(path: tempDir().appendingPathComponent("teng.db").path, language: language)
    }

    /// A new store holding `listings` generated listings with their organizations and buildings.
    static func seeded(_ listings: UInt32, _ language: Language = .ru) throws -> TengStore {
        let store = try open(language)
        let stats = try store.seedDemoData(listings: listings, seed: seed)
        try expectEqual(stats.listings, UInt64(listings))
        return store
    }

    static func cleanUp() {
        for dir in folders { try? FileManager.default.removeItem(at: dir) }
    }
}
