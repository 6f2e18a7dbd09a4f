package kg.teng.core.test

import kg.teng.core.SearchQuery
import kg.teng.core.TengException
import java.util.UUID
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

class SavedJobsTest {
    private val store = Demo.seeded(100u)

    @Test
    fun savedJobsListNewestFirstAndKeepTheirFirstSaveTime() {
        val (a, b) = store.search(SearchQuery(pageSize = 2u)).hits.map { it.listing }
        assertTrue(store.savedJobs().isEmpty())
        val first = store.saveJob(a.id, "позвонить в понедельник")
        assertEquals(a, first.listing)
        Thread.sleep(5)
        store.saveJob(b.id, null)
        val updated = store.saveJob(a.id, "уже позвонил")
        assertEquals(first.savedAtMs, updated.savedAtMs)

        val saved = store.savedJobs()
        assertEquals(listOf(b.id, a.id), saved.map { it.listingId })
        assertEquals("уже позвонил", saved[1].note)
        assertNull(saved[0].note)
        assertEquals(b.title, saved[0].listing!!.title)
        assertTrue(store.isSaved(a.id))
        assertTrue(store.listing(a.id).isSaved)
        assertEquals(2uL, store.stats().savedJobs)
    }

    @Test
    fun unsavingSaysWhetherTheJobWasSaved() {
        val id = store.search(SearchQuery(pageSize = 1u)).hits.single().listing.id
        store.saveJob(id, null)
        assertTrue(store.unsaveJob(id))
        assertFalse(store.unsaveJob(id))
        assertFalse(store.isSaved(id))
        assertFalse(store.listing(id).isSaved)
    }

    @Test
    fun aSavedJobWhoseListingIsNotOnTheDeviceStaysWithoutListing() {
        val gone = UUID.randomUUID().toString()
        store.saveJob(gone, null)
        val entry = store.savedJobs().single { it.listingId == gone }
        assertNull(entry.listing)
        assertTrue(store.unsaveJob(gone))
    }

    @Test
    fun badIdsAndLongNotesNameTheirField() {
        assertEquals("listing_id", assertThrowsTeng<TengException.InvalidInput> { store.saveJob("x", null) }.field)
        assertEquals("listing_id", assertThrowsTeng<TengException.InvalidInput> { store.isSaved("") }.field)
        val id = store.search(SearchQuery(pageSize = 1u)).hits.single().listing.id
        assertEquals("note", assertThrowsTeng<TengException.InvalidInput> {
            store.saveJob(id, "я".repeat(2001))
        }.field)
    }
}
