package kg.teng.shared

import kg.teng.core.ApplyChannel
import kg.teng.core.Language
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SortOrder
import kg.teng.core.WorkMode
import kg.teng.shared.details.ApplyKind
import kg.teng.shared.details.DetailsPresenter
import kg.teng.shared.support.Phone
import kg.teng.shared.support.Surveys
import kg.teng.shared.support.TestServer
import kg.teng.shared.support.jobIn
import kg.teng.shared.support.assertContains
import kg.teng.shared.support.await
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** Journey 3: a job's page, how to apply, and the building's accessibility in sentences. */
class DetailsJourneyTest {

    private fun Phone.openJobs(mode: WorkMode? = null, count: UInt = 120u) = store.search(
        SearchQuery(filters = SearchFilters(workModes = listOfNotNull(mode)), sort = SortOrder.NEWEST, pageSize = count),
    ).hits.map { it.listing }

    private suspend fun Phone.details(id: String): DetailsPresenter {
        val presenter = DetailsPresenter(repository, scope, id)
        presenter.start()
        presenter.state.await(what = "the details of $id") { !it.loading && it.job?.listingId == id }
        return presenter
    }

    @Test
    fun everyWayToApplyBecomesTheRightIntentUri() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val seen = mutableSetOf<ApplyChannel>()
            for (listing in phone.openJobs().take(60)) {
                val core = phone.store.listing(listing.id)
                val job = phone.details(listing.id).state.value.job!!
                assertEquals(core.applyVia.size, job.apply.size)
                for ((method, action) in core.applyVia.zip(job.apply)) {
                    seen += method.channel
                    val digits = method.value.filter { it.isDigit() }.let { if (it.startsWith("0")) "996" + it.drop(1) else it }
                    when (method.channel) {
                        ApplyChannel.PHONE -> {
                            assertEquals(ApplyKind.CALL, action.kind)
                            assertEquals("Call ${method.value}", action.label)
                            assertEquals("tel:+$digits", action.uri)
                        }
                        ApplyChannel.SMS -> {
                            assertEquals(ApplyKind.SMS, action.kind)
                            assertEquals("smsto:+$digits?body=" + ApplyLinks.percentEncode(Phrases.APPLY_MESSAGE.fill(Language.EN, core.summary.title)), action.uri)
                        }
                        ApplyChannel.WHATS_APP -> {
                            assertEquals(ApplyKind.WHATSAPP, action.kind)
                            assertTrue(action.uri!!, action.uri!!.startsWith("https://wa.me/$digits?text=Hello%21%20I%20am%20writing%20about%20the%20job"))
                        }
                        ApplyChannel.EMAIL -> {
                            assertEquals(ApplyKind.EMAIL, action.kind)
                            assertEquals("Email ${method.value}", action.label)
                            assertEquals("mailto:${method.value}?subject=" + ApplyLinks.percentEncode(core.summary.title), action.uri)
                        }
                        ApplyChannel.IN_PERSON -> {
                            assertEquals(ApplyKind.VISIT, action.kind)
                            assertEquals("Go in person: ${method.value}", action.label)
                            val building = core.building!!
                            assertTrue(action.uri!!, action.uri!!.startsWith("geo:${"%.6f".format(java.util.Locale.ROOT, building.lat)},"))
                        }
                    }
                    if (method.channel != ApplyChannel.IN_PERSON) assertNotNull("${method.value} gives a link", action.uri)
                }
            }
            assertEquals("the demo data uses every channel", ApplyChannel.entries.toSet(), seen)
        }
    }

    @Test
    fun theBuildingsAccessibilityComesInSentencesWithConfidenceAndAge() = runBlocking<Unit> {
        val surveyed = Surveys.building
        Phone.online().use { phone ->
            phone.syncOrFail()
            val listing = phone.jobIn(surveyed)
            val core = phone.store.listing(listing.id)
            val access = phone.details(listing.id).state.value.job!!.access!!
            assertEquals(core.accessibility!!.summary, access.summary)
            assertFalse("one sentence for the screen reader", access.summary.trimEnd('.').contains(". "))
            assertEquals(core.accessibility!!.description, access.sentences)
            assertEquals(core.accessibility!!.facts.size, access.facts.size)
            for (line in access.facts) {
                assertTrue(line.text, Regex("""^[A-Z][^:]+: .+\. [A-Z][a-z ]+, confidence \d+ percent, last reported .+ ago\.$""").matches(line.text) ||
                    Regex("""^[A-Z][^:]+: .+\. [A-Z][a-z ]+, confidence \d+ percent, last reported just now\.$""").matches(line.text))
            }
            assertTrue(access.lastReportedText, Regex("""^Last reported (\d+ (minute|hour|day)s? ago|just now)\.$""").matches(access.lastReportedText))
            assertEquals("two visitors reported", 2u, core.accessibility!!.reportCount)
            assertEquals("Reports counted: 2.", access.reportsText)
            assertTrue(access.facts.any { it.text.startsWith("Entrance door width: ") })
            assertTrue(access.facts.any { it.text.startsWith("Number of steps at the entrance: 2. ") })

            val job = phone.details(listing.id).state.value.job!!
            assertEquals(core.summary.title, job.title)
            assertEquals(core.building!!.name, job.buildingName)
            assertEquals(core.building!!.id, job.buildingId)
            assertNull(job.remoteText)
            assertEquals(core.description, job.description)
            assertEquals(Phrases.OPEN.en, job.statusText)
            assertTrue(job.postedText.startsWith("Posted "))
        }
    }

    @Test
    fun aRemoteJobSaysThereIsNoBuildingToVisit() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val remote = phone.openJobs(WorkMode.REMOTE).first()
            val job = phone.details(remote.id).state.value.job!!
            assertNull(job.access)
            assertNull(job.buildingName)
            assertEquals("Remote work: there is no building to visit.", job.remoteText)
            assertTrue(job.apply.none { it.kind == ApplyKind.VISIT })
        }
    }

    @Test
    fun savingFromTheDetailsIsMarkedNotSentUntilTheNextSync() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val id = phone.openJobs().first().id
            val details = phone.details(id)
            assertFalse(details.state.value.job!!.saved)
            assertNull(details.state.value.job!!.saveNotSentText)

            details.toggleSaved().join()
            assertTrue(details.state.value.job!!.saved)
            assertEquals("Not sent yet", details.state.value.job!!.saveNotSentText)

            phone.syncOrFail()
            details.state.await(what = "the save sent") { it.job?.saveNotSentText == null }
            assertTrue(details.state.value.job!!.saved)

            details.toggleSaved().join()
            assertFalse(details.state.value.job!!.saved)
            assertEquals("Not sent yet", details.state.value.job!!.saveNotSentText)
            phone.syncOrFail()
            details.state.await(what = "the unsave sent") { it.job?.saveNotSentText == null }
        }
    }

    @Test
    fun aJobClosedOnTheServerIsGoneFromThePhoneAfterTheNextSync() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val listing = phone.openJobs().last()
            val details = phone.details(listing.id)
            TestServer.shared.closeListing(listing.id)
            phone.syncOrFail()
            val state = details.state.await(what = "the job gone") { it.goneText != null }
            assertEquals("This job is no longer on this phone: it was closed or removed.", state.goneText)
            assertNull(state.job)
            assertContains(state.goneText, "closed")
        }
    }
}
