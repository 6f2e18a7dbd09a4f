package kg.teng.app.ui

import androidx.appcompat.app.AppCompatDelegate
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.SpanStyle
import androidx.compose.ui.text.buildAnnotatedString
import androidx.compose.ui.text.intl.LocaleList
import androidx.compose.ui.text.withStyle
import androidx.compose.ui.unit.dp
import androidx.core.os.LocaleListCompat
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kg.teng.app.R
import kg.teng.app.rememberPresenter
import kg.teng.shared.TengRepository
import kg.teng.shared.settings.LanguagePresenter

/**
 * Journey 6: Kyrgyz, Russian or English. Each language is written in itself and marked with its
 * locale, so TalkBack reads "Кыргыз тили" with a Kyrgyz (or Russian) voice, not an English one.
 */
@Composable
fun LanguageScreen(repository: TengRepository, onBack: () -> Unit) {
    val presenter = rememberPresenter { scope -> LanguagePresenter(repository, scope).also { it.start() } }
    val state by presenter.state.collectAsStateWithLifecycle()
    TengScaffold(title = stringResource(R.string.language_title), onBack = onBack) { modifier ->
        Column(
            modifier = modifier
                .fillMaxSize()
                .verticalScroll(rememberScrollState())
                .padding(16.dp),
        ) {
            Text(stringResource(R.string.language_intro), modifier = Modifier.padding(bottom = 8.dp))
            Column(Modifier.selectableGroup()) {
                state.options.forEach { option ->
                    Row(
                        verticalAlignment = Alignment.CenterVertically,
                        modifier = Modifier
                            .fillMaxWidth()
                            .heightIn(min = MinTouch)
                            .selectable(selected = option.selected, role = Role.RadioButton) {
                                // The core and the shared phrases switch now; the app's own string
                                // resources when the activity is recreated for the new locale.
                                presenter.select(option.language)
                                AppCompatDelegate.setApplicationLocales(LocaleListCompat.forLanguageTags(option.tag))
                            },
                    ) {
                        RadioButton(selected = option.selected, onClick = null)
                        Text(
                            text = buildAnnotatedString {
                                withStyle(SpanStyle(localeList = LocaleList(option.tag))) { append(option.nativeName) }
                            },
                            style = MaterialTheme.typography.bodyLarge,
                            modifier = Modifier.padding(start = 12.dp),
                        )
                    }
                }
            }
        }
    }
}
