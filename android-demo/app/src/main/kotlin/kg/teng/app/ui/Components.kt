package kg.teng.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ArrowBack
import androidx.compose.material.icons.filled.Check
import androidx.compose.material.icons.filled.Close
import androidx.compose.material.icons.filled.Refresh
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.SnackbarHost
import androidx.compose.material3.SnackbarHostState
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import kg.teng.app.R
import kg.teng.app.ui.theme.ChipColors
import kg.teng.app.ui.theme.LocalStatusColors
import kg.teng.shared.report.Choice
import kg.teng.shared.report.ChoiceQuestion

/** Every touch target is at least this tall (Material's and Android's accessibility minimum). */
val MinTouch = 48.dp

/**
 * A screen: a top bar whose title is a heading for TalkBack, an optional back arrow, and the
 * content. No fixed heights anywhere: at 200% font size everything grows and the content scrolls.
 */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun TengScaffold(
    title: String,
    onBack: (() -> Unit)? = null,
    actions: @Composable () -> Unit = {},
    snackbarHostState: SnackbarHostState = remember { SnackbarHostState() },
    content: @Composable (Modifier) -> Unit,
) {
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(title, modifier = Modifier.semantics { heading() }) },
                navigationIcon = {
                    if (onBack != null) {
                        IconButton(onClick = onBack) {
                            // "Back": TalkBack adds the control's role itself.
                            Icon(Icons.AutoMirrored.Filled.ArrowBack, contentDescription = stringResource(R.string.back))
                        }
                    }
                },
                actions = { actions() },
            )
        },
        snackbarHost = { SnackbarHost(snackbarHostState) },
    ) { padding ->
        content(Modifier.padding(padding))
    }
}

/** A section title, marked as a heading so TalkBack users can jump between sections. */
@Composable
fun SectionHeading(text: String, modifier: Modifier = Modifier) {
    Text(
        text = text,
        style = MaterialTheme.typography.titleMedium,
        modifier = modifier
            .fillMaxWidth()
            .padding(top = 16.dp, bottom = 4.dp)
            .semantics { heading() },
    )
}

/** Text that TalkBack announces when it changes (sync progress, "saved", errors). */
@Composable
fun AnnouncedText(text: String, modifier: Modifier = Modifier, color: androidx.compose.ui.graphics.Color = androidx.compose.ui.graphics.Color.Unspecified) {
    Text(
        text = text,
        color = color,
        modifier = modifier.semantics { liveRegion = LiveRegionMode.Polite },
    )
}

enum class ChipKind { OFFLINE, PENDING, DONE, CLOSED }

/**
 * A status in a word, an icon and a colour: the word alone carries the meaning (never the colour
 * alone); the icon is decorative. Colours and their contrast: shared Palette, tested.
 */
@Composable
fun StatusChip(text: String, kind: ChipKind, modifier: Modifier = Modifier) {
    val colors: ChipColors = when (kind) {
        ChipKind.OFFLINE -> LocalStatusColors.current.offline
        ChipKind.PENDING -> LocalStatusColors.current.pending
        ChipKind.DONE -> LocalStatusColors.current.done
        ChipKind.CLOSED -> LocalStatusColors.current.closed
    }
    val icon = when (kind) {
        ChipKind.OFFLINE -> Icons.Filled.Warning
        ChipKind.PENDING -> Icons.Filled.Refresh
        ChipKind.DONE -> Icons.Filled.Check
        ChipKind.CLOSED -> Icons.Filled.Close
    }
    Surface(color = colors.container, contentColor = colors.content, shape = RoundedCornerShape(8.dp), modifier = modifier) {
        Row(
            verticalAlignment = Alignment.CenterVertically,
            horizontalArrangement = Arrangement.spacedBy(6.dp),
            modifier = Modifier.padding(horizontal = 8.dp, vertical = 4.dp),
        ) {
            Icon(icon, contentDescription = null, modifier = Modifier.size(18.dp))
            Text(text, style = MaterialTheme.typography.labelLarge)
        }
    }
}

/**
 * A question with one answer: a heading, then radio rows. Each whole row is the touch target
 * (at least 48dp tall) and reads "<answer>, selected/not selected, 1 of 3" with TalkBack.
 */
@Composable
fun <T> ChoiceGroup(question: ChoiceQuestion<T>, onSelect: (T?) -> Unit, modifier: Modifier = Modifier) {
    if (!question.visible) return
    Column(modifier.fillMaxWidth()) {
        SectionHeading(question.title)
        Column(Modifier.selectableGroup()) {
            question.choices.forEach { choice: Choice<T> ->
                Row(
                    verticalAlignment = Alignment.CenterVertically,
                    modifier = Modifier
                        .fillMaxWidth()
                        .heightIn(min = MinTouch)
                        .selectable(selected = choice.selected, role = Role.RadioButton, onClick = { onSelect(choice.value) }),
                ) {
                    RadioButton(selected = choice.selected, onClick = null)
                    Text(choice.label, modifier = Modifier.padding(start = 12.dp))
                }
            }
        }
        question.errorText?.let { AnnouncedText(it, color = MaterialTheme.colorScheme.error) }
    }
}
