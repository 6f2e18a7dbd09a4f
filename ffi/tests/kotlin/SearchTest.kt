package kg.teng.core.test

import kg.teng.core.AccessRequirement
import kg.teng.core.Accommodation
import kg.teng.core.Answer
import kg.teng.core.NearPoint
import kg.teng.core.SearchFilters
import kg.teng.core.SearchHit
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.core.TengException
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class SearchTest {
    private val store = Demo.shared

    /** Every hit of `query`, page after page. */
    private fun all(query: SearchQuery): List<SearchHit> {
        val hits = mutableListOf<SearchHit>()
        var q = query
        while (true) {
            val page = store.search(q)
            hits += page.hits
            q = q.copy(pageToken = page.nextPageToken ?: return hits)
        }
    }

    @Test
    fun cyrillicWordsWithAccessAndAccommodationFiltersReturnExactlyTheMatchingJobs() {
        val words = all(SearchQuery(text = "бухгалтер", pageSize = 50u))
        assertTrue("the demo data has accountants' jobs", words.size > 20)
        val filters = SearchFilters(
            accommodations = listOf(Accommodation.FLEXIBLE_HOURS),
            access = listOf(AccessRequirement.STEP_FREE_ENTRANCE),
        )
        val page = store.search(SearchQuery(text = "бухгалтер", filters = filters, pageSize = 200u))
        assertEquals(page.total, page.hits.size.toULong())

        // The same answer computed another way: every accountant's job, checked through its details.
        val expected = words.filter { hit ->
            val details = store.listing(hit.listing.id)
            val text = listOf(details.summary.title, details.description, details.summary.organizationName,
                details.summary.city).joinToString(" ").lowercase()
            assertTrue("$text should contain the word", "бухгалтер" in text || "buhgalter" in text)
            val stepFree = details.accessibility?.requirements
                ?.single { it.requirement == AccessRequirement.STEP_FREE_ENTRANCE }?.met
            Accommodation.FLEXIBLE_HOURS in hit.listing.accommodations &&
                (details.building == null || stepFree == Answer.YES)
        }.map { it.listing.id }.toSet()
        assertTrue("some accountants' jobs pass both filters", expected.isNotEmpty())
        assertTrue("the filters leave some out", expected.size < words.size)
        assertEquals(expected, page.hits.map { it.listing.id }.toSet())
    }

    @Test
    fun latinTransliterationFindsTheSameJobsAsCyrillic() {
        val cyrillic = store.search(SearchQuery(text = "Бухгалтер", pageSize = 200u))
        val latin = store.search(SearchQuery(text = "buhgalter", pageSize = 200u))
        assertTrue(cyrillic.total > 0uL)
        assertEquals(cyrillic.hits.map { it.listing.id }, latin.hits.map { it.listing.id })
    }

    @Test
    fun pagesFollowTheirTokensWithoutDuplicatesOrGaps() {
        val first = store.search(SearchQuery(pageSize = 37u, sort = SortOrder.NEWEST))
        val hits = all(SearchQuery(pageSize = 37u, sort = SortOrder.NEWEST))
        val ids = hits.map { it.listing.id }
        assertEquals(ids.size, ids.toSet().size)
        assertEquals(first.total, ids.size.toULong())
        assertTrue("several pages", ids.size > 37 * 3)
        val times = hits.map { it.listing.postedAtMs }
        assertEquals(times.sortedDescending(), times)
        assertTrue(hits.all { it.listing.isOpen })
    }

    @Test
    fun aTokenFromAnotherSearchIsRefusedNamingTheField() {
        val token = store.search(SearchQuery(text = "бухгалтер", pageSize = 5u)).nextPageToken!!
        val e = assertThrowsTeng<TengException.InvalidInput> {
            store.search(SearchQuery(text = "мугалим", pageSize = 5u, pageToken = token))
        }
        assertEquals("page_token", e.field)
    }

    @Test
    fun nearestFirstWithinTheRadius() {
        val near = NearPoint(lat = 42.8746, lon = 74.5698, radiusKm = 3.0)
        val page = store.search(SearchQuery(filters = SearchFilters(near = near), sort = SortOrder.DISTANCE,
            pageSize = 100u))
        assertTrue(page.hits.isNotEmpty())
        val distances = page.hits.map { it.distanceKm!! }
        assertEquals(distances.sorted(), distances)
        assertTrue(distances.all { it <= 3.0 + 1e-9 })
    }

    @Test
    fun badQueriesNameTheirField() {
        assertEquals("page_size", assertThrowsTeng<TengException.InvalidInput> {
            store.search(SearchQuery(pageSize = 0u))
        }.field)
        assertEquals("sort", assertThrowsTeng<TengException.InvalidInput> {
            store.search(SearchQuery(sort = SortOrder.DISTANCE))
        }.field)
        assertEquals("near.radius_km", assertThrowsTeng<TengException.InvalidInput> {
            store.search(SearchQuery(filters = SearchFilters(near = NearPoint(42.87, 74.57, -1.0))))
        }.field)
    }
}
