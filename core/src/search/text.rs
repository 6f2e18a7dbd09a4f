//! Text folding for offline full-text search.
//!
//! Listings are written in Kyrgyz, Russian and English; people search from phones that often lack
//! Kyrgyz letters (they type о, у, н for ө, ү, ң), type е for ё, or type Latin transliteration
//! ("bishkek", "bukhgalter", "dzhalal-abad"). Rather than guessing what a user meant, both the
//! indexed text and the query go through the same [`fold`] into a lowercase ASCII "skeleton", and
//! the FTS5 table tokenizes that skeleton with the `ascii` tokenizer. The rules are deliberately
//! lossy (they merge some distinct words); what matters is that they are identical on both sides,
//! idempotent, and fast enough to run over every listing on insert.
//!
//! [`fold`] works in two layers:
//!
//! 1. Every character is lowercased and mapped to ASCII: Cyrillic is transliterated (ж → j,
//!    х → h, ш → sh, ...), Kyrgyz/Kazakh/Uzbek letters become their nearest plain letter
//!    (ө → o, ү → u, ң → n, ...), Latin letters lose their diacritics (ö → o, ş → sh, ...).
//! 2. Inside each word, the resulting Latin letters are rewritten so the usual romanizations meet:
//!    `x` → `ks`, `w` → `v`, `zh` → `j`, `dj` → `j` (and therefore `dzh` → `j`), `kh` → `h`.
//!
//! Both layers feed the same output buffer one ASCII byte at a time, so the folding is a single
//! pass with no intermediate strings.

/// Most words taken from a query; the rest are ignored (keeps pathological input cheap).
pub const MAX_QUERY_TERMS: usize = 8;

/// Longest query term, in folded (ASCII) characters. Longer words are truncated rather than
/// dropped: the indexed token is the same folded word, so its first 40 characters are still a
/// prefix of it and the prefix term still finds it, while a pasted blob cannot make a huge term.
const MAX_TERM_CHARS: usize = 40;

/// Folds text (any of ky/ru/en, any case) into the canonical lowercase ASCII skeleton used in the
/// full-text index: words of [a-z0-9] separated by single spaces. Punctuation and symbols become separators.
///
/// ```
/// use teng_core::search::text::fold;
/// assert_eq!(fold("Жалал-Абад"), "jalal abad");
/// assert_eq!(fold("Dzhalal-Abad"), fold("Жалал-Абад"));
/// assert_eq!(fold("Өндүрүш"), fold("ондуруш"));
/// ```
pub fn fold(text: &str) -> String {
    // Folded text is almost never longer than its UTF-8 input: Cyrillic letters take two bytes and
    // become one or two; only `x` → `ks` grows.
    let mut folder = Folder::with_capacity(text.len());
    for c in text.chars() {
        folder.char(c);
    }
    folder.finish()
}

/// Turns what a user typed into a safe FTS5 MATCH expression, or None when nothing searchable remains.
/// Each word becomes a quoted prefix term ("word"*), all terms must match (implicit AND).
/// User text can never inject FTS5 syntax (quotes, *, -, ^, :, NEAR, AND/OR/NOT, parentheses, column filters).
///
/// ```
/// use teng_core::search::text::match_expression;
/// assert_eq!(match_expression("Бухгалтер, Бишкек").as_deref(), Some(r#""buhgalter"* "bishkek"*"#));
/// assert_eq!(match_expression("\"*()"), None);
/// ```
pub fn match_expression(query: &str) -> Option<String> {
    // After folding, a word is [a-z0-9]+ only, so inside double quotes it is always a plain string
    // term: no quote can close the string early and keywords like NEAR or OR lose their meaning.
    let folded = fold(query);
    let mut terms: Vec<&str> = Vec::with_capacity(MAX_QUERY_TERMS);
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        // ASCII only, so slicing at any byte index is a char boundary.
        let term = &word[..word.len().min(MAX_TERM_CHARS)];
        // A repeated word adds nothing under AND; do not let it use up the term budget.
        if !terms.contains(&term) {
            terms.push(term);
            if terms.len() == MAX_QUERY_TERMS {
                break;
            }
        }
    }
    if terms.is_empty() {
        return None;
    }
    let mut expr = String::with_capacity(terms.iter().map(|t| t.len() + 4).sum());
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            expr.push(' ');
        }
        expr.push('"');
        expr.push_str(term);
        expr.push_str("\"*");
    }
    Some(expr)
}

/// What one (lowercase) character contributes to the skeleton.
enum Piece {
    /// These ASCII letters/digits, continuing the current word.
    Text(&'static str),
    /// Nothing, and the word goes on (soft/hard signs, combining marks, invisible joiners).
    Skip,
    /// A word boundary.
    Sep,
}

/// The output buffer plus the little state the word-level rewrites need.
struct Folder {
    /// Only ASCII letters, digits and single spaces are ever pushed.
    out: Vec<u8>,
    /// Byte offset in `out` where the current word starts; rewrites never look before it.
    word_start: usize,
    /// A separator was seen since the last letter; the next letter starts a new word.
    gap: bool,
    /// The previous character was Cyrillic и, so a combining breve turns it into й.
    after_cyrillic_i: bool,
}

impl Folder {
    fn with_capacity(capacity: usize) -> Self {
        Folder {
            out: Vec::with_capacity(capacity),
            word_start: 0,
            gap: false,
            after_cyrillic_i: false,
        }
    }

    fn finish(self) -> String {
        String::from_utf8(self.out).expect("folded text is ASCII")
    }

    #[inline]
    fn char(&mut self, c: char) {
        let code = c as u32;
        // Fast paths for what listings are made of: ASCII and the basic Cyrillic alphabet.
        if code < 0x80 {
            self.after_cyrillic_i = false;
            self.ascii(code as u8);
        } else if (0x0410..0x0450).contains(&code) {
            // А..Я and а..я: lowercase by arithmetic, then the table.
            let index = ((code - 0x0410) % 32) as usize;
            self.after_cyrillic_i = index == 8; // и
            self.text(CYRILLIC[index]);
        } else if let Some(letter) = kyrgyz_letter(code) {
            self.after_cyrillic_i = false;
            self.letter(letter);
        } else {
            let after_cyrillic_i = std::mem::take(&mut self.after_cyrillic_i);
            self.other(c, after_cyrillic_i);
        }
    }

    fn other(&mut self, c: char, after_cyrillic_i: bool) {
        let c = match c as u32 {
            // Fullwidth ASCII (Ｂｉｓｈｋｅｋ, １２), which some CJK-capable keyboards produce.
            0xFF01..=0xFF5E => {
                self.ascii((c as u32 - 0xFEE0) as u8);
                return;
            }
            // A decomposed й (и + U+0306 combining breve) must fold like the precomposed letter.
            // 'i' takes part in no rewrite, so replacing it keeps the word free of digraphs.
            0x0306 if after_cyrillic_i => {
                if self.out.len() > self.word_start && self.out.last() == Some(&b'i') {
                    self.out.pop();
                    self.letter(b'y');
                }
                return;
            }
            // Ѐ..Џ → ѐ..џ.
            0x0400..=0x040F => char::from_u32(c as u32 + 0x50).unwrap_or(c),
            _ => lowercase(c),
        };
        match piece(c) {
            Piece::Text(s) => self.text(s),
            Piece::Skip => {}
            Piece::Sep => self.gap = true,
        }
    }

    #[inline]
    fn text(&mut self, s: &str) {
        for b in s.bytes() {
            self.letter(b);
        }
    }

    #[inline]
    fn ascii(&mut self, b: u8) {
        match b {
            b'a'..=b'z' | b'0'..=b'9' => self.letter(b),
            b'A'..=b'Z' => self.letter(b.to_ascii_lowercase()),
            _ => self.gap = true,
        }
    }

    /// Appends a lowercase ASCII letter or digit to the current word (starting one if needed),
    /// applying the Latin rewrites.
    #[inline]
    fn letter(&mut self, b: u8) {
        if self.gap {
            if !self.out.is_empty() {
                self.out.push(b' ');
            }
            self.gap = false;
            self.word_start = self.out.len();
        }
        match b {
            // x: English/loan words ("taxi", "export") are written кс in Cyrillic (такси, экспорт).
            // It is not read as х: Latin typists here write х as h or kh.
            b'x' => self.out.extend_from_slice(b"ks"),
            // w: Latin spellings of в ("web" / веб); Kyrgyz and Russian have no separate w sound.
            b'w' => self.out.push(b'v'),
            b'h' | b'j' => self.digraph(b),
            _ => self.out.push(b),
        }
    }

    /// Appends `h` or `j`, the second letter of every digraph, merging it with the letter before
    /// it while a digraph rule applies.
    ///
    /// Invariant: the current word never contains `zh`, `dj` or `kh`. A merge replaces the last
    /// letter and the new one by a single `j` or `h`, which may form a digraph with the letter
    /// before, so merging repeats (`dzh` → `dj` → `j`). Folded text therefore contains no
    /// rewritable pair (and no `x` or `w`, which never reach the buffer), which is what makes
    /// `fold` idempotent.
    fn digraph(&mut self, mut b: u8) {
        loop {
            let prev = if self.out.len() > self.word_start {
                self.out.last().copied()
            } else {
                None
            };
            b = match (prev, b) {
                // ж is j: Kyrgyz pronounces it [dʒ] and romanizes it j (Jalal-Abad, Jogorku
                // Kenesh); Russian-style zh, dzh and dj (for ж and дж) all meet there.
                (Some(b'z'), b'h') | (Some(b'd'), b'j') => b'j',
                // х is h; "kh" is the other common spelling (bukhgalter / buhgalter).
                (Some(b'k'), b'h') => b'h',
                _ => break,
            };
            self.out.pop();
        }
        self.out.push(b);
    }
}

/// а..я in alphabet order. The signs ъ and ь carry no letter of their own; dropping them keeps
/// "подъезд" one word.
const CYRILLIC: [&str; 32] = [
    "a", "b", "v", "g", "d", "e", "j", "z", "i", "y", "k", "l", "m", "n", "o", "p", // а..п
    "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sh", "", "y", "", "e", "yu",
    "ya", // р..я
];

/// The Kyrgyz letters outside а..я (and ё), either case: a third of listing text is Kyrgyz, and the
/// general path through Unicode lowercasing made them the slowest letters to fold. Same result as
/// [`piece`].
#[inline]
fn kyrgyz_letter(code: u32) -> Option<u8> {
    match code {
        0x04A2 | 0x04A3 => Some(b'n'), // Ң ң
        0x04E8 | 0x04E9 => Some(b'o'), // Ө ө
        0x04AE | 0x04AF => Some(b'u'), // Ү ү
        0x0401 | 0x0451 => Some(b'e'), // Ё ё
        _ => None,
    }
}

/// Unicode lowercase of `c` when it is a single character; otherwise `c` itself (the only
/// multi-character lowercase, İ → i + U+0307, is mapped directly by [`piece`]).
fn lowercase(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The ASCII a lowercase non-ASCII character folds to. Output may still contain `x`, `w`, or
/// digraphs; [`Folder::letter`] rewrites those, so this table can use natural spellings.
fn piece(c: char) -> Piece {
    use Piece::{Sep, Skip, Text};
    match c {
        // Russian alphabet ([`Folder::char`] normally handles these before reaching here).
        'а'..='я' => Text(CYRILLIC[c as usize - 'а' as usize]),
        'ё' | 'ѐ' => Text("e"),
        'ѝ' => Text("i"),
        // Kyrgyz letters fold to what people type without a Kyrgyz keyboard, plus look-alikes
        // from neighbouring alphabets (Kazakh, Uzbek, Tajik, Ukrainian, Altai) that get pasted.
        'ң' | 'ӊ' | 'ҥ' => Text("n"),
        'ө' | 'ӧ' => Text("o"),
        'ү' | 'ұ' | 'ӱ' | 'ў' | 'ӯ' => Text("u"),
        'і' | 'ї' | 'ӣ' => Text("i"),
        'ә' => Text("a"),
        'қ' | 'ќ' => Text("k"),
        'ғ' | 'ґ' | 'ѓ' => Text("g"),
        'һ' | 'ҳ' => Text("h"),
        'ҷ' => Text("ch"),
        'є' => Text("e"),
        'ј' => Text("j"),
        'ђ' => Text("d"),
        // Latin with diacritics (Latin-1 Supplement and Latin Extended-A, plus Turkic/Kyrgyz-Latin
        // letters): the base letter. Letters that stand for ш/ч/ж in Turkish, Czech and ISO 9
        // transliteration (ş, š, č, ž) keep that sound so they meet the Cyrillic word.
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ə' => Text("a"),
        'æ' => Text("ae"),
        'ç' | 'ć' | 'ĉ' | 'ċ' => Text("c"),
        'č' => Text("ch"),
        'ď' | 'đ' | 'ð' => Text("d"),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => Text("e"),
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => Text("g"),
        'ĥ' | 'ħ' => Text("h"),
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'İ' => Text("i"),
        'ĳ' => Text("ij"),
        'ĵ' => Text("j"),
        'ķ' | 'ĸ' => Text("k"),
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => Text("l"),
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => Text("n"),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => Text("o"),
        'œ' => Text("oe"),
        'ŕ' | 'ŗ' | 'ř' => Text("r"),
        'ś' | 'ſ' => Text("s"),
        'ŝ' | 'ş' | 'š' | 'ș' => Text("sh"),
        'ß' => Text("ss"),
        'ţ' | 'ť' | 'ŧ' | 'ț' => Text("t"),
        'þ' => Text("th"),
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => Text("u"),
        'ŵ' => Text("w"),
        'ý' | 'ÿ' | 'ŷ' => Text("y"),
        'ź' | 'ż' => Text("z"),
        'ž' => Text("zh"),
        // Combining marks (decomposed "е\u{308}", "cafe\u{301}") and invisible format characters
        // (soft hyphen, zero-width space/joiners, word joiner, BOM, variation selectors) sit
        // inside words; they must not split them.
        '\u{0300}'..='\u{036F}'
        | '\u{00AD}'
        | '\u{200B}'..='\u{200D}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}' => Skip,
        // Punctuation, symbols, emoji, other scripts.
        _ => Sep,
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    /// Queries that would be FTS5 syntax (or a syntax error) if passed through raw.
    const INJECTIONS: &[&str] = &[
        "\"",
        "*",
        "-foo",
        "NEAR(a b)",
        "a OR b",
        "title:x",
        "body:бухгалтер",
        "(",
        ")",
        "^x",
        "\"\"\"\"",
        "AND",
        "NOT",
        "a AND NOT b",
        "{body}: x",
        "x + y",
        "bishkek\" OR \"osh",
        "'; DROP TABLE t; --",
        "🙂🙂🙂",
        "\0",
    ];

    fn all_equal(inputs: &[&str], expected: &str) {
        for input in inputs {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }

    fn is_skeleton(s: &str) -> bool {
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
            && !s.starts_with(' ')
            && !s.ends_with(' ')
            && !s.contains("  ")
    }

    fn long_query() -> String {
        "ab-".repeat(3_400) + &"z".repeat(10_000)
    }

    // ---- Kyrgyz and Russian letters ----

    #[test]
    fn kyrgyz_letters_fold_like_the_plain_letters_typed_without_a_kyrgyz_keyboard() {
        all_equal(
            &["Өндүрүш", "өндүрүш", "ондуруш", "ONDURUSH", "ӨНДҮРҮШ"],
            "ondurush",
        );
    }

    #[test]
    fn the_kyrgyz_fast_path_agrees_with_the_general_table() {
        for c in ['ң', 'Ң', 'ө', 'Ө', 'ү', 'Ү', 'ё', 'Ё'] {
            let fast = kyrgyz_letter(c as u32).map(|b| (b as char).to_string());
            let general = match piece(lowercase(c)) {
                Piece::Text(s) => Some(s.to_string()),
                _ => None,
            };
            assert_eq!(fast, general, "{c}");
        }
    }

    #[test]
    fn en_ghe_folds_like_en() {
        assert_eq!(fold("таң"), fold("тан"));
        assert_eq!(fold("ТАҢ"), "tan");
    }

    #[test]
    fn yo_folds_like_ye() {
        all_equal(&["ёлка", "елка", "Ёлка", "ЕЛКА"], "elka");
    }

    #[test]
    fn cyrillic_case_does_not_matter() {
        all_equal(
            &[
                "Кыргызстан",
                "кыргызстан",
                "КЫРГЫЗСТАН",
                "kyrgyzstan",
                "Kyrgyzstan",
            ],
            "kyrgyzstan",
        );
    }

    #[test]
    fn every_russian_letter_has_a_latin_spelling() {
        assert_eq!(
            fold("абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
            "abvgdeejziyklmnoprstufhtschshshyeyuya"
        );
        assert_eq!(
            fold("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"),
            fold("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
        );
    }

    #[test]
    fn hard_and_soft_signs_vanish_without_splitting_the_word() {
        assert_eq!(fold("подъезд"), "podezd");
        assert_eq!(fold("учитель"), "uchitel");
        assert_eq!(fold("ъ ь"), "");
    }

    #[test]
    fn neighbouring_alphabets_letters_fold_to_plain_letters() {
        all_equal(&["Қазақстан", "казакстан"], "kazakstan");
        assert_eq!(fold("әіғһұ"), "aighu");
        assert_eq!(fold("ӨӦӰҮ"), "oouu");
    }

    // ---- Transliteration ----

    #[test]
    fn city_names_fold_like_their_latin_spellings() {
        all_equal(
            &["Бишкек", "бишкек", "bishkek", "BISHKEK", "Bishkek"],
            "bishkek",
        );
        all_equal(&["Ош", "osh", "OSH"], "osh");
        all_equal(&["Каракол", "karakol", "Karakol"], "karakol");
        all_equal(&["Нарын", "naryn", "Naryn"], "naryn");
        all_equal(&["Токмок", "Токмоқ", "tokmok"], "tokmok");
    }

    #[test]
    fn jalal_abad_spellings_all_fold_to_the_same_two_words() {
        all_equal(
            &[
                "Жалал-Абад",
                "Джалал-Абад",
                "ЖАЛАЛ-АБАД",
                "Jalal-Abad",
                "jalal abad",
                "zhalal-abad",
                "Zhalal-Abad",
                "dzhalal-abad",
                "Djalal-Abad",
                "Žalal-Abad",
                "Jalal–Abad",
            ],
            "jalal abad",
        );
    }

    #[test]
    fn kh_and_h_spellings_of_kha_meet() {
        all_equal(
            &[
                "бухгалтер",
                "Бухгалтер",
                "buhgalter",
                "bukhgalter",
                "BUKHGALTER",
            ],
            "buhgalter",
        );
    }

    #[test]
    fn latin_x_folds_like_cyrillic_ks() {
        assert_eq!(fold("такси"), fold("taxi"));
        assert_eq!(fold("экспорт"), fold("export"));
        assert_eq!(fold("Xerox"), "kseroks");
    }

    #[test]
    fn latin_w_folds_like_v() {
        assert_eq!(fold("веб-дизайнер"), fold("web-dizayner"));
        assert_eq!(fold("Software"), "softvare");
    }

    #[test]
    fn english_text_without_x_or_w_is_only_lowercased() {
        assert_eq!(
            fold("Senior Data Analyst, REMOTE, 24/7"),
            "senior data analyst remote 24 7"
        );
        assert_eq!(fold("already folded plain 123"), "already folded plain 123");
    }

    #[test]
    fn mixed_script_text_folds_word_by_word() {
        assert_eq!(
            fold("Python-разработчик в Bishkek'е"),
            "python razrabotchik v bishkek e"
        );
        assert_eq!(
            fold("Мугалим (teacher), Ош шаары"),
            "mugalim teacher osh shaary"
        );
    }

    #[test]
    fn digraph_rewrites_do_not_cross_word_boundaries() {
        assert_eq!(fold("d-j"), "d j");
        assert_eq!(fold("k.h"), "k h");
        assert_eq!(fold("z h"), "z h");
        assert_eq!(fold("Д Ж"), "d j");
    }

    #[test]
    fn digraph_rewrites_chain_to_a_fixed_point() {
        // d + zh → d + j → j; the result must not contain a pair a second fold would rewrite.
        assert_eq!(fold("dzh"), "j");
        assert_eq!(fold("ddj"), "j");
        assert_eq!(fold("kkh"), "h");
        assert_eq!(fold("zkh"), "j");
        assert_eq!(fold("dzhkh"), "jh");
    }

    // ---- Other characters ----

    #[test]
    fn latin_diacritics_fold_to_the_base_letter() {
        assert_eq!(fold("Öndürüş"), "ondurush");
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("Ñandú"), "nandu");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("İstanbul ıssız"), "istanbul issiz");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Çağrı"), "cagri");
        assert_eq!(fold("ÀÉÎÕÜ"), "aeiou");
    }

    #[test]
    fn decomposed_letters_fold_like_precomposed_ones() {
        assert_eq!(fold("и\u{306}"), fold("й"));
        assert_eq!(fold("мои\u{306}ка"), fold("мойка"));
        assert_eq!(fold("е\u{308}лка"), fold("ёлка"));
        assert_eq!(fold("cafe\u{301}"), fold("café"));
        // A breve that follows a Latin i is just a mark.
        assert_eq!(fold("i\u{306}"), "i");
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        assert_eq!(fold("бух\u{AD}галтер"), "buhgalter");
        assert_eq!(fold("бух\u{200B}гал\u{200D}тер\u{FEFF}"), "buhgalter");
    }

    #[test]
    fn fullwidth_forms_fold_like_ascii() {
        assert_eq!(fold("ＢＩＳＨＫＥＫ　１２！"), "bishkek 12");
    }

    #[test]
    fn punctuation_symbols_emoji_and_other_scripts_separate_words() {
        assert_eq!(fold("Ош🙂шаары—2024!!!"), "osh shaary 2024");
        assert_eq!(fold("  ...Ош,,,  "), "osh");
        assert_eq!(fold("工作Ош"), "osh");
        assert_eq!(fold("αβγ"), "");
        assert_eq!(fold("\t\nОш\r\n"), "osh");
    }

    #[test]
    fn empty_and_symbol_only_text_folds_to_empty() {
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
        assert_eq!(fold("🙂 ✓ ¿?"), "");
    }

    #[test]
    fn digits_are_kept_inside_words() {
        assert_eq!(fold("1С:Бухгалтерия 8.3"), "1s buhgalteriya 8 3");
        assert_eq!(fold("Windows10"), "vindovs10");
    }

    // ---- Properties ----

    #[test]
    fn fold_is_idempotent_on_examples() {
        for s in [
            "Жалал-Абад",
            "dzhalal",
            "Xerox",
            "ddj",
            "Öndürüş",
            "buhgalter 24/7",
            "мои\u{306}ка",
        ]
        .into_iter()
        .chain(INJECTIONS.iter().copied())
        {
            let once = fold(s);
            assert_eq!(fold(&once), once, "fold({s:?})");
        }
    }

    /// Tiny deterministic generator (xorshift), so the property check needs no extra crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Characters weighted toward the ones the rules care about.
    fn random_char(rng: &mut Rng) -> char {
        const DIGRAPH_LETTERS: &[char] = &[
            'd', 'z', 'h', 'k', 'j', 'x', 'w', 'D', 'Z', 'H', 'K', 'X', 'W',
        ];
        let code = match rng.below(10) {
            0 | 1 => return DIGRAPH_LETTERS[rng.below(DIGRAPH_LETTERS.len() as u64) as usize],
            2 => rng.below(0x80) as u32, // ASCII, including controls and punctuation
            3 | 4 => 0x0400 + rng.below(0x100) as u32, // Cyrillic
            5 => 0x00A0 + rng.below(0x1E0) as u32, // Latin-1 Supplement, Latin Extended-A/B
            6 => 0x0300 + rng.below(0x70) as u32, // combining marks
            7 => 0xFF00 + rng.below(0x100) as u32, // fullwidth forms
            8 => [0x00AD, 0x200B, 0x200D, 0xFEFF, 0x0306, 0x0130, 0x1F642][rng.below(7) as usize],
            _ => rng.below(0x11_0000) as u32, // anything
        };
        char::from_u32(code).unwrap_or('\u{FFFD}')
    }

    #[test]
    fn fold_is_idempotent_and_yields_only_skeleton_characters_on_generated_text() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(24) as usize;
            let s: String = (0..len).map(|_| random_char(&mut rng)).collect();
            let once = fold(&s);
            assert!(is_skeleton(&once), "fold({s:?}) = {once:?}");
            assert_eq!(fold(&once), once, "fold not idempotent on {s:?}");
            for pair in ["zh", "dj", "kh", "x", "w"] {
                assert!(
                    !once.split(' ').any(|w| w.contains(pair)),
                    "{pair:?} left in {once:?}"
                );
            }
        }
    }

    #[test]
    fn fold_of_every_single_character_is_a_stable_skeleton() {
        for code in 0..=0x10_FFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let once = fold(c.encode_utf8(&mut buf));
            assert!(is_skeleton(&once), "fold({c:?}) = {once:?}");
            assert_eq!(fold(&once), once, "fold not idempotent on {c:?}");
        }
    }

    // ---- match_expression ----

    #[test]
    fn match_expression_quotes_each_folded_word_as_a_prefix_term() {
        assert_eq!(
            match_expression("Бухгалтер Бишкек").as_deref(),
            Some(r#""buhgalter"* "bishkek"*"#)
        );
        assert_eq!(
            match_expression("  ондуруш  ").as_deref(),
            Some(r#""ondurush"*"#)
        );
        assert_eq!(
            match_expression("Jalal-Abad").as_deref(),
            Some(r#""jalal"* "abad"*"#)
        );
    }

    #[test]
    fn match_expression_is_none_when_nothing_searchable_remains() {
        for q in [
            "", "   ", "🙂🙂", "!!!", "ъь", "\"\"\"\"", "*", "()", "—", "\u{200B}",
        ] {
            assert_eq!(match_expression(q), None, "{q:?}");
        }
    }

    #[test]
    fn match_expression_turns_operator_looking_input_into_plain_terms() {
        assert_eq!(
            match_expression("a OR b").as_deref(),
            Some(r#""a"* "or"* "b"*"#)
        );
        assert_eq!(
            match_expression("NEAR(a b)").as_deref(),
            Some(r#""near"* "a"* "b"*"#)
        );
        assert_eq!(
            match_expression("title:x").as_deref(),
            Some(r#""title"* "ks"*"#)
        );
        assert_eq!(
            match_expression("-foo ^bar").as_deref(),
            Some(r#""foo"* "bar"*"#)
        );
        assert_eq!(match_expression("AND").as_deref(), Some(r#""and"*"#));
    }

    #[test]
    fn match_expression_output_never_contains_syntax_beyond_quoted_prefix_terms() {
        let long = long_query();
        for q in INJECTIONS.iter().copied().chain([long.as_str()]) {
            let Some(expr) = match_expression(q) else {
                continue;
            };
            assert!(
                expr.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"\" *".contains(&b)),
                "{q:?} gave {expr:?}"
            );
            let terms: Vec<&str> = expr.split(' ').collect();
            assert!(
                terms.len() <= MAX_QUERY_TERMS,
                "{q:?} gave {} terms",
                terms.len()
            );
            for term in terms {
                let word = term.strip_prefix('"').and_then(|t| t.strip_suffix("\"*"));
                let word = word.unwrap_or_else(|| panic!("{term:?} is not a quoted prefix term"));
                assert!(
                    !word.is_empty() && !word.contains(['"', '*', ' ']),
                    "{term:?}"
                );
            }
        }
    }

    #[test]
    fn match_expression_keeps_at_most_max_query_terms() {
        let query = (1..=20)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let expr = match_expression(&query).unwrap();
        assert_eq!(expr.matches("\"*").count(), MAX_QUERY_TERMS);
        assert!(expr.starts_with(r#""v1"* "v2"*"#), "{expr}");
    }

    #[test]
    fn match_expression_truncates_long_words_to_forty_characters() {
        let expr = match_expression(&"Ы".repeat(10_000)).unwrap();
        assert_eq!(expr, format!("\"{}\"*", "y".repeat(MAX_TERM_CHARS)));
    }

    #[test]
    fn match_expression_drops_repeated_words_before_counting_terms() {
        let query = "ош Ош OSH osh ".repeat(10) + "бишкек";
        assert_eq!(
            match_expression(&query).as_deref(),
            Some(r#""osh"* "bishkek"*"#)
        );
    }

    // ---- Round trip through SQLite FTS5 ----

    const ROWS: &[&str] = &[
        "Бухгалтер в Бишкеке",
        "Мугалим, Ош шаары",
        "Software developer, remote",
        "Өндүрүш цехинде иштөө",
    ];

    /// An in-memory FTS5 table shaped like the store's, holding `rows` folded; rowids start at 1.
    fn index(rows: &[&str]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='ascii', prefix='2 3')",
        )
        .unwrap();
        for (i, row) in rows.iter().enumerate() {
            conn.execute(
                "INSERT INTO t(rowid, body) VALUES (?1, ?2)",
                (i as i64 + 1, fold(row)),
            )
            .unwrap();
        }
        conn
    }

    /// Rowids matching what a user typed, in rowid order; an empty query matches nothing.
    fn search(conn: &Connection, query: &str) -> rusqlite::Result<Vec<i64>> {
        let Some(expr) = match_expression(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = conn.prepare("SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([expr], |r| r.get(0))?;
        rows.collect()
    }

    #[test]
    fn fts_injection_looking_queries_execute_without_sql_errors() {
        let conn = index(ROWS);
        let long = long_query();
        for q in INJECTIONS.iter().copied().chain([long.as_str()]) {
            if let Err(e) = search(&conn, q) {
                panic!("{q:?} → {:?} failed: {e}", match_expression(q));
            }
        }
        // Column-filter syntax stays plain words: "body" is not in any row, so nothing matches.
        assert_eq!(search(&conn, "body:бухгалтер").unwrap(), Vec::<i64>::new());
    }

    #[test]
    fn fts_generated_queries_execute_without_sql_errors() {
        let conn = index(ROWS);
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for _ in 0..2_000 {
            let len = rng.below(30) as usize;
            let q: String = (0..len)
                .map(|_| {
                    if rng.below(4) == 0 {
                        ['"', '*', '(', ':', '^', '-', ' '][rng.below(7) as usize]
                    } else {
                        random_char(&mut rng)
                    }
                })
                .collect();
            if let Err(e) = search(&conn, &q) {
                panic!("{q:?} → {:?} failed: {e}", match_expression(&q));
            }
        }
    }

    #[test]
    fn fts_prefix_of_a_cyrillic_word_finds_it() {
        let conn = index(ROWS);
        assert_eq!(search(&conn, "бухг").unwrap(), [1]);
        assert_eq!(search(&conn, "Бух").unwrap(), [1]);
    }

    #[test]
    fn fts_latin_transliteration_finds_cyrillic_text() {
        let conn = index(ROWS);
        assert_eq!(search(&conn, "bishkek").unwrap(), [1]);
        assert_eq!(search(&conn, "bukhgalter").unwrap(), [1]);
        assert_eq!(search(&conn, "mugalim osh").unwrap(), [2]);
    }

    #[test]
    fn fts_query_without_kyrgyz_letters_finds_kyrgyz_text() {
        let conn = index(ROWS);
        assert_eq!(search(&conn, "ондуруш").unwrap(), [4]);
        assert_eq!(search(&conn, "иштоо").unwrap(), [4]);
        assert_eq!(search(&conn, "ondurush").unwrap(), [4]);
    }

    #[test]
    fn fts_all_words_must_match() {
        let conn = index(ROWS);
        assert_eq!(search(&conn, "developer remote").unwrap(), [3]);
        assert_eq!(search(&conn, "Бишкек Ош").unwrap(), Vec::<i64>::new());
    }

    #[test]
    fn fts_jalal_abad_spellings_find_each_other() {
        let conn = index(&[
            "Кассир, Жалал-Абад",
            "Cashier, Djalal-Abad",
            "Кассир, Талас",
        ]);
        for q in [
            "Жалал-Абад",
            "jalal-abad",
            "zhalal abad",
            "dzhalal-abad",
            "Джалал",
        ] {
            assert_eq!(search(&conn, q).unwrap(), [1, 2], "{q:?}");
        }
    }

    #[test]
    fn fts_operator_words_are_searchable_as_ordinary_words() {
        let conn = index(&["Work near the park", "Work or study", "Кассир"]);
        assert_eq!(search(&conn, "NEAR").unwrap(), [1]);
        assert_eq!(search(&conn, "work OR").unwrap(), [2]);
        assert_eq!(search(&conn, "NOT").unwrap(), Vec::<i64>::new());
    }
}
