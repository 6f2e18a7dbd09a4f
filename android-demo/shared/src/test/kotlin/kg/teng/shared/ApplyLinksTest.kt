package kg.teng.shared

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test

class ApplyLinksTest {
    @Test
    fun kyrgyzNumbersInEveryWrittenFormBecomeInternational() {
        for (written in listOf("+996 555 123 456", "0555 123 456", "0555-12-34-56", "555123456", "996555123456", "+996555123456", "00996 555 123 456")) {
            assertEquals(written, "996555123456", ApplyLinks.internationalDigits(written))
        }
        assertEquals("996312624518", ApplyLinks.internationalDigits("(0312) 62-45-18"))
        assertEquals("996312624518", ApplyLinks.internationalDigits("+996 312 62 45 18"))
        // A foreign number keeps its own country code.
        assertEquals("77011234567", ApplyLinks.internationalDigits("+7 701 123 45 67"))
    }

    @Test
    fun textThatIsNotAPhoneNumberGivesNoLink() {
        for (bad in listOf("", "  ", "call the office", "+996 555 12", "555-12", "99655512345678901", "+996 (555) 123 456 ext 2", "5+55123456", "+996 5551234567")) {
            assertNull(bad, ApplyLinks.internationalDigits(bad))
            assertNull(bad, ApplyLinks.tel(bad))
            assertNull(bad, ApplyLinks.whatsApp(bad))
        }
    }

    @Test
    fun intentUrisForCallTextWhatsAppEmailAndMaps() {
        assertEquals("tel:+996555123456", ApplyLinks.tel("0555 123 456"))
        assertEquals("smsto:+996555123456", ApplyLinks.smsTo("+996 555 123 456"))
        assertEquals("smsto:+996555123456?body=Hello%20Teng", ApplyLinks.smsTo("+996 555 123 456", "Hello Teng"))
        assertEquals("https://wa.me/996555123456", ApplyLinks.whatsApp("+996 555 123 456"))
        assertEquals(
            "https://wa.me/996555123456?text=%D0%A1%D0%B0%D0%BB%D0%B0%D0%BC",
            ApplyLinks.whatsApp("0555 123 456", "Салам"),
        )
        assertEquals("mailto:hr@ngo.kg", ApplyLinks.mailTo(" hr@ngo.kg "))
        assertEquals("mailto:hr@ngo.kg?subject=Accountant%20%2B%20cashier", ApplyLinks.mailTo("hr@ngo.kg", "Accountant + cashier"))
        assertNull(ApplyLinks.mailTo("hr at ngo.kg"))
        assertNull(ApplyLinks.mailTo("hr@ngo"))
        assertNull(ApplyLinks.mailTo("hr@ngo.kg?cc=x@y.kg"))
        assertEquals("geo:42.874600,74.569800?q=42.874600,74.569800(%D0%A6%D0%A3%D0%9C)", ApplyLinks.geo(42.8746, 74.5698, "ЦУМ"))
        assertEquals("geo:-1.500000,-0.000001?q=-1.500000,-0.000001", ApplyLinks.geo(-1.5, -0.000001, null))
    }

    @Test
    fun percentEncodingKeepsOnlyUnreservedCharacters() {
        assertEquals("a-b_c.d~e%20%26%3F%3D%23%2B", ApplyLinks.percentEncode("a-b_c.d~e &?=#+"))
        assertEquals("%D3%A9%D2%AF%D2%A3", ApplyLinks.percentEncode("өүң"))
    }
}
