package kg.teng.shared.home

import kg.teng.core.Language
import kg.teng.core.SavedJob
import kg.teng.core.SyncStatus
import kg.teng.shared.Presenter
import kg.teng.shared.SyncResult
import kg.teng.shared.SyncRun
import kg.teng.shared.TengRepository
import kg.teng.shared.errorText
import kg.teng.shared.saved.SavedJobRow
import kg.teng.shared.saved.SavedJobRows
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.launch
import kotlinx.coroutines.CoroutineScope

enum class Connection { ONLINE, OFFLINE, UNKNOWN }

/** The sync area of the home screen. */
data class SyncPanel(
    val running: Boolean = false,
    /** "Receiving changes: 500 of 11,000", "Starting to sync…", "Cancelling…". */
    val progressText: String? = null,
    /** 0..1 when the total is known (a determinate progress bar), else `null`. */
    val fraction: Float? = null,
    val cancelling: Boolean = false,
) {
    val canStart: Boolean get() = !running
    val canCancel: Boolean get() = running && !cancelling
}

data class HomeState(
    val language: Language = Language.EN,
    val loading: Boolean = true,
    val connection: Connection = Connection.UNKNOWN,
    /** "Offline: Teng's server cannot be reached. The jobs on this phone work without a connection." */
    val connectionText: String? = null,
    /** "Last synced 5 minutes ago." or "Never synced." */
    val lastSyncText: String = "",
    /** "Actions not sent yet: 2." */
    val pendingText: String? = null,
    /** "Actions the server did not accept: 1." */
    val problemsText: String? = null,
    /** The status above as one announcement (a live region on the screen). */
    val statusAnnouncement: String = "",
    val sync: SyncPanel = SyncPanel(),
    /** How the last sync of this session ended. */
    val resultText: String? = null,
    /** Set when the phone has no jobs at all yet. */
    val emptyCatalogueText: String? = null,
    val savedJobs: List<SavedJobRow> = emptyList(),
    /** "Saved jobs: 3." or the hint that there are none. */
    val savedText: String = "",
    val errorText: String? = null,
)

/**
 * Journey 1, the first screen: what is on the phone (saved jobs), whether it is offline and when
 * it last synced, and the sync with its progress and a way to cancel it.
 */
class HomePresenter(
    private val repository: TengRepository,
    scope: CoroutineScope,
) : Presenter<HomeState>(HomeState(language = repository.language.value), scope) {

    private class Loaded(
        val language: Language,
        val status: SyncStatus,
        val saved: List<SavedJob>,
        val pendingSaves: Set<String>,
        val listings: ULong,
    )

    @Volatile
    private var loaded: Loaded? = null

    /**
     * Starts observing; with [syncOnStart] also syncs at once, unless the platform said there is
     * no network. Returns the observing job (cancelled with the scope).
     */
    fun start(syncOnStart: Boolean = false): Job {
        val observer = reloadOnChanges(repository) { language -> load(language) }
        scope.launch {
            combine(repository.syncRun, repository.networkAvailable) { _, _ -> }.collect { render() }
        }
        if (syncOnStart && repository.networkAvailable.value != false) sync()
        return observer
    }

    /** Reads the status and the saved jobs again (the UI calls it every minute for "5 minutes ago"). */
    fun refresh(): Job = scope.launch { load(repository.language.value) }

    /** Starts a sync (or joins the one running); the result shows in the state. */
    fun sync(): Deferred<SyncResult> = repository.startSync()

    fun cancelSync() = repository.cancelSync()

    private suspend fun load(language: Language) {
        try {
            loadLatest(
                load = {
                    val status = repository.syncStatus()
                    val saved = repository.savedJobs()
                    val pending = SavedJobRows.pendingSaves(repository.pendingActions())
                    Loaded(language, status, saved, pending, repository.stats().listings)
                },
                apply = { loaded = it; render() },
            )
        } catch (e: kotlinx.coroutines.CancellationException) {
            throw e
        } catch (e: Exception) {
            setState { it.copy(loading = false, errorText = errorText(e, language)) }
        }
    }

    /**
     * Renders from the loaded data and the repository's sync and network state, all read under
     * the state lock: renders from the two observers never apply a stale snapshot last.
     */
    private fun render() = setState { current ->
        val data = loaded ?: return@setState current
        val language = repository.language.value
        val format = Formatter(language)
        val now = repository.clock.nowMs()
        val run = repository.syncRun.value
        val network = repository.networkAvailable.value
        val status = data.status
        val lastResult = (run as? SyncRun.Finished)?.result

        val offline = network == false || lastResult is SyncResult.Offline
        val connection = when {
            offline -> Connection.OFFLINE
            network == true || lastResult is SyncResult.Done -> Connection.ONLINE
            else -> Connection.UNKNOWN
        }
        val unfinished = !offline && lastResult == null && status.lastError != null &&
            (status.lastAttemptAtMs ?: 0L) > (status.lastSuccessAtMs ?: -1L)
        val connectionText = when {
            offline -> Formatter.sentences(listOf(Phrases.OFFLINE[language], Phrases.OFFLINE_STILL_WORKS[language]))
            unfinished -> Phrases.LAST_SYNC_UNFINISHED[language]
            else -> null
        }
        val lastSync = format.lastSynced(status.lastSuccessAtMs, now)
        val pending = if (status.pending > 0uL) Phrases.PENDING_ACTIONS.fill(language, format.number(status.pending)) else null
        val problems = if (status.problems > 0uL) Phrases.PROBLEMS.fill(language, format.number(status.problems)) else null

        val panel = when (run) {
            is SyncRun.Running -> {
                val progress = run.progress
                val expected = progress?.expected
                SyncPanel(
                    running = true,
                    cancelling = run.cancelling,
                    progressText = when {
                        run.cancelling -> Phrases.CANCELLING[language]
                        progress == null -> Phrases.SYNC_STARTING[language]
                        else -> format.progress(progress)
                    },
                    fraction = if (progress != null && expected != null && expected > 0uL) {
                        (progress.done.toDouble() / expected.toDouble()).coerceIn(0.0, 1.0).toFloat()
                    } else null,
                )
            }
            else -> SyncPanel()
        }

        val rows = SavedJobRows.rows(data.saved, data.pendingSaves, language, now)
        current.copy(
            language = language,
            loading = false,
            connection = connection,
            connectionText = connectionText,
            lastSyncText = lastSync,
            pendingText = pending,
            problemsText = problems,
            statusAnnouncement = Formatter.sentences(listOf(connectionText, lastSync, pending, problems)),
            sync = panel,
            resultText = lastResult?.let { result -> resultText(result, format) },
            emptyCatalogueText = if (data.listings == 0uL) Phrases.NO_JOBS_ON_PHONE[language] else null,
            savedJobs = rows,
            savedText = if (rows.isEmpty()) Phrases.NO_SAVED_JOBS[language]
            else Phrases.SAVED_COUNT.fill(language, format.number(rows.size)),
            errorText = null,
        )
    }

    private fun resultText(result: SyncResult, format: Formatter): String {
        val language = format.language
        return when (result) {
            is SyncResult.Done -> Formatter.sentences(
                listOf(
                    Phrases.SYNC_DONE.fill(language, format.number(result.outcome.received), format.number(result.outcome.sent)),
                    if (result.outcome.stillPending > 0uL) Phrases.SYNC_LEFT_FOR_LATER.fill(language, format.number(result.outcome.stillPending)) else null,
                    if (result.outcome.problems.isNotEmpty()) Phrases.PROBLEMS.fill(language, format.number(result.outcome.problems.size)) else null,
                ),
            )
            SyncResult.Cancelled -> Phrases.SYNC_CANCELLED[language]
            is SyncResult.Offline -> Phrases.SYNC_OFFLINE[language]
            SyncResult.Unauthorized -> Phrases.SYNC_UNAUTHORIZED[language]
            SyncResult.AlreadyRunning -> Phrases.SYNC_ALREADY_RUNNING[language]
            is SyncResult.Refused -> Phrases.SYNC_REFUSED.fill(language, result.status)
            is SyncResult.Failed -> Phrases.SYNC_FAILED[language]
        }
    }
}
