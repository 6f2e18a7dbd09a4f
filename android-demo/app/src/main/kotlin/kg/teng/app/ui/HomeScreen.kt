package kg.teng.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.onClick
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.home.Connection
import kg.teng.shared.home.HomePresenter
import kg.teng.shared.home.HomeState
import kg.teng.shared.saved.Availability
import kg.teng.shared.saved.SavedJobRow
import kotlinx.coroutines.delay

/** Journey 1: what is on the phone, whether it is offline, when it last synced; the sync. */
@Composable
fun HomeScreen(
    repository: TengRepository,
    onOpenJob: (String) -> Unit,
    onFindJobs: () -> Unit,
    onLanguage: () -> Unit,
    onMyReports: () -> Unit,
) {
    val presenter = rememberPresenter { scope -> HomePresenter(repository, scope).also { it.start(syncOnStart = true) } }
    val state by presenter.state.collectAsStateWithLifecycle()
    // "5 minutes ago" stays true while the screen is shown.
    LaunchedEffect(presenter) {
        while (true) {
            delay(60_000)
            presenter.refresh()
        }
    }
    TengScaffold(title = stringResource(R.string.app_name), actions = { LanguageAction(onLanguage) }) { modifier ->
        LazyColumn(
            modifier = modifier.fillMaxSize(),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            item { SyncCard(state, onSync = { presenter.sync() }, onCancel = presenter::cancelSync) }
            state.errorText?.let { item { AnnouncedText(it, color = MaterialTheme.colorScheme.error) } }
            state.emptyCatalogueText?.let { item { Text(it) } }
            item {
                Button(onClick = onFindJobs, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.find_jobs)) }
            }
            item {
                OutlinedButton(onClick = onMyReports, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.open_my_reports)) }
            }
            item { SectionHeading(stringResource(R.string.saved_heading)) }
            item { Text(state.savedText) }
            items(state.savedJobs, key = { it.listingId }) { row ->
                SavedJobCard(row, onOpen = { onOpenJob(row.listingId) })
            }
        }
    }
}

@Composable
private fun SyncCard(state: HomeState, onSync: () -> Unit, onCancel: () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            // The status is one stop for TalkBack, read as the shared layer wrote it
            // ("Offline: ... Last synced 5 minutes ago. Actions not sent yet: 2.").
            Column(
                verticalArrangement = Arrangement.spacedBy(4.dp),
                modifier = Modifier.clearAndSetSemantics { contentDescription = state.statusAnnouncement },
            ) {
                if (state.connection == Connection.OFFLINE) StatusChip(stringResource(R.string.status_offline), ChipKind.OFFLINE)
                state.connectionText?.let { Text(it) }
                Text(state.lastSyncText, style = MaterialTheme.typography.bodyLarge)
                state.pendingText?.let { StatusChip(it, ChipKind.PENDING) }
                state.problemsText?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            }
            if (state.sync.running) {
                val fraction = state.sync.fraction
                if (fraction != null) {
                    LinearProgressIndicator(progress = { fraction }, modifier = Modifier.fillMaxWidth())
                } else {
                    LinearProgressIndicator(modifier = Modifier.fillMaxWidth())
                }
                // Not a live region: it changes with every page; the result below is announced.
                state.sync.progressText?.let { Text(it) }
                OutlinedButton(onClick = onCancel, enabled = state.sync.canCancel, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.sync_cancel))
                }
            } else {
                Button(onClick = onSync, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.sync_now)) }
            }
            state.resultText?.let { AnnouncedText(it) }
        }
    }
}

/**
 * A saved job. The row is one TalkBack stop reading the shared layer's sentence (title,
 * organization, city, whether it is open, "not sent yet", when saved, the note); a job that is
 * gone cannot be opened. [actions] are separate controls below (e.g. "Remove from saved").
 */
@Composable
fun SavedJobCard(row: SavedJobRow, onOpen: () -> Unit, actions: @Composable () -> Unit = {}) {
    val openLabel = stringResource(R.string.open_job)
    Card(Modifier.fillMaxWidth()) {
        Column(
            verticalArrangement = Arrangement.spacedBy(4.dp),
            modifier = Modifier
                .fillMaxWidth()
                .heightIn(min = MinTouch)
                .then(if (row.canOpen) Modifier.clickable(onClickLabel = openLabel, onClick = onOpen) else Modifier)
                .clearAndSetSemantics {
                    contentDescription = row.announcement
                    if (row.canOpen) onClick(label = openLabel) { onOpen(); true }
                }
                .padding(16.dp),
        ) {
            Text(row.title, style = MaterialTheme.typography.titleMedium)
            listOfNotNull(row.organization, row.city).takeIf { it.isNotEmpty() }?.let {
                Text(it.joinToString(" · "), color = MaterialTheme.colorScheme.onSurfaceVariant)
            }
            StatusChip(
                row.availabilityText,
                when (row.availability) {
                    Availability.OPEN -> ChipKind.DONE
                    Availability.CLOSED, Availability.GONE -> ChipKind.CLOSED
                },
            )
            row.notSentText?.let { StatusChip(it, ChipKind.PENDING) }
            Text(row.savedText, color = MaterialTheme.colorScheme.onSurfaceVariant)
            row.noteText?.let { Text(it) }
        }
        actions()
    }
}
