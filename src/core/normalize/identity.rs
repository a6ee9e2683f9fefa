//! Normalization of the personal fields that need more than trimming and lower-casing:
//! phone, gender, date of birth, city, state, postcode and country.

use unicode_normalization::UnicodeNormalization as _;

use super::{Finding, Normalized, Step, apply, nfc};
use crate::core::diagnostics::Code;

/// Phone → E.164 digits without `+`, parsed with libphonenumber's rules (the `phonenumber`
/// crate).
///
/// - Label words (`(mobile)`, `Tél :`, `home`) are removed first, as a step of their own:
///   the parser would otherwise read letters as keypad digits. Letters glued to the digits
///   (`1-800-FLOWERS`) are part of the number: it is not sent, rather than hashed without
///   them. Extension markers followed by
///   digits (`ext. 12`, `x12`) are kept; the extension is not part of E.164.
/// - `+…` or `00…` (also `00 44 …`, `00-1-…`: the prefix is found across spaces, dashes and
///   dots): an international number, read as it is.
/// - Anything else is a national number: it needs `default_country`, because prefixing the
///   wrong country code (or stripping the trunk zero blindly) hashes somebody else's number.
///   With a default country the number is read as a national number of that country; when
///   that reading is not a valid number but the digits are valid with a leading `+` (the value
///   is already E.164 without `+`), that reading is taken.
/// - Without a default country, only digit strings of 11 to 15 digits that are valid with a
///   leading `+` are taken (they already carry their country code; shorter ones could be a
///   national number of one country and a valid number of another). Everything else is
///   dropped with `phone.no_country`.
/// - More than 15 digits is not an E.164 number: dropped with `phone.invalid`. A number that
///   parses but is not valid for its country is hashed with `phone.invalid`.
pub fn phone(raw: &str, default_country: Option<&str>) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }

    let region = match default_country.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(country) => match country
            .to_ascii_uppercase()
            .parse::<phonenumber::country::Id>()
        {
            Ok(id) => Some(id),
            Err(_) => {
                return Normalized::dropped(
                    steps,
                    Finding::new(
                        Code::PhoneNoCountry,
                        format!(
                            "the default phone country {country:?} is not an ISO 3166-1 alpha-2 code such as FR; {trimmed:?} is not sent. Fix the setting"
                        ),
                    ),
                );
            }
        },
    };

    // RFC 3966 writes an extension `;ext=12`, which the parser does not take apart.
    let trimmed = apply(
        &mut steps,
        &trimmed,
        "RFC 3966 ;ext= read as ext",
        |v| match v.to_ascii_lowercase().find(";ext=") {
            Some(at) => format!("{} ext {}", &v[..at], &v[at + 5..]),
            None => v.to_owned(),
        },
    );
    let unlabelled = remove_labels(&trimmed);
    let labels_removed = !unlabelled.removed.is_empty();
    if let Some(letters) = unlabelled.vanity.first() {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::PhoneInvalid,
                format!(
                    "{} has letters inside the number ({letters:?}), as vanity numbers do; each letter stands for a keypad digit, and dropping them hashes another number, so it is not sent. Store the number in digits",
                    super::describe_text(raw)
                ),
            ),
        );
    }
    let quoted = |words: &[String]| {
        words
            .iter()
            .map(|word| format!("{word:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let removed_words = quoted(&unlabelled.removed);
    let mut what = Vec::new();
    if !unlabelled.removed.is_empty() {
        what.push(format!(
            "remove label words {}",
            quoted(&unlabelled.removed)
        ));
    }
    if !unlabelled.rewritten.is_empty() {
        what.push(format!(
            "extension word {} read as ext",
            quoted(&unlabelled.rewritten)
        ));
    }
    let trimmed = if what.is_empty() {
        trimmed
    } else {
        steps.push(Step::new(what.join("; "), unlabelled.text.clone()));
        unlabelled.text
    };

    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::PhoneInvalid,
                format!(
                    "{} is not a phone number; not sent",
                    super::describe_text(raw)
                ),
            ),
        );
    }

    let parsed = if let Some(international) = international_form(&trimmed) {
        if international != trimmed {
            steps.push(Step::new(
                "international prefix 00 read as +",
                international.clone(),
            ));
        }
        phonenumber::parse(None, &international)
            .map(|number| (number, "parsed as an international number".to_owned()))
    } else {
        match national(&trimmed, &digits, region) {
            Ok(parsed) => parsed,
            Err(finding) => return Normalized::dropped(steps, finding),
        }
    };

    let (number, how) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            return Normalized::dropped(
                steps,
                Finding::new(
                    Code::PhoneInvalid,
                    format!("{trimmed:?} cannot be read as a phone number ({err}); not sent"),
                ),
            );
        }
    };

    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    steps.push(Step::new(how, e164.clone()));
    let value: String = e164.chars().filter(char::is_ascii_digit).collect();
    if value.len() > MAX_E164_DIGITS {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::PhoneInvalid,
                format!(
                    "{trimmed:?} reads as {} digits, but an E.164 number has at most {MAX_E164_DIGITS}; not sent. Check the source (two numbers run together, or extra digits)",
                    value.len()
                ),
            ),
        );
    }
    steps.push(Step::new("E.164 without +", value.clone()));

    if !number.is_valid() && labels_removed {
        // `+1 800 FLOWERS`: without the words the number is not valid, so the words were
        // part of it (keypad letters), not a label.
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::PhoneInvalid,
                format!(
                    "{} is not a valid number without the words {}; if they are keypad letters (a vanity number) they are part of it, and if not the number is wrong. Not sent: store the number in digits",
                    super::describe_text(raw),
                    removed_words
                ),
            ),
        );
    }
    let mut result = Normalized::ok(value, steps);
    if !number.is_valid() {
        result = result.with(Finding::new(
            Code::PhoneInvalid,
            format!(
                "{e164} (from {trimmed:?}) is not a valid number for its country; it is hashed anyway but will not match. Check the number and the default phone country"
            ),
        ));
    }
    result
}

/// E.164 numbers have at most 15 digits, country code included.
const MAX_E164_DIGITS: usize = 15;

/// Words that introduce an extension and that libphonenumber reads (it leaves the extension
/// out of E.164); kept when digits follow.
const EXTENSION_MARKERS: [&str; 8] = [
    "ext",
    "extn",
    "extension",
    "extensión",
    "x",
    "xt",
    "anexo",
    "int",
];

/// Extension words of other languages, which the parser does not know: written `ext` when
/// digits follow (French poste, German Durchwahl, Italian/Spanish interno, Portuguese ramal,
/// Dutch toestel, Polish wewnętrzny).
const OTHER_EXTENSION_MARKERS: [&str; 8] = [
    "poste",
    "durchwahl",
    "dw",
    "interno",
    "ramal",
    "toestel",
    "tst",
    "wew",
];

/// What [`remove_labels`] did.
struct Unlabelled {
    /// The text without label words.
    text: String,

    /// The label words removed.
    removed: Vec<String>,

    /// Extension words the parser does not know, written `ext`.
    rewritten: Vec<String>,

    /// Letters glued to the digits (`800-FLOWERS`, `555FLOW`): part of a vanity number, not
    /// a label.
    vanity: Vec<String>,
}

/// Removes label words: every run of letters except an extension marker followed by digits.
/// Brackets left empty and doubled spaces are tidied.
fn remove_labels(text: &str) -> Unlabelled {
    let mut kept = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut rewritten = Vec::new();
    let mut vanity = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(char::is_alphabetic) {
        kept.push_str(&rest[..start]);
        let word_and_after = &rest[start..];
        let end = word_and_after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(word_and_after.len());
        let (word, after) = word_and_after.split_at(end);
        let digits_follow = after
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ':' | '-' | '='))
            .starts_with(|c: char| c.is_ascii_digit());
        let lower = word.to_lowercase();
        // A word right after a digit (or after a digit and one dash or dot) continues the
        // number, unless it introduces an extension.
        let glued_to_digits = {
            let mut before = kept.chars().rev();
            match before.next() {
                Some(c) if c.is_ascii_digit() => true,
                Some('-' | '.') => before.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            }
        };
        let is_extension = digits_follow
            && (EXTENSION_MARKERS.contains(&lower.as_str())
                || OTHER_EXTENSION_MARKERS.contains(&lower.as_str()));
        if glued_to_digits && !is_extension {
            vanity.push(word.to_owned());
        }
        if digits_follow && EXTENSION_MARKERS.contains(&lower.as_str()) {
            kept.push_str(word);
        } else if digits_follow && OTHER_EXTENSION_MARKERS.contains(&lower.as_str()) {
            kept.push_str("ext");
            rewritten.push(word.to_owned());
        } else {
            removed.push(word.to_owned());
        }
        rest = after;
    }
    kept.push_str(rest);
    if removed.is_empty() {
        return Unlabelled {
            text: kept,
            removed,
            rewritten,
            vanity,
        };
    }

    // "(mobile)" leaves "()"; "Tél :" leaves ":". Tidy what the words leave behind.
    let mut tidy = kept;
    for empty in ["()", "[]", "( )", "[ ]"] {
        tidy = tidy.replace(empty, " ");
    }
    let tidy = tidy
        .split_whitespace()
        .filter(|piece| {
            !piece
                .chars()
                .all(|c| matches!(c, ':' | ',' | ';' | '-' | '.'))
        })
        .collect::<Vec<_>>()
        .join(" ");
    Unlabelled {
        text: tidy,
        removed,
        rewritten,
        vanity,
    }
}

/// Separators between the digits of a phone number.
fn is_phone_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/')
}

/// `+33 6…` stays; `0033 6…`, `00 44 20…` and `00-1-650…` become `+33 6…`, `+44 20…`,
/// `+1-650…`; a national number gives `None`. The `00` prefix is found across separators, and
/// must be followed by a country code (which never starts with 0).
fn international_form(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit() || c == '+')?;
    let rest = text.get(start..)?;
    if rest.starts_with('+') {
        return Some(text.to_owned());
    }
    let mut significant = rest.char_indices().filter(|(_, c)| !is_phone_separator(*c));
    let (_, first) = significant.next()?;
    let (_, second) = significant.next()?;
    let (at, third) = significant.next()?;
    (first == '0' && second == '0' && third.is_ascii_digit() && third != '0')
        .then(|| format!("+{}", rest.get(at..).unwrap_or_default()))
}

/// Characters allowed around the digits of a number written without `+`.
fn is_phone_formatting(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}')
}

type ParsedPhone = (phonenumber::PhoneNumber, String);

/// A number written without `+` or `00`.
fn national(
    trimmed: &str,
    digits: &str,
    region: Option<phonenumber::country::Id>,
) -> Result<Result<ParsedPhone, phonenumber::ParseError>, Finding> {
    let plain_digits = trimmed.chars().all(is_phone_formatting) && !digits.starts_with('0');
    let as_international = || {
        plain_digits
            .then(|| phonenumber::parse(None, format!("+{digits}")).ok())
            .flatten()
            .filter(phonenumber::PhoneNumber::is_valid)
            .map(|number| {
                let how = format!(
                    "digits already start with country code +{}",
                    number.code().value()
                );
                (number, how)
            })
    };

    let Some(region) = region else {
        if (11..=15).contains(&digits.len())
            && let Some(found) = as_international()
        {
            return Ok(Ok(found));
        }
        let why = if digits.starts_with("000") {
            "starts with 000, which is not an international prefix (00 is followed by a country code, and no country code starts with 0)"
        } else {
            "has no country code (no + or 00 prefix)"
        };
        return Err(Finding::new(
            Code::PhoneNoCountry,
            format!(
                "{trimmed:?} {why} and no default phone country is set; not sent rather than guessed. Set the default phone country, or send numbers in E.164 (+33…)"
            ),
        ));
    };

    let how = format!("parsed as a national number of {region:?} (default phone country)");
    match phonenumber::parse(Some(region), trimmed) {
        Ok(number) if number.is_valid() => Ok(Ok((number, how))),
        national => Ok(match as_international() {
            Some(found) => Ok(found),
            None => national.map(|number| (number, how)),
        }),
    }
}

/// Gender → `f`, `m` or `n` from common words in several languages.
pub fn gender(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }
    let key = fold(&trimmed);
    let mapped = GENDER_WORDS
        .iter()
        .find(|(_, words)| words.contains(&key.as_str()))
        .map(|(code, _)| *code);
    match mapped {
        Some(code) => {
            steps.push(Step::new(format!("{trimmed:?} read as {code}"), code));
            Normalized::ok(code.to_owned(), steps)
        }
        None => Normalized::dropped(
            steps,
            Finding::new(
                Code::GenderUnknown,
                format!(
                    "{trimmed:?} is not a gender word pinspect knows (f, m, n and common words); not sent"
                ),
            ),
        ),
    }
}

/// Lower-case, without diacritics, spaces or punctuation: the key for word tables.
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Gender words, folded (lower-case, no diacritics, spaces or punctuation), by language:
/// English, French, German, Spanish, Italian, Portuguese, Dutch, Polish. Single letters are
/// the ones forms use: F/M (most), W (German weiblich), H (French homme), V (Dutch vrouw),
/// K (Polish kobieta), D and X (German divers, non-binary).
const GENDER_WORDS: &[(&str, &[&str])] = &[
    (
        "f",
        &[
            // English
            "f",
            "female",
            "woman",
            "women",
            "girl",
            "feminine",
            "lady",
            "mrs",
            "ms",
            "miss",
            // French
            "femme",
            "feminin",
            "madame",
            "mme",
            "mademoiselle",
            "mlle",
            // German
            "w",
            "frau",
            "weiblich",
            "weibl",
            // Spanish
            "mujer",
            "femenino",
            "femenina",
            "senora",
            "sra",
            "senorita",
            "srta",
            // Italian
            "donna",
            "femmina",
            "femminile",
            "signora",
            "sigra",
            // Portuguese
            "mulher",
            "feminino",
            "feminina",
            "senhora",
            // Dutch
            "v",
            "vrouw",
            "vrouwelijk",
            "mevrouw",
            "mevr",
            // Polish
            "k",
            "kobieta",
            "zenski",
            "zenska",
            "pani",
        ],
    ),
    (
        "m",
        &[
            // English
            "m",
            "male",
            "man",
            "men",
            "boy",
            "masculine",
            "mr",
            // French
            "h",
            "homme",
            "masculin",
            "monsieur",
            // German
            "herr",
            "mann",
            "mannlich",
            "maennlich",
            "mannl",
            // Spanish
            "hombre",
            "masculino",
            "masculina",
            "varon",
            "senor",
            "sr",
            // Italian
            "uomo",
            "maschio",
            "maschile",
            "signore",
            "sig",
            // Portuguese
            "homem",
            "senhor",
            // Dutch
            "mannelijk",
            "meneer",
            "dhr",
            // Polish
            "mezczyzna",
            "meski",
            "meska",
            "pan",
        ],
    ),
    (
        "n",
        &[
            // English
            "n",
            "x",
            "mx",
            "nonbinary",
            "nb",
            "enby",
            "genderqueer",
            "genderfluid",
            "agender",
            // French
            "nonbinaire",
            // German
            "d",
            "divers",
            "diverse",
            "nichtbinar",
            "nichtbinaer",
            // Spanish
            "nobinario",
            "nobinaria",
            // Italian
            "nonbinario",
            "nonbinaria",
            // Portuguese
            "naobinario",
            "naobinaria",
            // Dutch
            "nonbinair",
            // Polish
            "niebinarny",
            "niebinarna",
            "niebinarne",
        ],
    ),
];

/// Date of birth → `YYYYMMDD`.
///
/// Read forms: `YYYY-MM-DD` (also with `/` or `.`, and with a time after it), `YYYYMMDD`,
/// `DD/MM/YYYY` and `MM/DD/YYYY` (also with `-`), `DD.MM.YYYY` (dots are day-first, the
/// European convention), `DDMMYYYY` / `MMDDYYYY`, and dates with a month name or abbreviation
/// in English, French, German, Spanish, Italian, Portuguese or Dutch (`17 March 1985`,
/// `March 17th, 1985`, `17-Mar-1985`, `17 févr. 1985`, `17 de marzo de 1985`).
/// Day/month order is decided only when it is certain: one of the two is above 12, or both
/// are equal. Otherwise the date is ambiguous and dropped (`birthdate.ambiguous`), as are
/// two-digit years, with or without a month name. Impossible dates (`1985-02-30`), years
/// outside 1900–2100 and dates after `now` (the inspection clock, Unix seconds, when known)
/// are dropped with `birthdate.invalid`.
pub fn birthdate(raw: &str, now: Option<i64>) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }

    let (year, month, day, how) = match read_date(&trimmed) {
        Ok(parts) => parts,
        // "Sunday, March 17, 1985" and JavaScript's "Sun Mar 17 1985 00:00:00 GMT+0100 (…)":
        // the date without its weekday (and time), when that reads as a date.
        Err(finding) => match without_weekday(&trimmed).map(|rest| {
            let read = read_date(&rest);
            (rest, read)
        }) {
            Some((rest, Ok(parts))) => {
                steps.push(Step::new("remove the weekday and time of day", rest));
                parts
            }
            // Without its weekday the date reads, but two ways: say that, not "unreadable".
            Some((rest, Err(ambiguous))) if ambiguous.code == Code::BirthdateAmbiguous => {
                steps.push(Step::new("remove the weekday and time of day", rest));
                return Normalized::dropped(steps, ambiguous);
            }
            Some(_) | None => return Normalized::dropped(steps, finding),
        },
    };
    if let Err(finding) = check_date(&trimmed, year, month, day) {
        return Normalized::dropped(steps, finding);
    }

    let value = format!("{year:04}{month:02}{day:02}");
    let today = now
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .map(|instant| jiff::tz::TimeZone::UTC.to_datetime(instant).date());
    if let Some(today) = today {
        let today_text = format!("{:04}{:02}{:02}", today.year(), today.month(), today.day());
        // Same width, all digits: comparing the texts compares the dates.
        if value > today_text {
            return Normalized::dropped(
                steps,
                Finding::new(
                    Code::BirthdateInvalid,
                    format!(
                        "{trimmed:?} ({year:04}-{month:02}-{day:02}) is after the inspection date {today}; a birth date cannot be in the future, so it is not sent. Check the source field and its date order"
                    ),
                ),
            );
        }
    }

    steps.push(Step::new(
        format!("read as {how}, written YYYYMMDD"),
        value.clone(),
    ));
    Normalized::ok(value, steps)
}

/// Year, month, day and how they were read.
type DateParts = (u32, u32, u32, &'static str);

fn check_date(text: &str, year: u32, month: u32, day: u32) -> Result<(), Finding> {
    let real = i16::try_from(year).ok().and_then(|y| {
        let m = i8::try_from(month).ok()?;
        let d = i8::try_from(day).ok()?;
        jiff::civil::Date::new(y, m, d).ok()
    });
    if real.is_none() {
        return Err(Finding::new(
            Code::BirthdateInvalid,
            format!(
                "{text:?} is not a real date (year {year}, month {month}, day {day}); not sent. Use YYYY-MM-DD"
            ),
        ));
    }
    if !PLAUSIBLE_YEARS.contains(&year) {
        return Err(Finding::new(
            Code::BirthdateInvalid,
            format!("{text:?} has the year {year}, which is not a plausible birth year; not sent"),
        ));
    }
    Ok(())
}

/// Birth years pinspect accepts; dates after the inspection clock are refused too when the
/// clock is known.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;

fn is_real_date(year: u32, month: u32, day: u32) -> bool {
    PLAUSIBLE_YEARS.contains(&year) && check_date("", year, month, day).is_ok()
}

/// Weekday names and abbreviations in English, French, German, Spanish, Italian, Dutch and
/// Portuguese, lower case. Some abbreviations are also month names (`mar`); a word is only
/// removed when the rest reads as a date, so `Mar 17 1985` keeps its month.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lun",
    "mar",
    "mer",
    "jeu",
    "ven",
    "sam",
    "dim",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonnabend",
    "sonntag",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
    "domenica",
    "lunedi",
    "martedi",
    "mercoledi",
    "giovedi",
    "venerdi",
    "mo",
    "di",
    "mi",
    "do",
    "fr",
    "sa",
    "so",
    "lu",
    "ma",
    "me",
    "je",
    "ve",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
];

/// `text` without a leading weekday word and without a time of day (`00:00:00 GMT+0100 (…)`)
/// after the date; `None` when it does not start with a weekday.
fn without_weekday(text: &str) -> Option<String> {
    let (first, rest) = text.split_once(|c: char| c.is_whitespace() || c == ',')?;
    let word = first.trim_end_matches(['.', ',']).to_lowercase();
    if !WEEKDAYS.contains(&word.as_str()) {
        return None;
    }
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let date = rest
        .split_whitespace()
        .take_while(|piece| !piece.contains(':'))
        .collect::<Vec<_>>()
        .join(" ");
    (!date.is_empty()).then_some(date)
}

fn read_date(text: &str) -> Result<DateParts, Finding> {
    let invalid = || {
        Finding::new(
            Code::BirthdateInvalid,
            format!("{text:?} is not a date pinspect can read; not sent. Use YYYY-MM-DD"),
        )
    };

    // A datetime: keep the date part.
    let date_part = text
        .split(['T', ' '])
        .next()
        .filter(|head| head.len() >= 8 && head.chars().filter(char::is_ascii_digit).count() >= 6)
        .unwrap_or(text);

    if date_part.len() == 8 && date_part.chars().all(|c| c.is_ascii_digit()) {
        let part = |range: std::ops::Range<usize>| date_part.get(range).and_then(number);
        let (Some(head), Some(first), Some(second), Some(tail)) =
            (part(0..4), part(0..2), part(2..4), part(4..8))
        else {
            return Err(invalid());
        };
        let (month, day) = (part(4..6).unwrap_or(0), part(6..8).unwrap_or(0));
        if is_real_date(head, month, day) {
            return Ok((head, month, day, "YYYYMMDD"));
        }
        return day_month(text, first, second, tail, "DDMMYYYY", "MMDDYYYY");
    }

    let separator = date_part.chars().find(|c| matches!(c, '-' | '/' | '.'));
    if let Some(separator) = separator {
        let pieces: Vec<&str> = date_part.split(separator).map(str::trim).collect();
        if let [a, b, c] = pieces.as_slice()
            && let (Some(x), Some(y), Some(z)) = (number(a), number(b), number(c))
        {
            if a.len() == 4 {
                return Ok((x, y, z, "year-month-day"));
            }
            if c.len() != 4 {
                return Err(Finding::new(
                    Code::BirthdateAmbiguous,
                    format!(
                        "{text:?} has a two-digit year; the century cannot be known, so it is not sent. Use YYYY-MM-DD"
                    ),
                ));
            }
            if separator == '.' {
                return Ok((z, y, x, "day.month.year"));
            }
            return day_month(text, x, y, z, "day/month/year", "month/day/year");
        }
    }

    month_name_date(text).unwrap_or_else(|| Err(invalid()))
}

/// Decides between day-first and month-first; ambiguous when both readings are dates.
fn day_month(
    text: &str,
    first: u32,
    second: u32,
    year: u32,
    day_first: &'static str,
    month_first: &'static str,
) -> Result<DateParts, Finding> {
    let as_day_first = is_real_date(year, second, first);
    let as_month_first = is_real_date(year, first, second);
    match (as_day_first, as_month_first) {
        (true, false) => Ok((year, second, first, day_first)),
        (false, true) => Ok((year, first, second, month_first)),
        (true, true) if first == second => Ok((year, second, first, day_first)),
        (true, true) => Err(Finding::new(
            Code::BirthdateAmbiguous,
            format!(
                "{text:?} reads as {year:04}-{second:02}-{first:02} (day first) or {year:04}-{first:02}-{second:02} (month first); not sent rather than guessed. Use YYYY-MM-DD"
            ),
        )),
        (false, false) => Err(Finding::new(
            Code::BirthdateInvalid,
            format!(
                "{text:?} is not a real date in either day/month order; not sent. Use YYYY-MM-DD"
            ),
        )),
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) || text.len() > 4 {
        return None;
    }
    text.parse().ok()
}

/// `17 March 1985`, `March 17th, 1985`, `17 mars 1985`, `1er mai 1985`, `17-Mar-1985`,
/// `17 févr. 1985`, `17 de marzo de 1985`. `None` when the text is not a month-name date;
/// `Some(Err)` for a month-name date with a two-digit year (`17 Mar 85`), whose century
/// cannot be known.
fn month_name_date(text: &str) -> Option<Result<DateParts, Finding>> {
    // Words that join the parts in some languages: "17 de marzo de 1985", "the 17th of March".
    const CONNECTORS: [&str; 9] = ["de", "del", "do", "da", "of", "the", "le", "den", "am"];
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '.'))
        .filter(|w| !w.is_empty())
        .map(fold)
        .filter(|w| !CONNECTORS.contains(&w.as_str()))
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let day = |word: &str| {
        let digits = word.trim_end_matches(|ch: char| ch.is_alphabetic());
        let suffix = &word[digits.len()..];
        ["", "st", "nd", "rd", "th", "er", "e", "o"]
            .contains(&suffix)
            .then(|| number(digits).filter(|_| digits.len() <= 2))
            .flatten()
    };
    let (month, day) = match (month_number(a), month_number(b)) {
        (Some(month), _) => (month, day(b)?),
        (None, Some(month)) => (month, day(a)?),
        (None, None) => return None,
    };
    let year = number(c)?;
    match c.len() {
        4 => Some(Ok((year, month, day, "month name"))),
        2 => Some(Err(Finding::new(
            Code::BirthdateAmbiguous,
            format!(
                "{text:?} has a two-digit year; the century cannot be known (19{c} or 20{c}), so it is not sent. Use YYYY-MM-DD"
            ),
        ))),
        _ => None,
    }
}

/// The month of a folded month name or abbreviation in English, French, German, Spanish,
/// Italian, Portuguese or Dutch.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "jan", "janvier", "janv", "januar", "janner", "enero", "ene", "gennaio",
            "gen", "janeiro", "januari",
        ],
        &[
            "february",
            "feb",
            "febr",
            "fevrier",
            "fevr",
            "fev",
            "februar",
            "febrero",
            "febbraio",
            "fevereiro",
            "februari",
        ],
        &[
            "march", "mar", "mars", "marz", "mrz", "marzo", "marco", "maart", "mrt",
        ],
        &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
        &["may", "mai", "mayo", "maggio", "mag", "maio", "mei"],
        &[
            "june", "jun", "juin", "juni", "junio", "giugno", "giu", "junho",
        ],
        &[
            "july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "julho",
        ],
        &["august", "aug", "aout", "agosto", "ago", "augustus"],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "setiembre",
            "settembre",
            "set",
            "setembro",
        ],
        &[
            "october", "oct", "octobre", "oktober", "okt", "octubre", "ottobre", "ott", "outubro",
            "out",
        ],
        &["november", "nov", "novembre", "noviembre", "novembro"],
        &[
            "december",
            "dec",
            "decembre",
            "dezember",
            "dez",
            "diciembre",
            "dicembre",
            "dic",
            "dezembro",
        ],
    ];
    (1..=12)
        .zip(MONTHS)
        .find(|(_, names)| names.contains(&word))
        .map(|(number, _)| number)
}

/// City → Unicode NFC, lower-case, letters and digits only (spaces and punctuation removed,
/// diacritics kept): `Saint-Étienne` → `saintétienne`.
pub fn city(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "Unicode NFC", nfc);
    let value = apply(&mut steps, &value, "lower-case", str::to_lowercase);
    let value = apply(&mut steps, &value, "remove spaces and punctuation", |v| {
        v.chars()
            .filter(|c| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(*c))
            .collect::<String>()
            .nfc()
            .collect()
    });
    Normalized::ok(value, steps)
}

/// State → two-letter code, lower case; US state and Canadian province names are converted.
///
/// ISO 3166-2 codes are read only for the two countries whose subdivisions Pinterest's `st`
/// holds: `US-TX` → `tx`, `CA-QC` → `qc` (the code must be a real state or province). Any other
/// `CC-…` form (`FR-75`, `IT-21`, `DE-BY`) is `state.unknown`: taking its two letters would send
/// the country as the state.
pub fn state(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }

    if let Some((country, code)) = iso_3166_2(&trimmed) {
        if let Some((state, _, _)) = STATES
            .iter()
            .find(|(state, of, _)| *of == country && *state == code)
        {
            let value = state.to_ascii_lowercase();
            steps.push(Step::new(
                format!("ISO 3166-2: country prefix \"{country}-\" removed, lower-case"),
                value.clone(),
            ));
            return Normalized::ok(value, steps);
        }
        let why = match country.as_str() {
            "US" => format!("{code:?} is not a US state or territory code"),
            "CA" => format!("{code:?} is not a Canadian province or territory code"),
            other => {
                let name = rust_iso3166::from_alpha2(other)
                    .map_or_else(|| other.to_owned(), |c| format!("{} ({other})", c.name));
                format!(
                    "it is a subdivision code of {name}, and Pinterest's st holds US states and Canadian provinces only (its letters are the country, not a state)"
                )
            }
        };
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::StateUnknown,
                format!("{trimmed:?} is an ISO 3166-2 code, but {why}; not sent"),
            ),
        );
    }

    // Two letters once dots and spaces are removed: `CA`, `N.Y.`, `n y`.
    let compact: String = trimmed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if compact.len() == 2 && compact.chars().all(|c| c.is_ascii_alphabetic()) {
        let letters = apply(&mut steps, &trimmed, "remove dots and spaces", |_| {
            compact.clone()
        });
        let value = apply(&mut steps, &letters, "lower-case", str::to_lowercase);
        return Normalized::ok(value, steps);
    }
    let key = fold(&trimmed);
    if let Some((code, _, _)) = STATES.iter().find(|(_, _, name)| fold(name) == key) {
        let value = code.to_ascii_lowercase();
        steps.push(Step::new(format!("state name → {code}"), value.clone()));
        return Normalized::ok(value, steps);
    }
    Normalized::dropped(
        steps,
        Finding::new(
            Code::StateUnknown,
            format!(
                "{trimmed:?} is not a two-letter state code or a US state or Canadian province name; not sent. Map a two-letter code (user.state_short)"
            ),
        ),
    )
}

/// `US-TX` → `("US", "TX")`: two letters, a hyphen and one to three letters or digits (the
/// ISO 3166-2 shape), upper-cased.
fn iso_3166_2(text: &str) -> Option<(String, String)> {
    let (country, code) = text.split_once('-')?;
    let letters = country.chars().count() == 2 && country.chars().all(|c| c.is_ascii_alphabetic());
    let subdivision =
        (1..=3).contains(&code.chars().count()) && code.chars().all(|c| c.is_ascii_alphanumeric());
    (letters && subdivision).then(|| (country.to_ascii_uppercase(), code.to_ascii_uppercase()))
}

/// US states, DC and territories, then Canadian provinces and territories: code, country,
/// name.
const STATES: &[(&str, &str, &str)] = &[
    ("AL", "US", "Alabama"),
    ("AK", "US", "Alaska"),
    ("AZ", "US", "Arizona"),
    ("AR", "US", "Arkansas"),
    ("CA", "US", "California"),
    ("CO", "US", "Colorado"),
    ("CT", "US", "Connecticut"),
    ("DE", "US", "Delaware"),
    ("FL", "US", "Florida"),
    ("GA", "US", "Georgia"),
    ("HI", "US", "Hawaii"),
    ("ID", "US", "Idaho"),
    ("IL", "US", "Illinois"),
    ("IN", "US", "Indiana"),
    ("IA", "US", "Iowa"),
    ("KS", "US", "Kansas"),
    ("KY", "US", "Kentucky"),
    ("LA", "US", "Louisiana"),
    ("ME", "US", "Maine"),
    ("MD", "US", "Maryland"),
    ("MA", "US", "Massachusetts"),
    ("MI", "US", "Michigan"),
    ("MN", "US", "Minnesota"),
    ("MS", "US", "Mississippi"),
    ("MO", "US", "Missouri"),
    ("MT", "US", "Montana"),
    ("NE", "US", "Nebraska"),
    ("NV", "US", "Nevada"),
    ("NH", "US", "New Hampshire"),
    ("NJ", "US", "New Jersey"),
    ("NM", "US", "New Mexico"),
    ("NY", "US", "New York"),
    ("NC", "US", "North Carolina"),
    ("ND", "US", "North Dakota"),
    ("OH", "US", "Ohio"),
    ("OK", "US", "Oklahoma"),
    ("OR", "US", "Oregon"),
    ("PA", "US", "Pennsylvania"),
    ("RI", "US", "Rhode Island"),
    ("SC", "US", "South Carolina"),
    ("SD", "US", "South Dakota"),
    ("TN", "US", "Tennessee"),
    ("TX", "US", "Texas"),
    ("UT", "US", "Utah"),
    ("VT", "US", "Vermont"),
    ("VA", "US", "Virginia"),
    ("WA", "US", "Washington"),
    ("WV", "US", "West Virginia"),
    ("WI", "US", "Wisconsin"),
    ("WY", "US", "Wyoming"),
    ("DC", "US", "District of Columbia"),
    ("PR", "US", "Puerto Rico"),
    ("GU", "US", "Guam"),
    ("VI", "US", "U.S. Virgin Islands"),
    ("AS", "US", "American Samoa"),
    ("MP", "US", "Northern Mariana Islands"),
    ("AB", "CA", "Alberta"),
    ("BC", "CA", "British Columbia"),
    ("MB", "CA", "Manitoba"),
    ("NB", "CA", "New Brunswick"),
    ("NL", "CA", "Newfoundland and Labrador"),
    ("NS", "CA", "Nova Scotia"),
    ("NT", "CA", "Northwest Territories"),
    ("NU", "CA", "Nunavut"),
    ("ON", "CA", "Ontario"),
    ("PE", "CA", "Prince Edward Island"),
    ("QC", "CA", "Quebec"),
    ("SK", "CA", "Saskatchewan"),
    ("YT", "CA", "Yukon"),
];

/// Postcode → lower case without spaces or hyphens; a US ZIP+4 keeps its first five digits.
pub fn zip(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    // Nine digits with nothing but spaces or hyphens: a US ZIP+4 (no other country has
    // nine-digit postcodes), written `94025-1234`, `94025 1234` or `940251234`.
    let zip_plus_four = digits.len() == 9
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    if zip_plus_four {
        let value = digits[..5].to_owned();
        steps.push(Step::new("US ZIP+4 → first 5 digits", value.clone()));
        return Normalized::ok(value, steps);
    }
    let value = apply(&mut steps, &trimmed, "remove spaces and hyphens", |v| {
        v.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    });
    let value = apply(&mut steps, &value, "lower-case", str::to_lowercase);
    Normalized::ok(value, steps)
}

/// Country → ISO 3166-1 alpha-2, lower case, from alpha-2, alpha-3 or an English name.
///
/// A name that fits two countries (`Korea`, `Congo`, `Virgin Islands`) is not guessed: it is
/// `country.unknown`, and the message names both candidates.
pub fn country(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }
    let upper = trimmed.to_ascii_uppercase();
    let by_code = match upper.len() {
        2 => rust_iso3166::from_alpha2(&upper).map(|c| (c, "alpha-2")),
        3 => rust_iso3166::from_alpha3(&upper).map(|c| (c, "alpha-3 → alpha-2")),
        _ => None,
    };
    let found = match by_code {
        Some(found) => Some(found),
        None => match country_by_name(&trimmed) {
            Ok(found) => found.map(|c| (c, "country name → alpha-2")),
            Err(candidates) => {
                let named: Vec<String> = candidates
                    .iter()
                    .map(|c| format!("{} ({})", c.name, c.alpha2.to_ascii_lowercase()))
                    .collect();
                return Normalized::dropped(
                    steps,
                    Finding::new(
                        Code::CountryUnknown,
                        format!(
                            "{trimmed:?} names more than one country: {}; not sent rather than guessed. Send the ISO 3166-1 code or the full name",
                            named.join(" or ")
                        ),
                    ),
                );
            }
        },
    };

    match found {
        Some((code, how)) => {
            let value = code.alpha2.to_ascii_lowercase();
            steps.push(Step::new(format!("{how}, lower-case"), value.clone()));
            Normalized::ok(value, steps)
        }
        None => Normalized::dropped(
            steps,
            Finding::new(
                Code::CountryUnknown,
                format!(
                    "{trimmed:?} is not an ISO 3166-1 code or a country name pinspect knows; not sent"
                ),
            ),
        ),
    }
}

/// Names that fit two countries; never guessed.
const AMBIGUOUS_COUNTRIES: &[(&str, [&str; 2])] = &[
    ("Korea", ["KR", "KP"]),
    ("Congo", ["CG", "CD"]),
    ("Virgin Islands", ["VG", "VI"]),
];

/// The country a name means: `Ok(None)` when no country has that name, `Err` with the
/// candidates when several do.
fn country_by_name(
    name: &str,
) -> Result<Option<rust_iso3166::CountryCode>, Vec<rust_iso3166::CountryCode>> {
    let key = fold(name);
    if let Some((_, codes)) = AMBIGUOUS_COUNTRIES
        .iter()
        .find(|(ambiguous, _)| fold(ambiguous) == key)
    {
        return Err(codes
            .iter()
            .filter_map(|code| rust_iso3166::from_alpha2(code))
            .collect());
    }
    if let Some((_, alpha2)) = COUNTRY_ALIASES.iter().find(|(alias, _)| fold(alias) == key) {
        return Ok(rust_iso3166::from_alpha2(alpha2));
    }
    if let Some(exact) = rust_iso3166::ALL
        .iter()
        .copied()
        .find(|country| fold(country.name) == key)
    {
        return Ok(Some(exact));
    }
    // "Bolivia" for "Bolivia (Plurinational State of)", "Korea, Republic of" style names.
    let by_short: Vec<rust_iso3166::CountryCode> = rust_iso3166::ALL
        .iter()
        .copied()
        .filter(|country| {
            let short = fold(
                country
                    .name
                    .split(['(', ','])
                    .next()
                    .unwrap_or(country.name),
            );
            short == key && short.len() > 3
        })
        .collect();
    match by_short.as_slice() {
        [] => Ok(None),
        [only] => Ok(Some(*only)),
        _ => Err(by_short),
    }
}

/// Everyday names the ISO short names do not cover.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("United States", "US"),
    ("USA", "US"),
    ("U.S.A.", "US"),
    ("U.S.", "US"),
    ("America", "US"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("U.K.", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("Northern Ireland", "GB"),
    ("Russia", "RU"),
    ("South Korea", "KR"),
    ("Korea, South", "KR"),
    ("Republic of Korea", "KR"),
    ("Korea, Republic of", "KR"),
    ("North Korea", "KP"),
    ("Korea, North", "KP"),
    ("DPRK", "KP"),
    ("DR Congo", "CD"),
    ("D.R. Congo", "CD"),
    ("DRC", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("Democratic Republic of Congo", "CD"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Republic of the Congo", "CG"),
    ("Republic of Congo", "CG"),
    ("Congo, Republic of the", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("Emirates", "AE"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("Burma", "MM"),
    ("Swaziland", "SZ"),
    ("East Timor", "TL"),
    ("Cape Verde", "CV"),
    ("Brunei", "BN"),
    ("Macau", "MO"),
    ("Vatican City", "VA"),
    ("The Gambia", "GM"),
    ("The Bahamas", "BS"),
    ("Bosnia", "BA"),
    ("Slovak Republic", "SK"),
    ("British Virgin Islands", "VG"),
    ("US Virgin Islands", "VI"),
    ("U.S. Virgin Islands", "VI"),
    ("Vietnam", "VN"),
    ("Iran", "IR"),
    ("Syria", "SY"),
    ("Laos", "LA"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Tanzania", "TZ"),
    ("Moldova", "MD"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Holland", "NL"),
    ("The Netherlands", "NL"),
    ("Netherlands", "NL"),
    ("Ivory Coast", "CI"),
    ("Taiwan", "TW"),
    ("Macedonia", "MK"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("Palestine", "PS"),
    ("Vatican", "VA"),
    ("Deutschland", "DE"),
    ("Allemagne", "DE"),
    ("Espana", "ES"),
    ("España", "ES"),
    ("Espagne", "ES"),
    ("Italia", "IT"),
    ("Italie", "IT"),
    ("Royaume-Uni", "GB"),
    ("Etats-Unis", "US"),
    ("États-Unis", "US"),
    ("Belgique", "BE"),
    ("Suisse", "CH"),
    ("Schweiz", "CH"),
    ("Österreich", "AT"),
    ("Nederland", "NL"),
    ("Brasil", "BR"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn value(result: &Normalized<String>) -> Option<&str> {
        result.value.as_deref()
    }

    fn code(result: &Normalized<String>) -> Option<Code> {
        result.findings.first().map(|f| f.code)
    }

    #[test]
    fn phones() {
        assert_eq!(
            value(&phone("+33 6 55 50 12 34", None)),
            Some("33655501234")
        );
        assert_eq!(
            value(&phone("0033 6 55 50 12 34", None)),
            Some("33655501234")
        );
        assert_eq!(
            value(&phone("06 55 50 12 34", Some("FR"))),
            Some("33655501234")
        );
        assert_eq!(
            value(&phone("(650) 555-1212", Some("us"))),
            Some("16505551212")
        );
        let national = phone("06 55 50 12 34", None);
        assert_eq!(value(&national), None);
        assert_eq!(code(&national), Some(Code::PhoneNoCountry));
        assert_eq!(
            code(&phone("call me", Some("FR"))),
            Some(Code::PhoneInvalid)
        );
        assert_eq!(
            code(&phone("06 55", Some("ZZ"))),
            Some(Code::PhoneNoCountry)
        );
    }

    #[test]
    fn vanity_letters_are_not_dropped_to_hash_another_number() {
        for vanity in [
            "+1-800-FLOWERS",
            "+1 800 356 9377FLOW",
            "1-800-GO.FEDEX",
            "+1 800 FLOWERS",
            "+1 650 555 CALL",
        ] {
            let result = phone(vanity, Some("US"));
            assert_eq!(value(&result), None, "{vanity}");
            assert_eq!(code(&result), Some(Code::PhoneInvalid), "{vanity}");
            assert!(
                result.findings[0].message.contains("vanity"),
                "{vanity}: {:?}",
                result.findings
            );
        }
        // Labels and extensions are not vanity letters.
        assert_eq!(
            value(&phone("Tél : +33 6 55 50 12 34 (mobile)", None)),
            Some("33655501234")
        );
        assert_eq!(
            value(&phone("+1 650 555 1212x12", None)),
            Some("16505551212")
        );
        assert_eq!(
            value(&phone("+1 650 555 1212 poste 12", None)),
            Some("16505551212")
        );
        // RFC 3966's extension form.
        assert_eq!(
            value(&phone("+33655501234;ext=12", None)),
            Some("33655501234")
        );
    }

    #[test]
    fn phones_without_plus_are_never_guessed() {
        // Already E.164 without +: long enough to carry a country code, valid that way.
        assert_eq!(value(&phone("16505551212", None)), Some("16505551212"));
        assert_eq!(
            value(&phone("33655501234", Some("US"))),
            Some("33655501234")
        );
        // A US national number is also a valid New Zealand number (+64 65 550 143): without
        // a default country it is not read either way.
        let ambiguous = phone("6465550143", None);
        assert_eq!(value(&ambiguous), None);
        assert_eq!(code(&ambiguous), Some(Code::PhoneNoCountry));
        assert_eq!(
            value(&phone("646-555-0143", Some("US"))),
            Some("16465550143")
        );
        // The trunk zero is never stripped blindly.
        assert_eq!(code(&phone("0655501234", None)), Some(Code::PhoneNoCountry));
        assert_eq!(code(&phone("12", Some("FR"))), Some(Code::PhoneInvalid));
    }

    #[test]
    fn the_00_prefix_is_found_across_separators() {
        for raw in [
            "00 44 20 7946 0000",
            "00-44-20-7946-0000",
            "00.44.20.7946.0000",
            "(00) 44 20 7946 0000",
            "0044 20 7946 0000",
        ] {
            for country in [None, Some("US"), Some("FR")] {
                let result = phone(raw, country);
                assert_eq!(value(&result), Some("442079460000"), "{raw} {country:?}");
                assert!(
                    result
                        .steps
                        .iter()
                        .any(|s| s.rule == "international prefix 00 read as +"),
                    "{raw}"
                );
            }
        }
        assert_eq!(
            value(&phone("00-1-650-555-1212", Some("US"))),
            Some("16505551212")
        );
        // 000 is not an international prefix, and the message does not claim there was none.
        let zeros = phone("000 123 456 789", None);
        assert_eq!(code(&zeros), Some(Code::PhoneNoCountry));
        assert!(zeros.findings[0].message.contains("starts with 000"));
        let national = phone("06 55 50 12 34", None);
        assert!(national.findings[0].message.contains("no + or 00"));
    }

    #[test]
    fn label_words_are_removed_before_parsing() {
        for raw in [
            "+33 6 55 50 12 34 (mobile)",
            "mobile: +33 6 55 50 12 34",
            "Tél : +33 6 55 50 12 34",
            "+33 6 55 50 12 34 portable",
        ] {
            let result = phone(raw, None);
            assert_eq!(value(&result), Some("33655501234"), "{raw}");
            assert!(
                result
                    .steps
                    .iter()
                    .any(|s| s.rule.starts_with("remove label words")),
                "{raw}: {:?}",
                result.steps
            );
        }
        let labelled = phone("+33 6 55 50 12 34 (mobile)", None);
        let step = labelled
            .steps
            .iter()
            .find(|s| s.rule.starts_with("remove label words"))
            .unwrap();
        assert_eq!(step.rule, "remove label words \"mobile\"");
        assert_eq!(step.value, "+33 6 55 50 12 34");
        // Extension markers with digits stay for the parser, which leaves the extension out.
        for raw in ["+1 650-555-1212 ext. 34", "+1 650-555-1212 x34"] {
            let result = phone(raw, None);
            assert_eq!(value(&result), Some("16505551212"), "{raw}");
            assert!(
                !result
                    .steps
                    .iter()
                    .any(|s| s.rule.starts_with("remove label"))
            );
        }
        // Extension words the parser does not know are written `ext`.
        for raw in ["+33 1 23 45 67 89 poste 12", "+49 30 1234567 Durchwahl 12"] {
            let result = phone(raw, None);
            let want = if raw.starts_with("+33") {
                "33123456789"
            } else {
                "49301234567"
            };
            assert_eq!(value(&result), Some(want), "{raw}");
            assert!(
                result.steps.iter().any(|s| s.rule.contains("read as ext")),
                "{raw}: {:?}",
                result.steps
            );
        }
        // National numbers with a label still need the default country.
        assert_eq!(
            value(&phone("06 55 50 12 34 (portable)", Some("FR"))),
            Some("33655501234")
        );
    }

    #[test]
    fn more_than_15_digits_is_not_e164() {
        for raw in ["+33 6 55 50 12 34 66 24 53", "+44 20 7946 0000 0000 0000"] {
            let result = phone(raw, None);
            assert_eq!(value(&result), None, "{raw}");
            assert_eq!(code(&result), Some(Code::PhoneInvalid), "{raw}");
        }
    }

    #[test]
    fn more_birthdate_forms() {
        for (raw, want) in [
            ("17031985", "19850317"),
            ("03171985", "19850317"),
            ("March 17th, 1985", "19850317"),
            ("1er mai 1985", "19850501"),
            ("1985-3-7", "19850307"),
        ] {
            assert_eq!(value(&birthdate(raw, None)), Some(want), "{raw}");
        }
        assert_eq!(
            code(&birthdate("04051985", None)),
            Some(Code::BirthdateAmbiguous)
        );
        assert_eq!(
            code(&birthdate("13/13/1985", None)),
            Some(Code::BirthdateInvalid)
        );
        assert_eq!(
            code(&birthdate("1850-01-01", None)),
            Some(Code::BirthdateInvalid)
        );
    }

    #[test]
    fn iso_3166_2_codes_of_other_countries_are_not_states() {
        for raw in [
            "FR-75", "IT-21", "DE-BY", "fr-idf", "GB-ENG", "US-ZZ", "CA-XX", "US-1",
        ] {
            let result = state(raw);
            assert_eq!(value(&result), None, "{raw}");
            assert_eq!(code(&result), Some(Code::StateUnknown), "{raw}");
        }
        assert!(state("FR-75").findings[0].message.contains("France (FR)"));
        for (raw, want) in [
            ("US-TX", "tx"),
            ("us-ca", "ca"),
            ("CA-QC", "qc"),
            ("US-DC", "dc"),
        ] {
            let result = state(raw);
            assert_eq!(value(&result), Some(want), "{raw}");
            let step = result.steps.last().unwrap();
            assert!(step.rule.contains("country prefix"), "{}", step.rule);
            assert!(
                step.rule.contains(&raw[..3].to_ascii_uppercase()),
                "{}",
                step.rule
            );
        }
        // A US code under CA- (and the other way round) is not a subdivision of that country.
        assert_eq!(code(&state("CA-TX")), Some(Code::StateUnknown));
        assert_eq!(code(&state("US-QC")), Some(Code::StateUnknown));
    }

    #[test]
    fn state_forms() {
        assert_eq!(value(&state("US-TX")), Some("tx"));
        assert_eq!(value(&state("N.Y.")), Some("ny"));
        assert_eq!(value(&state("new york")), Some("ny"));
    }

    #[test]
    fn genders() {
        for (raw, want) in [
            ("Female", "f"),
            ("F", "f"),
            ("femme", "f"),
            ("Weiblich", "f"),
            ("Männlich", "m"),
            ("male", "m"),
            ("Hombre", "m"),
            ("non-binary", "n"),
            ("Non binaire", "n"),
            ("feminina", "f"),
            ("masculina", "m"),
            ("niebinarny", "n"),
            ("nicht-binär", "n"),
            ("Nicht binär", "n"),
            ("femminile", "f"),
            ("non-binair", "n"),
            ("Mężczyzna", "m"),
            ("Żeński", "f"),
            ("męski", "m"),
            ("não-binária", "n"),
            ("Mademoiselle", "f"),
            ("H", "m"),
            ("masculine", "m"),
            ("Señora", "f"),
            ("Varón", "m"),
        ] {
            assert_eq!(value(&gender(raw)), Some(want), "{raw}");
        }
        assert_eq!(code(&gender("unknown")), Some(Code::GenderUnknown));
    }

    #[test]
    fn birth_dates_after_the_clock_are_invalid() {
        // 2025-04-18T05:53:39Z
        let now = Some(1_744_955_619);
        for raw in ["2099-01-01", "2025-04-19", "19/04/2025", "1 May 2025"] {
            let result = birthdate(raw, now);
            assert_eq!(value(&result), None, "{raw}");
            assert_eq!(code(&result), Some(Code::BirthdateInvalid), "{raw}");
            assert!(
                result.findings[0]
                    .message
                    .contains("after the inspection date")
            );
        }
        assert_eq!(value(&birthdate("2025-04-18", now)), Some("20250418"));
        assert_eq!(value(&birthdate("1985-03-17", now)), Some("19850317"));
        // Without a clock, only years after 2100 are refused.
        assert_eq!(value(&birthdate("2099-01-01", None)), Some("20990101"));
        assert_eq!(
            code(&birthdate("2101-01-01", None)),
            Some(Code::BirthdateInvalid)
        );
    }

    #[test]
    fn month_name_dates_in_more_forms() {
        for raw in [
            "17 de marzo de 1985",
            "17 de março de 1985",
            "17 févr. 1985",
            "17 fevr 1985",
            "17 févr 1985",
            "17. März 1985",
            "17 mrt 1985",
            "17 maart 1985",
            "the 17th of March, 1985",
            "17 marzo 1985",
            "Mar. 17, 1985",
        ] {
            let want = if raw.contains("fév") || raw.contains("fevr") {
                "19850217"
            } else {
                "19850317"
            };
            assert_eq!(value(&birthdate(raw, None)), Some(want), "{raw}");
        }
        for (raw, want) in [
            ("3 janv. 1985", "19850103"),
            ("3 juil. 1985", "19850703"),
            ("3 août 1985", "19850803"),
            ("3 Okt 1985", "19851003"),
            ("3 dic 1985", "19851203"),
            ("3 de outubro de 1985", "19851003"),
            ("3 Jänner 1985", "19850103"),
        ] {
            assert_eq!(value(&birthdate(raw, None)), Some(want), "{raw}");
        }
        for raw in [
            "17 Mar 85",
            "March 17, 85",
            "17-Mar-85",
            "17 de marzo de 85",
        ] {
            assert_eq!(
                code(&birthdate(raw, None)),
                Some(Code::BirthdateAmbiguous),
                "{raw}"
            );
        }
    }

    #[test]
    fn birthdates() {
        for (raw, want) in [
            ("1985-03-17", "19850317"),
            ("1985/03/17", "19850317"),
            ("19850317", "19850317"),
            ("17/03/1985", "19850317"),
            ("03/17/1985", "19850317"),
            ("17.03.1985", "19850317"),
            ("1985-03-17T00:00:00Z", "19850317"),
            ("17 March 1985", "19850317"),
            ("March 17, 1985", "19850317"),
            ("17 mars 1985", "19850317"),
            ("05/05/1985", "19850505"),
            ("Sunday, March 17, 1985", "19850317"),
            ("Sun, 17 Mar 1985", "19850317"),
            ("Sun Mar 17 1985", "19850317"),
            (
                "Sun Mar 17 1985 00:00:00 GMT+0100 (Central European Standard Time)",
                "19850317",
            ),
            ("Dimanche 17 mars 1985", "19850317"),
            ("Mar 17 1985", "19850317"),
            ("domenica 17 marzo 1985", "19850317"),
            ("So. 17.03.1985", "19850317"),
        ] {
            assert_eq!(value(&birthdate(raw, None)), Some(want), "{raw}");
        }
        assert_eq!(
            code(&birthdate("04/05/1985", None)),
            Some(Code::BirthdateAmbiguous)
        );
        assert_eq!(
            code(&birthdate("Tue, 04/05/1985", None)),
            Some(Code::BirthdateAmbiguous)
        );
        assert_eq!(
            code(&birthdate("04/05/85", None)),
            Some(Code::BirthdateAmbiguous)
        );
        assert_eq!(
            code(&birthdate("1985-02-30", None)),
            Some(Code::BirthdateInvalid)
        );
        assert_eq!(code(&birthdate("soon", None)), Some(Code::BirthdateInvalid));
    }

    #[test]
    fn ambiguous_country_names_are_not_guessed() {
        for (raw, codes) in [
            ("Korea", ["(kr)", "(kp)"]),
            ("congo", ["(cg)", "(cd)"]),
            ("Virgin Islands", ["(vg)", "(vi)"]),
        ] {
            let result = country(raw);
            assert_eq!(value(&result), None, "{raw}");
            assert_eq!(code(&result), Some(Code::CountryUnknown), "{raw}");
            let message = &result.findings[0].message;
            assert!(codes.iter().all(|c| message.contains(c)), "{message}");
            assert!(message.contains("more than one country"), "{message}");
        }
        for (raw, want) in [
            ("UAE", "ae"),
            ("United Arab Emirates", "ae"),
            ("Republic of Korea", "kr"),
            ("South Korea", "kr"),
            ("North Korea", "kp"),
            ("Korea, Republic of", "kr"),
            ("DR Congo", "cd"),
            ("DRC", "cd"),
            ("Democratic Republic of the Congo", "cd"),
            ("Republic of the Congo", "cg"),
            ("Ivory Coast", "ci"),
            ("Côte d'Ivoire", "ci"),
            ("Cote d’Ivoire", "ci"),
            ("Burma", "mm"),
            ("Bolivia", "bo"),
        ] {
            assert_eq!(value(&country(raw)), Some(want), "{raw}");
        }
    }

    #[test]
    fn places() {
        assert_eq!(value(&city("Menlo Park")), Some("menlopark"));
        assert_eq!(value(&city("Saint-Étienne")), Some("saintétienne"));
        assert_eq!(value(&state("CA")), Some("ca"));
        assert_eq!(value(&state("California")), Some("ca"));
        assert_eq!(code(&state("Bavaria")), Some(Code::StateUnknown));
        assert_eq!(value(&zip("94025-1234")), Some("94025"));
        assert_eq!(value(&zip("SW1A 1AA")), Some("sw1a1aa"));
        assert_eq!(value(&zip("K1A 0B1")), Some("k1a0b1"));
        assert_eq!(value(&zip("75001")), Some("75001"));
        assert_eq!(value(&country("FRA")), Some("fr"));
        assert_eq!(value(&country("fr")), Some("fr"));
        assert_eq!(value(&country("United States")), Some("us"));
        assert_eq!(value(&country("Germany")), Some("de"));
        assert_eq!(value(&country("Korea, Republic of")), Some("kr"));
        assert_eq!(code(&country("Atlantis")), Some(Code::CountryUnknown));
        assert_eq!(code(&country("XX")), Some(Code::CountryUnknown));
    }
}
