package kg.teng.shared.text

import kg.teng.core.AccessFeature
import kg.teng.core.Answer
import kg.teng.core.FactValue
import kg.teng.core.Language
import kg.teng.core.Salary
import kg.teng.core.SyncPhase
import kg.teng.core.SyncProgress
import kotlin.math.abs
import kotlin.math.roundToLong

/**
 * Numbers, times, money, distances and facts in words, in one language.
 *
 * Pure Kotlin on purpose: no `java.time`, no `String.format`, no `java.text` — they differ between
 * Android API levels and JVMs, and the results here must be the same on a 2016 phone and in the
 * JVM tests. Units are spelled out ("2,3 километра", not "2,3 км") for screen readers.
 */
class Formatter(val language: Language) {

    /** Digits grouped by thousands: "11,000" in English; "11 000" (no-break space) in Kyrgyz and Russian. */
    fun number(n: Long): String {
        val digits = abs(n).toString()
        val separator = if (language == Language.EN) ',' else NO_BREAK_SPACE
        val grouped = StringBuilder()
        digits.forEachIndexed { i, c ->
            if (i > 0 && (digits.length - i) % 3 == 0) grouped.append(separator)
            grouped.append(c)
        }
        return if (n < 0) "-$grouped" else grouped.toString()
    }

    fun number(n: ULong): String = number(n.toLong())

    fun number(n: UInt): String = number(n.toLong())

    fun number(n: Int): String = number(n.toLong())

    /** One decimal with the language's mark: "2.3" or "2,3". */
    fun decimal(x: Double): String {
        val tenths = (x * 10).roundToLong()
        val mark = if (language == Language.EN) '.' else ','
        val sign = if (tenths < 0) "-" else ""
        return "$sign${abs(tenths) / 10}$mark${abs(tenths) % 10}"
    }

    // ---- time ---------------------------------------------------------------------------------

    /**
     * "just now", "5 minutes ago", "3 hours ago", "2 days ago". A time in the future (a phone
     * clock behind the server's) is "just now".
     */
    fun ago(thenMs: Long, nowMs: Long): String {
        val minutes = (nowMs - thenMs) / 60_000
        if (minutes < 1) return Phrases.JUST_NOW[language]
        val hours = minutes / 60
        val days = hours / 24
        return when {
            hours < 1 -> unitsAgo(minutes, TimeUnit.MINUTE)
            days < 2 -> unitsAgo(hours, TimeUnit.HOUR)
            else -> unitsAgo(days, TimeUnit.DAY)
        }
    }

    private enum class TimeUnit { MINUTE, HOUR, DAY }

    private fun unitsAgo(n: Long, unit: TimeUnit): String = when (language) {
        Language.KY -> {
            val word = when (unit) {
                TimeUnit.MINUTE -> "мүнөт"
                TimeUnit.HOUR -> "саат"
                TimeUnit.DAY -> "күн"
            }
            "$n $word мурун"
        }
        Language.RU -> {
            val word = when (unit) {
                TimeUnit.MINUTE -> russianPlural(n, "минуту", "минуты", "минут")
                TimeUnit.HOUR -> russianPlural(n, "час", "часа", "часов")
                TimeUnit.DAY -> russianPlural(n, "день", "дня", "дней")
            }
            "$n $word назад"
        }
        Language.EN -> {
            val word = when (unit) {
                TimeUnit.MINUTE -> "minute"
                TimeUnit.HOUR -> "hour"
                TimeUnit.DAY -> "day"
            }
            "$n $word${if (n == 1L) "" else "s"} ago"
        }
    }

    // ---- money and distance -------------------------------------------------------------------

    /** "30,000 to 45,000 som per month", "от 30 000 сом в месяц"; `null` salary: "Salary not stated". */
    fun salary(salary: Salary?): String {
        if (salary == null || (salary.min == null && salary.max == null)) return Phrases.SALARY_NOT_STATED[language]
        val period = salary.period.label(language)
        val min = salary.min
        val max = salary.max
        return when {
            min != null && max != null && min != max -> Phrases.SALARY_RANGE.fill(language, number(min), number(max), period)
            min != null && max != null -> Phrases.SALARY_EXACT.fill(language, number(min), period)
            min != null -> Phrases.SALARY_FROM.fill(language, number(min), period)
            else -> Phrases.SALARY_UP_TO.fill(language, number(max!!), period)
        }
    }

    /** "800 metres", "2.3 kilometres", "12 kilometres": rounded to what a walker needs. */
    fun distance(km: Double): String {
        if (km < 1.0) {
            val metres = maxOf(50L, ((km * 1000) / 50).roundToLong() * 50)
            return metres(metres)
        }
        if (km >= 10.0) return kilometres(km.roundToLong())
        val tenths = (km * 10).roundToLong()
        if (tenths % 10 == 0L) return kilometres(tenths / 10)
        val text = decimal(km)
        return when (language) {
            Language.KY -> "$text километр"
            // A fraction takes the genitive singular.
            Language.RU -> "$text километра"
            Language.EN -> "$text kilometres"
        }
    }

    /** "2.3 kilometres away". */
    fun distanceAway(km: Double): String = Phrases.AWAY.fill(language, distance(km))

    private fun kilometres(n: Long): String = when (language) {
        Language.KY -> "${number(n)} километр"
        Language.RU -> "${number(n)} ${russianPlural(n, "километр", "километра", "километров")}"
        Language.EN -> "${number(n)} ${if (n == 1L) "kilometre" else "kilometres"}"
    }

    fun metres(n: Long): String = when (language) {
        Language.KY -> "${number(n)} метр"
        Language.RU -> "${number(n)} ${russianPlural(n, "метр", "метра", "метров")}"
        Language.EN -> "${number(n)} ${if (n == 1L) "metre" else "metres"}"
    }

    fun centimetres(n: Long): String = when (language) {
        Language.KY -> "${number(n)} сантиметр"
        Language.RU -> "${number(n)} ${russianPlural(n, "сантиметр", "сантиметра", "сантиметров")}"
        Language.EN -> "${number(n)} ${if (n == 1L) "centimetre" else "centimetres"}"
    }

    fun percent(n: Long): String = when (language) {
        Language.KY -> "${number(n)} пайыз"
        Language.RU -> "${number(n)} ${russianPlural(n, "процент", "процента", "процентов")}"
        Language.EN -> "${number(n)} percent"
    }

    // ---- sync ---------------------------------------------------------------------------------

    /** "Receiving changes: 500 of 11,000", "Sending your actions: 2 of 3", "Receiving changes: 500". */
    fun progress(progress: SyncProgress): String {
        val phase = when (progress.phase) {
            SyncPhase.SENDING -> Phrases.SENDING[language]
            SyncPhase.RECEIVING -> Phrases.RECEIVING[language]
        }
        val expected = progress.expected
        return if (expected != null && expected > 0uL) {
            Phrases.PROGRESS_OF.fill(language, phase, number(minOf(progress.done, expected)), number(expected))
        } else {
            Phrases.PROGRESS_SO_FAR.fill(language, phase, number(progress.done))
        }
    }

    /** "Last synced 5 minutes ago." or "Never synced." */
    fun lastSynced(lastSuccessAtMs: Long?, nowMs: Long): String =
        if (lastSuccessAtMs == null) Phrases.NEVER_SYNCED[language]
        else Phrases.LAST_SYNCED.fill(language, ago(lastSuccessAtMs, nowMs))

    // ---- accessibility facts ------------------------------------------------------------------

    /** A fact's value in words: "yes", "90 centimetres", "floor 2", "fixed ramp"... */
    fun factValue(value: FactValue): String = when (value) {
        is FactValue.Bool -> (if (value.value) Answer.YES else Answer.NO).label(language)
        is FactValue.Count -> number(value.value)
        is FactValue.Centimetres -> centimetres(value.value.toLong())
        is FactValue.Metres -> metres(value.value.toLong())
        is FactValue.Percent -> percent(value.value.toLong())
        is FactValue.Floor ->
            if (value.value > 0) Phrases.FLOOR_ABOVE.fill(language, value.value)
            else Phrases.FLOOR_BELOW.fill(language, -value.value)
        is FactValue.Ramp -> value.kind.label(language)
        is FactValue.Door -> value.kind.label(language)
        is FactValue.Access -> value.level.label(language)
        is FactValue.SignLanguages ->
            if (value.languages.isEmpty()) Phrases.NOBODY_SIGNS[language]
            else value.languages.joinToString(", ") { it.label(language) }
    }

    /** "Entrance door width: 90 centimetres" — a feature and its value. */
    fun fact(feature: AccessFeature, value: FactValue): String =
        "${capitalize(feature.label(language))}: ${factValue(value)}"

    companion object {
        const val NO_BREAK_SPACE = '\u00A0'

        /** Russian noun form after the number `n`: 1 минуту, 2 минуты, 5 минут, 21 минуту, 11 минут. */
        fun russianPlural(n: Long, one: String, few: String, many: String): String {
            val m = abs(n)
            val n10 = m % 10
            val n100 = m % 100
            return when {
                n10 == 1L && n100 != 11L -> one
                n10 in 2L..4L && n100 !in 12L..14L -> few
                else -> many
            }
        }

        /** The first letter upper-cased (labels from the core are lower-case phrases). */
        fun capitalize(text: String): String =
            if (text.isEmpty()) text else text.substring(0, 1).uppercase() + text.substring(1)

        /** Joins sentences for one screen-reader announcement, each ending with a full stop. */
        fun sentences(parts: List<String?>): String = parts
            .filterNotNull()
            .map { it.trim() }
            .filter { it.isNotEmpty() }
            .joinToString(" ") { if (it.last() in ".!?…") it else "$it." }
    }
}
