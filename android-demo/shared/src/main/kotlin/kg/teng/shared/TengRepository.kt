package kg.teng.shared

import kg.teng.core.AccessReport
import kg.teng.core.BuildingAccessibility
import kg.teng.core.Language
import kg.teng.core.ListingDetails
import kg.teng.core.NewReport
import kg.teng.core.PendingAction
import kg.teng.core.SavedJob
import kg.teng.core.SearchPage
import kg.teng.core.SearchQuery
import kg.teng.core.StoreStats
import kg.teng.core.SyncCancellation
import kg.teng.core.SyncListener
import kg.teng.core.SyncOutcome
import kg.teng.core.SyncProblem
import kg.teng.core.SyncProgress
import kg.teng.core.SyncSettings
import kg.teng.core.SyncStatus
import kg.teng.core.TengException
import kg.teng.core.TengStore
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.withContext

/** The time, injectable so tests can pin "5 minutes ago". */
fun interface Clock {
    fun nowMs(): Long

    companion object {
        val SYSTEM = Clock { System.currentTimeMillis() }
    }
}

/** How one sync ended. */
sealed interface SyncResult {
    data class Done(val outcome: SyncOutcome) : SyncResult
    /** Cancelled by the user; what arrived is kept. */
    data object Cancelled : SyncResult
    /** The server could not be reached, after the retries. Nothing is lost. */
    data class Offline(val reason: String) : SyncResult
    data object Unauthorized : SyncResult
    /** Another sync of this database was running (for example from a background job). */
    data object AlreadyRunning : SyncResult
    data class Refused(val status: Int, val reason: String) : SyncResult
    data class Failed(val reason: String) : SyncResult
}

/** The sync as the screens see it. */
sealed interface SyncRun {
    data object Idle : SyncRun
    /** `progress` is `null` until the first report of the core. */
    data class Running(val progress: SyncProgress?, val cancelling: Boolean = false) : SyncRun
    data class Finished(val result: SyncResult, val atMs: Long) : SyncRun
}

/**
 * The app's one way into the Rust core: every blocking call of [TengStore] runs on [io] (the
 * caller's thread is never blocked), and every change the screens may need to show is announced
 * through [language], [dataVersion] and [syncRun], which presenters observe.
 *
 * One instance per app process (the Android `Application` holds it). A sync runs in [appScope],
 * not in a screen's scope, so that leaving the screen does not stop it; [cancelSync] does.
 *
 * @param reporterId this install's stable id, put on accessibility reports.
 */
class TengRepository(
    private val store: TengStore,
    private val syncSettings: SyncSettings,
    val reporterId: String,
    private val appScope: CoroutineScope,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    val clock: Clock = Clock.SYSTEM,
) {
    private val _language = MutableStateFlow(store.language())

    /** The language of everything the core and the shared layer say. */
    val language: StateFlow<Language> = _language.asStateFlow()

    private val _dataVersion = MutableStateFlow(0L)

    /** Goes up after every local write and every sync: what is stored may have changed. */
    val dataVersion: StateFlow<Long> = _dataVersion.asStateFlow()

    private val _syncRun = MutableStateFlow<SyncRun>(SyncRun.Idle)
    val syncRun: StateFlow<SyncRun> = _syncRun.asStateFlow()

    private val _networkAvailable = MutableStateFlow<Boolean?>(null)

    /** What the platform says about the network (`null`: not told). */
    val networkAvailable: StateFlow<Boolean?> = _networkAvailable.asStateFlow()

    private val lock = Any()
    private var running: Deferred<SyncResult>? = null
    private var cancellation: SyncCancellation? = null

    @Volatile
    private var cancelling = false

    private suspend fun <T> onIo(block: () -> T): T = withContext(io) { block() }

    private fun changed() = _dataVersion.update { it + 1 }

    // ---- language -----------------------------------------------------------------------------

    suspend fun setLanguage(language: Language) {
        onIo { store.setLanguage(language) }
        _language.value = language
    }

    // ---- reading ------------------------------------------------------------------------------

    suspend fun stats(): StoreStats = onIo { store.stats() }

    suspend fun search(query: SearchQuery): SearchPage = onIo { store.search(query) }

    suspend fun listing(id: String): ListingDetails = onIo { store.listing(id) }

    suspend fun buildingAccessibility(buildingId: String): BuildingAccessibility =
        onIo { store.buildingAccessibility(buildingId) }

    /** Accessibility of several buildings in one trip to the IO thread (a page of search hits). */
    suspend fun buildingsAccessibility(buildingIds: Collection<String>): Map<String, BuildingAccessibility> =
        onIo { buildingIds.distinct().associateWith { store.buildingAccessibility(it) } }

    suspend fun savedJobs(): List<SavedJob> = onIo { store.savedJobs() }

    suspend fun myReports(buildingId: String?): List<AccessReport> = onIo { store.myReports(buildingId) }

    suspend fun syncStatus(): SyncStatus = onIo { store.syncStatus() }

    suspend fun pendingActions(): List<PendingAction> = onIo { store.pendingActions() }

    suspend fun hasPendingAction(targetId: String): Boolean = onIo { store.hasPendingAction(targetId) }

    suspend fun syncProblems(): List<SyncProblem> = onIo { store.syncProblems() }

    // ---- the user's actions (kept at once, sent by the next sync) -----------------------------

    suspend fun saveJob(listingId: String, note: String? = null): SavedJob =
        onIo { store.saveJob(listingId, note) }.also { changed() }

    suspend fun unsaveJob(listingId: String): Boolean = onIo { store.unsaveJob(listingId) }.also { changed() }

    suspend fun recordReport(report: NewReport): AccessReport = onIo { store.recordReport(report) }.also { changed() }

    /** "Still not fixed" on a report the city office marked resolved; kept at once, sent by the next sync. */
    suspend fun reopenReport(reportId: String, note: String?): AccessReport =
        onIo { store.reopenReport(reportId, note) }.also { changed() }

    suspend fun dismissSyncProblem(actionId: String): Boolean =
        onIo { store.dismissSyncProblem(actionId) }.also { changed() }

    /** The device token to keep in the platform's key store (a reinstall gets saved jobs back). */
    suspend fun deviceToken(): String? = onIo { store.deviceToken() }

    suspend fun restoreDeviceToken(token: String) = onIo { store.setDeviceToken(token) }

    // ---- sync ---------------------------------------------------------------------------------

    /** The platform's network callback tells this; the home screen says "offline" at once. */
    fun setNetworkAvailable(available: Boolean?) {
        _networkAvailable.value = available
    }

    /**
     * Starts a sync in the app scope, or returns the one already running. Never throws for the
     * expected failures (offline, cancelled...): they are [SyncResult]s. Progress goes to
     * [syncRun] as it comes.
     */
    fun startSync(): Deferred<SyncResult> = synchronized(lock) {
        running?.takeIf { it.isActive }?.let { return it }
        val token = SyncCancellation()
        cancellation = token
        cancelling = false
        _syncRun.value = SyncRun.Running(progress = null)
        val job = appScope.async { runSync(token) }
        running = job
        job
    }

    /** Asks the running sync to stop between two requests; what arrived so far is kept. */
    fun cancelSync() {
        synchronized(lock) {
            val token = cancellation ?: return
            if (running?.isActive != true) return
            cancelling = true
            token.cancel()
        }
        _syncRun.update { if (it is SyncRun.Running) it.copy(cancelling = true) else it }
    }

    private suspend fun runSync(token: SyncCancellation): SyncResult {
        val listener = object : SyncListener {
            override fun onProgress(progress: SyncProgress) {
                // On the core's syncing thread: only hand the value over.
                _syncRun.value = SyncRun.Running(progress, cancelling)
            }
        }
        val result = try {
            SyncResult.Done(blockingCancellable(onCancel = token::cancel) { store.sync(syncSettings, listener, token) })
        } catch (e: TengException) {
            e.toSyncResult()
        } finally {
            synchronized(lock) { cancellation = null }
        }
        _syncRun.value = SyncRun.Finished(result, clock.nowMs())
        // Whatever the end, pages may have arrived and actions may have been sent.
        changed()
        return result
    }

    /**
     * Runs a blocking call on [io]; if the calling coroutine is cancelled meanwhile, [onCancel] asks
     * the call to stop, and this waits until it has (the thread cannot be interrupted).
     */
    private suspend fun <T> blockingCancellable(onCancel: () -> Unit, block: () -> T): T = coroutineScope {
        val call = async(io) { block() }
        try {
            call.await()
        } catch (e: CancellationException) {
            onCancel()
            throw e
        }
    }

    private fun TengException.toSyncResult(): SyncResult = when (this) {
        is TengException.Offline -> SyncResult.Offline(reason)
        is TengException.Cancelled -> SyncResult.Cancelled
        is TengException.Unauthorized -> SyncResult.Unauthorized
        is TengException.SyncInProgress -> SyncResult.AlreadyRunning
        is TengException.Server -> SyncResult.Refused(status.toInt(), reason)
        else -> SyncResult.Failed(toString())
    }
}
