package kg.teng.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
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
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.report.NumberQuestion
import kg.teng.shared.report.ReportPresenter
import kg.teng.shared.report.SendState

/**
 * Journey 4: rate a building on the spot, offline. Questions a visitor can check; "don't know"
 * is always an answer. The form says what the city office will see; the report is kept at once
 * and shown "not sent yet" until a sync, then with the city office's answer.
 */
@Composable
fun ReportScreen(
    repository: TengRepository,
    buildingId: String,
    buildingName: String?,
    onBack: () -> Unit,
    onMyReports: () -> Unit,
) {
    val presenter = rememberPresenter(key = buildingId) { scope ->
        ReportPresenter(repository, scope, buildingId, buildingName).also { it.start() }
    }
    val state by presenter.state.collectAsStateWithLifecycle()
    TengScaffold(title = stringResource(R.string.report_title), onBack = onBack) { modifier ->
        Column(
            verticalArrangement = Arrangement.spacedBy(8.dp),
            modifier = modifier
                .fillMaxSize()
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
        ) {
            state.buildingName?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
            Text(stringResource(R.string.report_intro))

            state.stepFree?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(stepFree = v) } }) }
            state.stepCount?.let { q -> NumberField(q, state.formVersion) { t -> presenter.edit { it.copy(stepCount = t) } } }
            state.ramp?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(ramp = v) } }) }
            state.doorWidth?.let { q -> NumberField(q, state.formVersion) { t -> presenter.edit { it.copy(doorWidthCm = t) } } }
            state.elevator?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(elevator = v) } }) }
            state.elevatorWorking?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(elevatorWorking = v) } }) }
            state.toilet?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(toilet = v) } }) }
            state.hearingLoop?.let { q -> ChoiceGroup(q, onSelect = { v -> presenter.edit { it.copy(hearingLoop = v) } }) }
            state.method?.let { q -> ChoiceGroup(q, onSelect = { v -> if (v != null) presenter.edit { it.copy(method = v) } }) }

            var note by rememberSaveable(state.formVersion) { mutableStateOf(state.note) }
            OutlinedTextField(
                value = note,
                onValueChange = { note = it; presenter.edit { a -> a.copy(note = it) } },
                label = { Text(stringResource(R.string.note_label)) },
                isError = state.noteError != null,
                supportingText = state.noteError?.let { error -> { Text(error) } },
                minLines = 3,
                modifier = Modifier.fillMaxWidth().padding(top = 16.dp),
            )
            state.formError?.let { AnnouncedText(it, color = MaterialTheme.colorScheme.error) }
            // What the city office will see of the report, and never sees, before it is kept.
            if (state.privacyText.isNotEmpty()) Text(state.privacyText, style = MaterialTheme.typography.bodySmall)
            Button(onClick = { presenter.submit() }, enabled = !state.saving, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(R.string.save_report))
            }
            state.confirmationText?.let { AnnouncedText(it) }
            state.errorText?.let { AnnouncedText(it, color = MaterialTheme.colorScheme.error) }
            state.problems.forEach { Text(it, color = MaterialTheme.colorScheme.error) }

            if (state.myReports.isNotEmpty()) {
                SectionHeading(stringResource(R.string.my_reports_heading))
                state.myReportsText?.let { Text(it) }
                state.myReports.forEach { report ->
                    // One stop per report: "Not sent yet. Just now. Step-free entrance: no; ..."
                    Card(Modifier.fillMaxWidth()) {
                        Column(
                            verticalArrangement = Arrangement.spacedBy(4.dp),
                            modifier = Modifier
                                .padding(12.dp)
                                .clearAndSetSemantics { contentDescription = report.announcement },
                        ) {
                            StatusChip(report.statusText, if (report.status == SendState.PENDING) ChipKind.PENDING else ChipKind.DONE)
                            Text(report.text)
                            if (report.status == SendState.SENT) Text(report.cityStatusText)
                        }
                    }
                }
                OutlinedButton(onClick = onMyReports, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.open_my_reports))
                }
            }
        }
    }
}

/**
 * A whole number (steps, centimetres). The text lives in the field while typing and starts again
 * when the form is emptied after a report was kept ([formVersion]).
 */
@Composable
private fun NumberField(question: NumberQuestion, formVersion: Int, onChange: (String) -> Unit) {
    if (!question.visible) return
    var text by rememberSaveable(question.field, formVersion) { mutableStateOf(question.text) }
    OutlinedTextField(
        value = text,
        onValueChange = { typed ->
            text = typed.filter { it.isDigit() }.take(4)
            onChange(text)
        },
        label = { Text(question.title) },
        isError = question.errorText != null,
        supportingText = { Text(question.errorText ?: question.hint) },
        singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        modifier = Modifier.fillMaxWidth().padding(top = 16.dp),
    )
}
