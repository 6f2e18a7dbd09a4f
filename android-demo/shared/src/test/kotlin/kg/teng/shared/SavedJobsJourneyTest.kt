package kg.teng.shared

import kg.teng.core.ListingStatus
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.shared.saved.Availability
import kg.teng.shared.saved.SavedJobsPresenter
import kg.teng.shared.support.Phone
import kg.teng.shared.support.TestServer
import kg.teng.shared.support.assertContains
import kg.teng.shared.support.await
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Journey 5: saved jobs, "not sent yet" until a sync, and jobs that closed or went away. */
class SavedJobsJourneyTest {

    private suspend fun Phone.savedList(): SavedJobsPresenter {
        val presenter = SavedJobsPresenter(repository, scope)
        presenter.start()
        presenter.state.await(what = "the saved jobs") { !it.loading }
        return presenter
    }

    private fun Phone.newest(n: Int) =
        store.search(SearchQuery(sort = SortOrder.NEWEST, pageSize = n.toUInt())).hits.map { it.listing }

    @Test
    fun savesAreMarkedNotSentUntilASyncSendsThem() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val saved = phone.savedList()
            assertEquals(Phrases.NO_SAVED_JOBS.en, saved.state.value.emptyText)
            val (first, second) = phone.newest(2)
            saved.save(first.id, "call on Monday").join()
            saved.save(second.id).join()
            var state = saved.state.value
            assertEquals(listOf(second.id, first.id), state.rows.map { it.listingId })
            assertTrue(state.rows.all { it.notSentText == "Not sent yet" && it.availability == Availability.OPEN })
            assertEquals("Actions not sent yet: 2. It will be sent with the next sync.", state.pendingText)
            assertEquals("Saved jobs: 2.", state.countText)
            val row = state.rows.last()
            assertEquals("Note: call on Monday", row.noteText)
            assertEquals("Saved just now.", row.savedText)
            assertEquals(
                "${first.title}. ${first.organizationName}. ${first.city}. Taking applications. Not sent yet. Saved just now. Note: call on Monday.",
                row.announcement,
            )

            phone.syncOrFail()
            state = saved.state.await(what = "the saves sent") { s -> s.rows.size == 2 && s.rows.all { it.notSentText == null } }
            assertNull(state.pendingText)
        }
    }

    @Test
    fun aJobClosedOnTheServerStaysOnTheListAsGone() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val job = phone.newest(5)[3]
            phone.store.saveJob(job.id, "asked about the ramp")
            phone.syncOrFail()
            TestServer.shared.closeListing(job.id)
            phone.syncOrFail()

            val row = phone.savedList().state.value.rows.single()
            assertEquals(job.id, row.listingId)
            assertEquals(Availability.GONE, row.availability)
            assertEquals("A job that is no longer listed", row.title)
            assertEquals("No longer on Teng: closed or removed", row.availabilityText)
            assertFalse("a gone job has no page to open", row.canOpen)
            assertNull(row.organization)
            assertEquals("Note: asked about the ramp", row.noteText)
            assertContains(row.announcement, "No longer on Teng")
        }
    }

    @Test
    fun aClosedJobStillOnThePhoneIsShownClosed() = runBlocking<Unit> {
        // Closed listings never travel by sync (the server sends a removal); a phone can hold one
        // from other sources, such as the demo data.
        Phone.offline().use { phone ->
            phone.store.seedDemoData(200u, 7uL)
            val closed = phone.store.search(
                SearchQuery(filters = SearchFilters(includeClosed = true), sort = SortOrder.NEWEST, pageSize = 200u),
            ).hits.map { it.listing }.first { it.status == ListingStatus.CLOSED }
            val open = phone.newest(1).single()
            phone.store.saveJob(closed.id, null)
            phone.store.saveJob(open.id, null)
            val rows = phone.savedList().state.value.rows.associateBy { it.listingId }
            assertEquals(Availability.CLOSED, rows.getValue(closed.id).availability)
            assertEquals("Closed, no longer taking applications", rows.getValue(closed.id).availabilityText)
            assertTrue(rows.getValue(closed.id).canOpen)
            assertEquals(Availability.OPEN, rows.getValue(open.id).availability)
            assertEquals("Taking applications", rows.getValue(open.id).availabilityText)
        }
    }

    @Test
    fun unsavingRemovesTheRowAndSaysSo() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val job = phone.newest(1).single()
            val saved = phone.savedList()
            saved.save(job.id).join()
            assertEquals(1, saved.state.value.rows.size)
            saved.unsave(job.id).join()
            val state = saved.state.value
            assertTrue(state.rows.isEmpty())
            assertEquals("Removed from saved jobs: ${job.title}.", state.messageText)
            assertEquals(Phrases.NO_SAVED_JOBS.en, state.emptyText)
            saved.messageShown()
            assertNull(saved.state.value.messageText)
            assertFalse(phone.store.isSaved(job.id))
        }
    }
}
