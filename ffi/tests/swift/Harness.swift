// A small test harness for the Swift bindings tests (XCTest is not available in the Linux chroot
// the tests run in): named tests, expectations that throw, one line per test, and the closing line
// "N passed, N failed". Compiled into one module with the generated Teng.swift.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

/// The demo admin of the test server answering reports as a city office would (`PUT
/// /v1/city/reports/{id}/status`). scripts/lib/test-server.sh exports the password.
final class CityOffice {
    private let server: String
    private var token: String?

    init(_ server: String) { self.server = server }

    /// Gives report `reportId` a status, with a note written in `lang`.
    func answer(_ reportId: String, _ status: String, note: String? = nil, lang: String? = nil) throws {
        var body: [String: String] = ["status": status]
        body["note"] = note
        body["lang"] = lang
        _ = try http("PUT", "/v1/city/reports/\(reportId)/status", body, bearer: try adminToken())
    }

    private func adminToken() throws -> String {
        if let token { return token }
        guard let password = ProcessInfo.processInfo.environment["TENG_TEST_ADMIN_PASSWORD"],
              !password.isEmpty else {
            throw ExpectationFailed(description: "TENG_TEST_ADMIN_PASSWORD is not set: run scripts/test-swift.sh")
        }
        let answer = try http("POST", "/v1/auth/login", ["username": "admin", "password": password], bearer: nil)
        guard let token = answer["token"] as? String else {
            throw ExpectationFailed(description: "no token in the login answer: \(answer)")
        }
        self.token = token
        return token
    }

    private func http(_ method: String, _ path: String, _ body: [String: String], bearer: String?) throws
        -> [String: Any]
    {
        var request = URLRequest(url: URL(string: server + path)!)
        request.httpMethod = method
        request.timeoutInterval = 10
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        // The answer, handed over from URLSession's thread; the semaphore orders the two.
        final class Answer: @unchecked Sendable { var value: (Data?, URLResponse?, Error?) = (nil, nil, nil) }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            answer.value = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        let result = answer.value
        if let error = result.2 { throw ExpectationFailed(description: "\(method) \(path): \(error)") }
        let status = (result.1 as? HTTPURLResponse)?.statusCode ?? 0
        let data = result.0 ?? Data()
        guard (200..<300).contains(status) else {
            throw ExpectationFailed(
                description: "\(method) \(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
