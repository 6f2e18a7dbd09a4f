package kg.teng.shared

import kg.teng.core.AccessFeature
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.RampKind
import kg.teng.core.Salary
import kg.teng.core.SalaryPeriod
import kg.teng.core.SyncPhase
import kg.teng.core.SyncProgress
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrase
import kg.teng.shared.text.Phrases
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

class FormatTest {
    private val en = Formatter(Language.EN)
    private val ru = Formatter(Language.RU)
    private val ky = Formatter(Language.KY)
    private val nbsp = Formatter.NO_BREAK_SPACE
    private val now = 1_750_000_000_000L

    @Test
    fun lastSyncedSaysHowLongAgoInEachLanguageWithRussianPlurals() {
        assertEquals("Never synced.", en.lastSynced(null, now))
        assertEquals("Синхронизации ещё не было.", ru.lastSynced(null, now))
        assertEquals("Last synced 5 minutes ago.", en.lastSynced(now - 5 * 60_000, now))
        assertEquals("Last synced 1 minute ago.", en.lastSynced(now - 60_000, now))
        assertEquals("Последняя синхронизация: 5 минут назад.", ru.lastSynced(now - 5 * 60_000, now))
        assertEquals("Последняя синхронизация: 21 минуту назад.", ru.lastSynced(now - 21 * 60_000, now))
        assertEquals("Последняя синхронизация: 3 часа назад.", ru.lastSynced(now - 3 * 3_600_000, now))
        assertEquals("Акыркы синхрондоо: 2 күн мурун.", ky.lastSynced(now - 2 * 86_400_000, now))
        assertEquals("just now", en.ago(now - 59_000, now))
        // A phone clock behind the server's never says "in 3 minutes".
        assertEquals("только что", ru.ago(now + 180_000, now))
        assertEquals("47 hours ago", en.ago(now - 47 * 3_600_000, now))
        assertEquals("12 дней назад", ru.ago(now - 12 * 86_400_000, now))
    }

    @Test
    fun syncProgressReadsReceiving500Of11000() {
        assertEquals("Receiving changes: 500 of 11,000", en.progress(SyncProgress(SyncPhase.RECEIVING, 500uL, 11_000uL)))
        assertEquals("Получение изменений: 500 из 11${nbsp}000", ru.progress(SyncProgress(SyncPhase.RECEIVING, 500uL, 11_000uL)))
        assertEquals("Өзгөрүүлөр алынууда: 11${nbsp}000 ичинен 500", ky.progress(SyncProgress(SyncPhase.RECEIVING, 500uL, 11_000uL)))
        assertEquals("Sending your actions: 2 of 3", en.progress(SyncProgress(SyncPhase.SENDING, 2uL, 3uL)))
        assertEquals("Receiving changes: 1,500", en.progress(SyncProgress(SyncPhase.RECEIVING, 1_500uL, null)))
    }

    @Test
    fun numbersGroupThousandsPerLanguage() {
        assertEquals("1,234,567", en.number(1_234_567L))
        assertEquals("30${nbsp}000", ru.number(30_000L))
        assertEquals("999", ky.number(999L))
        assertEquals("2.3", en.decimal(2.34))
        assertEquals("2,4", ru.decimal(2.35))
    }

    @Test
    fun salariesInWordsWithThePeriodLabelOfTheCore() {
        val month = Salary(min = 30_000uL, max = 45_000uL, period = SalaryPeriod.MONTH, monthlyEstimate = 45_000uL)
        assertEquals("30,000 to 45,000 som per month", en.salary(month))
        assertEquals("от 30${nbsp}000 до 45${nbsp}000 сом в месяц", ru.salary(month))
        assertEquals("30${nbsp}000 сомдон 45${nbsp}000 сомго чейин, айына", ky.salary(month))
        assertEquals("from 300 som per hour", en.salary(Salary(300uL, null, SalaryPeriod.HOUR, null)))
        assertEquals("up to 1,000 som per day", en.salary(Salary(null, 1_000uL, SalaryPeriod.DAY, null)))
        assertEquals("20,000 som per month", en.salary(Salary(20_000uL, 20_000uL, SalaryPeriod.MONTH, 20_000uL)))
        assertEquals("Salary not stated", en.salary(null))
        assertEquals("Зарплата не указана", ru.salary(null))
    }

    @Test
    fun distancesAreSpelledOutAndRoundedForWalking() {
        assertEquals("800 metres", en.distance(0.79))
        assertEquals("50 metres", en.distance(0.01))
        assertEquals("2.3 kilometres", en.distance(2.26))
        assertEquals("1 kilometre", en.distance(1.04))
        assertEquals("12 kilometres", en.distance(11.8))
        assertEquals("2,3 километра", ru.distance(2.26))
        assertEquals("5 километров", ru.distance(5.0))
        assertEquals("2 километра", ru.distance(2.0))
        assertEquals("2,3 километр", ky.distance(2.26))
        assertEquals("2.3 kilometres away", en.distanceAway(2.26))
        // No abbreviations a screen reader would spell out letter by letter.
        for (f in listOf(en, ru, ky)) {
            for (km in listOf(0.3, 1.0, 2.5, 7.0, 42.0)) {
                assertTrue(f.distance(km), !Regex("""(?U)\b(km|m|км|м)\b""").containsMatchIn(f.distance(km)))
            }
        }
    }

    @Test
    fun accessibilityFactsInWords() {
        assertEquals("Entrance door width: 90 centimetres", en.fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(90u)))
        assertEquals("Ширина входной двери: 92 сантиметра", ru.fact(AccessFeature.DOOR_WIDTH, FactValue.Centimetres(92u)))
        // Labels of values come from the core, in the same language.
        assertEquals("Ramp: " + RampKind.FIXED.label(Language.EN), en.fact(AccessFeature.RAMP, FactValue.Ramp(RampKind.FIXED)))
        assertEquals("yes", en.factValue(FactValue.Bool(true)))
        assertEquals("нет", ru.factValue(FactValue.Bool(false)))
        assertEquals("floor 2", en.factValue(FactValue.Floor(2)))
        assertEquals("basement level 1", en.factValue(FactValue.Floor(-1)))
        assertEquals("3-кабат", ky.factValue(FactValue.Floor(3)))
        assertEquals("nobody signs", en.factValue(FactValue.SignLanguages(emptyList())))
        assertEquals("8 процентов", ru.factValue(FactValue.Percent(8u)))
    }

    @Test
    fun everyPhraseExistsInThreeLanguagesWithTheSamePlaceholders() {
        val phrases = Phrases::class.java.declaredFields
            .filter { Phrase::class.java.isAssignableFrom(it.type) }
            .map { field -> field.isAccessible = true; field.name to (field.get(Phrases) as Phrase) }
        assertTrue("the table has its phrases", phrases.size > 60)
        val placeholder = Regex("""\{\d}""")
        for ((name, phrase) in phrases) {
            val (kyText, ruText, enText) = phrase.all()
            for (text in phrase.all()) assertTrue("$name has an empty text", text.isNotBlank())
            val expected = placeholder.findAll(enText).map { it.value }.toSortedSet()
            assertEquals("$name: placeholders in Kyrgyz", expected, placeholder.findAll(kyText).map { it.value }.toSortedSet())
            assertEquals("$name: placeholders in Russian", expected, placeholder.findAll(ruText).map { it.value }.toSortedSet())
            // Kyrgyz and Russian are written in Cyrillic; English is not.
            val letters = { s: String -> s.replace(placeholder, "").filter { it.isLetter() } }
            if (letters(enText).isNotEmpty() && name !in setOf("PROGRESS_OF", "PROGRESS_SO_FAR", "FACT_LINE", "REPORT_ROW")) {
                assertTrue("$name: Kyrgyz text in Cyrillic: $kyText", letters(kyText).any { it in '\u0400'..'\u04FF' })
                assertTrue("$name: Russian text in Cyrillic: $ruText", letters(ruText).any { it in '\u0400'..'\u04FF' })
                assertTrue("$name: English text in Latin: $enText", letters(enText).none { it in '\u0400'..'\u04FF' })
            }
            // No abbreviations a screen reader would spell out.
            for (text in phrase.all()) {
                assertTrue("$name abbreviates: $text", !Regex("""(?U)\b(км|см|мин|km|cm|min|сек|sec)\b\.?""").containsMatchIn(text))
            }
        }
    }
}
