package kg.teng.shared.text

import kg.teng.core.Language

/**
 * One text of the app in Kyrgyz, Russian and English, side by side so the three are written and
 * reviewed together and a missing one does not compile.
 *
 * `{0}`, `{1}`... mark where [fill] puts values. Texts prefer the "label: value" form, which a
 * screen reader reads well and which needs no grammatical agreement with the number that follows.
 */
class Phrase(val ky: String, val ru: String, val en: String) {
    operator fun get(language: Language): String = when (language) {
        Language.KY -> ky
        Language.RU -> ru
        Language.EN -> en
    }

    /** The text in [language] with `{i}` replaced by `values[i]`. */
    fun fill(language: Language, vararg values: Any?): String {
        var text = get(language)
        values.forEachIndexed { i, value -> text = text.replace("{$i}", value?.toString() ?: "") }
        return text
    }

    /** Every language's text, for the completeness checks. */
    fun all(): List<String> = listOf(ky, ru, en)
}
