package kg.teng.shared

import kg.teng.core.SearchQuery
import kg.teng.shared.home.Connection
import kg.teng.shared.home.HomePresenter
import kg.teng.shared.home.HomeState
import kg.teng.shared.support.Phone
import kg.teng.shared.support.TestClock
import kg.teng.shared.support.TestServer
import kg.teng.shared.support.assertContains
import kg.teng.shared.support.await
import kg.teng.shared.text.Phrases
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Journey 1: the first screen, offline or not, and the first sync with progress and cancel. */
class FirstLaunchTest {

    @Test
    fun onAFreshPhoneWithoutNetworkTheHomeScreenSaysNeverSyncedAndOffline() = runBlocking<Unit> {
        Phone.offline().use { phone ->
            val home = HomePresenter(phone.repository, phone.scope)
            home.start()
            var state = home.state.await(what = "the first load") { !it.loading }
            assertEquals("Never synced.", state.lastSyncText)
            assertEquals(Connection.UNKNOWN, state.connection)
            assertEquals(Phrases.NO_JOBS_ON_PHONE.en, state.emptyCatalogueText)
            assertEquals(Phrases.NO_SAVED_JOBS.en, state.savedText)

            // The platform's network callback says "no network": offline at once, no sync needed.
            phone.repository.setNetworkAvailable(false)
            state = home.state.await(what = "offline") { it.connection == Connection.OFFLINE }
            assertContains(state.connectionText, "Offline")
            assertContains(state.statusAnnouncement, "Offline")
            assertContains(state.statusAnnouncement, "Never synced.")

            // The network is back but the server cannot be reached: a sync fails, nothing is lost.
            phone.repository.setNetworkAvailable(true)
            home.state.await(what = "online per the platform") { it.connection == Connection.ONLINE }
            val result = home.sync().await()
            assertTrue("$result", result is SyncResult.Offline)
            state = home.state.await(what = "offline after the sync") { it.resultText != null && !it.sync.running }
            assertEquals(Connection.OFFLINE, state.connection)
            assertEquals(Phrases.SYNC_OFFLINE.en, state.resultText)
            assertEquals("Never synced.", state.lastSyncText)
        }
    }

    @Test
    fun openedOfflineAfterEarlierSyncsItShowsSavedJobsAndWhenItLastSynced() = runBlocking<Unit> {
        val earlier = Phone.online()
        val saved = earlier.use { phone ->
            phone.syncOrFail()
            val jobs = phone.store.search(SearchQuery(pageSize = 2u)).hits.map { it.listing }
            jobs.forEach { phone.store.saveJob(it.id, null) }
            phone.syncOrFail()
            jobs
        }
        assertEquals(2, saved.size)

        // The same database, the server unreachable, five minutes later.
        val clock = TestClock()
        Phone("http://127.0.0.1:${TestServer.unusedPort()}", clock = clock, dir = earlier.dir).use { phone ->
            val syncedAt = phone.store.syncStatus().lastSuccessAtMs!!
            clock.set(syncedAt + 5 * 60_000 + 1_000)
            val home = HomePresenter(phone.repository, phone.scope)
            home.start(syncOnStart = true)
            val state = home.state.await(what = "the failed sync on start") { it.resultText != null && !it.sync.running }
            assertEquals(Connection.OFFLINE, state.connection)
            assertEquals("Last synced 5 minutes ago.", state.lastSyncText)
            assertEquals(
                "Offline: Teng's server cannot be reached. The jobs on this phone work without a connection. Last synced 5 minutes ago.",
                state.statusAnnouncement,
            )
            assertEquals(saved.map { it.title }.toSet(), state.savedJobs.map { it.title }.toSet())
            assertTrue(state.savedJobs.all { it.notSentText == null })
            assertEquals("Saved jobs: 2.", state.savedText)
            assertNull(state.emptyCatalogueText)
        }
    }

    @Test
    fun theFirstSyncShowsProgressCanBeCancelledAndResumes() = runBlocking<Unit> {
        Phone.online(pageSize = 25u).use { phone ->
            val home = HomePresenter(phone.repository, phone.scope)
            home.start()
            home.state.await(what = "the first load") { !it.loading }
            val seen = CopyOnWriteArrayList<HomeState>()
            // Unconfined: every state, as it is set.
            phone.scope.launch(Dispatchers.Unconfined) { home.state.collect { seen += it } }
            val receiving = Regex("""Receiving changes: ([\d,]+) of ([\d,]+)""")
            // Like a user: see "Receiving changes: 25 of 313" on the screen, then press "Cancel".
            phone.scope.launch {
                home.state.first { state ->
                    val counted = state.sync.progressText?.let { receiving.matchEntire(it) }
                    counted != null && counted.groupValues[1] != "0" && state.sync.canCancel
                }
                home.cancelSync()
            }
            val cancelled = home.sync().await()
            assertEquals(SyncResult.Cancelled, cancelled)
            var state = home.state.await(what = "the cancelled sync") { !it.sync.running && it.resultText != null }
            assertEquals(Phrases.SYNC_CANCELLED.en, state.resultText)
            assertEquals("Never synced.", state.lastSyncText)

            val progress = seen.mapNotNull { it.sync.progressText }
            assertTrue("$progress", progress.first() == "Starting to sync…")
            val counted = progress.mapNotNull { receiving.matchEntire(it) }
            assertTrue("a 'receiving N of M' line: $progress", counted.isNotEmpty())
            val (done, expected) = counted.first().destructured.let { (d, e) -> d.replace(",", "").toLong() to e.replace(",", "").toLong() }
            assertTrue("$done of $expected", done in 1 until expected)
            assertTrue(seen.any { it.sync.canCancel && it.sync.fraction != null && it.sync.fraction!! > 0f && it.sync.fraction!! < 1f })
            assertTrue("cancelling is said", progress.contains(Phrases.CANCELLING.en))
            val partial = phone.repository.stats()

            // What arrived is kept; the next sync goes on from there and finishes.
            seen.clear()
            val finished = home.sync().await()
            assertTrue("$finished", finished is SyncResult.Done)
            state = home.state.await(what = "the finished sync") { it.lastSyncText == "Last synced just now." }
            assertEquals(Connection.ONLINE, state.connection)
            assertContains(state.resultText, "Sync finished. Changes received: ")
            val full = phone.repository.stats()
            assertTrue("${partial.listings} then ${full.listings}", full.listings > partial.listings)
            assertTrue(full.listings > 100uL)
            assertNull(state.emptyCatalogueText)
            val counts = seen.mapNotNull { it.sync.progressText }.mapNotNull { receiving.matchEntire(it) }
                .map { it.groupValues[1].replace(",", "").toLong() }
            assertTrue("progress while resuming: $counts", counts.isNotEmpty())
            assertEquals("progress only goes forward", counts.sorted(), counts)
        }
    }

    @Test
    fun lastSyncedTimeAgesWithTheClock() = runBlocking<Unit> {
        val clock = TestClock()
        Phone.online(clock = clock).use { phone ->
            phone.syncOrFail()
            val home = HomePresenter(phone.repository, phone.scope)
            home.start()
            val syncedAt = phone.store.syncStatus().lastSuccessAtMs!!
            clock.set(syncedAt + 3 * 3_600_000 + 1)
            home.refresh().join()
            assertEquals("Last synced 3 hours ago.", home.state.value.lastSyncText)
            clock.set(syncedAt + 50 * 3_600_000)
            home.refresh().join()
            assertEquals("Last synced 2 days ago.", home.state.value.lastSyncText)
        }
    }
}
