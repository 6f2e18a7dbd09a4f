package kg.teng.app

import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.appcompat.app.AppCompatActivity
import kg.teng.app.ui.TengNavHost
import kg.teng.app.ui.theme.TengTheme
import kotlinx.coroutines.launch

/**
 * The one activity. An AppCompatActivity (a ComponentActivity underneath, so Compose works as
 * usual) because `AppCompatDelegate.setApplicationLocales` switches the app's own language on
 * every Android version from 7.0.
 */
class MainActivity : AppCompatActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val app = TengApp.from(this)
        val repository = app.repository
        // Before Android 13, AppCompat restores a language chosen in the app only when the first
        // activity is created, after TengApp.onCreate opened the store: let the core follow it.
        val language = TengApp.currentLanguage()
        if (repository.language.value != language) app.appScope.launch { repository.setLanguage(language) }
        setContent {
            TengTheme {
                TengNavHost(repository)
            }
        }
    }
}
