package kg.teng.core.test

import kg.teng.core.AccessFeature
import kg.teng.core.AccessLevel
import kg.teng.core.Fact
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.NewReport
import kg.teng.core.RampKind
import kg.teng.core.ReportMethod
import kg.teng.core.ReportStatus
import kg.teng.core.ReporterKind
import kg.teng.core.SearchFilters
import kg.teng.core.SearchQuery
import kg.teng.core.SignLanguage
import kg.teng.core.TengException
import kg.teng.core.WorkMode
import kg.teng.core.reportPrivacyNotice
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

class ReportsTest {
    private val store = Demo.seeded(60u)

    private val buildingId: String =
        store.search(SearchQuery(filters = SearchFilters(workModes = listOf(WorkMode.ON_SITE)))).hits
            .first().listing.buildingId!!

    private fun report(vararg facts: Fact, note: String? = "Вход со двора, звонок справа") = NewReport(
        buildingId = buildingId,
        reporter = "device-kotlin-test",
        method = ReportMethod.MEASURED,
        facts = facts.toList(),
        note = note,
    )

    private val doorWidth = Fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(90u))
    private val ramp = Fact(AccessFeature.RAMP, FactValue.Ramp(RampKind.FIXED))
    private val noElevator = Fact(AccessFeature.ELEVATOR, FactValue.Bool(false))
    private val toilet = Fact(AccessFeature.TOILET, FactValue.Access(AccessLevel.LIMITED))
    private val signing = Fact(AccessFeature.SIGN_LANGUAGE_STAFF, FactValue.SignLanguages(listOf(SignLanguage.RUSSIAN)))
    private val floor = Fact(AccessFeature.WORKPLACE_FLOOR, FactValue.Floor(-1))

    @Test
    fun aReportIsKeptOfflineAndReadBack() {
        val before = System.currentTimeMillis()
        val stored = store.recordReport(report(noElevator, doorWidth, ramp, toilet, signing, floor))
        assertEquals(buildingId, stored.buildingId)
        assertEquals(ReporterKind.ANONYMOUS, stored.reporterKind)
        assertEquals(ReportMethod.MEASURED, stored.method)
        assertTrue(stored.observedAtMs in before..System.currentTimeMillis())
        // Facts come back in feature order.
        assertEquals(listOf(ramp, doorWidth, noElevator, floor, toilet, signing), stored.facts)
        assertEquals("Вход со двора, звонок справа", stored.note)

        assertEquals(listOf(stored), store.myReports(buildingId))
        assertEquals(listOf(stored), store.myReports(null))
        assertEquals(1uL, store.stats().myReports)

        // A retry with the same id keeps one report.
        assertEquals(stored, store.recordReport(report(doorWidth).copy(id = stored.id)))
        assertEquals(1, store.myReports(null).size)

        // The note is in Russian; asked in English it still comes (there is no other).
        store.setLanguage(Language.EN)
        assertEquals("Вход со двора, звонок справа", store.myReports(buildingId).single().note)
    }

    @Test
    fun newerReportsComeFirst() {
        val old = store.recordReport(report(doorWidth).copy(observedAtMs = System.currentTimeMillis() - 86_400_000))
        val new = store.recordReport(report(ramp))
        assertEquals(listOf(new.id, old.id), store.myReports(buildingId).map { it.id })
    }

    @Test
    fun badReportsNameTheirField() {
        fun field(r: NewReport) = assertThrowsTeng<TengException.InvalidInput> { store.recordReport(r) }.field
        assertEquals("facts.door_width_cm", field(report(Fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(5u)))))
        assertEquals("facts.door_width_cm", field(report(Fact(AccessFeature.DOOR_WIDTH, FactValue.Bool(true)))))
        assertEquals("facts.workplace_floor", field(report(Fact(AccessFeature.WORKPLACE_FLOOR, FactValue.Floor(0)))))
        assertEquals("facts.ramp", field(report(ramp, ramp)))
        assertEquals("facts", field(report(note = null)))
        assertEquals("note", field(report(doorWidth, note = "x".repeat(2001))))
        assertEquals("observed_at_ms", field(report(doorWidth).copy(observedAtMs = System.currentTimeMillis() + 3 * 86_400_000L)))
        assertEquals("reporter", field(report(doorWidth).copy(reporter = " ")))
        assertEquals("building_id", field(report(doorWidth).copy(buildingId = "the office")))
        assertEquals("id", field(report(doorWidth).copy(id = "1")))
        assertTrue(store.myReports(null).isEmpty())
    }

    @Test
    fun anUnsentReportSaysSoAndCannotBeReopened() {
        val stored = store.recordReport(report(doorWidth))
        assertFalse(stored.sent)
        assertEquals(ReportStatus.OPEN, stored.status)
        assertTrue(stored.statusText, stored.statusText.startsWith("Ещё не отправлено"))
        assertFalse(stored.canReopen)
        assertFalse(stored.reopenPending)
        assertNull(stored.statusUpdatedAtMs)
        assertTrue(stored.statusHistory.isEmpty())
        assertTrue("the seeded building is named", stored.buildingName!!.isNotBlank())
        assertEquals(listOf(stored), store.myReports(null))

        val notYet = assertThrowsTeng<TengException.InvalidInput> { store.reopenReport(stored.id, "still two steps") }
        assertEquals("report_id", notYet.field)
        val badId = assertThrowsTeng<TengException.InvalidInput> { store.reopenReport("the report", null) }
        assertEquals("report_id", badId.field)
        assertThrowsTeng<TengException.NotFound> { store.reopenReport("3f2b8c1e-0d4a-4c6e-9b7a-2e5f1a9c0b11", null) }
        assertEquals(1, store.pendingActions().size)

        store.setLanguage(Language.EN)
        assertEquals(
            "Not sent yet: the city office will see this report after the next sync.",
            store.myReports(buildingId).single().statusText,
        )
    }

    @Test
    fun thePrivacyNoticeSaysWhatTheCitySees() {
        assertEquals(
            "The city office sees the building, what you reported, how you checked it and when; never your phone, its id or anything that identifies you.",
            reportPrivacyNotice(Language.EN),
        )
        assertTrue(reportPrivacyNotice(Language.RU).startsWith("Городская служба видит здание"))
        assertTrue(hasCyrillic(reportPrivacyNotice(Language.KY)))
        assertEquals("resolved", ReportStatus.RESOLVED.code())
        assertEquals("решено", ReportStatus.RESOLVED.label(Language.RU))
    }
}
