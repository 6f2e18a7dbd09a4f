package kg.teng.shared

/**
 * The URIs behind "how to apply": what the Android app hands to an `Intent` (`ACTION_DIAL` for
 * `tel:`, `ACTION_SENDTO` for `smsto:` and `mailto:`, `ACTION_VIEW` for `https://wa.me/` and
 * `geo:`). Built here, not in the UI, so that they are tested.
 *
 * Phone numbers come as people write them in Kyrgyzstan: `+996 555 123 456`, `0555 123 456`,
 * `(0312) 62-45-18`, `996555123456`. They are normalised to the international form (country code
 * 996, nine national digits) because WhatsApp's links need it and a `tel:` with it works from
 * abroad too.
 */
object ApplyLinks {
    private const val COUNTRY_CODE = "996"
    private const val NATIONAL_DIGITS = 9

    /**
     * The number's international digits without `+` ("996555123456"), or `null` when the text is
     * not a phone number.
     */
    fun internationalDigits(phone: String): String? {
        val text = phone.trim()
        if (text.isEmpty() || text.any { !(it.isDigit() || it in " -().+\u00A0") }) return null
        if (text.indexOf('+') > 0 || text.count { it == '+' } > 1) return null
        val digits = text.filter { it in '0'..'9' }
        val international = when {
            text.startsWith("+") -> digits
            digits.startsWith("00") -> digits.substring(2)
            digits.length == NATIONAL_DIGITS + 1 && digits.startsWith("0") -> COUNTRY_CODE + digits.substring(1)
            digits.length == NATIONAL_DIGITS -> COUNTRY_CODE + digits
            digits.length == COUNTRY_CODE.length + NATIONAL_DIGITS && digits.startsWith(COUNTRY_CODE) -> digits
            else -> return null
        }
        // E.164: at most 15 digits; Kyrgyz numbers are exactly 12.
        if (international.length !in 8..15) return null
        if (international.startsWith(COUNTRY_CODE) && international.length != COUNTRY_CODE.length + NATIONAL_DIGITS) return null
        return international
    }

    /** `tel:+996555123456` for `ACTION_DIAL` (no permission needed: the dialer opens, the user calls). */
    fun tel(phone: String): String? = internationalDigits(phone)?.let { "tel:+$it" }

    /** `smsto:+996555123456`, with a prefilled text when given (`?body=`). */
    fun smsTo(phone: String, body: String? = null): String? =
        internationalDigits(phone)?.let { "smsto:+$it" + query("body", body) }

    /** `https://wa.me/996555123456` (digits only, no `+`, as WhatsApp asks), with `?text=` when given. */
    fun whatsApp(phone: String, text: String? = null): String? =
        internationalDigits(phone)?.let { "https://wa.me/$it" + query("text", text) }

    /** `mailto:hr@example.kg?subject=...`, or `null` when the address is not one. */
    fun mailTo(address: String, subject: String? = null): String? {
        val email = address.trim()
        val at = email.indexOf('@')
        if (at <= 0 || at != email.lastIndexOf('@') || email.any { it.isWhitespace() || it in "?&#<>\"" }) return null
        val domain = email.substring(at + 1)
        if (!domain.contains('.') || domain.startsWith('.') || domain.endsWith('.')) return null
        return "mailto:$email" + query("subject", subject)
    }

    /** `geo:42.87,74.59?q=42.87,74.59(Name)`: a maps app shows the place with its name. */
    fun geo(lat: Double, lon: Double, label: String?): String {
        val point = "${coordinate(lat)},${coordinate(lon)}"
        val name = label?.takeIf { it.isNotBlank() }?.let { "(${percentEncode(it)})" } ?: ""
        return "geo:$point?q=$point$name"
    }

    private fun coordinate(x: Double): String {
        // Six decimals (about 10 cm), without locale-dependent formatting.
        val micro = Math.round(x * 1_000_000)
        val sign = if (micro < 0) "-" else ""
        val a = kotlin.math.abs(micro)
        return "$sign${a / 1_000_000}.${(a % 1_000_000).toString().padStart(6, '0')}"
    }

    private fun query(name: String, value: String?): String =
        if (value.isNullOrBlank()) "" else "?$name=${percentEncode(value)}"

    /**
     * RFC 3986 percent-encoding of UTF-8 bytes, keeping only unreserved characters. Unlike
     * `URLEncoder`, spaces become `%20` (a `+` stays a plus in `mailto:` and `smsto:`).
     */
    fun percentEncode(text: String): String {
        val out = StringBuilder()
        for (byte in text.toByteArray(Charsets.UTF_8)) {
            val b = byte.toInt() and 0xFF
            val c = b.toChar()
            if (c in 'A'..'Z' || c in 'a'..'z' || c in '0'..'9' || c in "-._~") {
                out.append(c)
            } else {
                out.append('%').append(HEX[b shr 4]).append(HEX[b and 0x0F])
            }
        }
        return out.toString()
    }

    private const val HEX = "0123456789ABCDEF"
}
