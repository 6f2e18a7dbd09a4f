package kg.teng.shared

import kg.teng.core.AccessRequirement
import kg.teng.core.Accommodation
import kg.teng.core.Answer
import kg.teng.core.NearPoint
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.shared.search.SearchPresenter
import kg.teng.shared.support.Phone
import kg.teng.shared.support.assertContains
import kg.teng.shared.support.await
import kg.teng.shared.text.Formatter
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Journey 2: search on a phone synced from the test server. Each answer the presenter shows is
 * checked against the core asked directly, so a filter the presenter forgot fails.
 */
class SearchJourneyTest {
    private val bishkek = NearPoint(lat = 42.8746, lon = 74.5698, radiusKm = 5.0)

    private fun searching(block: suspend (Phone, SearchPresenter) -> Unit) = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val search = SearchPresenter(phone.repository, phone.scope, pageSize = 20u)
            search.start()
            search.state.await(what = "the first page") { !it.searching && it.totalText != null }
            block(phone, search)
        }
    }

    /** Every id the core finds for `query`, page after page. */
    private fun Phone.allIds(query: SearchQuery): List<String> {
        val ids = mutableListOf<String>()
        var q = query.copy(pageSize = 200u)
        while (true) {
            val page = store.search(q)
            ids += page.hits.map { it.listing.id }
            q = q.copy(pageToken = page.nextPageToken ?: return ids)
        }
    }

    @Test
    fun wordsInKyrgyzRussianOrEnglishFindWhatTheCoreFinds() = searching { phone, search ->
        val found = mutableMapOf<String, List<String>>()
        for (word in listOf("сатуучу", "продавец", "teacher", "бухгалтер", "buhgalter")) {
            search.setText(word)
            search.search().join()
            val state = search.state.value
            val expected = phone.store.search(SearchQuery(text = word, pageSize = 20u)).hits.map { it.listing.id }
            assertTrue("the demo data has jobs for «$word»", expected.isNotEmpty())
            assertEquals(word, expected, state.results.map { it.listingId })
            assertEquals(word, state.text)
            assertContains(state.totalText, "Jobs found: ${expected.size}")
            found[word] = expected
        }
        // Latin letters find the Cyrillic words.
        assertEquals(found["бухгалтер"], found["buhgalter"])
        search.setText("zzzqqq")
        search.search().join()
        assertEquals("No jobs match. Try fewer words or filters.", search.state.value.emptyText)
        assertTrue(search.state.value.results.isEmpty())
    }

    @Test
    fun accessibilityAndAccommodationFiltersNarrowTheResultsAndAreSaidInWords() = searching { phone, search ->
        val all = search.state.value
        assertEquals(AccessRequirement.entries, all.access.map { it.value })
        assertEquals("Step-free entrance", all.access.first().label)
        assertTrue(all.access.none { it.selected })
        assertNull(all.filtersText)

        search.toggleAccess(AccessRequirement.STEP_FREE_ENTRANCE).join()
        search.toggleAccess(AccessRequirement.ACCESSIBLE_TOILET).join()
        search.toggleAccommodation(Accommodation.FLEXIBLE_HOURS).join()
        val state = search.state.value
        assertEquals(
            "Filters: step-free entrance, accessible toilet, flexible hours.",
            state.filtersText,
        )
        assertTrue(state.access.first { it.value == AccessRequirement.STEP_FREE_ENTRANCE }.selected)
        val filters = SearchFilters(
            accommodations = listOf(Accommodation.FLEXIBLE_HOURS),
            access = listOf(AccessRequirement.STEP_FREE_ENTRANCE, AccessRequirement.ACCESSIBLE_TOILET),
        )
        val expected = phone.allIds(SearchQuery(filters = filters, sort = SortOrder.NEWEST))
        val everything = phone.allIds(SearchQuery(sort = SortOrder.NEWEST))
        assertTrue("the filters leave some jobs", expected.isNotEmpty())
        assertTrue("and drop some", expected.size < everything.size)
        assertEquals(expected.take(20), state.results.map { it.listingId })
        // Each row says what the building offers, in words; remote jobs say there is no building.
        for (row in state.results) {
            val details = phone.store.listing(row.listingId)
            if (details.building == null) {
                assertEquals("Remote work: there is no building to visit.", row.accessText)
            } else {
                assertContains(row.accessText, "step-free entrance")
                assertContains(row.accessText, "accessible toilet")
                val met = details.accessibility!!.requirements.filter { it.met == Answer.YES }.map { it.requirement.label(kg.teng.core.Language.EN) }
                assertEquals("The building has: ${met.joinToString(", ")}.", row.accessText)
            }
        }
        // Unselecting brings the others back.
        search.toggleAccess(AccessRequirement.STEP_FREE_ENTRANCE).join()
        search.toggleAccess(AccessRequirement.ACCESSIBLE_TOILET).join()
        search.toggleAccommodation(Accommodation.FLEXIBLE_HOURS).join()
        assertNull(search.state.value.filtersText)
        assertEquals(everything.take(20), search.state.value.results.map { it.listingId })
    }

    @Test
    fun nearMeListsTheNearestFirstWithinTheRadiusWithDistancesInWords() = searching { phone, search ->
        search.setNearMe(bishkek.lat, bishkek.lon, radiusKm = 5.0).join()
        val state = search.state.value
        val hits = phone.store.search(
            SearchQuery(filters = SearchFilters(near = bishkek), sort = SortOrder.DISTANCE, pageSize = 20u),
        ).hits
        assertTrue(hits.isNotEmpty())
        assertEquals(hits.map { it.listing.id }, state.results.map { it.listingId })
        val format = Formatter(kg.teng.core.Language.EN)
        assertEquals(hits.map { format.distanceAway(it.distanceKm!!) }, state.results.map { it.distanceText })
        assertTrue(hits.all { it.distanceKm!! <= 5.0 })
        assertEquals("Filters: within 5 kilometres of you.", state.filtersText)
        assertEquals(listOf(false, true, false, false), state.radiusOptions.map { it.selected })
        assertEquals("10 kilometres", state.radiusOptions[2].label)

        search.setRadius(2.0).join()
        val closer = search.state.value
        assertTrue(closer.results.size <= state.results.size)
        assertEquals("Filters: within 2 kilometres of you.", closer.filtersText)
        search.clearNearMe().join()
        assertTrue(search.state.value.results.all { it.distanceText == null })
    }

    @Test
    fun theNextPageAppendsWithoutRepeatsUntilTheLastOne() = searching { phone, search ->
        val total = phone.allIds(SearchQuery(sort = SortOrder.NEWEST))
        assertTrue("several pages", total.size > 60)
        assertEquals("Jobs found: ${Formatter(kg.teng.core.Language.EN).number(total.size)}. Shown: 20.", search.state.value.totalText)
        var pages = 1
        while (search.state.value.canLoadMore) {
            search.loadMore().join()
            pages += 1
            assertFalse(search.state.value.loadingMore)
        }
        val shown = search.state.value.results.map { it.listingId }
        assertEquals(total, shown)
        assertEquals((total.size + 19) / 20, pages)
        assertEquals("Jobs found: ${Formatter(kg.teng.core.Language.EN).number(total.size)}.", search.state.value.totalText)
        // No next page: nothing happens.
        search.loadMore().join()
        assertEquals(total, search.state.value.results.map { it.listingId })
    }

    @Test
    fun eachRowReadsAsOneSentenceWithCitySalaryAndAccess() = searching { _, search ->
        val rows = search.state.value.results
        assertEquals(20, rows.size)
        for (row in rows) {
            assertTrue(row.announcement, row.announcement.startsWith(row.title))
            for (part in listOf(row.organization, row.city, row.salaryText, row.accessText)) assertContains(row.announcement, part.trimEnd('.'))
            assertFalse(row.announcement, row.announcement.contains(".."))
        }
        assertTrue("some salaries are stated", rows.any { it.salaryText.endsWith("per month") })
    }
}
