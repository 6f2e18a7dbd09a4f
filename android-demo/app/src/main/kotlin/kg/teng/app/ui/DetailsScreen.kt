package kg.teng.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.Send
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Email
import androidx.compose.material.icons.filled.Favorite
import androidx.compose.material.icons.filled.FavoriteBorder
import androidx.compose.material.icons.filled.MailOutline
import androidx.compose.material.icons.filled.Place
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.openApplyAction
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.details.ApplyKind
import kg.teng.shared.details.DetailsPresenter
import kg.teng.shared.details.JobDetails
import kotlinx.coroutines.launch

/** Journey 3: the job, how to apply, and the building's accessibility in sentences. */
@Composable
fun DetailsScreen(
    repository: TengRepository,
    listingId: String,
    onBack: () -> Unit,
    onRateBuilding: (buildingId: String, name: String?) -> Unit,
) {
    val presenter = rememberPresenter(key = listingId) { scope -> DetailsPresenter(repository, scope, listingId).also { it.start() } }
    val state by presenter.state.collectAsStateWithLifecycle()
    val snackbar = remember { SnackbarHostState() }
    TengScaffold(
        title = state.job?.title ?: stringResource(R.string.job_title),
        onBack = onBack,
        snackbarHostState = snackbar,
    ) { modifier ->
        Column(
            verticalArrangement = Arrangement.spacedBy(8.dp),
            modifier = modifier
                .fillMaxSize()
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
        ) {
            val job = state.job
            when {
                state.loading -> {
                    CircularProgressIndicator()
                    Text(stringResource(R.string.loading))
                }
                state.goneText != null -> {
                    AnnouncedText(state.goneText.orEmpty())
                    Button(onClick = onBack) { Text(stringResource(R.string.job_gone_back)) }
                }
                job != null -> JobContent(
                    job = job,
                    snackbar = snackbar,
                    onToggleSaved = { presenter.toggleSaved() },
                    onRateBuilding = { job.buildingId?.let { onRateBuilding(it, job.buildingName) } },
                )
            }
            state.errorText?.let { AnnouncedText(it, color = MaterialTheme.colorScheme.error) }
        }
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun JobContent(job: JobDetails, snackbar: SnackbarHostState, onToggleSaved: () -> Unit, onRateBuilding: () -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val noApp = stringResource(R.string.no_app_for_action)

    Text(job.organization, style = MaterialTheme.typography.titleMedium)
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        StatusChip(job.statusText, if (job.isOpen) ChipKind.DONE else ChipKind.CLOSED)
        job.verifiedText?.let { StatusChip(it, ChipKind.DONE) }
    }
    Text(job.city)
    Text(job.salaryText, style = MaterialTheme.typography.bodyLarge)
    Text(job.workText)
    Text(job.postedText, color = MaterialTheme.colorScheme.onSurfaceVariant)

    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        FilledTonalButton(onClick = onToggleSaved) {
            Icon(if (job.saved) Icons.Filled.Favorite else Icons.Filled.FavoriteBorder, contentDescription = null)
            Text(stringResource(if (job.saved) R.string.unsave_job else R.string.save_job), modifier = Modifier.padding(start = 8.dp))
        }
        job.saveNotSentText?.let { StatusChip(it, ChipKind.PENDING) }
    }

    SectionHeading(stringResource(R.string.how_to_apply))
    job.apply.forEach { action ->
        if (action.uri == null) {
            // Not a number or address the phone can open: the words still say it.
            Text(action.label)
        } else {
            OutlinedButton(
                onClick = {
                    if (!context.openApplyAction(action)) scope.launch { snackbar.showSnackbar(noApp) }
                },
                modifier = Modifier.fillMaxWidth(),
            ) {
                Icon(
                    when (action.kind) {
                        ApplyKind.CALL -> Icons.Filled.Call
                        ApplyKind.SMS -> Icons.Filled.MailOutline
                        ApplyKind.WHATSAPP -> Icons.AutoMirrored.Filled.Send
                        ApplyKind.EMAIL -> Icons.Filled.Email
                        ApplyKind.VISIT -> Icons.Filled.Place
                    },
                    contentDescription = null,
                )
                Text(action.label, modifier = Modifier.padding(start = 8.dp).weight(1f))
            }
        }
    }

    SectionHeading(stringResource(R.string.about_job))
    Text(job.description)
    Text(stringResource(R.string.work_languages, job.languagesText))
    if (job.accommodations.isNotEmpty()) {
        SectionHeading(stringResource(R.string.accommodations_heading))
        job.accommodations.forEach { Text(it) }
    }

    SectionHeading(stringResource(R.string.building_heading))
    job.remoteText?.let { Text(it) }
    job.buildingName?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
    job.buildingAddress?.let { Text(it) }

    job.access?.let { access ->
        SectionHeading(stringResource(R.string.access_details_heading))
        // The core's summary: one sentence, one TalkBack stop (merged with its container).
        Surface(
            color = MaterialTheme.colorScheme.primaryContainer,
            contentColor = MaterialTheme.colorScheme.onPrimaryContainer,
            shape = MaterialTheme.shapes.medium,
            modifier = Modifier.fillMaxWidth().semantics(mergeDescendants = true) {},
        ) {
            Text(access.summary, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.padding(12.dp))
        }
        access.sentences.forEach { Text(it) }
        Text(access.lastReportedText, color = MaterialTheme.colorScheme.onSurfaceVariant)
        access.reportsText?.let { Text(it, color = MaterialTheme.colorScheme.onSurfaceVariant) }
        if (access.facts.isNotEmpty()) {
            SectionHeading(stringResource(R.string.facts_heading))
            access.facts.forEach { Text(it.text) }
        }
        Button(onClick = onRateBuilding, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.rate_building))
        }
    }
}
