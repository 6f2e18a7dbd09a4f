package kg.teng.app

import android.Manifest
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.location.Location
import android.location.LocationManager
import android.net.Uri
import androidx.core.content.ContextCompat
import kg.teng.shared.details.ApplyAction
import kg.teng.shared.details.ApplyKind

/**
 * Opens the app behind a way to apply. The URIs come from the shared layer (tested there); this
 * only picks the intent action. Returns `false` when no app can handle it.
 */
fun Context.openApplyAction(action: ApplyAction): Boolean {
    val uri = action.uri ?: return false
    val intent = when (action.kind) {
        // The dialer opens with the number; the user presses call (no CALL_PHONE permission).
        ApplyKind.CALL -> Intent(Intent.ACTION_DIAL, Uri.parse(uri))
        ApplyKind.SMS -> {
            // Messaging apps read the text from "sms_body"; few read "?body=" in the URI.
            val (address, query) = uri.split('?', limit = 2).let { it[0] to it.getOrNull(1) }
            Intent(Intent.ACTION_SENDTO, Uri.parse(address)).apply {
                query?.removePrefix("body=")?.let { putExtra("sms_body", Uri.decode(it)) }
            }
        }
        ApplyKind.EMAIL -> Intent(Intent.ACTION_SENDTO, Uri.parse(uri))
        ApplyKind.WHATSAPP, ApplyKind.VISIT -> Intent(Intent.ACTION_VIEW, Uri.parse(uri))
    }
    return try {
        startActivity(intent)
        true
    } catch (e: ActivityNotFoundException) {
        false
    }
}

fun Context.hasCoarseLocation(): Boolean =
    ContextCompat.checkSelfPermission(this, Manifest.permission.ACCESS_COARSE_LOCATION) == PackageManager.PERMISSION_GRANTED

/**
 * The newest position the phone already knows (network, GPS or passive), without waiting for a
 * fix or needing Google Play services; `null` when there is none or no permission.
 */
fun Context.lastKnownLocation(): Location? {
    if (!hasCoarseLocation()) return null
    val manager = getSystemService(LocationManager::class.java) ?: return null
    return try {
        manager.getProviders(true)
            .mapNotNull { manager.getLastKnownLocation(it) }
            .maxByOrNull { it.time }
    } catch (e: SecurityException) {
        null
    }
}
