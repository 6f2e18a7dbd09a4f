package kg.teng.shared.settings

import kg.teng.core.Language
import kg.teng.shared.Presenter
import kg.teng.shared.TengRepository
import kg.teng.shared.text.Formatter
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/**
 * One language to pick. [nativeName] is the language's name in itself ("Кыргыз тили", "Русский",
 * "English"), so that someone who cannot read the current language still finds theirs;
 * [localName] is its name in the current language, for the screen reader's description.
 */
data class LanguageOption(
    val language: Language,
    /** BCP 47 tag for the platform's per-app language (`ky`, `ru`, `en`). */
    val tag: String,
    val nativeName: String,
    val localName: String,
    val selected: Boolean,
)

data class LanguageState(
    val current: Language = Language.EN,
    val options: List<LanguageOption> = emptyList(),
)

/**
 * Journey 6: Kyrgyz, Russian or English. Switching changes the core's language (sentences about
 * buildings, labels of every enum) and the shared layer's phrases; every presenter observing the
 * repository re-renders. The Android app also switches its own string resources
 * (`AppCompatDelegate.setApplicationLocales` with [LanguageOption.tag]).
 */
class LanguagePresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
) : Presenter<LanguageState>(LanguageState(), scope) {

    fun start(): Job = scope.launch { repository.language.collect { render(it) } }

    fun select(language: Language): Job = scope.launch {
        repository.setLanguage(language)
        render(language)
    }

    private fun render(current: Language) {
        setState {
            LanguageState(
                current = current,
                options = Language.entries.map { language ->
                    LanguageOption(
                        language = language,
                        tag = language.code(),
                        nativeName = Formatter.capitalize(language.label(language)),
                        localName = Formatter.capitalize(language.label(current)),
                        selected = language == current,
                    )
                },
            )
        }
    }
}
