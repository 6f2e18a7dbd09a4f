package kg.teng.app.ui

import android.Manifest
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Check
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.LocalFocusManager
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.onClick
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.hasCoarseLocation
import kg.teng.app.lastKnownLocation
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.search.JobRow
import kg.teng.shared.search.Option
import kg.teng.shared.search.SearchPresenter

/** Journey 2: words, filters, near me, results with access in words, and more results. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun SearchScreen(repository: TengRepository, onOpenJob: (String) -> Unit, onLanguage: () -> Unit) {
    val presenter = rememberPresenter { scope -> SearchPresenter(repository, scope).also { it.start() } }
    val state by presenter.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val focus = LocalFocusManager.current
    // The words live in the field (typing never waits for a round trip); the presenter gets a copy.
    var text by rememberSaveable { mutableStateOf(state.text) }
    var showFilters by rememberSaveable { mutableStateOf(false) }
    var locationMessage by rememberSaveable { mutableStateOf<Int?>(null) }

    fun searchNearMe() {
        val location = context.lastKnownLocation()
        if (location == null) {
            locationMessage = R.string.location_unknown
        } else {
            locationMessage = null
            presenter.setNearMe(location.latitude, location.longitude)
        }
    }
    val askLocation = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        if (granted) searchNearMe() else locationMessage = R.string.location_denied
    }

    TengScaffold(title = stringResource(R.string.search_title), actions = { LanguageAction(onLanguage) }) { modifier ->
        LazyColumn(
            modifier = modifier.fillMaxSize(),
            contentPadding = PaddingValues(16.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            item {
                OutlinedTextField(
                    value = text,
                    onValueChange = { text = it; presenter.setText(it) },
                    label = { Text(stringResource(R.string.search_field)) },
                    singleLine = true,
                    keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
                    keyboardActions = KeyboardActions(onSearch = { presenter.search(); focus.clearFocus() }),
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            item {
                Button(onClick = { presenter.search(); focus.clearFocus() }, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.search_action))
                }
            }
            item {
                // The whole row is the switch: one target, one TalkBack stop ("Near me, switch, off").
                Row(
                    verticalAlignment = Alignment.CenterVertically,
                    modifier = Modifier
                        .fillMaxWidth()
                        .heightIn(min = MinTouch)
                        .toggleable(value = state.nearMe != null, role = Role.Switch) { on ->
                            when {
                                !on -> presenter.clearNearMe()
                                context.hasCoarseLocation() -> searchNearMe()
                                else -> askLocation.launch(Manifest.permission.ACCESS_COARSE_LOCATION)
                            }
                        },
                ) {
                    Text(stringResource(R.string.near_me), modifier = Modifier.weight(1f))
                    Switch(checked = state.nearMe != null, onCheckedChange = null)
                }
            }
            locationMessage?.let { message -> item { AnnouncedText(stringResource(message)) } }
            if (state.nearMe != null) {
                item { SectionHeading(stringResource(R.string.radius_heading)) }
                item { RadioOptions(state.radiusOptions) { presenter.setRadius(it) } }
            }
            item {
                val expanded = stringResource(R.string.expanded)
                val collapsed = stringResource(R.string.collapsed)
                TextButton(
                    onClick = { showFilters = !showFilters },
                    modifier = Modifier.semantics { stateDescription = if (showFilters) expanded else collapsed },
                ) { Text(stringResource(R.string.filters)) }
            }
            if (showFilters) {
                item { SectionHeading(stringResource(R.string.access_filters_heading)) }
                item { ChipOptions(state.access) { presenter.toggleAccess(it) } }
                item { SectionHeading(stringResource(R.string.accommodation_filters_heading)) }
                item { ChipOptions(state.accommodations) { presenter.toggleAccommodation(it) } }
            }
            state.filtersText?.let { item { Text(it, color = MaterialTheme.colorScheme.onSurfaceVariant) } }
            item { SectionHeading(stringResource(R.string.results_heading)) }
            if (state.searching) item { LinearProgressIndicator(Modifier.fillMaxWidth()) }
            // Announced when a search ends: "Jobs found: 42. Shown: 20."
            state.totalText?.let { item { AnnouncedText(it) } }
            state.emptyText?.let { item { Text(it) } }
            state.errorText?.let { item { AnnouncedText(it, color = MaterialTheme.colorScheme.error) } }
            items(state.results, key = { it.listingId }) { row -> JobCard(row) { onOpenJob(row.listingId) } }
            if (state.canLoadMore) {
                item {
                    OutlinedButton(onClick = { presenter.loadMore() }, enabled = !state.loadingMore, modifier = Modifier.fillMaxWidth()) {
                        Text(stringResource(R.string.load_more))
                    }
                }
            }
        }
    }
}

/** Filter chips: each a checkbox for TalkBack ("Step-free entrance, checked"); they wrap at any font size. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun <T> ChipOptions(options: List<Option<T>>, onToggle: (T) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        options.forEach { option ->
            FilterChip(
                selected = option.selected,
                onClick = { onToggle(option.value) },
                label = { Text(option.label) },
                leadingIcon = if (option.selected) {
                    { Icon(Icons.Filled.Check, contentDescription = null) }
                } else null,
            )
        }
    }
}

/** One choice of several, as radio rows at least 48dp tall. */
@Composable
private fun <T> RadioOptions(options: List<Option<T>>, onSelect: (T) -> Unit) {
    Column(Modifier.selectableGroup()) {
        options.forEach { option ->
            Row(
                verticalAlignment = Alignment.CenterVertically,
                modifier = Modifier
                    .fillMaxWidth()
                    .heightIn(min = MinTouch)
                    .selectable(selected = option.selected, role = Role.RadioButton) { onSelect(option.value) },
            ) {
                RadioButton(selected = option.selected, onClick = null)
                Text(option.label, modifier = Modifier.padding(start = 12.dp))
            }
        }
    }
}

/** A result: one TalkBack stop reading the whole row as one sentence; double tap opens the job. */
@Composable
private fun JobCard(row: JobRow, onOpen: () -> Unit) {
    val openLabel = stringResource(R.string.open_job)
    Card(Modifier.fillMaxWidth()) {
        Column(
            verticalArrangement = Arrangement.spacedBy(4.dp),
            modifier = Modifier
                .fillMaxWidth()
                .clickable(onClickLabel = openLabel, onClick = onOpen)
                .clearAndSetSemantics {
                    contentDescription = row.announcement
                    onClick(label = openLabel) { onOpen(); true }
                }
                .padding(16.dp),
        ) {
            Text(row.title, style = MaterialTheme.typography.titleMedium)
            Text(row.organization)
            row.verifiedText?.let { StatusChip(it, ChipKind.DONE) }
            Text(listOfNotNull(row.city, row.distanceText).joinToString(" · "), color = MaterialTheme.colorScheme.onSurfaceVariant)
            Text(row.salaryText)
            Text(row.accessText)
        }
    }
}
