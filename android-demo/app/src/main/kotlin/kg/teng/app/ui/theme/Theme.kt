package kg.teng.app.ui.theme

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.Immutable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import kg.teng.shared.ui.Colors
import kg.teng.shared.ui.Palette

/** Background and text colour of a status chip; the chip also carries a word and an icon. */
@Immutable
data class ChipColors(val container: Color, val content: Color)

@Immutable
data class StatusColors(
    val offline: ChipColors,
    val pending: ChipColors,
    val done: ChipColors,
    val closed: ChipColors,
)

val LocalStatusColors = staticCompositionLocalOf {
    statusColors(Palette.light)
}

private fun statusColors(c: Colors) = StatusColors(
    offline = ChipColors(Color(c.offlineChip), Color(c.onOfflineChip)),
    pending = ChipColors(Color(c.pendingChip), Color(c.onPendingChip)),
    done = ChipColors(Color(c.doneChip), Color(c.onDoneChip)),
    closed = ChipColors(Color(c.closedChip), Color(c.onClosedChip)),
)

private fun scheme(c: Colors, dark: Boolean) = if (dark) {
    darkColorScheme(
        primary = Color(c.primary), onPrimary = Color(c.onPrimary),
        primaryContainer = Color(c.primaryContainer), onPrimaryContainer = Color(c.onPrimaryContainer),
        secondaryContainer = Color(c.primaryContainer), onSecondaryContainer = Color(c.onPrimaryContainer),
        background = Color(c.background), onBackground = Color(c.onBackground),
        surface = Color(c.background), onSurface = Color(c.onBackground),
        surfaceVariant = Color(c.closedChip), onSurfaceVariant = Color(c.onBackgroundMuted),
        surfaceContainerLowest = Color(c.background), surfaceContainerLow = Color(c.surfaceContainer),
        surfaceContainer = Color(c.surfaceContainer), surfaceContainerHigh = Color(c.surfaceContainer),
        surfaceContainerHighest = Color(c.surfaceContainer),
        error = Color(c.error), outline = Color(c.outline),
    )
} else {
    lightColorScheme(
        primary = Color(c.primary), onPrimary = Color(c.onPrimary),
        primaryContainer = Color(c.primaryContainer), onPrimaryContainer = Color(c.onPrimaryContainer),
        secondaryContainer = Color(c.primaryContainer), onSecondaryContainer = Color(c.onPrimaryContainer),
        background = Color(c.background), onBackground = Color(c.onBackground),
        surface = Color(c.background), onSurface = Color(c.onBackground),
        surfaceVariant = Color(c.closedChip), onSurfaceVariant = Color(c.onBackgroundMuted),
        surfaceContainerLowest = Color(c.background), surfaceContainerLow = Color(c.surfaceContainer),
        surfaceContainer = Color(c.surfaceContainer), surfaceContainerHigh = Color(c.surfaceContainer),
        surfaceContainerHighest = Color(c.surfaceContainer),
        error = Color(c.error), outline = Color(c.outline),
    )
}

/**
 * Material 3 with Teng's tested colours (no dynamic colour: wallpaper-based colours could break
 * the contrast the tests check). Text sizes are Material's, in sp, so they follow the phone's
 * font size, up to 200%.
 */
@Composable
fun TengTheme(dark: Boolean = isSystemInDarkTheme(), content: @Composable () -> Unit) {
    val colors = if (dark) Palette.dark else Palette.light
    CompositionLocalProvider(LocalStatusColors provides statusColors(colors)) {
        MaterialTheme(colorScheme = scheme(colors, dark), content = content)
    }
}
