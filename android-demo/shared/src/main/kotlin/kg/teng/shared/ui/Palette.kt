package kg.teng.shared.ui

import kotlin.math.pow

/**
 * The app's colours as plain ARGB numbers, so the contrast of every text/background pair is
 * checked by the JVM tests (WCAG 2.x: at least 4.5:1 for text, 3:1 for outlines). The Android
 * theme (`app/.../ui/theme/Theme.kt`) builds its Material 3 colour schemes from these.
 *
 * Colour never carries meaning alone: every status chip also has its word ("Offline", "Not sent
 * yet", "Sent", "Closed") and an icon.
 */
data class Colors(
    val background: Long,
    val onBackground: Long,
    /** Secondary text (organization, city, times). */
    val onBackgroundMuted: Long,
    /** Cards, the navigation bar, text fields: a shade off the background. */
    val surfaceContainer: Long,
    val primary: Long,
    val onPrimary: Long,
    val primaryContainer: Long,
    val onPrimaryContainer: Long,
    val error: Long,
    /** Borders of text fields and cards; 3:1 against the background. */
    val outline: Long,
    val offlineChip: Long,
    val onOfflineChip: Long,
    val pendingChip: Long,
    val onPendingChip: Long,
    val doneChip: Long,
    val onDoneChip: Long,
    val closedChip: Long,
    val onClosedChip: Long,
) {
    /** Every (name, foreground, background) pair the app draws text with. */
    fun textPairs(): List<Triple<String, Long, Long>> = listOf(
        Triple("text on background", onBackground, background),
        Triple("muted text on background", onBackgroundMuted, background),
        Triple("text on cards and bars", onBackground, surfaceContainer),
        Triple("muted text on cards and bars", onBackgroundMuted, surfaceContainer),
        Triple("primary on cards and bars", primary, surfaceContainer),
        Triple("muted text on grey surfaces", onBackgroundMuted, closedChip),
        Triple("primary (links, text buttons) on background", primary, background),
        Triple("text on primary buttons", onPrimary, primary),
        Triple("text on primary container", onPrimaryContainer, primaryContainer),
        Triple("error text on background", error, background),
        Triple("offline chip", onOfflineChip, offlineChip),
        Triple("not sent yet chip", onPendingChip, pendingChip),
        Triple("sent / open chip", onDoneChip, doneChip),
        Triple("closed / gone chip", onClosedChip, closedChip),
    )
}

object Palette {
    val light = Colors(
        background = 0xFFFFFFFF,
        onBackground = 0xFF1A1C1E,
        onBackgroundMuted = 0xFF44474E,
        surfaceContainer = 0xFFF0F1F4,
        primary = 0xFF005A70,
        onPrimary = 0xFFFFFFFF,
        primaryContainer = 0xFFCDEBF4,
        onPrimaryContainer = 0xFF001F29,
        error = 0xFFB3261E,
        outline = 0xFF74777F,
        offlineChip = 0xFFFFDAD5,
        onOfflineChip = 0xFF7A1A12,
        pendingChip = 0xFFFFE8B0,
        onPendingChip = 0xFF553F00,
        doneChip = 0xFFCDEFD6,
        onDoneChip = 0xFF0B4A1F,
        closedChip = 0xFFE3E3E8,
        onClosedChip = 0xFF33353B,
    )

    val dark = Colors(
        background = 0xFF111417,
        onBackground = 0xFFE2E2E6,
        onBackgroundMuted = 0xFFC4C6CF,
        surfaceContainer = 0xFF1D2024,
        primary = 0xFF86D1EA,
        onPrimary = 0xFF003543,
        primaryContainer = 0xFF004D60,
        onPrimaryContainer = 0xFFCDEBF4,
        error = 0xFFFFB4AB,
        outline = 0xFF8E9099,
        offlineChip = 0xFF5C1A14,
        onOfflineChip = 0xFFFFDAD5,
        pendingChip = 0xFF4A3800,
        onPendingChip = 0xFFFFE8B0,
        doneChip = 0xFF0F3D1E,
        onDoneChip = 0xFFCDEFD6,
        closedChip = 0xFF3A3C42,
        onClosedChip = 0xFFE3E3E8,
    )

    /** WCAG relative luminance of an opaque ARGB colour. */
    fun luminance(argb: Long): Double {
        fun channel(shift: Int): Double {
            val c = ((argb shr shift) and 0xFF) / 255.0
            return if (c <= 0.04045) c / 12.92 else ((c + 0.055) / 1.055).pow(2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    /** WCAG contrast ratio, 1 to 21. */
    fun contrast(a: Long, b: Long): Double {
        val (hi, lo) = listOf(luminance(a), luminance(b)).sortedDescending()
        return (hi + 0.05) / (lo + 0.05)
    }
}
