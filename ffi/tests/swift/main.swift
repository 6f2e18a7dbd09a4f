// Swift bindings tests: the scenarios of the Kotlin tests (ffi/tests/kotlin), through the generated
// Teng.swift and the host-built libteng_ffi, on real SQLite files in temporary folders.
// Exits non-zero when a test fails; closes with "N passed, N failed".

import Foundation

let run = TestRun()

/// Every hit of `query`, page after page.
func allHits(_ store: TengStore, _ query: SearchQuery) throws -> [SearchHit] {
    var hits: [SearchHit] = []
    var q = query
    while true {
        let page = try store.search(query: q)
        hits += page.hits
        guard let token = page.nextPageToken else { return hits }
        q.pageToken = token
    }
}

let shared = try Demo.seeded(2000)

// MARK: Search

run.test("cyrillic words with access and accommodation filters return exactly the matching jobs") {
    let words = try allHits(shared, SearchQuery(text: "бухгалтер", pageSize: 50))
    try expect(words.count > 20, "the demo data has accountants' jobs")
    let filters = SearchFilters(accommodations: [.flexibleHours], access: [.stepFreeEntrance])
    let page = try shared.search(query: SearchQuery(text: "бухгалтер", filters: filters, pageSize: 200))
    try expectEqual(page.total, UInt64(page.hits.count))

    // The same answer computed another way: every accountant's job, checked through its details.
    var expected = Set<String>()
    for hit in words {
        let details = try shared.listing(id: hit.listing.id)
        let text = [details.summary.title, details.description, details.summary.organizationName,
                    details.summary.city].joined(separator: " ").lowercased()
        try expect(text.contains("бухгалтер") || text.contains("buhgalter"), text)
        let stepFree = details.accessibility?.requirements
            .first { $0.requirement == .stepFreeEntrance }?.met
        if hit.listing.accommodations.contains(.flexibleHours)
            && (details.building == nil || stepFree == .yes) {
            expected.insert(hit.listing.id)
        }
    }
    try expect(!expected.isEmpty, "some accountants' jobs pass both filters")
    try expect(expected.count < words.count, "the filters leave some out")
    try expectEqual(Set(page.hits.map { $0.listing.id }), expected)
}

run.test("latin transliteration finds the same jobs as cyrillic") {
    let cyrillic = try shared.search(query: SearchQuery(text: "Бухгалтер", pageSize: 200))
    let latin = try shared.search(query: SearchQuery(text: "buhgalter", pageSize: 200))
    try expect(cyrillic.total > 0)
    try expectEqual(latin.hits.map { $0.listing.id }, cyrillic.hits.map { $0.listing.id })
}

run.test("pages follow their tokens without duplicates or gaps") {
    let query = SearchQuery(sort: .newest, pageSize: 37)
    let first = try shared.search(query: query)
    let hits = try allHits(shared, query)
    let ids = hits.map { $0.listing.id }
    try expectEqual(Set(ids).count, ids.count)
    try expectEqual(UInt64(ids.count), first.total)
    try expect(ids.count > 37 * 3, "several pages")
    let times = hits.map { $0.listing.postedAtMs }
    try expectEqual(times, times.sorted(by: >))
    try expect(hits.allSatisfy { $0.listing.isOpen })
}

run.test("a token from another search is refused, naming the field") {
    let token = try shared.search(query: SearchQuery(text: "бухгалтер", pageSize: 5)).nextPageToken!
    try expectEqual(try invalidField {
        _ = try shared.search(query: SearchQuery(text: "мугалим", pageSize: 5, pageToken: token))
    }, "page_token")
}

run.test("nearest first within the radius") {
    let near = NearPoint(lat: 42.8746, lon: 74.5698, radiusKm: 3.0)
    let page = try shared.search(query: SearchQuery(filters: SearchFilters(near: near), sort: .distance,
                                                    pageSize: 100))
    try expect(!page.hits.isEmpty)
    let distances = page.hits.map { $0.distanceKm! }
    try expectEqual(distances, distances.sorted())
    try expect(distances.allSatisfy { $0 <= 3.0 + 1e-9 })
}

run.test("bad queries name their field") {
    try expectEqual(try invalidField { _ = try shared.search(query: SearchQuery(pageSize: 0)) }, "page_size")
    try expectEqual(try invalidField { _ = try shared.search(query: SearchQuery(sort: .distance)) }, "sort")
}

// MARK: Details and languages

run.test("details describe the building in Kyrgyz, Russian and English") {
    let store = try Demo.seeded(300)
    let onSite = try store.search(query: SearchQuery(filters: SearchFilters(workModes: [.onSite]),
                                                     pageSize: 200)).hits
    let id = try onSite.first { try store.listing(id: $0.listing.id).accessibility!.reportCount > 0 }!
        .listing.id
    var summaries: [Language: String] = [:]
    for language in [Language.ky, .ru, .en] {
        store.setLanguage(language: language)
        try expectEqual(store.language(), language)
        let details = try store.listing(id: id)
        let building = details.building!
        try expectEqual(details.summary.buildingId, building.id)
        let access = details.accessibility!
        try expectEqual(access.language, language)
        try expectEqual(access.requirements.map { $0.requirement }, AccessRequirement.allCases)
        try expect(!access.facts.isEmpty)
        try expect(access.description.count >= 3)
        try expectEqual(try store.buildingAccessibility(buildingId: building.id), access)
        summaries[language] = access.summary
    }
    try expect(hasCyrillic(summaries[.ky]!) && hasCyrillic(summaries[.ru]!))
    try expect(!hasCyrillic(summaries[.en]!), summaries[.en]!)
    try expect(summaries[.ky] != summaries[.ru])
}

run.test("missing and malformed ids are different errors") {
    let missing = UUID().uuidString.lowercased()
    let error = try expectTengError { _ = try shared.listing(id: missing) }
    try expectEqual(error, TengError.NotFound(what: "listing", id: missing))
    try expect(error.description.contains(missing), error.description)
    try expectEqual(try invalidField { _ = try shared.listing(id: "42") }, "id")
    try expectEqual(try invalidField { _ = try shared.buildingAccessibility(buildingId: "x") }, "building_id")
}

run.test("remote jobs have no building") {
    let remote = try shared.search(query: SearchQuery(filters: SearchFilters(workModes: [.remote]))).hits
    let details = try shared.listing(id: remote.first!.listing.id)
    try expect(details.building == nil && details.accessibility == nil)
    try expect(!details.applyVia.isEmpty)
}

// MARK: Labels

run.test("features and enums have labels in Kyrgyz, Russian and English") {
    try expectEqual(AccessFeature.doorWidth.label(language: .ky), "кире бериш эшигинин туурасы")
    try expectEqual(AccessFeature.doorWidth.label(language: .ru), "ширина входной двери")
    try expectEqual(AccessFeature.doorWidth.label(language: .en), "entrance door width")
    try expectEqual(Accommodation.signLanguageInterpreter.label(language: .ky), "жаңсоо тилинин котормочусу")
    try expectEqual(Region.issykKul.label(language: .ru), "Иссык-Кульская область")
    try expectEqual(Language.ky.label(language: .en), "Kyrgyz")
    try expectEqual(AccessFeature.doorWidth.code(), "door_width_cm")
    try expectEqual(AccessFeature.doorWidth.valueKind(), .centimetres)
    try expectEqual(AccessFeature.doorWidth.validRange(), ValueRange(min: 30, max: 300))
}

run.test("every choice has a label in every language") {
    let c = choices()
    try expectEqual(c.accessFeatures, AccessFeature.allCases)
    try expectEqual(c.accessFeatures.count, 29)
    var labels: [(String, (Language) -> String)] = []
    labels += c.categories.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.accommodations.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.regions.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.accessFeatures.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.accessRequirements.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.employmentTypes.map { v in (v.code(), { v.label(language: $0) }) }
    labels += c.grades.map { v in (v.code(), { v.label(language: $0) }) }
    for (code, label) in labels {
        for language in Language.allCases {
            try expect(!label(language).trimmingCharacters(in: .whitespaces).isEmpty, "\(code) \(language)")
        }
        try expect(!hasCyrillic(label(.en)), code)
    }
}

// MARK: Saved jobs

run.test("saved jobs list newest first and keep their first save time") {
    let store = try Demo.seeded(100)
    let hits = try store.search(query: SearchQuery(pageSize: 2)).hits
    let (a, b) = (hits[0].listing, hits[1].listing)
    let first = try store.saveJob(listingId: a.id, note: "позвонить в понедельник")
    try expectEqual(first.listing, a)
    Thread.sleep(forTimeInterval: 0.005)
    _ = try store.saveJob(listingId: b.id, note: nil)
    let updated = try store.saveJob(listingId: a.id, note: "уже позвонил")
    try expectEqual(updated.savedAtMs, first.savedAtMs)
    let saved = try store.savedJobs()
    try expectEqual(saved.map { $0.listingId }, [b.id, a.id])
    try expectEqual(saved[1].note, "уже позвонил")
    try expect(try store.isSaved(listingId: a.id) && store.listing(id: a.id).isSaved)
    try expect(try store.unsaveJob(listingId: a.id))
    try expect(!(try store.unsaveJob(listingId: a.id)))
    try expect(!(try store.isSaved(listingId: a.id)))
    try expectEqual(try invalidField { _ = try store.saveJob(listingId: "x", note: nil) }, "listing_id")
}

// MARK: Accessibility reports

run.test("a report is kept offline, read back, and bad ones name their field") {
    let store = try Demo.seeded(60)
    let buildingId = try store.search(query: SearchQuery(filters: SearchFilters(workModes: [.onSite])))
        .hits.first!.listing.buildingId!
    let doorWidth = Fact(feature: .doorWidth, value: .centimetres(value: 90))
    let ramp = Fact(feature: .ramp, value: .ramp(kind: .fixed))
    let signing = Fact(feature: .signLanguageStaff, value: .signLanguages(languages: [.russian]))
    func report(_ facts: [Fact], note: String? = "Вход со двора") -> NewReport {
        NewReport(buildingId: buildingId, reporter: "device-swift-test", method: .estimated, facts: facts,
                  note: note)
    }
    let stored = try store.recordReport(report: report([signing, doorWidth, ramp]))
    try expectEqual(stored.facts, [ramp, doorWidth, signing])
    try expectEqual(stored.reporterKind, .anonymous)
    try expectEqual(stored.note, "Вход со двора")
    try expectEqual(try store.myReports(buildingId: buildingId), [stored])
    try expectEqual(try store.stats().myReports, 1)
    var retry = report([doorWidth])
    retry.id = stored.id
    try expectEqual(try store.recordReport(report: retry), stored)

    try expectEqual(try invalidField {
        _ = try store.recordReport(report: report([Fact(feature: .doorWidth, value: .centimetres(value: 5))]))
    }, "facts.door_width_cm")
    try expectEqual(try invalidField {
        _ = try store.recordReport(report: report([Fact(feature: .doorWidth, value: .bool(value: true))]))
    }, "facts.door_width_cm")
    try expectEqual(try invalidField { _ = try store.recordReport(report: report([ramp, ramp])) }, "facts.ramp")
    try expectEqual(try invalidField { _ = try store.recordReport(report: report([], note: nil)) }, "facts")
    var future = report([doorWidth])
    future.observedAtMs = Int64(Date().timeIntervalSince1970 * 1000) + 3 * 86_400_000
    try expectEqual(try invalidField { _ = try store.recordReport(report: future) }, "observed_at_ms")
    try expectEqual(try store.myReports(buildingId: nil).count, 1)
}

run.test("an unsent report says so, cannot be reopened, and the privacy notice names what the city sees") {
    let store = try Demo.seeded(40, .en)
    let buildingId = try store.search(query: SearchQuery(filters: SearchFilters(workModes: [.onSite])))
        .hits.first!.listing.buildingId!
    let stored = try store.recordReport(report: NewReport(
        buildingId: buildingId, reporter: "device-swift-test", method: .measured,
        facts: [Fact(feature: .doorWidth, value: .centimetres(value: 80))], note: nil))
    try expect(!stored.sent && !stored.canReopen && !stored.reopenPending)
    try expectEqual(stored.status, .open)
    try expectEqual(stored.statusText, "Not sent yet: the city office will see this report after the next sync.")
    try expect(stored.statusUpdatedAtMs == nil && stored.statusHistory.isEmpty)
    try expect(stored.buildingName?.isEmpty == false, "the seeded building is named")
    try expectEqual(try store.myReports(buildingId: nil), [stored])
    try expectEqual(try invalidField { _ = try store.reopenReport(reportId: stored.id, note: nil) }, "report_id")
    try expectEqual(try invalidField { _ = try store.reopenReport(reportId: "the report", note: nil) }, "report_id")
    let missing = try expectTengError {
        _ = try store.reopenReport(reportId: "3f2b8c1e-0d4a-4c6e-9b7a-2e5f1a9c0b11", note: nil)
    }
    guard case .NotFound = missing else { throw ExpectationFailed(description: "expected NotFound, got \(missing)") }
    try expectEqual(try store.pendingActions().count, 1)
    try expectEqual(
        reportPrivacyNotice(language: .en),
        "The city office sees the building, what you reported, how you checked it and when; never your phone, its id or anything that identifies you.")
    try expect(reportPrivacyNotice(language: .ru).hasPrefix("Городская служба видит здание"))
    try expect(hasCyrillic(reportPrivacyNotice(language: .ky)))
    try expectEqual(ReportStatus.notResponsible.code(), "not_responsible")
}

// MARK: Errors

/// A valid, empty SQLite database (one 4096-byte page) whose user_version is `userVersion`, as a
/// newer app would leave it (sqlite.org/fileformat.html, "The Database Header").
func emptySqliteDatabase(userVersion: UInt32) -> Data {
    var page = [UInt8](repeating: 0, count: 4096)
    func put32(_ offset: Int, _ value: UInt32) {
        for i in 0..<4 { page[offset + i] = UInt8((value >> (8 * (3 - UInt32(i)))) & 0xff) }
    }
    page.replaceSubrange(0..<16, with: Array("SQLite format 3\u{0}".utf8))
    page[16] = 0x10; page[17] = 0x00 // page size 4096
    page[18] = 1; page[19] = 1 // rollback journal
    page[21] = 64; page[22] = 32; page[23] = 32
    put32(24, 1) // change counter
    put32(28, 1) // pages
    put32(44, 4) // schema format
    put32(56, 1) // UTF-8
    put32(60, userVersion)
    put32(92, 1)
    put32(96, 3_045_000)
    page[100] = 0x0D // empty leaf table b-tree
    page[105] = 0x10; page[106] = 0x00 // cell content at 4096
    return Data(page)
}

run.test("opening names the problem with the file") {
    let garbage = Demo.tempDir().appendingPathComponent("teng.db")
    try Data(repeating: 0x5a, count: 8192).write(to: garbage)
    guard case .StoreCorrupt = try expectTengError({ _ = try TengStore.open(path: garbage.path, language: .ru) })
    else { throw ExpectationFailed(description: "expected StoreCorrupt") }

    let newer = Demo.tempDir().appendingPathComponent("teng.db")
    try emptySqliteDatabase(userVersion: 99).write(to: newer)
    let supported = try Demo.open().stats().schemaVersion
    try expectEqual(try expectTengError { _ = try TengStore.open(path: newer.path, language: .ru) },
                    TengError.SchemaTooNew(found: 99, supported: supported))

    let nowhere = Demo.tempDir().appendingPathComponent("no/such/folder/teng.db")
    guard case .StoreUnavailable = try expectTengError({ _ = try TengStore.open(path: nowhere.path, language: .ru) })
    else { throw ExpectationFailed(description: "expected StoreUnavailable") }
}

run.test("a closed store answers StoreClosed") {
    let store = try Demo.open()
    store.closeStore()
    store.closeStore()
    try expect(store.isClosed())
    try expectEqual(try expectTengError { _ = try store.search(query: SearchQuery()) }, TengError.StoreClosed)
    try expectEqual(try expectTengError { _ = try store.savedJobs() }, TengError.StoreClosed)
}

// MARK: Threads

/// What the threads of the concurrency test report, behind a lock.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var _problems: [String] = []
    private var _rounds = 0

    func problem(_ text: String) { lock.lock(); _problems.append(text); lock.unlock() }
    func round() { lock.lock(); _rounds += 1; lock.unlock() }
    var problems: [String] { lock.lock(); defer { lock.unlock() }; return _problems }
    var rounds: Int { lock.lock(); defer { lock.unlock() }; return _rounds }
}

run.test("four threads search while one saves jobs") {
    let store = try Demo.seeded(1000)
    let queries = [
        SearchQuery(text: "бухгалтер"),
        SearchQuery(text: "bishkek", pageSize: 50),
        SearchQuery(filters: SearchFilters(accommodations: [.flexibleHours])),
        SearchQuery(text: "мугалим"),
    ]
    let expected = try queries.map { try store.search(query: $0) }
    let toSave = try store.search(query: SearchQuery(pageSize: 200)).hits.map { $0.listing.id }

    let tally = Tally()
    let group = DispatchGroup()
    for i in 0..<queries.count {
        DispatchQueue.global().async(group: group) {
            for _ in 0..<60 {
                do {
                    let page = try store.search(query: queries[i])
                    if page.hits.map({ $0.listing.id }) != expected[i].hits.map({ $0.listing.id })
                        || page.total != expected[i].total {
                        tally.problem("query \(i) changed while jobs were saved")
                    }
                    tally.round()
                } catch { tally.problem("query \(i): \(error)") }
            }
        }
    }
    DispatchQueue.global().async(group: group) {
        do {
            for id in toSave { _ = try store.saveJob(listingId: id, note: "saved from a background thread") }
            for id in toSave.prefix(50) { _ = try store.unsaveJob(listingId: id) }
        } catch { tally.problem("saver: \(error)") }
    }
    try expect(group.wait(timeout: .now() + 120) == .success, "threads finished")
    try expectEqual(tally.problems, [])
    try expectEqual(tally.rounds, 240)
    let saved = try store.savedJobs()
    try expectEqual(Set(saved.map { $0.listingId }), Set(toSave.dropFirst(50)))
}

// MARK: Sync (against the teng-server scripts/test-swift.sh starts on loopback)

let syncServer = ProcessInfo.processInfo.environment["TENG_TEST_SERVER_URL"]

final class ProgressRecorder: SyncListener, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [SyncProgress] = []
    func onProgress(progress: SyncProgress) {
        lock.lock(); seen.append(progress); lock.unlock()
    }
    var all: [SyncProgress] { lock.lock(); defer { lock.unlock() }; return seen }
}

func syncSettings(_ url: String, pageSize: UInt32 = 500) -> SyncSettings {
    SyncSettings(serverUrl: url, pageSize: pageSize, requestTimeoutMs: 10_000, maxAttempts: 3)
}

run.test("a first sync fills an empty store, reports progress, and an empty one is one request") {
    guard let url = syncServer else { throw ExpectationFailed(description: "TENG_TEST_SERVER_URL is not set") }
    let store = try Demo.open()
    try expect(!(try store.syncStatus().hasSynced))
    let recorder = ProgressRecorder()
    let outcome = try store.sync(settings: syncSettings(url, pageSize: 50), listener: recorder, cancellation: nil)
    try expect(outcome.received > 50, "received \(outcome.received)")
    try expect(try store.stats().listings > 0)
    let receiving = recorder.all.filter { $0.phase == .receiving }
    try expect(receiving.count > 2, "progress per page")
    try expectEqual(receiving.last!.expected, receiving.last!.done)
    let status = try store.syncStatus()
    try expect(status.hasSynced && status.deviceRegistered && status.lastSuccessAtMs != nil)
    try expect(status.progress == nil && status.lastError == nil)
    try expect(!(try store.search(query: SearchQuery(text: "бухгалтер")).hits.isEmpty))
    let again = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    try expectEqual(again.requests, 1)
    try expectEqual(again.received, 0)
}

run.test("actions taken offline are sent once, and come back after a reinstall") {
    guard let url = syncServer else { throw ExpectationFailed(description: "TENG_TEST_SERVER_URL is not set") }
    let store = try Demo.open()
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    let job = try store.search(query: SearchQuery(filters: SearchFilters(workModes: [.onSite]))).hits.first!.listing
    _ = try store.saveJob(listingId: job.id, note: "позвонить")
    _ = try store.recordReport(report: NewReport(
        buildingId: job.buildingId!, reporter: "swift-sync-test", method: .estimated,
        facts: [Fact(feature: .stepFreeEntrance, value: .bool(value: true))], note: nil))
    try expectEqual(try store.pendingActions().map { $0.kind }, [.saveJob, .submitReport])
    let outcome = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    try expectEqual(outcome.sent, 2)
    try expect(outcome.problems.isEmpty)
    try expectEqual(try store.syncStatus().pending, 0)
    let reinstalled = try Demo.open()
    try reinstalled.setDeviceToken(token: try store.deviceToken()!)
    _ = try reinstalled.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    try expectEqual(try reinstalled.savedJobs().map { $0.listingId }, [job.id])
}

run.test("an unreachable server is Offline and the queue is kept") {
    let store = try Demo.seeded(20)
    let job = try store.search(query: SearchQuery()).hits.first!.listing
    _ = try store.saveJob(listingId: job.id, note: nil)
    // Port 9 (discard) has nothing listening on loopback here.
    let error = try expectTengError {
        _ = try store.sync(settings: SyncSettings(serverUrl: "http://127.0.0.1:9", maxAttempts: 2),
                           listener: nil, cancellation: nil)
    }
    guard case .Offline = error else { throw ExpectationFailed(description: "expected Offline, got \(error)") }
    try expectEqual(try store.syncStatus().pending, 1)
    try expect(try store.syncStatus().lastError != nil)
}

run.test("a cancelled sync throws Cancelled and keeps what arrived") {
    guard let url = syncServer else { throw ExpectationFailed(description: "TENG_TEST_SERVER_URL is not set") }
    let store = try Demo.open()
    let cancellation = SyncCancellation()
    final class CancelOnFirstPage: SyncListener, @unchecked Sendable {
        let cancellation: SyncCancellation
        init(_ c: SyncCancellation) { cancellation = c }
        func onProgress(progress: SyncProgress) {
            if progress.phase == .receiving && progress.done > 0 { cancellation.cancel() }
        }
    }
    let error = try expectTengError {
        _ = try store.sync(settings: syncSettings(url, pageSize: 20),
                           listener: CancelOnFirstPage(cancellation), cancellation: cancellation)
    }
    guard case .Cancelled = error else { throw ExpectationFailed(description: "expected Cancelled, got \(error)") }
    let partial = try store.stats().listings
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    try expect(try store.stats().listings > partial)
}

run.test("the city office's answer comes back and \"still not fixed\" goes up") {
    guard let url = syncServer else { throw ExpectationFailed(description: "TENG_TEST_SERVER_URL is not set") }
    let city = CityOffice(url)
    let store = try Demo.open(.en)
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    let building = try store.search(query: SearchQuery(filters: SearchFilters(workModes: [.onSite])))
        .hits.first!.listing.buildingId!
    let report = try store.recordReport(report: NewReport(
        buildingId: building, reporter: "swift-city-test", method: .measured,
        facts: [Fact(feature: .stepFreeEntrance, value: .bool(value: false))], note: nil))
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    let sent = try store.myReports(buildingId: nil)[0]
    try expect(sent.sent)
    try expectEqual(sent.statusText, "The city office has received this report and not answered yet.")

    try city.answer(report.id, "acknowledged")
    try city.answer(report.id, "resolved", note: "Пандус орнотулду", lang: "ky")
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    let resolved = try store.myReports(buildingId: building)[0]
    try expectEqual(resolved.status, .resolved)
    try expect(resolved.canReopen)
    try expectEqual(resolved.statusNote, "Пандус орнотулду")
    try expectEqual(resolved.statusNoteLanguage, .ky)
    try expect(resolved.statusText.hasPrefix("The city office marked this resolved on "), resolved.statusText)
    try expect(resolved.statusText.hasSuffix(": Пандус орнотулду (in Kyrgyz)."), resolved.statusText)
    try expectEqual(resolved.statusHistory.map { $0.status }, [.acknowledged, .resolved])
    try expect(resolved.statusHistory.allSatisfy { $0.author == .city })

    let waiting = try store.reopenReport(reportId: report.id, note: "still two steps")
    try expectEqual(waiting.status, .reopened)
    try expect(waiting.reopenPending && !waiting.canReopen)
    try expectEqual(waiting.statusText, "You said that this is still not fixed (waiting to send): still two steps.")
    try expectEqual(try store.pendingActions().map { $0.kind }, [.reopenReport])
    try expectEqual(try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil).sent, 1)
    let back = try store.myReports(buildingId: nil)[0]
    try expectEqual(back.status, .reopened)
    try expect(!back.reopenPending && !back.canReopen)
    try expectEqual(back.statusHistory.last?.author, .reporter)

    // The office overtakes a reopen made offline: refused, dropped, kept as a problem.
    try city.answer(report.id, "resolved", note: "Done now", lang: "en")
    _ = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil)
    _ = try store.reopenReport(reportId: report.id, note: nil)
    try city.answer(report.id, "in_progress", note: "Checking again", lang: "en")
    let problems = try store.sync(settings: syncSettings(url), listener: nil, cancellation: nil).problems
    try expectEqual(problems.count, 1)
    try expectEqual(problems[0].action, .reopenReport)
    try expectEqual(problems[0].code, "invalid_state")
    try expectEqual(try store.syncStatus().pending, 0)
    try expectEqual(try store.myReports(buildingId: nil)[0].status, .inProgress)
}

Demo.cleanUp()
exit(run.finish())
