package kg.teng.shared

import kg.teng.core.AccessFeature
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.NewReport
import kg.teng.core.ReportMethod
import kg.teng.core.ReportStatus
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.WorkMode
import kg.teng.core.reportPrivacyNotice
import kg.teng.shared.report.MyReportsPresenter
import kg.teng.shared.report.ReportPresenter
import kg.teng.shared.report.SendState
import kg.teng.shared.support.Phone
import kg.teng.shared.support.TestServer
import kg.teng.shared.support.assertContains
import kg.teng.shared.support.await
import kg.teng.shared.support.hasCyrillic
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Journey 7, hearing back from the city: the report form says what the city office sees; "Your
 * reports" shows the office's answer in words, offers "Still not fixed" on a resolved report,
 * keeps that answer offline, and shows a refusal when the office overtook it.
 */
class HearingBackJourneyTest {

    private fun Phone.report(): String {
        val building = store.search(
            SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)), pageSize = 20u),
        ).hits.mapNotNull { it.listing.buildingId }.first()
        return store.recordReport(
            NewReport(
                buildingId = building,
                reporter = repository.reporterId,
                method = ReportMethod.ESTIMATED,
                facts = listOf(Fact(AccessFeature.STEP_FREE_ENTRANCE, FactValue.Bool(false))),
                note = null,
            ),
        ).id
    }

    @Test
    fun theReportFormSaysWhatTheCityOfficeSeesInTheChosenLanguage() = runBlocking<Unit> {
        Phone.offline().use { phone ->
            phone.store.seedDemoData(30u, 7uL)
            val building = phone.store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE))))
                .hits.first().listing.buildingId!!
            val form = ReportPresenter(phone.repository, phone.scope, building)
            form.start()
            var state = form.state.await(what = "the form") { it.privacyText.isNotEmpty() }
            assertEquals(reportPrivacyNotice(Language.EN), state.privacyText)
            assertContains(state.privacyText, "never your phone")
            phone.repository.setLanguage(Language.KY)
            state = form.state.await(what = "the Kyrgyz notice") { it.privacyText == reportPrivacyNotice(Language.KY) }
            assertTrue(hasCyrillic(state.privacyText))
        }
    }

    @Test
    fun theCityOfficesAnswerComesBackAndStillNotFixedGoesUpOnce() = runBlocking<Unit> {
        Phone.online().use { phone ->
            phone.syncOrFail()
            val id = phone.report()
            val screen = MyReportsPresenter(phone.repository, phone.scope)
            screen.start()
            var state = screen.state.await(what = "the unsent report") { it.items.size == 1 }
            var item = state.items.single()
            assertEquals(SendState.PENDING, item.sendState)
            assertEquals("Not sent yet: the city office will see this report after the next sync.", item.statusText)
            assertFalse(item.canReopen)
            assertEquals("Your reports: 1.", state.countText)
            assertEquals(reportPrivacyNotice(Language.EN), state.privacyText)
            assertContains(item.reportedText, "Step-free entrance: no")

            phone.syncOrFail()
            TestServer.shared.answerReport(id, "acknowledged")
            TestServer.shared.answerReport(id, "resolved", "Пандус орнотулду", "ky")
            phone.syncOrFail()
            state = screen.state.await(what = "the resolved report") { it.items.singleOrNull()?.canReopen == true }
            item = state.items.single()
            assertEquals(SendState.SENT, item.sendState)
            assertEquals(ReportStatus.RESOLVED, item.status)
            assertTrue(item.statusText, item.statusText.startsWith("The city office marked this resolved on "))
            assertTrue(item.statusText, item.statusText.endsWith(": Пандус орнотулду (in Kyrgyz)."))
            assertEquals(2, item.history.size)
            assertTrue(item.history[0], item.history[0].startsWith("The city office acknowledged this on "))
            assertContains(item.announcement, item.statusText)

            // In Russian, the same answer.
            phone.repository.setLanguage(Language.RU)
            state = screen.state.await(what = "Russian") { it.language == Language.RU && it.items.isNotEmpty() }
            assertTrue(state.items.single().statusText, state.items.single().statusText.startsWith("Городская служба отметила это как решённое"))
            phone.repository.setLanguage(Language.EN)
            screen.state.await(what = "English again") { it.language == Language.EN && it.items.isNotEmpty() }

            // "Still not fixed", offline: kept at once, waiting to send, offered no more.
            screen.reopen(id, "  still two steps  ").join()
            state = screen.state.value
            assertEquals("Kept: you said this is still not fixed. It will be sent with the next sync.", state.messageText)
            assertNull(state.reopening)
            item = state.items.single()
            assertEquals(ReportStatus.REOPENED, item.status)
            assertTrue(item.reopenPending)
            assertFalse(item.canReopen)
            assertEquals("You said that this is still not fixed (waiting to send): still two steps.", item.statusText)

            assertEquals(1uL, phone.syncOrFail().outcome.sent)
            state = screen.state.await(what = "the reopen sent") { it.items.singleOrNull()?.reopenPending == false }
            item = state.items.single()
            assertEquals(ReportStatus.REOPENED, item.status)
            assertTrue(item.statusText, item.statusText.endsWith("that this is still not fixed: still two steps."))
            assertEquals(3, item.history.size)

            // Resolved again; a "still not fixed" the office overtakes comes back refused.
            TestServer.shared.answerReport(id, "resolved", "Done now", "en")
            phone.syncOrFail()
            screen.state.await(what = "resolved again") { it.items.singleOrNull()?.canReopen == true }
            screen.reopen(id).join()
            TestServer.shared.answerReport(id, "in_progress", "Checking again", "en")
            val refused = phone.syncOrFail().outcome.problems.single()
            assertEquals("invalid_state", refused.code)
            state = screen.state.await(what = "the refusal") { it.items.singleOrNull()?.problemText != null }
            item = state.items.single()
            assertEquals(ReportStatus.IN_PROGRESS, item.status)
            assertFalse(item.canReopen || item.reopenPending)
            assertTrue(item.problemText!!, item.problemText!!.startsWith("The server did not accept your \"still not fixed\": "))
            assertContains(item.statusText, ": Checking again.")

            // A second tap on an outdated screen is refused by the core, not queued.
            screen.reopen(id).join()
            assertTrue(screen.state.value.errorText!!, screen.state.value.errorText!!.startsWith("This value is not accepted: "))
            assertEquals(0uL, phone.store.syncStatus().pending)
        }
    }
}
