package kg.teng.shared.support

import kg.teng.core.AccessFeature
import kg.teng.core.AccessLevel
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.NewReport
import kg.teng.core.RampKind
import kg.teng.core.ReportMethod
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.core.WorkMode
import kg.teng.core.SyncSettings
import kg.teng.core.TengStore
import kg.teng.shared.Clock
import kg.teng.shared.SyncResult
import kg.teng.shared.TengRepository
import java.io.File
import java.nio.file.Files
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancel
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.Assert.assertTrue

/** Temporary folders, removed when the JVM exits. */
object Temp {
    private val folders = CopyOnWriteArrayList<File>()

    init {
        Runtime.getRuntime().addShutdownHook(Thread { folders.forEach { it.deleteRecursively() } })
    }

    fun dir(prefix: String = "teng-android-demo-"): File =
        Files.createTempDirectory(prefix).toFile().also { folders += it }
}

/** A clock the test moves by hand ("5 minutes later"). */
class TestClock(start: Long = System.currentTimeMillis()) : Clock {
    private val now = AtomicLong(start)
    override fun nowMs(): Long = now.get()
    fun advanceMinutes(minutes: Long) { now.addAndGet(minutes * 60_000) }
    fun set(ms: Long) = now.set(ms)
}

/**
 * One phone: its own database file in a temp folder, the real core through the generated
 * bindings, a repository syncing with [serverUrl], and a coroutine scope for its presenters.
 * Uncaught exceptions in that scope fail the test at [close].
 */
class Phone(
    val serverUrl: String,
    language: Language = Language.EN,
    pageSize: UInt = 500u,
    val clock: Clock = Clock.SYSTEM,
    /** Few tries: a stopped server must answer "offline" in well under a second. */
    maxAttempts: UInt = 2u,
    /** The folder of an earlier phone: the app opened again on the same database. */
    val dir: File = Temp.dir(),
) : AutoCloseable {
    val store: TengStore = TengStore.open(File(dir, "teng.db").path, language)
    private val failures = CopyOnWriteArrayList<Throwable>()
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default + CoroutineExceptionHandler { _, e -> failures += e })
    val repository = TengRepository(
        store = store,
        syncSettings = SyncSettings(serverUrl = serverUrl, pageSize = pageSize, requestTimeoutMs = 10_000uL, maxAttempts = maxAttempts),
        reporterId = "android-demo-test-${UUID.randomUUID()}",
        appScope = scope,
        io = Dispatchers.IO,
        clock = clock,
    )

    /** Syncs and fails the test unless the sync finished. */
    fun syncOrFail(): SyncResult.Done = runBlocking {
        when (val result = repository.startSync().await()) {
            is SyncResult.Done -> result
            else -> throw AssertionError("sync with $serverUrl did not finish: $result")
        }
    }

    override fun close() {
        scope.cancel()
        store.closeStore()
        if (failures.isNotEmpty()) throw AssertionError("uncaught in the phone's scope: ${failures.first()}", failures.first())
    }

    companion object {
        /** A phone on the shared test server. */
        fun online(language: Language = Language.EN, pageSize: UInt = 500u, clock: Clock = Clock.SYSTEM) =
            Phone(TestServer.shared.url, language, pageSize, clock)

        /** A phone whose server address has nothing listening: it is offline. */
        fun offline(language: Language = Language.EN, clock: Clock = Clock.SYSTEM) =
            Phone("http://127.0.0.1:${TestServer.unusedPort()}", language, clock = clock)
    }
}

/** Waits until the state satisfies [predicate]; on timeout, fails with the last state seen. */
suspend fun <S> StateFlow<S>.await(timeoutMs: Long = 30_000, what: String = "the expected state", predicate: (S) -> Boolean): S =
    try {
        withTimeout(timeoutMs) { first(predicate) }
    } catch (e: TimeoutCancellationException) {
        throw AssertionError("timed out after $timeoutMs ms waiting for $what; last state:\n$value")
    }

fun hasCyrillic(text: String) = text.any { it in '\u0400'..'\u04FF' }

fun assertContains(text: String?, part: String) =
    assertTrue("expected «$part» in «$text»", text != null && text.contains(part))

/**
 * A building two visitors reported on from their phones (their reports went to the server by
 * sync, which re-aggregated the building's summary): later phones receive its accessibility.
 * The server's demo data has buildings but no reports. Made once per run.
 */
object Surveys {
    val building: String by lazy {
        val surveyors = listOf(Phone.online(), Phone.online())
        try {
            surveyors.forEach { it.syncOrFail() }
            val first = surveyors.first()
            val building = first.store.search(
                SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)), sort = SortOrder.NEWEST, pageSize = 10u),
            ).hits.first().listing.buildingId!!
            fun report(vararg facts: Fact, note: String?) = NewReport(
                buildingId = building, reporter = "surveyor", method = ReportMethod.MEASURED, facts = facts.toList(), note = note,
            )
            first.store.recordReport(
                report(
                    Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(false)),
                    Fact(AccessFeature.ENTRANCE_STEP_COUNT, FactValue.Count(2u)),
                    Fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(90u)),
                    Fact(AccessFeature.TOILET, FactValue.Access(AccessLevel.LIMITED)),
                    note = "The entrance is from the yard; the bell is on the right.",
                ),
            )
            surveyors[1].store.recordReport(
                report(
                    Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(false)),
                    Fact(AccessFeature.ENTRANCE_STEP_COUNT, FactValue.Count(2u)),
                    Fact(AccessFeature.RAMP, FactValue.Ramp(RampKind.REMOVABLE)),
                    Fact(AccessFeature.ELEVATOR, FactValue.Bool(false)),
                    note = null,
                ),
            )
            surveyors.forEach { check(it.syncOrFail().outcome.sent == 1uL) }
            building
        } finally {
            surveyors.forEach { it.close() }
        }
    }
}

/** An open job in [building] on this phone. */
fun Phone.jobIn(building: String): kg.teng.core.ListingSummary {
    var query = SearchQuery(sort = SortOrder.NEWEST, pageSize = 200u)
    while (true) {
        val page = store.search(query)
        page.hits.firstOrNull { it.listing.buildingId == building }?.let { return it.listing }
        query = query.copy(pageToken = page.nextPageToken ?: error("no open job in building $building"))
    }
}
