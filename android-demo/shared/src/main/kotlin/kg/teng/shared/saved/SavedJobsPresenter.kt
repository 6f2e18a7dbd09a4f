package kg.teng.shared.saved

import kg.teng.core.Language
import kg.teng.shared.Presenter
import kg.teng.shared.TengRepository
import kg.teng.shared.errorText
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

data class SavedJobsState(
    val language: Language = Language.EN,
    val loading: Boolean = true,
    val rows: List<SavedJobRow> = emptyList(),
    /** "Saved jobs: 3." */
    val countText: String = "",
    /** The hint shown when there are none. */
    val emptyText: String? = null,
    /** "Actions not sent yet: 1. It will be sent with the next sync." when some saves wait. */
    val pendingText: String? = null,
    /** What just happened ("Removed from saved jobs: ..."), announced politely. */
    val messageText: String? = null,
    val errorText: String? = null,
)

/**
 * Journey 5: the saved jobs, each with "not sent yet" while its save waits for a sync, and jobs
 * that closed or disappeared after a sync still shown, as such.
 */
class SavedJobsPresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
) : Presenter<SavedJobsState>(SavedJobsState(language = repository.language.value), scope) {

    fun start(): Job = reloadOnChanges(repository) { language -> load(language) }

    /** Removes a job from the list (queued for the server as well). */
    fun unsave(listingId: String): Job = scope.launch {
        val language = repository.language.value
        val title = state.value.rows.firstOrNull { it.listingId == listingId }?.title
        try {
            repository.unsaveJob(listingId)
            load(language)
            setState { it.copy(messageText = Phrases.REMOVED_FROM_SAVED.fill(language, title ?: "")) }
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(errorText = errorText(e, language)) }
        }
    }

    /** Saves a job again (the "undo" of [unsave]), or changes its note. */
    fun save(listingId: String, note: String? = null): Job = scope.launch {
        val language = repository.language.value
        try {
            repository.saveJob(listingId, note?.takeIf { it.isNotBlank() })
            load(language)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(errorText = errorText(e, language)) }
        }
    }

    fun messageShown() = setState { it.copy(messageText = null) }

    private suspend fun load(language: Language) {
        try {
            loadLatest(
                load = {
                    val saved = repository.savedJobs()
                    val pending = SavedJobRows.pendingSaves(repository.pendingActions())
                    SavedJobRows.rows(saved, pending, language, repository.clock.nowMs())
                },
                apply = { rows ->
                    val format = Formatter(language)
                    val waiting = rows.count { it.notSentText != null }
                    setState {
                        it.copy(
                            language = language,
                            loading = false,
                            rows = rows,
                            countText = Phrases.SAVED_COUNT.fill(language, format.number(rows.size)),
                            emptyText = if (rows.isEmpty()) Phrases.NO_SAVED_JOBS[language] else null,
                            pendingText = if (waiting > 0) {
                                Formatter.sentences(
                                    listOf(Phrases.PENDING_ACTIONS.fill(language, format.number(waiting)), Phrases.WILL_SEND[language]),
                                )
                            } else null,
                            errorText = null,
                        )
                    }
                },
            )
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(loading = false, errorText = errorText(e, language)) }
        }
    }
}
