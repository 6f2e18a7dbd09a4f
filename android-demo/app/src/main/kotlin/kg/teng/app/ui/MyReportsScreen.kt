package kg.teng.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.report.MyReportItem
import kg.teng.shared.report.MyReportsPresenter
import kg.teng.shared.report.SendState

/**
 * Journey 7, hearing back from the city: every report made on this phone with the city office's
 * answer in words and its history, and "Still not fixed" on a report the office marked resolved
 * (kept at once, sent by the next sync).
 */
@Composable
fun MyReportsScreen(repository: TengRepository, onBack: () -> Unit) {
    val presenter = rememberPresenter { scope -> MyReportsPresenter(repository, scope).also { it.start() } }
    val state by presenter.state.collectAsStateWithLifecycle()
    TengScaffold(title = stringResource(R.string.my_reports_title), onBack = onBack) { modifier ->
        LazyColumn(
            modifier = modifier.fillMaxSize(),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            item { Text(state.countText) }
            state.emptyText?.let { item { Text(it) } }
            state.messageText?.let { item { AnnouncedText(it) } }
            state.errorText?.let { item { AnnouncedText(it, color = MaterialTheme.colorScheme.error) } }
            items(state.items, key = { it.id }) { report ->
                MyReportCard(report, reopening = state.reopening == report.id) { note -> presenter.reopen(report.id, note) }
            }
            if (state.privacyText.isNotEmpty()) item { Text(state.privacyText, style = MaterialTheme.typography.bodySmall) }
        }
    }
}

@Composable
private fun MyReportCard(report: MyReportItem, reopening: Boolean, onReopen: (String) -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            // One stop per report: the building, what was reported, the office's answer.
            Column(
                verticalArrangement = Arrangement.spacedBy(4.dp),
                modifier = Modifier.clearAndSetSemantics { contentDescription = report.announcement },
            ) {
                Text(report.buildingName, style = MaterialTheme.typography.titleSmall)
                Text(report.reportedText)
                if (report.sendState == SendState.PENDING || report.reopenPending) {
                    StatusChip(report.statusText, ChipKind.PENDING)
                } else {
                    Text(stringResource(R.string.city_answer_heading), style = MaterialTheme.typography.labelLarge)
                    Text(report.statusText)
                }
                report.problemText?.let { Text(it, color = MaterialTheme.colorScheme.error) }
            }
            if (report.history.size > 1) {
                SectionHeading(stringResource(R.string.history_heading))
                report.history.forEach { Text(it, style = MaterialTheme.typography.bodySmall) }
            }
            if (report.canReopen) {
                var note by rememberSaveable(report.id) { mutableStateOf("") }
                OutlinedTextField(
                    value = note,
                    onValueChange = { note = it },
                    label = { Text(stringResource(R.string.reopen_note_label)) },
                    minLines = 2,
                    modifier = Modifier.fillMaxWidth(),
                )
                // Named after the building: "Still not fixed: Office, Chui Avenue 1".
                Button(onClick = { onReopen(note) }, enabled = !reopening, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.still_not_fixed, report.buildingName))
                }
            }
        }
    }
}
