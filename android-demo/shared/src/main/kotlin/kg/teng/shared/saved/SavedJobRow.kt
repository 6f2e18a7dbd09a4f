package kg.teng.shared.saved

import kg.teng.core.ActionKind
import kg.teng.core.Language
import kg.teng.core.PendingAction
import kg.teng.core.SavedJob
import kg.teng.shared.text.Formatter
import kg.teng.shared.text.Phrases

/** Whether a saved job can still be applied for. */
enum class Availability {
    OPEN,
    /** Still on the phone, but closed or past its closing date. */
    CLOSED,
    /** No longer on the phone: a sync removed it (closed on the server, or deleted). */
    GONE,
}

/** One saved job as a list row shows it; every state is in words, never only in colour. */
data class SavedJobRow(
    val listingId: String,
    val title: String,
    val organization: String?,
    val city: String?,
    /** "Saved 2 days ago." */
    val savedText: String,
    /** The user's note as written (to save the job again with it), or `null`. */
    val note: String?,
    /** "Note: call on Monday", or `null`. */
    val noteText: String?,
    val availability: Availability,
    /** "Taking applications", "Closed, no longer taking applications", "No longer on Teng: ...". */
    val availabilityText: String,
    /** "Not sent yet" while the save waits for a sync, else `null`. */
    val notSentText: String?,
    /** A gone job has no details screen. */
    val canOpen: Boolean,
    /** The whole row as one announcement for a screen reader. */
    val announcement: String,
)

object SavedJobRows {
    /** The listings whose save is queued for the next sync. */
    fun pendingSaves(actions: List<PendingAction>): Set<String> =
        actions.filter { it.kind == ActionKind.SAVE_JOB }.map { it.targetId }.toSet()

    fun rows(saved: List<SavedJob>, pendingSaves: Set<String>, language: Language, nowMs: Long): List<SavedJobRow> {
        val format = Formatter(language)
        return saved.map { job ->
            val listing = job.listing
            val availability = when {
                listing == null -> Availability.GONE
                listing.isOpen -> Availability.OPEN
                else -> Availability.CLOSED
            }
            val availabilityText = when (availability) {
                Availability.OPEN -> Phrases.OPEN[language]
                Availability.CLOSED -> Phrases.CLOSED[language]
                Availability.GONE -> Phrases.GONE[language]
            }
            val title = listing?.title ?: Phrases.GONE_TITLE[language]
            val savedText = Phrases.SAVED_AGO.fill(language, format.ago(job.savedAtMs, nowMs))
            val noteText = job.note?.takeIf { it.isNotBlank() }?.let { Phrases.NOTE.fill(language, it) }
            val notSent = if (job.listingId in pendingSaves) Phrases.NOT_SENT_YET[language] else null
            SavedJobRow(
                listingId = job.listingId,
                title = title,
                organization = listing?.organizationName,
                city = listing?.city,
                savedText = savedText,
                note = job.note,
                noteText = noteText,
                availability = availability,
                availabilityText = availabilityText,
                notSentText = notSent,
                canOpen = listing != null,
                announcement = Formatter.sentences(
                    listOf(title, listing?.organizationName, listing?.city, availabilityText, notSent, savedText, noteText),
                ),
            )
        }
    }
}
