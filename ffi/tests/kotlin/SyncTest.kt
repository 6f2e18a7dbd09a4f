package kg.teng.core.test

import kg.teng.core.AccessFeature
import kg.teng.core.ActionKind
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.NewReport
import kg.teng.core.ProblemKind
import kg.teng.core.ReportMethod
import kg.teng.core.ReportStatus
import kg.teng.core.StatusAuthor
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SyncCancellation
import kg.teng.core.SyncListener
import kg.teng.core.SyncPhase
import kg.teng.core.SyncProgress
import kg.teng.core.SyncSettings
import kg.teng.core.TengException
import kg.teng.core.WorkMode
import java.net.ServerSocket
import java.util.Collections
import java.util.UUID
import kotlin.concurrent.thread
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Sync against the real teng-server that scripts/test-kotlin.sh starts on loopback. */
class SyncTest {
    private val server: String = System.getenv("TENG_TEST_SERVER_URL")
        ?: error("TENG_TEST_SERVER_URL is not set: run these tests through scripts/test-kotlin.sh")

    private fun settings() = SyncSettings(serverUrl = server, requestTimeoutMs = 10_000uL, maxAttempts = 3u)

    private class Recorder : SyncListener {
        val seen: MutableList<SyncProgress> = Collections.synchronizedList(mutableListOf())
        override fun onProgress(progress: SyncProgress) {
            seen += progress
        }
    }

    @Test
    fun aFirstSyncFillsAnEmptyStoreAndReportsProgress() {
        val store = Demo.open()
        assertFalse(store.syncStatus().hasSynced)
        val recorder = Recorder()
        val outcome = store.sync(settings().copy(pageSize = 50u), recorder, null)

        assertTrue(outcome.received > 50uL)
        assertTrue(outcome.bytesReceived > 0uL)
        assertEquals(0uL, outcome.sent)
        assertTrue(store.stats().listings > 0uL)
        val receiving = recorder.seen.filter { it.phase == SyncPhase.RECEIVING }
        assertTrue("several pages: $receiving", receiving.size > 2)
        assertEquals(receiving.last().expected, receiving.last().done)

        val status = store.syncStatus()
        assertTrue(status.hasSynced)
        assertTrue(status.deviceRegistered)
        assertNotNull(status.lastSuccessAtMs)
        assertNull(status.lastError)
        assertNull("no sync is running", status.progress)
        assertNotNull(store.deviceToken())

        // Found offline right after, in Cyrillic.
        val hits = store.search(SearchQuery(text = "бухгалтер")).hits
        assertTrue(hits.isNotEmpty())

        val again = store.sync(settings(), null, null)
        assertEquals(1uL, again.requests)
        assertEquals(0uL, again.received)
    }

    @Test
    fun actionsTakenOfflineAreSentOnceAndLeaveTheQueue() {
        val store = Demo.open()
        store.sync(settings(), null, null)
        val onSite = store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)))).hits
        val job = onSite.first().listing
        store.saveJob(job.id, "позвонить в понедельник")
        store.recordReport(
            NewReport(
                buildingId = job.buildingId!!,
                reporter = "kotlin-sync-test",
                method = ReportMethod.ESTIMATED,
                facts = listOf(Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(true))),
                note = null,
            ),
        )
        val pending = store.pendingActions()
        assertEquals(listOf(ActionKind.SAVE_JOB, ActionKind.SUBMIT_REPORT), pending.map { it.kind })
        assertTrue(store.hasPendingAction(job.id))
        assertEquals(2uL, store.syncStatus().pending)

        val outcome = store.sync(settings(), null, null)
        assertEquals(2uL, outcome.sent)
        assertTrue(outcome.problems.isEmpty())
        assertEquals(0uL, store.syncStatus().pending)
        assertFalse(store.hasPendingAction(job.id))

        // The same device reinstalled: its token brings the saved job back.
        val reinstalled = Demo.open()
        reinstalled.setDeviceToken(store.deviceToken()!!)
        reinstalled.sync(settings(), null, null)
        assertEquals(listOf(job.id), reinstalled.savedJobs().map { it.listingId })
    }

    @Test
    fun aRefusedActionBecomesAProblemUntilDismissed() {
        val store = Demo.open()
        store.sync(settings(), null, null)
        val unknown = UUID.randomUUID().toString()
        store.saveJob(unknown, null)
        val outcome = store.sync(settings(), null, null)
        assertEquals(1, outcome.problems.size)
        val problem = outcome.problems.single()
        assertEquals(ProblemKind.REJECTED, problem.kind)
        assertEquals(ActionKind.SAVE_JOB, problem.action)
        assertEquals(unknown, problem.targetId)
        assertEquals("not_found", problem.code)
        assertEquals(listOf(problem), store.syncProblems())
        assertTrue(store.dismissSyncProblem(problem.actionId))
        assertTrue(store.syncProblems().isEmpty())
        assertEquals(0uL, store.syncStatus().problems)
    }

    @Test
    fun theCityOfficesAnswerComesBackAndStillNotFixedGoesUp() {
        val city = CityOffice(server)
        val store = Demo.open(Language.EN)
        store.sync(settings(), null, null)
        val building = store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)))).hits
            .first().listing.buildingId!!
        val report = store.recordReport(
            NewReport(
                buildingId = building,
                reporter = "kotlin-city-test",
                method = ReportMethod.MEASURED,
                facts = listOf(Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(false))),
                note = null,
            ),
        )
        store.sync(settings(), null, null)
        val sent = store.myReports(null).single()
        assertTrue(sent.sent)
        assertEquals(ReportStatus.OPEN, sent.status)
        assertEquals("The city office has received this report and not answered yet.", sent.statusText)

        city.answer(report.id, "acknowledged")
        city.answer(report.id, "resolved", "Пандус орнотулду", "ky")
        store.sync(settings(), null, null)
        val resolved = store.myReports(building).single()
        assertEquals(ReportStatus.RESOLVED, resolved.status)
        assertTrue(resolved.canReopen)
        assertEquals("Пандус орнотулду", resolved.statusNote)
        assertEquals(Language.KY, resolved.statusNoteLanguage)
        assertNotNull(resolved.statusUpdatedAtMs)
        assertTrue(resolved.statusText, resolved.statusText.startsWith("The city office marked this resolved on "))
        assertTrue(resolved.statusText, resolved.statusText.endsWith(": Пандус орнотулду (in Kyrgyz)."))
        assertEquals(listOf(ReportStatus.ACKNOWLEDGED, ReportStatus.RESOLVED), resolved.statusHistory.map { it.status })
        assertTrue(resolved.statusHistory.all { it.author == StatusAuthor.CITY })

        val waiting = store.reopenReport(report.id, "still two steps")
        assertEquals(ReportStatus.REOPENED, waiting.status)
        assertTrue(waiting.reopenPending)
        assertFalse(waiting.canReopen)
        assertEquals("You said that this is still not fixed (waiting to send): still two steps.", waiting.statusText)
        assertEquals(listOf(ActionKind.REOPEN_REPORT), store.pendingActions().map { it.kind })
        assertEquals(1uL, store.sync(settings(), null, null).sent)
        val back = store.myReports(null).single()
        assertEquals(ReportStatus.REOPENED, back.status)
        assertFalse(back.reopenPending || back.canReopen)
        assertEquals(StatusAuthor.REPORTER, back.statusHistory.last().author)
        assertTrue(back.statusText, back.statusText.endsWith("that this is still not fixed: still two steps."))

        // The office overtakes a reopen made offline: refused, dropped, kept as a problem.
        city.answer(report.id, "resolved", "Done now", "en")
        store.sync(settings(), null, null)
        store.reopenReport(report.id, null)
        city.answer(report.id, "in_progress", "Checking again", "en")
        val refused = store.sync(settings(), null, null).problems.single()
        assertEquals(ActionKind.REOPEN_REPORT, refused.action)
        assertEquals("invalid_state", refused.code)
        assertEquals(report.id, refused.targetId)
        assertEquals(0uL, store.syncStatus().pending)
        assertEquals(ReportStatus.IN_PROGRESS, store.myReports(null).single().status)
    }

    @Test
    fun anUnreachableServerIsOfflineAndNothingIsLost() {
        val store = Demo.seeded(30u)
        val job = store.search(SearchQuery()).hits.first().listing
        store.saveJob(job.id, null)
        val port = ServerSocket(0).use { it.localPort }
        val e = assertThrowsTeng<TengException.Offline> {
            store.sync(SyncSettings(serverUrl = "http://127.0.0.1:$port", maxAttempts = 2u), null, null)
        }
        assertTrue(e.toString(), e.reason.contains("cannot reach"))
        val status = store.syncStatus()
        assertEquals(1uL, status.pending)
        assertNotNull(status.lastError)
        assertTrue("offline data still searchable", store.search(SearchQuery()).total > 0uL)
    }

    @Test
    fun badSettingsNameTheirField() {
        val store = Demo.open()
        val url = assertThrowsTeng<TengException.InvalidInput> {
            store.sync(SyncSettings(serverUrl = "ftp://example"), null, null)
        }
        assertEquals("server_url", url.field)
        val page = assertThrowsTeng<TengException.InvalidInput> {
            store.sync(settings().copy(pageSize = 0u), null, null)
        }
        assertEquals("page_size", page.field)
    }

    @Test
    fun aSyncIsCancelledFromAnotherThreadAndTheNextOneFinishes() {
        val store = Demo.open()
        val cancellation = SyncCancellation()
        // Cancel from the listener's first page on another thread, as a Cancel button would.
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                if (progress.phase == SyncPhase.RECEIVING && progress.done > 0uL) {
                    thread { cancellation.cancel() }.join()
                }
            }
        }
        assertThrowsTeng<TengException.Cancelled> {
            store.sync(settings().copy(pageSize = 20u), listener, cancellation)
        }
        assertTrue(cancellation.isCancelled())
        val partial = store.stats().listings
        assertTrue(store.syncStatus().hasSynced)
        store.sync(settings(), null, null)
        assertTrue(store.stats().listings > partial)
    }

    @Test
    fun searchesRunWhileASyncIsReceiving() {
        val store = Demo.seeded(200u)
        val errors = Collections.synchronizedList(mutableListOf<Throwable>())
        val searches = (1..3).map {
            thread {
                try {
                    repeat(30) { store.search(SearchQuery(text = "бухгалтер")) }
                } catch (e: Throwable) {
                    errors += e
                }
            }
        }
        store.sync(settings().copy(pageSize = 50u), null, null)
        searches.forEach { it.join() }
        assertEquals(emptyList<Throwable>(), errors.toList())
        val second = thread { store.sync(settings(), null, null) }
        second.join()
        assertTrue(store.syncStatus().hasSynced)
    }
}
