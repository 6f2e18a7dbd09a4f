package kg.teng.app

import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.lifecycle.viewmodel.initializer
import androidx.lifecycle.viewmodel.viewModelFactory
import kotlinx.coroutines.CoroutineScope

/**
 * Holds one shared-module presenter for as long as its screen is on the back stack (survives
 * rotation and language changes), running in the ViewModel's scope: leaving the screen for good
 * cancels its work. The presenters themselves know nothing of Android.
 */
class PresenterHolder<P : Any>(create: (CoroutineScope) -> P) : ViewModel() {
    val presenter: P = create(viewModelScope)
}

/**
 * The presenter of the current navigation destination, created (and started by [create]) on
 * first use. [key] tells presenters of the same type apart (e.g. the job id).
 */
@Composable
inline fun <reified P : Any> rememberPresenter(key: String = "", noinline create: (CoroutineScope) -> P): P {
    val holder: PresenterHolder<P> = viewModel(
        key = "${P::class.java.name}:$key",
        factory = viewModelFactory { initializer { PresenterHolder(create) } },
    )
    return holder.presenter
}
