package kg.teng.shared.search

import kg.teng.core.AccessRequirement
import kg.teng.core.Accommodation
import kg.teng.core.Answer
import kg.teng.core.Language
import kg.teng.core.NearPoint
import kg.teng.core.RequirementState
import kg.teng.core.SearchFilters
import kg.teng.core.SearchHit
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.core.TengException
import kg.teng.shared.Presenter
import kg.teng.shared.TengRepository
import kg.teng.shared.errorText
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/** A choice in a filter sheet, labelled in the current language. */
data class Option<T>(val value: T, val label: String, val selected: Boolean)

/** "Near me": the user's position (from the platform) and a radius. */
data class NearMe(val lat: Double, val lon: Double, val radiusKm: Double)

/** One result row: everything in words, the distance and the building's access included. */
data class JobRow(
    val listingId: String,
    val title: String,
    val organization: String,
    /** "verified organization", or `null`. */
    val verifiedText: String?,
    val city: String,
    /** "2.3 kilometres away" when searching near a point. */
    val distanceText: String?,
    /** "30,000 to 45,000 som per month" or "Salary not stated". */
    val salaryText: String,
    /** "The building has: step-free entrance, working elevator." / "Remote work: ..." / "nobody has reported yet". */
    val accessText: String,
    /** The row as one announcement for a screen reader. */
    val announcement: String,
)

data class SearchState(
    val language: Language = Language.EN,
    /** The words as typed. */
    val text: String = "",
    val accommodations: List<Option<Accommodation>> = emptyList(),
    val access: List<Option<AccessRequirement>> = emptyList(),
    val nearMe: NearMe? = null,
    val radiusOptions: List<Option<Double>> = emptyList(),
    /** "Filters: step-free entrance, flexible hours, within 5 kilometres of you." or `null`. */
    val filtersText: String? = null,
    val searching: Boolean = false,
    val loadingMore: Boolean = false,
    val results: List<JobRow> = emptyList(),
    /** "Jobs found: 42. Shown: 20." */
    val totalText: String? = null,
    val emptyText: String? = null,
    val canLoadMore: Boolean = false,
    val errorText: String? = null,
)

/**
 * Journey 2: words in Kyrgyz, Russian or English, filters for accommodations and building
 * accessibility, "near me", a list of results with access in words, and the next page.
 */
class SearchPresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
    private val pageSize: UInt = 20u,
) : Presenter<SearchState>(SearchState(language = repository.language.value), scope) {

    /** What the user asked for: changes only through the event methods. */
    private data class Criteria(
        val text: String = "",
        val accommodations: Set<Accommodation> = emptySet(),
        val access: Set<AccessRequirement> = emptySet(),
        val near: NearMe? = null,
    )

    /** Everything fetched for the current search; rendering in any language needs no more calls. */
    private data class Results(
        val query: SearchQuery,
        val total: ULong,
        val hits: List<SearchHit>,
        val nextPageToken: String?,
        /** Per building: requirement answers (language-free) and how many reports count. */
        val access: Map<String, Pair<List<RequirementState>, UInt>>,
    )

    @Volatile private var criteria = Criteria()
    @Volatile private var results: Results? = null
    private val fetching = Mutex()

    /**
     * Renders the options, runs the first search, and re-labels everything when the language
     * changes. A sync does not rerun the search: the list does not change under the user's
     * finger; the next search (or page, which keyset paging keeps consistent) shows new jobs.
     */
    fun start(): Job {
        val job = scope.launch { repository.language.collectLatest { render() } }
        search()
        return job
    }

    fun setText(text: String) {
        criteria = criteria.copy(text = text)
        render()
    }

    fun toggleAccommodation(accommodation: Accommodation): Job {
        val current = criteria.accommodations
        criteria = criteria.copy(accommodations = if (accommodation in current) current - accommodation else current + accommodation)
        return search()
    }

    fun toggleAccess(requirement: AccessRequirement): Job {
        val current = criteria.access
        criteria = criteria.copy(access = if (requirement in current) current - requirement else current + requirement)
        return search()
    }

    /** Searches around the given point (the platform's location), nearest first. */
    fun setNearMe(lat: Double, lon: Double, radiusKm: Double = criteria.near?.radiusKm ?: DEFAULT_RADIUS_KM): Job {
        criteria = criteria.copy(near = NearMe(lat, lon, radiusKm))
        return search()
    }

    fun setRadius(radiusKm: Double): Job {
        val near = criteria.near ?: return scope.launch { }
        criteria = criteria.copy(near = near.copy(radiusKm = radiusKm))
        return search()
    }

    fun clearNearMe(): Job {
        criteria = criteria.copy(near = null)
        return search()
    }

    /** The first page for the current words and filters. */
    fun search(): Job {
        val asked = criteria
        setState { it.copy(searching = true, errorText = null) }
        render()
        return scope.launch {
            fetching.withLock { fetch(asked.toQuery(pageSize), append = false) }
        }
    }

    /** The next page of the same search; nothing when there is none. */
    fun loadMore(): Job {
        val current = results
        val token = current?.nextPageToken ?: return scope.launch { }
        setState { it.copy(loadingMore = true) }
        return scope.launch {
            fetching.withLock {
                // A search started meanwhile replaced the results: its own first page stands.
                if (results !== current) return@withLock
                fetch(current.query.copy(pageToken = token), append = true)
            }
        }
    }

    private suspend fun fetch(query: SearchQuery, append: Boolean) {
        val language = repository.language.value
        try {
            val page = repository.search(query)
            val buildings = page.hits.mapNotNull { it.listing.buildingId }
            val known = if (append) results?.access.orEmpty() else emptyMap()
            val fetched = repository.buildingsAccessibility(buildings.filter { it !in known })
                .mapValues { (_, a) -> a.requirements to a.reportCount }
            val previous = results
            results = Results(
                query = query.copy(pageToken = null),
                total = page.total,
                hits = if (append && previous != null) previous.hits + page.hits else page.hits,
                nextPageToken = page.nextPageToken,
                access = known + fetched,
            )
            setState { it.copy(searching = false, loadingMore = false, errorText = null) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: TengException.InvalidInput) {
            // A page token from before the words changed: start again from the first page.
            if (append && e.field == "page_token") {
                results = null
                fetch(query.copy(pageToken = null), append = false)
                return
            }
            setState { it.copy(searching = false, loadingMore = false, errorText = errorText(e, language)) }
        } catch (e: Exception) {
            setState { it.copy(searching = false, loadingMore = false, errorText = errorText(e, language)) }
        }
        render()
    }

    private fun Criteria.toQuery(pageSize: UInt): SearchQuery = SearchQuery(
        text = text.trim(),
        filters = SearchFilters(
            accommodations = Accommodation.entries.filter { it in accommodations },
            access = AccessRequirement.entries.filter { it in access },
            near = near?.let { NearPoint(lat = it.lat, lon = it.lon, radiusKm = it.radiusKm) },
        ),
        sort = when {
            near != null -> SortOrder.DISTANCE
            text.isBlank() -> SortOrder.NEWEST
            else -> null
        },
        pageSize = pageSize,
    )

    /** Renders from the current criteria and results; reads them under the state lock, so the last render wins with the newest data. */
    private fun render() = setState { state ->
        val language = repository.language.value
        val format = Formatter(language)
        val asked = criteria
        val found = results
        val rows = found?.hits?.map { row(it, found.access, format) }.orEmpty()
        val filterWords = AccessRequirement.entries.filter { it in asked.access }.map { it.label(language) } +
            Accommodation.entries.filter { it in asked.accommodations }.map { it.label(language) } +
            listOfNotNull(asked.near?.let { Phrases.WITHIN.fill(language, format.distance(it.radiusKm)) })
        state.copy(
            language = language,
            text = asked.text,
            accommodations = Accommodation.entries.map { Option(it, Formatter.capitalize(it.label(language)), it in asked.accommodations) },
            access = AccessRequirement.entries.map { Option(it, Formatter.capitalize(it.label(language)), it in asked.access) },
            nearMe = asked.near,
            radiusOptions = RADII_KM.map { Option(it, format.distance(it), asked.near?.radiusKm == it) },
            filtersText = if (filterWords.isEmpty()) null else Phrases.FILTERS.fill(language, filterWords.joinToString(", ")),
            results = rows,
            totalText = found?.let {
                Formatter.sentences(
                    listOf(
                        Phrases.JOBS_FOUND.fill(language, format.number(it.total)),
                        if (it.total > rows.size.toULong()) Phrases.SHOWN_OF.fill(language, format.number(rows.size)) else null,
                    ),
                )
            },
            emptyText = if (found != null && rows.isEmpty()) Phrases.NO_MATCH[language] else null,
            canLoadMore = found?.nextPageToken != null,
        )
    }

    private fun row(hit: SearchHit, access: Map<String, Pair<List<RequirementState>, UInt>>, format: Formatter): JobRow {
        val language = format.language
        val listing = hit.listing
        val accessText = accessText(listing.buildingId, listing.buildingId?.let { access[it] }, language)
        val distance = hit.distanceKm?.let { format.distanceAway(it) }
        val salary = format.salary(listing.salary)
        val verified = if (listing.organizationVerified) Phrases.VERIFIED[language] else null
        return JobRow(
            listingId = listing.id,
            title = listing.title,
            organization = listing.organizationName,
            verifiedText = verified,
            city = listing.city,
            distanceText = distance,
            salaryText = salary,
            accessText = accessText,
            announcement = Formatter.sentences(
                listOf(listing.title, listing.organizationName, verified, listing.city, distance, salary, accessText),
            ),
        )
    }

    companion object {
        const val DEFAULT_RADIUS_KM = 5.0
        val RADII_KM = listOf(2.0, 5.0, 10.0, 25.0)

        /** The building's access in words, for a result row. */
        fun accessText(buildingId: String?, access: Pair<List<RequirementState>, UInt>?, language: Language): String {
            if (buildingId == null) return Phrases.REMOTE_NO_BUILDING[language]
            if (access == null || access.second == 0u) return Phrases.ACCESS_NO_REPORTS[language]
            val met = access.first.filter { it.met == Answer.YES }.map { it.requirement.label(language) }
            return if (met.isEmpty()) Phrases.ACCESS_NOTHING_MET[language]
            else Phrases.ACCESS_HAS.fill(language, met.joinToString(", "))
        }
    }
}
