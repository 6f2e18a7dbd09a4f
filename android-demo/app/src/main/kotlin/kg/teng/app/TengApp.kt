package kg.teng.app

import android.app.Application
import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import androidx.appcompat.app.AppCompatDelegate
import kg.teng.core.Language
import kg.teng.core.SyncSettings
import kg.teng.core.TengException
import kg.teng.core.TengStore
import kg.teng.core.uniffiEnsureInitialized
import kg.teng.shared.SyncResult
import kg.teng.shared.SyncRun
import kg.teng.shared.TengRepository
import java.io.File
import java.util.UUID
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch

/**
 * The process-wide objects: one [TengStore] (thread-safe, shared by every screen) and one
 * [TengRepository] over it. Screens reach them through [from].
 */
class TengApp : Application() {
    /** Lives as long as the process: a sync started here outlives the screen that asked for it. */
    val appScope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)

    lateinit var repository: TengRepository
        private set

    override fun onCreate() {
        super.onCreate()
        // Opening is a file open plus any pending schema migration: milliseconds. (An app with a
        // long migration would open on Dispatchers.IO behind a splash screen.)
        // UniFFI's Kotlin checks that libteng_ffi matches these bindings only when asked: a .so
        // from another build would otherwise fail later, in odd ways. About 1-2 ms.
        uniffiEnsureInitialized()
        val store = openStore(File(filesDir, "teng.db"), currentLanguage())
        repository = TengRepository(
            store = store,
            syncSettings = SyncSettings(serverUrl = BuildConfig.TENG_SERVER_URL),
            reporterId = installId(),
            appScope = appScope,
        )
        watchNetwork()
    }

    /**
     * Opens the database; a damaged file is moved aside and a fresh one opened (the next sync
     * brings the catalogue back; only actions not yet sent are lost), as `TengException`'s
     * documentation asks.
     */
    private fun openStore(file: File, language: Language): TengStore = try {
        TengStore.open(file.path, language)
    } catch (e: TengException.StoreCorrupt) {
        for (suffix in listOf("", "-wal", "-shm")) {
            File(file.path + suffix).takeIf { it.exists() }?.renameTo(File("${file.path}.damaged-${System.currentTimeMillis()}$suffix"))
        }
        TengStore.open(file.path, language)
    }

    /** A random id for this install, sent with accessibility reports (never the user's identity). */
    private fun installId(): String {
        val prefs = getSharedPreferences("teng", Context.MODE_PRIVATE)
        return prefs.getString("install_id", null) ?: UUID.randomUUID().toString().also {
            prefs.edit().putString("install_id", it).apply()
        }
    }

    /**
     * Tells the repository whether there is a network (the home screen says "offline" at once),
     * and syncs when it comes back after a sync failed for want of one.
     */
    private fun watchNetwork() {
        val connectivity = getSystemService(ConnectivityManager::class.java) ?: return
        fun hasInternet(network: Network?) = network != null &&
            connectivity.getNetworkCapabilities(network)?.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) == true
        repository.setNetworkAvailable(hasInternet(connectivity.activeNetwork))
        connectivity.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onAvailable(network: Network) = repository.setNetworkAvailable(true)
            override fun onLost(network: Network) = repository.setNetworkAvailable(false)
        })
        appScope.launch {
            // A StateFlow only emits changes: each `true` here is the network coming back.
            repository.networkAvailable.collect { available ->
                val last = repository.syncRun.value
                if (available == true && last is SyncRun.Finished && last.result is SyncResult.Offline) repository.startSync()
            }
        }
    }

    companion object {
        fun from(context: Context): TengApp = context.applicationContext as TengApp

        /** The app's language: the per-app locale if the user chose one, else the phone's. */
        fun currentLanguage(): Language {
            val tag = AppCompatDelegate.getApplicationLocales()[0]?.language
                ?: java.util.Locale.getDefault().language
            return languageOf(tag)
        }

        fun languageOf(tag: String?): Language = when (tag) {
            "ky" -> Language.KY
            "ru" -> Language.RU
            else -> Language.EN
        }
    }
}
