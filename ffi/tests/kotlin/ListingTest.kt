package kg.teng.core.test

import kg.teng.core.AccessRequirement
import kg.teng.core.Language
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.TengException
import kg.teng.core.WorkMode
import java.util.UUID
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

class ListingTest {
    /** Its own store: these tests switch the language. */
    private val store = Demo.seeded(300u)

    private fun onSiteJobWithReports(): String {
        val hits = store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)),
            pageSize = 200u)).hits
        return hits.first { hit ->
            store.listing(hit.listing.id).accessibility!!.reportCount > 0u
        }.listing.id
    }

    @Test
    fun detailsDescribeTheBuildingInKyrgyzRussianAndEnglish() {
        val id = onSiteJobWithReports()
        val summaries = mutableMapOf<Language, String>()
        for (language in listOf(Language.KY, Language.RU, Language.EN)) {
            store.setLanguage(language)
            assertEquals(language, store.language())
            val details = store.listing(id)
            assertEquals(id, details.summary.id)
            val building = details.building!!
            assertEquals(details.summary.buildingId, building.id)
            val access = details.accessibility!!
            assertEquals(language, access.language)
            assertEquals(building.id, access.buildingId)
            assertEquals(AccessRequirement.entries, access.requirements.map { it.requirement })
            assertTrue(access.facts.isNotEmpty())
            assertTrue(access.description.size >= 3)
            assertTrue(access.lastReportedAtMs!! <= System.currentTimeMillis())
            summaries[language] = access.summary
            // The same through the building's own call.
            assertEquals(access, store.buildingAccessibility(building.id))
        }
        assertTrue(hasCyrillic(summaries[Language.KY]!!))
        assertTrue(hasCyrillic(summaries[Language.RU]!!))
        assertFalse(hasCyrillic(summaries[Language.EN]!!))
        assertNotEquals(summaries[Language.KY], summaries[Language.RU])
        // Units are spelled out for screen readers, never abbreviated.
        store.setLanguage(Language.RU)
        val ru = store.buildingAccessibility(store.listing(id).building!!.id).description.joinToString(" ")
        assertFalse(ru, Regex("\\d+ ?(см|м|%)(\\s|\\.|,|;|$)").containsMatchIn(ru))
    }

    @Test
    fun remoteJobsHaveNoBuilding() {
        val remote = store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.REMOTE)))).hits
        assertTrue(remote.isNotEmpty())
        val details = store.listing(remote.first().listing.id)
        assertNull(details.building)
        assertNull(details.accessibility)
        assertTrue(details.applyVia.isNotEmpty())
        assertTrue(details.languages.isNotEmpty())
    }

    @Test
    fun aBuildingNobodyReportedOnSaysSoInsteadOfFailing() {
        val hits = store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)),
            pageSize = 200u)).hits
        val unreported = hits.map { store.listing(it.listing.id) }.firstOrNull { it.accessibility!!.reportCount == 0u }
            ?: return // every building of this seed has reports: nothing to check
        val access = unreported.accessibility!!
        assertTrue(access.facts.isEmpty())
        assertTrue(access.summary.isNotBlank())
        assertNull(access.lastReportedAtMs)
    }

    @Test
    fun missingAndMalformedIdsAreDifferentErrors() {
        val missing = UUID.randomUUID().toString()
        val notFound = assertThrowsTeng<TengException.NotFound> { store.listing(missing) }
        assertEquals("listing", notFound.what)
        assertEquals(missing, notFound.id)
        assertEquals("id", assertThrowsTeng<TengException.InvalidInput> { store.listing("42") }.field)
        assertEquals("building_id", assertThrowsTeng<TengException.InvalidInput> {
            store.buildingAccessibility("not-an-id")
        }.field)
        assertEquals("building", assertThrowsTeng<TengException.NotFound> {
            store.buildingAccessibility(missing)
        }.what)
    }
}
