package kg.teng.shared

import kg.teng.core.AccessLevel
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.WorkMode
import kg.teng.shared.home.Connection
import kg.teng.shared.home.HomePresenter
import kg.teng.shared.report.ReportPresenter
import kg.teng.shared.report.SendState
import kg.teng.shared.saved.SavedJobsPresenter
import kg.teng.shared.search.SearchPresenter
import kg.teng.shared.support.Phone
import kg.teng.shared.support.TestServer
import kg.teng.shared.support.await
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * The server goes away and comes back (same port, same database): meanwhile the app searches,
 * shows saved jobs, says it is offline and keeps a report pending; once the server is back, one
 * sync sends everything.
 */
class OfflineJourneyTest {

    @Test
    fun whenTheServerStopsTheAppKeepsWorkingAndSendsEverythingOnceItIsBack() = runBlocking<Unit> {
        val server = TestServer.shared
        Phone.online().use { phone ->
            phone.syncOrFail()
            val home = HomePresenter(phone.repository, phone.scope)
            home.start()
            val buildingId = phone.store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)), pageSize = 30u))
                .hits.mapNotNull { it.listing.buildingId }.first()
            try {
                server.stop()

                // A sync now fails as "offline"; nothing is lost and the screen says so plainly.
                val failed = home.sync().await()
                assertTrue("$failed", failed is SyncResult.Offline)
                var state = home.state.await(what = "offline") { it.connection == Connection.OFFLINE && !it.sync.running }
                assertEquals(Phrases.SYNC_OFFLINE.en, state.resultText)
                assertTrue(state.statusAnnouncement, state.statusAnnouncement.startsWith("Offline: Teng's server cannot be reached."))
                assertTrue(state.lastSyncText, state.lastSyncText.startsWith("Last synced "))

                // Search works offline.
                val search = SearchPresenter(phone.repository, phone.scope)
                search.start()
                search.setText("бухгалтер")
                search.search().join()
                assertTrue(search.state.value.results.isNotEmpty())

                // Saving and reporting work offline, and wait.
                val job = search.state.value.results.first()
                val saved = SavedJobsPresenter(phone.repository, phone.scope)
                saved.start()
                saved.save(job.listingId).join()
                assertEquals("Not sent yet", saved.state.value.rows.single().notSentText)
                val report = ReportPresenter(phone.repository, phone.scope, buildingId)
                report.start()
                report.state.await(what = "the form") { it.stepFree != null }
                report.edit { it.copy(stepFree = true, toilet = AccessLevel.YES) }
                report.submit().join()
                assertEquals(SendState.PENDING, report.state.value.myReports.single().status)
                state = home.state.await(what = "two actions waiting") { it.pendingText == "Actions not sent yet: 2." }
                assertEquals(listOf(job.title), state.savedJobs.map { it.title })
                assertEquals("Not sent yet", state.savedJobs.single().notSentText)

                // Still offline: still pending.
                assertTrue(home.sync().await() is SyncResult.Offline)
                assertEquals(SendState.PENDING, report.state.value.myReports.single().status)
                assertEquals(2uL, phone.store.syncStatus().pending)

                // The server is back on the same address and database.
                server.restart()
                val done = home.sync().await()
                assertTrue("$done", done is SyncResult.Done)
                assertEquals(2uL, (done as SyncResult.Done).outcome.sent)
                state = home.state.await(what = "back online") { it.connection == Connection.ONLINE && it.pendingText == null }
                assertEquals("Last synced just now.", state.lastSyncText)
                report.state.await(what = "the report sent") { it.myReports.singleOrNull()?.status == SendState.SENT }
                saved.state.await(what = "the save sent") { s -> s.rows.singleOrNull()?.notSentText == null }
                val reportId = phone.store.myReports(buildingId).single().id
                assertTrue("the server has the report", reportId in server.reportIds(buildingId))
            } finally {
                server.ensureRunning()
            }
        }
    }
}
