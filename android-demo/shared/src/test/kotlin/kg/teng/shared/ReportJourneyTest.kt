package kg.teng.shared

import kg.teng.core.AccessFeature
import kg.teng.core.AccessLevel
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.RampKind
import kg.teng.core.ReportMethod
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.WorkMode
import kg.teng.shared.home.HomePresenter
import kg.teng.shared.report.ReportPresenter
import kg.teng.shared.report.SendState
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

/** Journey 4: rating a building: a short form, kept on the phone at once, sent by a sync. */
class ReportJourneyTest {

    private fun Phone.someBuilding(): String = store.search(
        SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)), pageSize = 50u),
    ).hits.mapNotNull { it.listing.buildingId }.last()

    private suspend fun Phone.reportForm(buildingId: String): ReportPresenter {
        val presenter = ReportPresenter(repository, scope, buildingId, buildingName = "Office")
        presenter.start()
        presenter.state.await(what = "the form") { it.stepFree != null }
        return presenter
    }

    @Test
    fun theFormChecksItsNumbersAndThatSomethingIsReported() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val building = phone.someBuilding()
            val form = phone.reportForm(building)
            var state = form.state.value
            assertEquals("Step-free entrance", state.stepFree!!.title)
            assertEquals(listOf("Yes", "No", "Don't know"), state.stepFree!!.choices.map { it.label })
            assertEquals(listOf(false, false, true), state.stepFree!!.choices.map { it.selected })
            assertFalse("the step count is asked only for an entrance with steps", state.stepCount!!.visible)
            assertFalse(state.elevatorWorking!!.visible)
            assertEquals("Entrance door width, centimetres", state.doorWidth!!.title)

            form.submit().join()
            assertEquals(Phrases.NOTHING_TO_REPORT.en, form.state.value.formError)

            val range = AccessFeature.DOOR_WIDTH.validRange()!!
            form.edit { it.copy(doorWidthCm = "5", stepFree = false, stepCount = "many") }
            state = form.state.value
            assertNull("editing clears the form's error", state.formError)
            assertTrue(state.stepCount!!.visible)
            form.submit().join()
            state = form.state.value
            assertEquals("Enter a whole number from ${range.min} to ${range.max}.", state.doorWidth!!.errorText)
            assertTrue(state.stepCount!!.errorText!!.startsWith("Enter a whole number from "))

            form.edit { it.copy(stepFree = true) }
            state = form.state.value
            assertFalse(state.stepCount!!.visible)
            assertNull("the hidden question's error goes with it", state.stepCount!!.errorText)
            assertEquals("Enter a whole number from ${range.min} to ${range.max}.", state.doorWidth!!.errorText)
            form.edit { it.copy(note = "x".repeat(ReportPresenter.MAX_NOTE_CHARS + 1), doorWidthCm = "") }
            form.submit().join()
            assertEquals("The note is too long: at most 2,000 characters.", form.state.value.noteError)
            assertTrue("nothing was recorded", phone.store.myReports(building).isEmpty())
        }
    }

    @Test
    fun aReportIsKeptAtOnceShownNotSentAndThenSentBySync() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val building = phone.someBuilding()
            val form = phone.reportForm(building)
            val home = HomePresenter(phone.repository, phone.scope)
            home.start()

            form.edit {
                it.copy(
                    stepFree = false, stepCount = "3", ramp = RampKind.NO_RAMP, doorWidthCm = "85",
                    elevator = true, elevatorWorking = false, toilet = AccessLevel.LIMITED, hearingLoop = false,
                    method = ReportMethod.MEASURED, note = "Вход со двора, звонок справа",
                )
            }
            form.submit().join()
            var state = form.state.value
            assertEquals(Phrases.REPORT_KEPT.en, state.confirmationText)
            assertNull(state.stepFree!!.choices.first { it.selected }.value)
            assertEquals("", state.doorWidth!!.text)
            assertEquals("the method stays for the next report", ReportMethod.MEASURED, state.method!!.choices.first { it.selected }.value)

            val stored = phone.store.myReports(building).single()
            assertEquals(
                listOf(
                    Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(false)),
                    Fact(AccessFeature.ENTRANCE_STEP_COUNT, FactValue.Count(3u)),
                    Fact(AccessFeature.RAMP, FactValue.Ramp(RampKind.NO_RAMP)),
                    Fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(85u)),
                    Fact(AccessFeature.ELEVATOR, FactValue.Bool(true)),
                    Fact(AccessFeature.ELEVATOR_WORKING, FactValue.Bool(false)),
                    Fact(AccessFeature.TOILET, FactValue.Access(AccessLevel.LIMITED)),
                    Fact(AccessFeature.HEARING_LOOP, FactValue.Bool(false)),
                ),
                stored.facts,
            )
            assertEquals(ReportMethod.MEASURED, stored.method)
            assertEquals(phone.repository.reporterId, stored.reporter)

            val row = state.myReports.single()
            assertEquals(SendState.PENDING, row.status)
            assertEquals("Not sent yet", row.statusText)
            assertContains(row.text, "Number of steps at the entrance: 3")
            assertContains(row.text, "Entrance door width: 85 centimetres")
            assertTrue(row.announcement, row.announcement.startsWith("Not sent yet. Just now. Step-free entrance: no"))
            assertContains(row.announcement, "Вход со двора, звонок справа")
            assertEquals("Your reports on this building: 1.", state.myReportsText)
            home.state.await(what = "one action waiting") { it.pendingText == "Actions not sent yet: 1." }

            val done = phone.syncOrFail()
            assertEquals(1uL, done.outcome.sent)
            state = form.state.await(what = "the report sent") { it.myReports.singleOrNull()?.status == SendState.SENT }
            assertEquals("Sent", state.myReports.single().statusText)
            assertEquals("The city office has received this report and not answered yet.", state.myReports.single().cityStatusText)
            assertEquals(Phrases.REPORT_KEPT.en, state.confirmationText)
            assertContains(state.privacyText, "never your phone")
            home.state.await(what = "nothing waiting") { it.pendingText == null }
            assertTrue("the server has the report", stored.id in TestServer.shared.reportIds(building))
        }
    }
}
