package kg.teng.shared

import kg.teng.core.Language
import kg.teng.core.TengException
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.launch

/**
 * A screen's logic without Android: an immutable state in a [StateFlow] that the UI renders, and
 * event methods the UI calls. Events return the [Job] doing the work, which the UI ignores and the
 * tests join.
 *
 * On Android a presenter lives in a `ViewModel` and gets its `viewModelScope`; in the tests, a
 * scope the test cancels. The presenter never blocks its scope's thread: [TengRepository] moves
 * every call into the core to its IO dispatcher.
 */
abstract class Presenter<S>(initial: S, protected val scope: CoroutineScope) {
    private val mutableState = MutableStateFlow(initial)
    val state: StateFlow<S> = mutableState.asStateFlow()

    private val lock = Any()
    private var tickets = 0L
    private var applied = 0L

    protected fun setState(transform: (S) -> S) {
        synchronized(lock) { mutableState.value = transform(mutableState.value) }
    }

    /**
     * Loads with [load] and applies with [apply], unless a load started later has already applied:
     * a slow, older read never overwrites a newer one.
     */
    protected suspend fun <T> loadLatest(load: suspend () -> T, apply: (T) -> Unit) {
        val ticket = synchronized(lock) { ++tickets }
        val value = load()
        synchronized(lock) {
            if (ticket > applied) {
                applied = ticket
                apply(value)
            }
        }
    }

    /** Runs [reload] now and again whenever the language or the stored data changes. */
    protected fun reloadOnChanges(repository: TengRepository, reload: suspend (Language) -> Unit): Job =
        scope.launch {
            combine(repository.language, repository.dataVersion) { language, _ -> language }
                .collectLatest { language -> reload(language) }
        }
}

/** What to tell the user when a call into the core failed (not a sync: see [SyncResult]). */
fun errorText(error: Throwable, language: Language): String = when (error) {
    is TengException.StoreCorrupt -> Phrases.STORE_DAMAGED[language]
    is TengException.StoreUnavailable -> Phrases.STORE_UNAVAILABLE[language]
    is TengException.SchemaTooNew -> Phrases.APP_TOO_OLD[language]
    else -> Phrases.SOMETHING_WENT_WRONG[language]
}
