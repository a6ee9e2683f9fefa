//! Normalization of the personal fields that need more than trimming and lower-casing:
//! phone, gender, date of birth, city, state, postcode and country.

use unicode_normalization::UnicodeNormalization as _;

use super::{Finding, Normalized, Step, apply, nfc};
use crate::core::diagnostics::Code;

/// Phone → E.164 digits without `+`, parsed with libphonenumber's rules. A national number
/// needs `default_country`; without one it is dropped, because prefixing the wrong country
/// code (or stripping the trunk zero blindly) hashes a different person's number.
pub fn phone(raw: &str, default_country: Option<&str>) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }

    // `00` is the international prefix in most of the world; read it as `+`.
    let international = if let Some(rest) = trimmed.strip_prefix("00") {
        steps.push(Step::new(
            "international prefix 00 read as +",
            format!("+{rest}"),
        ));
        Some(format!("+{rest}"))
    } else if trimmed.starts_with('+') {
        Some(trimmed.clone())
    } else {
        None
    };

    let parsed = match (&international, default_country) {
        (Some(number), _) => phonenumber::parse(None, number).map(|n| (n, None)),
        (None, Some(country)) => {
            let Ok(id) = country
                .trim()
                .to_ascii_uppercase()
                .parse::<phonenumber::country::Id>()
            else {
                return Normalized::dropped(
                    steps,
                    Finding::new(
                        Code::PhoneNoCountry,
                        format!(
                            "the default phone country {country:?} is not an ISO 3166-1 alpha-2 code; the national number {trimmed:?} is not sent"
                        ),
                    ),
                );
            };
            phonenumber::parse(Some(id), &trimmed).map(|n| (n, Some(country)))
        }
        (None, None) => {
            return Normalized::dropped(
                steps,
                Finding::new(
                    Code::PhoneNoCountry,
                    format!(
                        "{trimmed:?} has no country code (no + or 00) and no default phone country is set; not sent rather than guessed. Set the default phone country or send numbers in E.164"
                    ),
                ),
            );
        }
    };

    let (number, used_default) = match parsed {
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
    let rule = match used_default {
        Some(country) => format!(
            "parsed with default country {}",
            country.trim().to_ascii_uppercase()
        ),
        None => "parsed as international".to_owned(),
    };
    steps.push(Step::new(rule, e164.clone()));
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    steps.push(Step::new("E.164 without +", digits.clone()));

    let mut result = Normalized::ok(digits, steps);
    if !number.is_valid() {
        result = result.with(Finding::new(
            Code::PhoneInvalid,
            format!("{e164} is not a valid number for its country; it is hashed anyway, but will not match"),
        ));
    }
    result
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

const GENDER_WORDS: &[(&str, &[&str])] = &[
    (
        "f",
        &[
            "f",
            "female",
            "woman",
            "women",
            "girl",
            "w",
            "femme",
            "feminin",
            "feminine",
            "madame",
            "mme",
            "mrs",
            "ms",
            "miss",
            "frau",
            "weiblich",
            "mujer",
            "femenino",
            "femenina",
            "donna",
            "femmina",
            "vrouw",
            "vrouwelijk",
            "mulher",
            "feminino",
            "kobieta",
        ],
    ),
    (
        "m",
        &[
            "m",
            "male",
            "man",
            "men",
            "boy",
            "homme",
            "masculin",
            "monsieur",
            "mr",
            "herr",
            "mann",
            "mannlich",
            "hombre",
            "masculino",
            "uomo",
            "maschio",
            "maschile",
            "mannelijk",
            "homem",
            "mezczyzna",
        ],
    ),
    (
        "n",
        &[
            "n",
            "nonbinary",
            "nb",
            "enby",
            "x",
            "divers",
            "diverse",
            "nonbinaire",
            "nobinario",
            "nonbinario",
            "naobinario",
            "genderqueer",
            "genderfluid",
            "agender",
        ],
    ),
];

/// Date of birth → `YYYYMMDD`. Day/month order is read only when it is certain: a part above
/// 12, or dotted dates (a European convention). Both readings possible → dropped.
pub fn birthdate(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }

    let parsed = read_date(&trimmed);
    let (year, month, day, how) = match parsed {
        Ok(parts) => parts,
        Err(finding) => return Normalized::dropped(steps, finding),
    };

    if jiff::civil::Date::new(year, month, day).is_err() {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::BirthdateInvalid,
                format!("{trimmed:?} is not a real date ({year:04}-{month:02}-{day:02}); not sent"),
            ),
        );
    }
    if !(1900..=2100).contains(&year) {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::BirthdateInvalid,
                format!(
                    "{trimmed:?} has the year {year}, which is not a plausible birth year; not sent"
                ),
            ),
        );
    }

    let value = format!("{year:04}{month:02}{day:02}");
    steps.push(Step::new(
        format!("read as {how}, written YYYYMMDD"),
        value.clone(),
    ));
    Normalized::ok(value, steps)
}

type DateParts = (i16, i8, i8, &'static str);

fn read_date(text: &str) -> Result<DateParts, Finding> {
    let invalid = || {
        Finding::new(
            Code::BirthdateInvalid,
            format!("{text:?} is not a date pinspect can read (use YYYY-MM-DD); not sent"),
        )
    };

    // A datetime: keep the date part.
    let date_part = text
        .split(['T', ' '])
        .next()
        .filter(|head| head.len() >= 8 && head.chars().filter(char::is_ascii_digit).count() >= 6)
        .unwrap_or(text);

    if date_part.len() == 8 && date_part.chars().all(|c| c.is_ascii_digit()) {
        let year = number(&date_part[..4]).ok_or_else(invalid)?;
        let month = number(&date_part[4..6]).ok_or_else(invalid)?;
        let day = number(&date_part[6..]).ok_or_else(invalid)?;
        return parts(year, month, day, "YYYYMMDD").ok_or_else(invalid);
    }

    let separator = date_part.chars().find(|c| matches!(c, '-' | '/' | '.'));
    if let Some(separator) = separator {
        let pieces: Vec<&str> = date_part.split(separator).map(str::trim).collect();
        if let [a, b, c] = pieces.as_slice()
            && let (Some(x), Some(y), Some(z)) = (number(a), number(b), number(c))
        {
            {
                if a.len() == 4 {
                    return parts(x, y, z, "year-month-day").ok_or_else(invalid);
                }
                if c.len() != 4 {
                    return Err(Finding::new(
                        Code::BirthdateAmbiguous,
                        format!(
                            "{text:?} has a two-digit year; the century cannot be known, so it is not sent"
                        ),
                    ));
                }
                if separator == '.' {
                    return parts(z, y, x, "day.month.year").ok_or_else(invalid);
                }
                return match (x > 12, y > 12) {
                    (true, false) => parts(z, y, x, "day/month/year").ok_or_else(invalid),
                    (false, true) => parts(z, x, y, "month/day/year").ok_or_else(invalid),
                    (false, false) if x == y => {
                        parts(z, y, x, "day/month/year").ok_or_else(invalid)
                    }
                    (false, false) => Err(Finding::new(
                        Code::BirthdateAmbiguous,
                        format!(
                            "{text:?} reads as {z:04}-{y:02}-{x:02} (day first) or {z:04}-{x:02}-{y:02} (month first); not sent rather than guessed. Use YYYY-MM-DD"
                        ),
                    )),
                    (true, true) => Err(invalid()),
                };
            }
        }
    }

    month_name_date(text).ok_or_else(invalid)
}

fn parts(year: u32, month: u32, day: u32, how: &'static str) -> Option<DateParts> {
    Some((
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        how,
    ))
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) || text.len() > 4 {
        return None;
    }
    text.parse().ok()
}

/// `17 March 1985`, `March 17, 1985`, `17 mars 1985`, `17-Mar-1985`.
fn month_name_date(text: &str) -> Option<DateParts> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '.'))
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect();
    let [a, b, c] = words.as_slice() else {
        return None;
    };
    let year = number(c).filter(|_| c.len() == 4)?;
    if let Some(month) = month_number(a) {
        return parts(year, month, number(b)?, "month name");
    }
    let month = month_number(b)?;
    parts(
        year,
        month,
        number(a.trim_end_matches(|ch: char| ch.is_alphabetic()))?,
        "month name",
    )
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &["january", "jan", "janvier", "januar", "enero", "gennaio"],
        &[
            "february", "feb", "fevrier", "februar", "febrero", "febbraio",
        ],
        &["march", "mar", "mars", "marz", "marzo"],
        &["april", "apr", "avril", "abril", "aprile"],
        &["may", "mai", "mayo", "maggio"],
        &["june", "jun", "juin", "juni", "junio", "giugno"],
        &["july", "jul", "juillet", "juli", "julio", "luglio"],
        &["august", "aug", "aout", "agosto"],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "settembre",
        ],
        &["october", "oct", "octobre", "oktober", "octubre", "ottobre"],
        &["november", "nov", "novembre", "noviembre"],
        &[
            "december",
            "dec",
            "decembre",
            "dezember",
            "diciembre",
            "dicembre",
        ],
    ];
    (1..=12)
        .zip(MONTHS)
        .find(|(_, names)| names.contains(&word))
        .map(|(number, _)| number)
}

/// City → lower-case letters and digits only (spaces and punctuation removed).
pub fn city(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "Unicode NFC", nfc);
    let value = apply(&mut steps, &value, "lower-case", str::to_lowercase);
    let value = apply(&mut steps, &value, "remove spaces and punctuation", |v| {
        v.chars().filter(|c| c.is_alphanumeric()).collect()
    });
    Normalized::ok(value, steps)
}

/// State → two-letter code, lower case; US state and Canadian province names are converted.
pub fn state(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }
    let letters: String = trimmed.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.chars().count() == 2 && letters.chars().all(|c| c.is_ascii_alphabetic()) {
        let value = apply(&mut steps, &letters, "lower-case", str::to_lowercase);
        return Normalized::ok(value, steps);
    }
    let key = fold(&trimmed);
    if let Some((code, _)) = STATES.iter().find(|(_, name)| fold(name) == key) {
        let value = code.to_ascii_lowercase();
        steps.push(Step::new(format!("state name → {code}"), value.clone()));
        return Normalized::ok(value, steps);
    }
    Normalized::dropped(
        steps,
        Finding::new(
            Code::StateUnknown,
            format!(
                "{trimmed:?} is not a two-letter state code or a US state or Canadian province name; not sent"
            ),
        ),
    )
}

const STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("DC", "District of Columbia"),
    ("PR", "Puerto Rico"),
    ("GU", "Guam"),
    ("VI", "U.S. Virgin Islands"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
    ("AB", "Alberta"),
    ("BC", "British Columbia"),
    ("MB", "Manitoba"),
    ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"),
    ("NS", "Nova Scotia"),
    ("NT", "Northwest Territories"),
    ("NU", "Nunavut"),
    ("ON", "Ontario"),
    ("PE", "Prince Edward Island"),
    ("QC", "Quebec"),
    ("SK", "Saskatchewan"),
    ("YT", "Yukon"),
];

/// Postcode → lower case without spaces or hyphens; a US ZIP+4 keeps its first five digits.
pub fn zip(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let zip_plus_four = digits.len() == 9
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && trimmed.find(['-', ' ']).is_none_or(|at| at == 5);
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
pub fn country(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let trimmed = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    if trimmed.is_empty() {
        return Normalized::ok(String::new(), steps);
    }
    let upper = trimmed.to_ascii_uppercase();
    let found = match upper.len() {
        2 => rust_iso3166::from_alpha2(&upper).map(|c| (c, "alpha-2")),
        3 => rust_iso3166::from_alpha3(&upper).map(|c| (c, "alpha-3 → alpha-2")),
        _ => None,
    }
    .or_else(|| country_by_name(&trimmed).map(|c| (c, "country name → alpha-2")));

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

fn country_by_name(name: &str) -> Option<rust_iso3166::CountryCode> {
    let key = fold(name);
    if let Some((_, alpha2)) = COUNTRY_ALIASES.iter().find(|(alias, _)| fold(alias) == key) {
        return rust_iso3166::from_alpha2(alpha2);
    }
    rust_iso3166::ALL.iter().copied().find(|country| {
        // "Korea (Republic of)" is matched by "Korea, Republic of" and by the full name.
        let full = fold(country.name);
        let short = fold(
            country
                .name
                .split(['(', ','])
                .next()
                .unwrap_or(country.name),
        );
        full == key || (short == key && short.len() > 3)
    })
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
    ("Korea", "KR"),
    ("North Korea", "KP"),
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
        ] {
            assert_eq!(value(&gender(raw)), Some(want), "{raw}");
        }
        assert_eq!(code(&gender("unknown")), Some(Code::GenderUnknown));
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
        ] {
            assert_eq!(value(&birthdate(raw)), Some(want), "{raw}");
        }
        assert_eq!(
            code(&birthdate("04/05/1985")),
            Some(Code::BirthdateAmbiguous)
        );
        assert_eq!(code(&birthdate("04/05/85")), Some(Code::BirthdateAmbiguous));
        assert_eq!(code(&birthdate("1985-02-30")), Some(Code::BirthdateInvalid));
        assert_eq!(code(&birthdate("soon")), Some(Code::BirthdateInvalid));
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
