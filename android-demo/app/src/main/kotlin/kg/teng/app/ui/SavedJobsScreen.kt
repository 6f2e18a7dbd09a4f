package kg.teng.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.SnackbarDuration
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.SnackbarResult
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.saved.SavedJobRow
import kg.teng.shared.saved.SavedJobsPresenter

/** Journey 5: saved jobs with "not sent yet", and closed or gone jobs shown as such. */
@Composable
fun SavedJobsScreen(repository: TengRepository, onOpenJob: (String) -> Unit, onLanguage: () -> Unit) {
    val presenter = rememberPresenter { scope -> SavedJobsPresenter(repository, scope).also { it.start() } }
    val state by presenter.state.collectAsStateWithLifecycle()
    val snackbar = remember { SnackbarHostState() }
    var removed by remember { mutableStateOf<SavedJobRow?>(null) }
    val undo = stringResource(R.string.undo)

    // "Removed from saved jobs: ..." with Undo; it stays until acted on or dismissed, so a
    // screen-reader user has time to reach it.
    LaunchedEffect(state.messageText) {
        val message = state.messageText ?: return@LaunchedEffect
        val result = snackbar.showSnackbar(message, actionLabel = undo, withDismissAction = true, duration = SnackbarDuration.Indefinite)
        if (result == SnackbarResult.ActionPerformed) removed?.let { presenter.save(it.listingId, it.note) }
        presenter.messageShown()
    }

    TengScaffold(title = stringResource(R.string.saved_title), actions = { LanguageAction(onLanguage) }, snackbarHostState = snackbar) { modifier ->
        LazyColumn(
            modifier = modifier.fillMaxSize(),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            item { Text(state.countText) }
            state.pendingText?.let { item { StatusChip(it, ChipKind.PENDING) } }
            state.emptyText?.let { item { Text(it) } }
            state.errorText?.let { item { AnnouncedText(it, color = MaterialTheme.colorScheme.error) } }
            items(state.rows, key = { it.listingId }) { row ->
                SavedJobCard(row, onOpen = { onOpenJob(row.listingId) }) {
                    // A control of its own, named after the job: "Remove from saved: Accountant".
                    TextButton(
                        onClick = { removed = row; presenter.unsave(row.listingId) },
                        modifier = Modifier.padding(horizontal = 8.dp),
                    ) {
                        Text(stringResource(R.string.remove_saved, row.title))
                    }
                }
            }
        }
    }
}
