//! Conversion of the unhashed fields to the JSON types Pinterest's schema wants: text, decimal
//! strings, integers, booleans, Unix seconds, currency codes, IP addresses, action sources.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::Value;

use super::{Finding, Normalized, Step, looks_like_email};
use crate::core::diagnostics::Code;

/// A string with nothing but whitespace normalizes to nothing: the field is dropped with
/// `normalize.empty` rather than sent blank. `None` for anything else.
fn blank<T>(raw: &Value) -> Option<Normalized<T>> {
    let text = raw.as_str()?;
    text.trim().is_empty().then(|| {
        Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::NormalizeEmpty,
                format!(
                    "{text:?} is only whitespace, so it normalizes to nothing; the field is dropped"
                ),
            ),
        )
    })
}

/// Any scalar as text: numbers keep their shortest decimal form, booleans become
/// `true`/`false`. Objects and arrays are not text and are dropped. Text is sent as it is
/// (`click_id` and the user agent are never altered), except that whitespace-only text is
/// dropped with `normalize.empty`.
pub fn text(raw: &Value) -> Normalized<String> {
    if let Some(empty) = blank(raw) {
        return empty;
    }
    match raw {
        // No letter or digit (`" - "`, a lone zero-width space): not a value to send, even
        // when no other source has one.
        // (Invisible characters are neither, so the text is tested as it is.)
        Value::String(text) if !text.chars().any(char::is_alphanumeric) => Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::NormalizeEmpty,
                format!(
                    "{text:?} has no letter or digit, so it normalizes to nothing; the field is dropped"
                ),
            ),
        ),
        Value::String(text) => Normalized::ok(text.clone(), Vec::new()),
        Value::Number(number) => {
            let text = number_text(number);
            let result = Normalized::ok(text.clone(), vec![Step::new("number → string", text)]);
            // Beyond 64 bits a JSON integer is read as a float, and its last digits are gone:
            // an id such as 18446744073709551617 comes out as …552000.
            let imprecise = number.is_f64()
                && number
                    .as_f64()
                    .is_some_and(|float| float.fract() == 0.0 && float.abs() >= 2f64.powi(53));
            if imprecise {
                result.with(Finding::new(
                    Code::NumberImprecise,
                    format!(
                        "the number {number} is too large to be read exactly, so its last digits are lost; send ids as text"
                    ),
                ))
            } else {
                result
            }
        }
        Value::Bool(flag) => {
            let text = flag.to_string();
            Normalized::ok(text.clone(), vec![Step::new("boolean → string", text)])
        }
        Value::Null => Normalized::default(),
        Value::Array(_) | Value::Object(_) => Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::ValueWrongType,
                format!("the source holds {}, not text; not sent", kind(raw)),
            ),
        ),
    }
}

/// `language`: the two-letter ISO 639-1 code Pinterest asks for, lower case. A locale
/// (`fr-FR`, `en_US.UTF-8`) gives its language; three-letter ISO 639-2/3 codes (`fra`, `fre`,
/// `deu`, `ger`) and English names (`French`) are converted when the language has a
/// two-letter code (the `isolang` crate's tables); each conversion is said
/// (`language.converted`). Anything else is not sent (`language.invalid`).
pub fn language(raw: &Value) -> Normalized<String> {
    let Normalized {
        value,
        mut steps,
        findings,
    } = text(raw);
    let Some(written) = value else {
        return Normalized {
            value: None,
            steps,
            findings,
        };
    };
    let trimmed = written.trim();
    let primary = trimmed
        .split(['-', '_', '.', '@'])
        .next()
        .unwrap_or(trimmed)
        .to_ascii_lowercase();

    let found = match primary.len() {
        2 => isolang::Language::from_639_1(&primary),
        3 => isolang::Language::from_639_3(&primary).or_else(|| {
            BIBLIOGRAPHIC_CODES
                .iter()
                .find(|(code, _)| *code == primary)
                .and_then(|(_, two)| isolang::Language::from_639_1(two))
        }),
        _ => isolang::Language::from_name_lowercase(&trimmed.to_lowercase()),
    };
    let Some(code) = found.and_then(|language| language.to_639_1()) else {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::LanguageInvalid,
                format!(
                    "{trimmed:?} is not a language with a two-letter ISO 639-1 code such as en or fr; not sent"
                ),
            ),
        );
    };

    if code == trimmed {
        return Normalized::ok(code.to_owned(), steps);
    }
    steps.push(Step::new("ISO 639-1 language code", code));
    Normalized::ok(code.to_owned(), steps).with(Finding::new(
        Code::LanguageConverted,
        format!("{trimmed:?} is sent as {code:?}: Pinterest takes the two-letter ISO 639-1 code"),
    ))
}

/// ISO 639-2/B codes that differ from the ISO 639-3 ones `isolang` knows, with the two-letter
/// code of their language.
const BIBLIOGRAPHIC_CODES: &[(&str, &str)] = &[
    ("alb", "sq"),
    ("arm", "hy"),
    ("baq", "eu"),
    ("bur", "my"),
    ("chi", "zh"),
    ("cze", "cs"),
    ("dut", "nl"),
    ("fre", "fr"),
    ("geo", "ka"),
    ("ger", "de"),
    ("gre", "el"),
    ("ice", "is"),
    ("mac", "mk"),
    ("mao", "mi"),
    ("may", "ms"),
    ("per", "fa"),
    ("rum", "ro"),
    ("slo", "sk"),
    ("tib", "bo"),
    ("wel", "cy"),
];

/// The shortest decimal text of a JSON number, never in exponent form.
fn number_text(number: &serde_json::Number) -> String {
    if let Some(integer) = number.as_i64() {
        integer.to_string()
    } else if let Some(integer) = number.as_u64() {
        integer.to_string()
    } else {
        number
            .as_f64()
            .map_or_else(|| number.to_string(), |f| f.to_string())
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A decimal sent as a string (`value`, `item_price`, `predicted_ltv`).
///
/// Spaces and apostrophes between digit groups are removed; a `+` sign is removed. One comma
/// with exactly three digits after it and nothing else (`1,234`) reads both as 1.234 and as
/// 1234: it is dropped with `number.ambiguous`. Otherwise a single comma is a decimal comma
/// (`19,95`, with a warning), commas before a point (`1,234.56`) and points before a comma
/// (`1.234,56`) are thousands separators, and so are several points (`1.234.567`). A point
/// is always the decimal point (`1.234` is 1.234, as Pinterest reads it). `.5` and `5.` are
/// written `0.5` and `5`; a negative zero is written without its sign; a negative number is
/// warned about (`number.negative`). Anything else (exponents, hexadecimal, `Infinity`,
/// currency signs and codes) is `number.invalid`, with a message that says what is wrong.
pub fn decimal(raw: &Value) -> Normalized<String> {
    if let Some(empty) = blank(raw) {
        return empty;
    }
    let mut steps = Vec::new();
    let mut findings = Vec::new();

    let text = match raw {
        Value::Number(number) => {
            let text = number_text(number);
            steps.push(Step::new("number → decimal string", text.clone()));
            text
        }
        Value::String(text) => {
            let trimmed = text.trim();
            if trimmed != text {
                steps.push(Step::new("trim", trimmed));
            }
            match read_decimal(trimmed, &mut steps) {
                Ok(Reading::Plain(clean)) => clean,
                Ok(Reading::CommaDecimal(clean)) => {
                    findings.push(Finding::new(
                        Code::NumberCommaDecimal,
                        format!("{trimmed:?} uses a decimal comma; sent as {clean:?}. Check that the comma really is the decimal separator"),
                    ));
                    clean
                }
                Err(finding) => return Normalized::dropped(steps, finding),
            }
        }
        other => {
            return Normalized::dropped(
                steps,
                Finding::new(
                    Code::NumberInvalid,
                    format!("expected a number, found {}; not sent", kind(other)),
                ),
            );
        }
    };

    let text = match text.strip_prefix('-') {
        Some(magnitude) if magnitude.chars().all(|c| c == '0' || c == '.') => {
            let zero = magnitude.to_owned();
            steps.push(Step::new(
                "negative zero written without its sign",
                zero.clone(),
            ));
            zero
        }
        Some(_) => {
            findings.push(Finding::new(
                Code::NumberNegative,
                format!("{text} is negative; Pinterest reports it as negative revenue"),
            ));
            text
        }
        None => text,
    };
    Normalized {
        value: Some(text),
        steps,
        findings,
    }
}

/// How a decimal string was read.
enum Reading {
    /// Digits with an optional decimal point.
    Plain(String),

    /// A decimal comma was read as a point.
    CommaDecimal(String),
}

/// Reads a trimmed decimal string, pushing a step for each rule that changes it.
fn read_decimal(text: &str, steps: &mut Vec<Step>) -> Result<Reading, Finding> {
    let invalid = || {
        Finding::new(
            Code::NumberInvalid,
            format!(
                "{text:?} is not a number; not sent. {}",
                why_not_decimal(text)
            ),
        )
    };

    let grouped: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '_'))
        .collect();
    if grouped != text {
        steps.push(Step::new(
            "remove spaces between digit groups",
            grouped.clone(),
        ));
    }
    let unsigned = match grouped.strip_prefix('+') {
        Some(rest) if !rest.starts_with(['+', '-']) => {
            steps.push(Step::new("remove the + sign", rest));
            rest.to_owned()
        }
        _ => grouped,
    };
    let (sign, body) = match unsigned.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", unsigned.as_str()),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(invalid());
    }

    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let last_comma = body.rfind(',');
    let last_point = body.rfind('.');
    let (clean, comma_decimal) = match (commas, points) {
        (0, 0 | 1) => (body.to_owned(), false),
        (0, _) if is_grouped(body, '.') => (body.replace('.', ""), false),
        (1, 0) => {
            let (whole, fraction) = body.split_once(',').unwrap_or((body, ""));
            let thousands_shape =
                fraction.len() == 3 && (1..=3).contains(&whole.len()) && whole != "0";
            if thousands_shape {
                return Err(Finding::new(
                    Code::NumberAmbiguous,
                    format!(
                        "{text:?} reads as {sign}{whole}.{fraction} (decimal comma) or {sign}{whole}{fraction} (thousands separator); not sent rather than guessed. Send the number with a decimal point"
                    ),
                ));
            }
            (body.replacen(',', ".", 1), true)
        }
        (_, 0) if is_grouped(body, ',') => (body.replace(',', ""), false),
        (_, 1) if last_point > last_comma => (body.replace(',', ""), false),
        (1, _) if last_comma > last_point => (body.replace('.', "").replacen(',', ".", 1), true),
        _ => return Err(invalid()),
    };
    if clean != body {
        let rule = if comma_decimal {
            "decimal comma → point"
        } else {
            "remove thousands separators"
        };
        steps.push(Step::new(rule, format!("{sign}{clean}")));
    }

    let (whole, fraction) = match clean.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (clean.as_str(), None),
    };
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    let empty = whole.is_empty() && fraction.is_none_or(str::is_empty);
    if empty || !digits(whole) || !fraction.is_none_or(digits) {
        return Err(invalid());
    }

    // `.5` → `0.5` and `5.` → `5`: the same number, written the way every reader parses it.
    let written = match fraction {
        Some("") => whole.to_owned(),
        Some(fraction) if whole.is_empty() => format!("0.{fraction}"),
        _ => clean.clone(),
    };
    if written != clean {
        let rule = if whole.is_empty() {
            "leading 0 added"
        } else {
            "trailing point removed"
        };
        steps.push(Step::new(rule, format!("{sign}{written}")));
    }

    let value = format!("{sign}{written}");
    Ok(if comma_decimal {
        Reading::CommaDecimal(value)
    } else {
        Reading::Plain(value)
    })
}

/// `1,234,567` or `1.234.567`: a first group of one to three digits, then groups of exactly
/// three, all split by `separator`.
fn is_grouped(body: &str, separator: char) -> bool {
    let digits = |group: &str| group.chars().all(|c| c.is_ascii_digit());
    let mut groups = body.split(separator);
    let first = groups
        .next()
        .is_some_and(|group| (1..=3).contains(&group.len()) && digits(group));
    first && groups.all(|group| group.len() == 3 && digits(group))
}

/// Currency signs that end up next to amounts.
const CURRENCY_SIGNS: [char; 15] = [
    '€', '$', '£', '¥', '₹', '₽', '₩', '₺', '₴', '₪', '฿', '¢', '₫', '₱', '₦',
];

/// Why a text is not a decimal, for the `number.invalid` message.
fn why_not_decimal(text: &str) -> String {
    let lower = text.to_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let has_code = text.split(|c: char| !c.is_ascii_alphabetic()).any(|word| {
        word.len() == 3 && iso_currency::Currency::from_code(&word.to_ascii_uppercase()).is_some()
    });
    if has_code || text.contains(CURRENCY_SIGNS) || lower.contains("zł") {
        return "Send the number alone, without a currency sign or code (the currency goes in its own field)".to_owned();
    }
    if ["inf", "infinity", "∞"].contains(&unsigned) {
        return "It is not a finite number: send the real amount".to_owned();
    }
    if unsigned.starts_with("0x") {
        return "Hexadecimal is not accepted: send the amount in decimal digits".to_owned();
    }
    let exponent = unsigned.split_once('e').is_some_and(|(mantissa, power)| {
        let power = power.trim_start_matches(['+', '-']);
        !mantissa.is_empty()
            && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !power.is_empty()
            && power.chars().all(|c| c.is_ascii_digit())
    });
    if exponent {
        let plain = text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f.to_string())
            .filter(|plain| plain.len() <= 30)
            .map_or_else(String::new, |plain| format!(": {plain}"));
        return format!("Exponent notation is not accepted: send the plain decimal{plain}");
    }
    "Send digits with one decimal point (or comma) and optional thousands separators, such as 1234.50".to_owned()
}

/// An integer (`quantity`, `num_items`): whole numbers, `2.0` and `"2"` are accepted.
pub fn integer(raw: &Value) -> Normalized<i64> {
    if let Some(empty) = blank(raw) {
        return empty;
    }
    let invalid = |what: String| {
        Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::IntegerInvalid,
                format!("{what} is not a whole number; not sent"),
            ),
        )
    };
    match raw {
        Value::Number(number) => {
            if let Some(value) = number.as_i64() {
                return Normalized::ok(value, Vec::new());
            }
            match number.as_f64() {
                Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => {
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "checked to be whole and in range"
                    )]
                    let value = float as i64;
                    Normalized::ok(value, vec![Step::new("whole number", value.to_string())])
                }
                _ => invalid(number.to_string()),
            }
        }
        Value::String(text) => {
            let trimmed = text.trim();
            let whole = trimmed
                .strip_suffix(".0")
                .or_else(|| trimmed.strip_suffix(".00"))
                .unwrap_or(trimmed);
            match whole.parse::<i64>() {
                Ok(value) => Normalized::ok(
                    value,
                    vec![Step::new("string → integer", value.to_string())],
                ),
                Err(_) => invalid(format!("{trimmed:?}")),
            }
        }
        other => invalid(kind(other).to_owned()),
    }
}

/// A boolean from `true`/`false`, `1`/`0` and the strings `"true"`, `"false"`, `"1"`, `"0"`,
/// `"yes"`, `"no"` in any case.
pub fn boolean(raw: &Value) -> Normalized<bool> {
    if let Some(empty) = blank(raw) {
        return empty;
    }
    let parsed = match raw {
        Value::Bool(flag) => return Normalized::ok(*flag, Vec::new()),
        Value::Number(number) => match number.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "on" => Some(true),
            "false" | "0" | "no" | "n" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    };
    match parsed {
        Some(flag) => Normalized::ok(flag, vec![Step::new("read as boolean", flag.to_string())]),
        None => Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::BooleanInvalid,
                format!(
                    "{raw} is not a boolean or a boolean-like string (true/false/1/0); not sent"
                ),
            ),
        ),
    }
}

/// A timestamp read as Unix seconds, with how it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Unix seconds.
    pub seconds: i64,
}

/// Reads a timestamp: a number or digit string in seconds, milliseconds or microseconds
/// (told apart by size), or an ISO 8601 date-time with any offset form (`Z`, `+02:00`,
/// `+0200`, `-05`). Without an offset it is read as UTC, with a warning.
pub fn timestamp(raw: &Value) -> Normalized<Timestamp> {
    if let Some(empty) = blank(raw) {
        return empty;
    }
    let invalid = |what: String| {
        Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::EventTimeInvalid,
                format!(
                    "{what} is not a timestamp pinspect can read (Unix seconds or milliseconds, or ISO 8601); not sent"
                ),
            ),
        )
    };
    match raw {
        Value::Number(number) => match number.as_f64() {
            Some(float) if float.is_finite() => from_number(float, &number.to_string()),
            _ => invalid(number.to_string()),
        },
        Value::String(text) => {
            let trimmed = text.trim();
            if let Ok(float) = trimmed.parse::<f64>()
                && float.is_finite()
                && trimmed
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            {
                return from_number(float, trimmed);
            }
            from_iso(trimmed).unwrap_or_else(|| invalid(format!("{trimmed:?}")))
        }
        other => invalid(kind(other).to_owned()),
    }
}

fn from_number(value: f64, text: &str) -> Normalized<Timestamp> {
    // Seconds are 10 digits until the year 2286; milliseconds 13; microseconds 16.
    let magnitude = value.abs();
    let (divisor, unit, ambiguous) = if magnitude < 1.0e11 {
        (1.0, "seconds", false)
    } else if magnitude < 1.0e14 {
        (1.0e3, "milliseconds", false)
    } else if magnitude < 1.0e17 {
        (1.0e6, "microseconds", true)
    } else {
        (1.0e9, "nanoseconds", true)
    };
    #[expect(
        clippy::cast_possible_truncation,
        reason = "divided down to seconds, which fit"
    )]
    let seconds = (value / divisor).floor() as i64;
    let mut result = Normalized::ok(
        Timestamp { seconds },
        vec![Step::new(
            format!("{text} read as {unit} → seconds"),
            seconds.to_string(),
        )],
    );
    if ambiguous {
        result = result.with(Finding::new(
            Code::EventTimeUnitAmbiguous,
            format!("{text} is too large for seconds or milliseconds; read as {unit}. Send Unix seconds or milliseconds"),
        ));
    }
    result
}

fn from_iso(text: &str) -> Option<Normalized<Timestamp>> {
    let shortened = without_sub_nanoseconds(text);
    let text = shortened.as_deref().unwrap_or(text);

    // jiff reads offsets up to ±25:59; no place on Earth is beyond UTC−12 or UTC+14, so a
    // larger offset is a broken source, not a time to shift by a day.
    if let Some(offset) = utc_offset_minutes(text)
        && !(-12 * 60..=14 * 60).contains(&offset)
    {
        return Some(Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::EventTimeInvalid,
                format!(
                    "{text:?} has a UTC offset beyond any time zone (UTC−12:00 to UTC+14:00); not sent. Check how the source writes its offset"
                ),
            ),
        ));
    }

    // A time zone annotation (`[Europe/Paris]`) must name a zone pinspect knows, with or
    // without an offset: an unknown name means the source is not what it claims to be.
    let zone = zone_annotation(text);
    if let Some(zone) = zone
        && zone.starts_with(|c: char| c.is_ascii_alphabetic())
        && let Err(err) = jiff::tz::TimeZone::get(zone)
    {
        log::debug!("time zone {zone:?} not found: {err}");
        return Some(Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::EventTimeInvalid,
                format!(
                    "{text:?} names the time zone {zone:?}, which is not in the time zone database (IANA names such as Europe/Paris or America/New_York); not sent. Fix the zone name, or send an offset such as +02:00"
                ),
            ),
        ));
    }

    if let Ok(instant) = text.parse::<jiff::Timestamp>() {
        let seconds = instant.as_second();
        return Some(Normalized::ok(
            Timestamp { seconds },
            vec![Step::new(
                "ISO 8601 with offset → Unix seconds",
                seconds.to_string(),
            )],
        ));
    }
    // Offsets jiff does not read: "+02" (hours only) is read by padding minutes.
    if let Some(padded) = pad_hour_offset(text)
        && let Ok(instant) = padded.parse::<jiff::Timestamp>()
    {
        let seconds = instant.as_second();
        return Some(Normalized::ok(
            Timestamp { seconds },
            vec![Step::new(
                "ISO 8601 with offset → Unix seconds",
                seconds.to_string(),
            )],
        ));
    }
    // No offset, but a zone: the local time is read in that zone (2025-04-18T07:53:39 in
    // Europe/Paris is 05:53:39 UTC), not as UTC.
    if let Some(zone) = zone
        && let Ok(zoned) = text.parse::<jiff::ZonedDateTime>()
    {
        let seconds = zoned.timestamp().as_second();
        return Some(Normalized::ok(
            Timestamp { seconds },
            vec![Step::new(
                format!(
                    "ISO 8601 local time in {zone} ({}) → Unix seconds",
                    zoned.offset()
                ),
                seconds.to_string(),
            )],
        ));
    }
    let civil = text.parse::<jiff::civil::DateTime>().ok().or_else(|| {
        text.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })?;
    let seconds = jiff::tz::TimeZone::UTC
        .to_timestamp(civil)
        .ok()?
        .as_second();
    Some(
        Normalized::ok(
            Timestamp { seconds },
            vec![Step::new(
                "ISO 8601 without offset read as UTC",
                seconds.to_string(),
            )],
        )
        .with(Finding::new(
            Code::EventTimeNoOffset,
            format!(
                "{text:?} has no time zone offset; read as UTC. Add Z or an offset such as +02:00"
            ),
        )),
    )
}

/// The offset after the time of an ISO timestamp, in minutes (`+05:30` → 330, `-0500` →
/// −300, `+02` → 120); `None` without one (`Z`, no offset).
fn utc_offset_minutes(text: &str) -> Option<i32> {
    let time_start = text.find(['T', 't', ' '])?;
    let time = text.get(time_start..)?;
    let time = time.split('[').next().unwrap_or(time);
    let sign_at = time.rfind(['+', '-'])?;
    let sign = if time.get(sign_at..=sign_at)? == "-" {
        -1
    } else {
        1
    };
    let digits: String = time
        .get(sign_at + 1..)?
        .chars()
        .filter(|c| *c != ':')
        .collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Some(0), |m| m.parse().ok())?;
    Some(sign * (hours * 60 + minutes))
}

/// `text` with the fraction of its seconds cut to 9 digits, or `None` when it has no more.
/// Some databases and loggers write 10 to 12 digits; jiff (like RFC 3339 parsers generally)
/// stops at nanoseconds, and Pinterest only takes whole seconds, so the extra digits can never
/// change the value sent.
fn without_sub_nanoseconds(text: &str) -> Option<String> {
    let time_start = text.find(['T', 't', ' '])?;
    let fraction_mark = time_start + text.get(time_start..)?.find(['.', ','])?;
    let digits_start = fraction_mark + 1;
    let digits = text
        .get(digits_start..)?
        .chars()
        .take_while(char::is_ascii_digit)
        .count();
    (digits > 9).then(|| {
        format!(
            "{}{}",
            text.get(..digits_start + 9).unwrap_or(text),
            text.get(digits_start + digits..).unwrap_or_default()
        )
    })
}

/// The time zone in a bracketed annotation: an IANA name (`[Europe/Paris]`,
/// `[!Europe/Paris]`) or an offset (`[+02:00]`); `None` without one. Key-value annotations
/// (`[u-ca=gregory]`) are not zones.
fn zone_annotation(text: &str) -> Option<&str> {
    text.split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']').map(|(inside, _)| inside))
        .map(|inside| inside.trim_start_matches('!'))
        .find(|inside| !inside.is_empty() && !inside.contains('='))
}

/// `2025-04-18T07:53:39+02` → `2025-04-18T07:53:39+02:00`.
fn pad_hour_offset(text: &str) -> Option<String> {
    let sign_at = text.rfind(['+', '-'])?;
    let offset = &text[sign_at + 1..];
    (text[..sign_at].contains('T')
        && offset.len() == 2
        && offset.chars().all(|c| c.is_ascii_digit()))
    .then(|| format!("{text}:00"))
}

/// A currency from any JSON value. Only text can be an ISO 4217 letter code: a number (`978`,
/// the numeric code of EUR) or a boolean goes through the same check and is `currency.invalid`
/// (the message names the letter code a numeric code stands for); a list or an object is
/// `value.wrong_type`.
pub fn currency_value(raw: &Value) -> Normalized<String> {
    let text = match raw {
        Value::String(text) => return currency(text),
        Value::Number(number) => number_text(number),
        Value::Bool(flag) => flag.to_string(),
        Value::Null | Value::Array(_) | Value::Object(_) => return self::text(raw),
    };
    let numeric = raw
        .as_u64()
        .and_then(|code| u16::try_from(code).ok())
        .and_then(iso_currency::Currency::from_numeric);
    let hint = numeric.map_or_else(
        || "Map the field that holds the three-letter code (EUR, USD, GBP …)".to_owned(),
        |currency| {
            format!(
                "{text} is the ISO 4217 numeric code of {}: send \"{}\"",
                currency.code(),
                currency.code()
            )
        },
    );
    Normalized::ok(text.clone(), vec![Step::new(format!("{} → text", kind(raw)), text)]).with(
        Finding::new(
            Code::CurrencyInvalid,
            format!(
                "the source holds {} {raw}, not a three-letter ISO 4217 code; Pinterest rejects it. {hint}",
                kind(raw)
            ),
        ),
    )
}

/// An ISO 4217 currency code, upper-cased.
pub fn currency(raw: &str) -> Normalized<String> {
    if let Some(empty) = blank(&Value::from(raw)) {
        return empty;
    }
    let mut steps = Vec::new();
    let trimmed = raw.trim();
    if trimmed != raw {
        steps.push(Step::new("trim", trimmed));
    }
    let upper = trimmed.to_ascii_uppercase();
    let mut result = Normalized::ok(upper.clone(), steps);
    if upper != trimmed {
        result.steps.push(Step::new("upper-case", upper.clone()));
        result = result.with(Finding::new(
            Code::CurrencyUpperCased,
            format!("{trimmed:?} was upper-cased to {upper}"),
        ));
    }
    if iso_currency::Currency::from_code(&upper).is_none() {
        result = result.with(Finding::new(
            Code::CurrencyInvalid,
            format!("{trimmed:?} is not an ISO 4217 currency code (EUR, USD, GBP …)"),
        ));
    }
    result
}

/// A client IP address from any JSON value: only text can hold an address. A number
/// (`3405803783`, an address packed into an integer) or a boolean is `ip.invalid`, never sent
/// as its text.
pub fn ip_address_value(raw: &Value) -> Normalized<String> {
    match raw {
        Value::String(text) => ip_address(text),
        other => Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::IpInvalid,
                format!(
                    "the source holds {} {other}, not an address written as text such as \"203.0.113.7\"; not sent. Map the field that holds the visitor's address as text",
                    kind(other)
                ),
            ),
        ),
    }
}

/// A client IP address. A proxy chain (`X-Forwarded-For`) keeps its first public address, a
/// port or brackets are removed, each with a warning; parts of a chain that are not addresses
/// (`unknown`, `-`, nothing between two commas) are skipped; private, loopback, reserved and
/// other non-visitor addresses are dropped.
pub fn ip_address(raw: &str) -> Normalized<String> {
    if let Some(empty) = blank(&Value::from(raw)) {
        return empty;
    }
    let mut steps = Vec::new();
    let mut findings = Vec::new();
    let trimmed = raw.trim();

    let parts = hops(trimmed);
    let parsed: Vec<(IpAddr, bool)> = parts.iter().filter_map(|part| parse_ip(part)).collect();
    let skipped: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|part| parse_ip(part).is_none())
        .collect();

    if parsed.is_empty() {
        let what = if parts.len() > 1 {
            "none of its parts is an IPv4 or IPv6 address"
        } else {
            "it is not an IPv4 or IPv6 address"
        };
        return Normalized::dropped(
            steps,
            Finding::new(Code::IpInvalid, format!("{trimmed:?}: {what}; not sent")),
        );
    }

    let decorated = parsed.iter().any(|(_, decorated)| *decorated);
    let chosen = parsed
        .iter()
        .find(|(ip, _)| not_public(*ip).is_none())
        .map(|(ip, _)| *ip);
    if parts.len() > 1 || decorated {
        let kept = chosen.map_or_else(
            || "none of its addresses is public".to_owned(),
            |ip| format!("sent {ip}"),
        );
        let skipped = if skipped.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = skipped.iter().map(|part| format!("{part:?}")).collect();
            format!(" ({} skipped: not an address)", names.join(", "))
        };
        findings.push(Finding::new(
            Code::IpProxyChain,
            format!("{trimmed:?} is not a single bare address (proxy chain, port or brackets){skipped}; {kept}. Send the visitor's address alone"),
        ));
    }
    let Some(ip) = chosen else {
        if let Some((first, _)) = parsed.first() {
            let what = not_public(*first).unwrap_or("reserved");
            findings.push(Finding::new(
                Code::IpNotPublic,
                format!("{first} is a {what} address, not the visitor's; not sent. Check the proxy's forwarded-for header"),
            ));
        }
        return Normalized {
            value: None,
            steps,
            findings,
        };
    };

    // A single bare address is sent exactly as received (only trimmed); otherwise the
    // visitor's address is written in its standard form.
    let text =
        if parts.len() == 1 && !decorated && trimmed.parse::<IpAddr>().is_ok_and(|own| own == ip) {
            trimmed.to_owned()
        } else {
            ip.to_string()
        };
    if text != raw {
        steps.push(Step::new("bare visitor address", text.clone()));
    }
    if looks_masked(ip) {
        findings.push(Finding::new(
            Code::IpMasked,
            format!("{text} ends in .0 (or zero groups for IPv6) and looks masked/anonymized; Pinterest matches it less well. Send the full address if your privacy policy allows"),
        ));
    }
    Normalized {
        value: Some(text),
        steps,
        findings,
    }
}

/// The parts of a chain: commas and spaces separate them; nothing between two commas is an
/// empty part (reported as skipped).
fn hops(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for hop in text.split(',') {
        let before = parts.len();
        parts.extend(hop.split_whitespace());
        if parts.len() == before {
            parts.push("");
        }
    }
    parts
}

/// Parses one address, allowing `[v6]:port` and `v4:port`; the flag says it was decorated.
fn parse_ip(text: &str) -> Option<(IpAddr, bool)> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some((unmap(ip), false));
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside
            .parse::<Ipv6Addr>()
            .ok()
            .map(|ip| (unmap(IpAddr::V6(ip)), true));
    }
    let (host, port) = text.rsplit_once(':')?;
    (port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty())
        .then(|| host.parse::<Ipv4Addr>().ok())
        .flatten()
        .map(|ip| (IpAddr::V4(ip), true))
}

fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// IPv4 blocks that are never a visitor's address: the IANA special-purpose blocks that are
/// not globally reachable, plus multicast. Documentation blocks (`192.0.2.0/24`,
/// `198.51.100.0/24`, `203.0.113.0/24`) are kept on purpose: examples and tests use them.
const NOT_PUBLIC_V4: &[([u8; 4], u8, &str)] = &[
    ([0, 0, 0, 0], 8, "\"this network\" (0.0.0.0/8)"),
    ([10, 0, 0, 0], 8, "private (10.0.0.0/8)"),
    ([100, 64, 0, 0], 10, "carrier-grade NAT (100.64.0.0/10)"),
    ([127, 0, 0, 0], 8, "loopback (127.0.0.0/8)"),
    ([169, 254, 0, 0], 16, "link-local (169.254.0.0/16)"),
    ([172, 16, 0, 0], 12, "private (172.16.0.0/12)"),
    (
        [192, 0, 0, 0],
        24,
        "IETF protocol assignment (192.0.0.0/24)",
    ),
    ([192, 168, 0, 0], 16, "private (192.168.0.0/16)"),
    ([198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"),
    ([224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"),
    ([240, 0, 0, 0], 4, "reserved or broadcast (240.0.0.0/4)"),
];

/// IPv6 blocks inside the not-public ones below that are globally reachable after all
/// (anycast services and ORCHIDv2/DET identifiers inside `2001::/23`).
const PUBLIC_V6_EXCEPTIONS: &[(u128, u8)] = &[
    (0x2001_0001_0000_0000_0000_0000_0000_0001, 128),
    (0x2001_0001_0000_0000_0000_0000_0000_0002, 128),
    (0x2001_0003_0000_0000_0000_0000_0000_0000, 32),
    (0x2001_0004_0112_0000_0000_0000_0000_0000, 48),
    (0x2001_0020_0000_0000_0000_0000_0000_0000, 27),
];

/// IPv6 blocks that are never a visitor's address. Documentation (`2001:db8::/32`) is kept on
/// purpose, as for IPv4.
const NOT_PUBLIC_V6: &[(u128, u8, &str)] = &[
    (0, 128, "unspecified (::)"),
    (1, 128, "loopback (::1)"),
    (
        0x0064_ff9b_0001_0000_0000_0000_0000_0000,
        48,
        "local IPv4/IPv6 translation (64:ff9b:1::/48)",
    ),
    (
        0x0100_0000_0000_0000_0000_0000_0000_0000,
        64,
        "discard-only (100::/64)",
    ),
    (
        0x2001_0000_0000_0000_0000_0000_0000_0000,
        23,
        "IETF protocol assignment (2001::/23)",
    ),
    (
        0x2002_0000_0000_0000_0000_0000_0000_0000,
        16,
        "6to4 relay (2002::/16)",
    ),
    (
        0x5f00_0000_0000_0000_0000_0000_0000_0000,
        16,
        "segment-routing (5f00::/16)",
    ),
    (
        0xfc00_0000_0000_0000_0000_0000_0000_0000,
        7,
        "unique local (fc00::/7)",
    ),
    (
        0xfe80_0000_0000_0000_0000_0000_0000_0000,
        10,
        "link-local (fe80::/10)",
    ),
    (
        0xff00_0000_0000_0000_0000_0000_0000_0000,
        8,
        "multicast (ff00::/8)",
    ),
];

fn in_block(address: u128, base: u128, prefix: u8, width: u32) -> bool {
    let shift = width - u32::from(prefix);
    shift >= width || (address >> shift) == (base >> shift)
}

/// What kind of non-visitor address `ip` is, or `None` for a public address.
fn not_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => {
            let address = u128::from(u32::from(v4));
            NOT_PUBLIC_V4
                .iter()
                .find(|(base, prefix, _)| {
                    in_block(address, u128::from(u32::from_be_bytes(*base)), *prefix, 32)
                })
                .map(|(_, _, what)| *what)
        }
        IpAddr::V6(v6) => {
            let address = u128::from(v6);
            if PUBLIC_V6_EXCEPTIONS
                .iter()
                .any(|(base, prefix)| in_block(address, *base, *prefix, 128))
            {
                return None;
            }
            NOT_PUBLIC_V6
                .iter()
                .find(|(base, prefix, _)| in_block(address, *base, *prefix, 128))
                .map(|(_, _, what)| *what)
        }
    }
}

fn looks_masked(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.octets()[3] == 0,
        IpAddr::V6(v6) => v6.segments()[3..].iter().all(|s| *s == 0),
    }
}

/// The four action sources Pinterest accepts.
pub const ACTION_SOURCES: [&str; 4] = ["app_android", "app_ios", "offline", "web"];

/// An action source from any JSON value: only text can be one of the four values; a number, a
/// boolean, a list or an object is `action_source.invalid` and not sent.
pub fn action_source_value(raw: &Value) -> Normalized<String> {
    match raw {
        Value::String(text) => action_source(text),
        other => Normalized::dropped(
            Vec::new(),
            Finding::new(
                Code::ActionSourceInvalid,
                format!(
                    "the source holds {} {other}, not one of the texts app_android, app_ios, offline, web; not sent, and Pinterest rejects an event without it",
                    kind(other)
                ),
            ),
        ),
    }
}

/// An explicit action source: trimmed and lower-cased, and checked against the four values.
pub fn action_source(raw: &str) -> Normalized<String> {
    if let Some(empty) = blank(&Value::from(raw)) {
        return empty;
    }
    let mut steps = Vec::new();
    let value = raw.trim().to_ascii_lowercase();
    if value != raw {
        steps.push(Step::new("trim, lower-case", value.clone()));
    }
    let mut result = Normalized::ok(value.clone(), steps);
    if !ACTION_SOURCES.contains(&value.as_str()) {
        result = result.with(Finding::new(
            Code::ActionSourceInvalid,
            format!("{raw:?} is not one of app_android, app_ios, offline, web; Pinterest rejects the event"),
        ));
    }
    result
}

/// `app_android` / `app_ios` when the event comes from an app (`context.app` or the device
/// OS says so), else `web`; the message says which field decided.
pub fn derive_action_source(event: &Value) -> (String, String) {
    let os_name = event
        .pointer("/context/device/os/name")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase);
    let has_app = event
        .pointer("/context/app")
        .is_some_and(|app| app.as_object().is_some_and(|map| !map.is_empty()));

    let from_os = |os: &str| {
        if os.contains("android") {
            Some("app_android")
        } else if os.contains("ios") || os.contains("iphone") || os.contains("ipad") {
            Some("app_ios")
        } else {
            None
        }
    };

    // Commanders Act marks store and call-centre orders `"type": "offline"`.
    let typed_offline = event
        .get("type")
        .and_then(Value::as_str)
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("offline"));
    if typed_offline {
        return (
            "offline".to_owned(),
            "derived offline from the event's type = \"offline\"".to_owned(),
        );
    }

    match (has_app, os_name.as_deref().and_then(from_os)) {
        (true, Some(app)) => (
            app.to_owned(),
            format!(
                "derived {app} from context.app and context.device.os.name = {:?}",
                os_name.unwrap_or_default()
            ),
        ),
        (true, None) => (
            "web".to_owned(),
            "derived web: context.app is present but the device OS is neither Android nor iOS"
                .to_owned(),
        ),
        (false, Some(_) | None) => (
            "web".to_owned(),
            "derived web: no partners.pinterest.action_source and no context.app".to_owned(),
        ),
    }
}

/// Personal data in clear text inside `text`: an e-mail address or an international phone
/// number (also URL-encoded), or a URL query parameter named like personal data (`email`,
/// `phone`, `firstname`, `zip`, …) with a value. Returns what was found, for the message.
pub fn personal_data_in(text: &str) -> Option<String> {
    let decoded = fully_decoded(text);
    let is_separator = |c: char| c.is_whitespace() || "&?=/;,\"'<>()[]{}|#+".contains(c);

    if decoded.split(is_separator).any(contains_email) {
        return Some("an e-mail address".to_owned());
    }

    if contains_phone(&decoded) {
        return Some("a phone number".to_owned());
    }

    personal_query_parameter(text)
        .map(|name| format!("the query parameter {name:?}, which carries personal data"))
}

/// Whether `text` holds a phone number that can be told from other digits without a country:
/// `+` or `00` at the start of a word, then digit groups (spaces, dots, dashes, brackets, or
/// `+` for spaces in a query string) that libphonenumber reads as a valid international
/// number; or a North American `(650) 555-1212`. A `+` or `00` inside a word is not a prefix,
/// which keeps versions (`v1.2.3+20240101`), offsets (`12:30+0200`) and times (`00:30`) out.
fn contains_phone(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let at_word_start = |i: usize| {
        i == 0
            || chars
                .get(i - 1)
                .is_some_and(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
    };
    let after_colon = |i: usize| i > 0 && chars.get(i - 1) == Some(&':');
    (0..chars.len()).filter(|&i| at_word_start(i)).any(|start| {
        let rest = chars.get(start..).unwrap_or_default();
        match rest {
            ['+', ..] => international_phone_at(rest.get(1..).unwrap_or_default()),
            // `12:00…` is a time, `tel:0033…` is rare enough to leave.
            ['0', '0', ..] if !after_colon(start) => {
                let after = rest.get(2..).unwrap_or_default();
                international_phone_at(after) && !is_product_code(after)
            }
            ['(', ..] => north_american_phone_at(rest),
            _ => false,
        }
    })
}

/// The digit groups at the start of `rest`, and whether they end a word (a letter or digit
/// right after them means they are part of something else, such as an order id).
fn digit_groups(rest: &[char]) -> Option<String> {
    let is_separator = |c: &char| c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '+');
    let mut digits = String::new();
    let mut after_last_digit = 0;
    for (i, c) in rest.iter().enumerate() {
        if c.is_ascii_digit() {
            digits.push(*c);
            after_last_digit = i + 1;
        } else if !is_separator(c) {
            break;
        }
    }
    let ends_word = rest
        .get(after_last_digit)
        .is_none_or(|c| !c.is_alphanumeric());
    ends_word.then_some(digits)
}

fn international_phone_at(rest: &[char]) -> bool {
    let Some(digits) = digit_groups(rest) else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && !digits.starts_with('0')
        && phonenumber::parse(None, format!("+{digits}")).is_ok_and(|number| number.is_valid())
}

/// Whether `00` + the digits after it, written without separators, is a product barcode:
/// GTIN-12/13/14 (UPC, EAN) have a mod-10 check digit and often start with 00, and a shop's
/// search terms and URLs are full of them. A phone number passes that check one time in ten.
fn is_product_code(after_00: &[char]) -> bool {
    let run: Vec<u32> = after_00.iter().map_while(|c| c.to_digit(10)).collect();
    let ends_run = after_00
        .get(run.len())
        .is_none_or(|c| !c.is_ascii_alphanumeric());
    let length = run.len() + 2;
    if !ends_run || !matches!(length, 12..=14) {
        return false;
    }
    // GTIN: from the right, excluding the check digit, weights 3, 1, 3, …; the two leading
    // zeros add nothing.
    let Some((&check, body)) = run.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, digit)| if i % 2 == 0 { digit * 3 } else { *digit })
        .sum();
    (10 - sum % 10) % 10 == check
}

fn north_american_phone_at(rest: &[char]) -> bool {
    // (650) 555-1212: three digits in brackets, then seven in groups.
    let shape_ok = rest.len() >= 5
        && rest
            .get(1..4)
            .is_some_and(|area| area.iter().all(char::is_ascii_digit))
        && rest.get(4) == Some(&')');
    if !shape_ok {
        return false;
    }
    digit_groups(rest).is_some_and(|digits| {
        digits.len() == 10
            && phonenumber::parse(None, format!("+1{digits}")).is_ok_and(|number| number.is_valid())
    })
}

/// `text` percent-decoded until nothing changes (at most three times): `%2540` is an `@`
/// encoded twice, as happens when a URL is put into another URL's query.
fn fully_decoded(text: &str) -> String {
    let mut decoded = text.to_owned();
    for _ in 0..3 {
        let next = percent_encoding::percent_decode_str(&decoded)
            .decode_utf8_lossy()
            .into_owned();
        if next == decoded {
            break;
        }
        decoded = next;
    }
    decoded
}

/// Whether a token holds an e-mail address around one of its `@`: the address may be glued
/// to a URL's userinfo (`jane.doe@example.com@shop.example`, `jane.doe@example.com:pw@host`),
/// so each `@` is checked with the text up to the neighbouring `@` or `:`.
fn contains_email(token: &str) -> bool {
    let stop = |c: char| c == '@' || c == ':';
    token.match_indices('@').any(|(at, _)| {
        let before = &token[..at];
        let after = &token[at + 1..];
        let local = before.rsplit(stop).next().unwrap_or(before);
        let domain = after.split(stop).next().unwrap_or(after);
        looks_like_email(&format!(
            "{}@{}",
            local.trim_matches('.'),
            domain.trim_matches('.')
        ))
    })
}

/// Query parameter names that carry personal data, compared without case, `-` or `_`.
const PERSONAL_PARAMETERS: &[&str] = &[
    "email",
    "mail",
    "emailaddress",
    "phone",
    "phonenumber",
    "tel",
    "telephone",
    "mobile",
    "msisdn",
    "firstname",
    "fname",
    "lastname",
    "lname",
    "surname",
    "fullname",
    "dob",
    "birthdate",
    "birthday",
    "dateofbirth",
    "address",
    "street",
    "zip",
    "zipcode",
    "postcode",
    "postalcode",
];

/// The name of the first query parameter of `url` that is named like personal data and has
/// a value.
fn personal_query_parameter(url: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    let query = query.split('#').next().unwrap_or(query);
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, value)| {
            let key: String = key
                .chars()
                .filter(|c| *c != '_' && *c != '-')
                .flat_map(char::to_lowercase)
                .collect();
            PERSONAL_PARAMETERS.contains(&key.as_str()) && !value.trim().is_empty()
        })
        .map(|(key, _)| key.into_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn decimals() {
        assert_eq!(decimal(&json!(59.9)).value.as_deref(), Some("59.9"));
        assert_eq!(decimal(&json!(10)).value.as_deref(), Some("10"));
        assert_eq!(decimal(&json!(" 19.90 ")).value.as_deref(), Some("19.90"));
        let comma = decimal(&json!("19,95"));
        assert_eq!(comma.value.as_deref(), Some("19.95"));
        assert_eq!(comma.findings[0].code, Code::NumberCommaDecimal);
        assert_eq!(
            decimal(&json!("1,234.50")).value.as_deref(),
            Some("1234.50")
        );
        assert_eq!(
            decimal(&json!("1.234,50")).value.as_deref(),
            Some("1234.50")
        );
        assert_eq!(decimal(&json!("abc")).findings[0].code, Code::NumberInvalid);
        assert_eq!(
            decimal(&json!("1e5x")).findings[0].code,
            Code::NumberInvalid
        );
        assert_eq!(decimal(&json!(true)).findings[0].code, Code::NumberInvalid);
        assert_eq!(decimal(&json!(-5)).findings[0].code, Code::NumberNegative);
        assert!(decimal(&json!("-0.00")).findings.is_empty());
    }

    fn sent(raw: &Value) -> Option<String> {
        decimal(raw).value
    }

    fn first_code(raw: &Value) -> Option<Code> {
        decimal(raw).findings.first().map(|f| f.code)
    }

    #[test]
    fn one_comma_before_three_digits_is_ambiguous() {
        for raw in ["1,234", "12,345", "999,999", "-1,234", "+1,234", "1 ,234"] {
            assert_eq!(sent(&json!(raw)), None, "{raw}");
            assert_eq!(
                first_code(&json!(raw)),
                Some(Code::NumberAmbiguous),
                "{raw}"
            );
        }
        let message = &decimal(&json!("1,234")).findings[0].message;
        assert!(
            message.contains("1.234") && message.contains("1234"),
            "{message}"
        );
        // Decimal commas that cannot be thousands separators stay decimal commas.
        for (raw, want) in [
            ("1,23", "1.23"),
            ("19,95", "19.95"),
            ("0,125", "0.125"),
            ("1,2345", "1.2345"),
            ("1234,567", "1234.567"),
            ("1 234,567", "1234.567"),
        ] {
            assert_eq!(sent(&json!(raw)).as_deref(), Some(want), "{raw}");
            assert_eq!(
                first_code(&json!(raw)),
                Some(Code::NumberCommaDecimal),
                "{raw}"
            );
        }
        // Unchanged rules.
        for (raw, want) in [
            ("1,234.56", "1234.56"),
            ("1.234,56", "1234.56"),
            ("1.234", "1.234"),
            ("1,234,567", "1234567"),
            ("1.234.567", "1234567"),
            ("1 234 567", "1234567"),
            ("1'234.50", "1234.50"),
        ] {
            assert_eq!(sent(&json!(raw)).as_deref(), Some(want), "{raw}");
        }
    }

    #[test]
    fn zero_and_bare_points_are_written_plainly() {
        for (raw, want) in [
            (json!("-0"), "0"),
            (json!("-0.00"), "0.00"),
            (json!(-0.0), "0"),
            (json!("-,0"), "0.0"),
            (json!(".5"), "0.5"),
            (json!("5."), "5"),
            (json!("-.5"), "-0.5"),
            (json!(",5"), "0.5"),
            (json!("+5"), "5"),
        ] {
            let result = decimal(&raw);
            assert_eq!(result.value.as_deref(), Some(want), "{raw}");
        }
        assert!(decimal(&json!("-0")).findings.is_empty());
        assert!(decimal(&json!(".5")).findings.is_empty());
        let steps = decimal(&json!(".5")).steps;
        assert_eq!(steps[0].rule, "leading 0 added");
        let steps = decimal(&json!("+5")).steps;
        assert_eq!(steps[0].rule, "remove the + sign");
        assert_eq!(first_code(&json!("-.5")), Some(Code::NumberNegative));
        for raw in [".", "-", "+", "5..", "..5", "5.5.", "--5"] {
            assert_eq!(first_code(&json!(raw)), Some(Code::NumberInvalid), "{raw}");
        }
    }

    #[test]
    fn invalid_numbers_say_what_is_wrong() {
        let message = |raw: &str| decimal(&json!(raw)).findings[0].message.clone();
        for raw in [
            "Infinity",
            "-inf",
            "1e3",
            "1.5E-2",
            "0x1A",
            "59,90 €",
            "EUR 10",
            "$5",
            "thirty",
        ] {
            assert_eq!(first_code(&json!(raw)), Some(Code::NumberInvalid), "{raw}");
        }
        assert!(message("Infinity").contains("not a finite number"));
        assert!(message("1e3").contains("Exponent notation") && message("1e3").contains("1000"));
        assert!(message("0x1A").contains("Hexadecimal"));
        for raw in ["59,90 €", "EUR 10", "$5", "10 zł"] {
            assert!(message(raw).contains("currency sign or code"), "{raw}");
        }
        for raw in ["Infinity", "1e3", "0x1A", "thirty", "12abc"] {
            assert!(
                !message(raw).contains("currency"),
                "{raw}: {}",
                message(raw)
            );
        }
    }

    #[test]
    fn integers_and_booleans() {
        assert_eq!(integer(&json!("2")).value, Some(2));
        assert_eq!(integer(&json!(2.0)).value, Some(2));
        assert_eq!(integer(&json!(2.5)).findings[0].code, Code::IntegerInvalid);
        assert_eq!(boolean(&json!("TRUE")).value, Some(true));
        assert_eq!(boolean(&json!(0)).value, Some(false));
        assert_eq!(
            boolean(&json!("maybe")).findings[0].code,
            Code::BooleanInvalid
        );
    }

    #[test]
    fn languages_become_iso_639_1_codes() {
        for (raw, want, converted) in [
            ("fr", "fr", false),
            ("fr-FR", "fr", true),
            ("en_US.UTF-8", "en", true),
            ("FRA", "fr", true),
            ("ger", "de", true),
            ("deu", "de", true),
            ("French", "fr", true),
            (" EN ", "en", true),
        ] {
            let result = language(&json!(raw));
            assert_eq!(result.value.as_deref(), Some(want), "{raw}");
            assert_eq!(
                result
                    .findings
                    .iter()
                    .any(|f| f.code == Code::LanguageConverted),
                converted,
                "{raw}: {:?}",
                result.findings
            );
        }
        for raw in ["xx", "Klingonese", "12", "haw"] {
            let result = language(&json!(raw));
            assert_eq!(result.value, None, "{raw}");
            assert_eq!(result.findings[0].code, Code::LanguageInvalid, "{raw}");
        }
    }

    #[test]
    fn timestamps_in_every_form() {
        let want = 1_744_955_619;
        for raw in [
            json!(1_744_955_619_974_u64),
            json!("1744955619974"),
            json!(1_744_955_619),
            json!(1_744_955_619.974),
            json!("2025-04-18T07:53:39.974+02:00"),
            json!("2025-04-18T07:53:39+0200"),
            json!("2025-04-18T07:53:39+02"),
            json!("2025-04-18T05:53:39Z"),
            json!("2025-04-18T00:53:39-05:00"),
            json!("2025-04-18T05:53:39.1234567891Z"),
            json!("2025-04-18T07:53:39,974123456789+02:00"),
            json!("2025-04-18 05:53:39.999999999999Z"),
        ] {
            assert_eq!(
                timestamp(&raw).value,
                Some(Timestamp { seconds: want }),
                "{raw}"
            );
        }
        for zoned in [
            "2025-04-18T07:53:39[Europe/Paris]",
            "2025-04-18T07:53:39+02:00[Europe/Paris]",
            "2025-04-18T01:53:39[America/New_York]",
            "2025-04-18T05:53:39[UTC]",
            "2025-04-18T07:53:39[!Europe/Paris]",
            "2025-04-18T07:53:39[+02:00]",
        ] {
            let result = timestamp(&json!(zoned));
            assert_eq!(result.value, Some(Timestamp { seconds: want }), "{zoned}");
            assert!(result.findings.is_empty(), "{zoned}: {:?}", result.findings);
        }
        let paris = timestamp(&json!("2025-04-18T07:53:39[Europe/Paris]"));
        assert!(
            paris.steps[0].rule.contains("Europe/Paris"),
            "{:?}",
            paris.steps
        );
        for beyond in [
            "2025-04-18T05:59:00+24:00",
            "2025-04-18T05:59:00-1300",
            "2025-04-18 05:59:00+15",
        ] {
            let result = timestamp(&json!(beyond));
            assert_eq!(result.value, None, "{beyond}");
            assert_eq!(result.findings[0].code, Code::EventTimeInvalid, "{beyond}");
        }
        assert_eq!(
            timestamp(&json!("2025-04-18T19:53:39+14:00")).value,
            Some(Timestamp { seconds: want })
        );
        for unknown in [
            "2025-04-18T07:53:39[Mars/Olympus]",
            "2025-04-18T07:53:39+02:00[Europe/Pariss]",
        ] {
            let result = timestamp(&json!(unknown));
            assert_eq!(result.value, None, "{unknown}");
            assert_eq!(result.findings[0].code, Code::EventTimeInvalid);
            assert!(
                result.findings[0]
                    .message
                    .contains("not in the time zone database"),
                "{}",
                result.findings[0].message
            );
        }
        let no_offset = timestamp(&json!("2025-04-18T05:53:39"));
        assert_eq!(no_offset.value, Some(Timestamp { seconds: want }));
        assert_eq!(no_offset.findings[0].code, Code::EventTimeNoOffset);
        let micros = timestamp(&json!(1_744_955_619_974_000_u64));
        assert_eq!(micros.value, Some(Timestamp { seconds: want }));
        assert_eq!(micros.findings[0].code, Code::EventTimeUnitAmbiguous);
        assert_eq!(
            timestamp(&json!("yesterday")).findings[0].code,
            Code::EventTimeInvalid
        );
    }

    #[test]
    fn currencies() {
        assert_eq!(currency("eur").value.as_deref(), Some("EUR"));
        assert_eq!(currency("eur").findings[0].code, Code::CurrencyUpperCased);
        assert!(currency("EUR").findings.is_empty());
        assert_eq!(currency("EURO").findings[0].code, Code::CurrencyInvalid);
    }

    #[test]
    fn ip_addresses() {
        assert_eq!(
            ip_address("203.0.113.7").value.as_deref(),
            Some("203.0.113.7")
        );
        assert!(ip_address("203.0.113.7").findings.is_empty());
        let chain = ip_address("10.0.0.1, 203.0.113.7, 198.51.100.2");
        assert_eq!(chain.value.as_deref(), Some("203.0.113.7"));
        assert_eq!(chain.findings[0].code, Code::IpProxyChain);
        assert_eq!(
            ip_address("203.0.113.7:8080").value.as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            ip_address("[2001:db8::1]:443").value.as_deref(),
            Some("2001:db8::1")
        );
        let private = ip_address("192.168.1.20");
        assert_eq!(private.value, None);
        assert_eq!(private.findings[0].code, Code::IpNotPublic);
        assert_eq!(ip_address("::1").findings[0].code, Code::IpNotPublic);
        assert_eq!(ip_address("203.0.113.0").findings[0].code, Code::IpMasked);
        assert_eq!(ip_address("not an ip").findings[0].code, Code::IpInvalid);
        assert_eq!(
            ip_address("::ffff:203.0.113.9").value.as_deref(),
            Some("203.0.113.9")
        );
    }

    #[test]
    fn non_text_action_sources_are_invalid() {
        for raw in [json!(1), json!(true), json!({"web": true})] {
            let result = action_source_value(&raw);
            assert_eq!(result.value, None, "{raw}");
            assert_eq!(result.findings[0].code, Code::ActionSourceInvalid, "{raw}");
        }
        assert_eq!(
            action_source_value(&json!(" Web ")).value.as_deref(),
            Some("web")
        );
    }

    #[test]
    fn non_text_currencies_are_checked() {
        for raw in [json!(978), json!(true), json!(12.5), json!(0)] {
            let result = currency_value(&raw);
            let codes: Vec<Code> = result.findings.iter().map(|f| f.code).collect();
            assert_eq!(codes, [Code::CurrencyInvalid], "{raw}");
        }
        assert!(
            currency_value(&json!(978)).findings[0]
                .message
                .contains("numeric code of EUR")
        );
        assert_eq!(
            currency_value(&json!(["EUR"])).findings[0].code,
            Code::ValueWrongType
        );
        let text = currency_value(&json!("eur"));
        assert_eq!(text.value.as_deref(), Some("EUR"));
    }

    #[test]
    fn ip_chains_skip_parts_that_are_not_addresses() {
        for chain in [
            "unknown, 203.0.113.7",
            "-, 203.0.113.7",
            ", 203.0.113.7",
            "unknown,10.0.0.1, 203.0.113.7",
        ] {
            let result = ip_address(chain);
            assert_eq!(result.value.as_deref(), Some("203.0.113.7"), "{chain}");
            assert_eq!(result.findings.len(), 1, "{chain}: {:?}", result.findings);
            assert_eq!(result.findings[0].code, Code::IpProxyChain);
            assert!(
                result.findings[0]
                    .message
                    .contains("skipped: not an address"),
                "{}",
                result.findings[0].message
            );
        }
        for single in ["unknown", "-", "unknown, -", "300.1.2.3"] {
            let result = ip_address(single);
            assert_eq!(result.value, None, "{single}");
            assert_eq!(result.findings[0].code, Code::IpInvalid, "{single}");
        }
    }

    #[test]
    fn non_text_ips_are_invalid() {
        for raw in [
            json!(3_405_803_783_u64),
            json!(true),
            json!(1.5),
            json!(["203.0.113.7"]),
        ] {
            let result = ip_address_value(&raw);
            assert_eq!(result.value, None, "{raw}");
            assert_eq!(result.findings[0].code, Code::IpInvalid, "{raw}");
        }
        assert_eq!(
            ip_address_value(&json!("203.0.113.7")).value.as_deref(),
            Some("203.0.113.7")
        );
    }

    #[test]
    fn reserved_ranges_are_not_the_visitor() {
        for reserved in [
            "240.0.0.1",
            "250.1.2.3",
            "255.255.255.255",
            "198.18.0.1",
            "198.19.255.254",
            "192.0.0.1",
            "100.64.0.1",
            "0.1.2.3",
            "224.0.0.1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:2::1",
            "2002:cb00:7107::1",
            "5f00::1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
        ] {
            let result = ip_address(reserved);
            assert_eq!(result.value, None, "{reserved}");
            assert_eq!(result.findings[0].code, Code::IpNotPublic, "{reserved}");
        }
        // Documentation blocks stay public: tests and examples use them.
        for public in [
            "203.0.113.7",
            "198.51.100.2",
            "192.0.2.1",
            "198.20.0.1",
            "2001:db8::1",
            "2001:1::1",
            "2001:20::1",
            "2606:4700::1111",
            "8.8.8.8",
        ] {
            let result = ip_address(public);
            assert_eq!(result.value.as_deref(), Some(public), "{public}");
            assert!(
                result.findings.is_empty(),
                "{public}: {:?}",
                result.findings
            );
        }
        assert!(
            ip_address("198.18.0.1").findings[0]
                .message
                .contains("benchmarking")
        );
    }

    #[test]
    fn action_sources() {
        assert!(action_source("web").findings.is_empty());
        assert_eq!(
            action_source("website").findings[0].code,
            Code::ActionSourceInvalid
        );
        let app = json!({"context": {"app": {"name": "x"}, "device": {"os": {"name": "Android"}}}});
        assert_eq!(derive_action_source(&app).0, "app_android");
        let ios = json!({"context": {"app": {"name": "x"}, "device": {"os": {"name": "iOS"}}}});
        assert_eq!(derive_action_source(&ios).0, "app_ios");
        assert_eq!(derive_action_source(&json!({})).0, "web");
    }

    #[test]
    fn personal_data_detection() {
        assert_eq!(
            personal_data_in("https://x.io/a?email=jane.doe%40example.com&b=1").as_deref(),
            Some("an e-mail address")
        );
        assert_eq!(
            personal_data_in("jane.doe@example.com").as_deref(),
            Some("an e-mail address")
        );
        assert_eq!(
            personal_data_in("call +33 6 55 50 12 34").as_deref(),
            Some("a phone number")
        );
        assert!(
            personal_data_in("https://x.io/c?Last_Name=Doe&tel=0655501234")
                .is_some_and(|what| what.contains("Last_Name"))
        );
        for hidden in [
            "https://x.io/a?next=%2Fthanks%3Fu%3Djane.doe%2540example.com",
            "https://x.io/a?u=jane.doe%252540example.com",
            "https://jane.doe@example.com@shop.example/thanks",
            "https://jane.doe%40example.com:secret@shop.example/",
            "https://jane.doe@example.com:secret@shop.example/",
        ] {
            assert_eq!(
                personal_data_in(hidden).as_deref(),
                Some("an e-mail address"),
                "{hidden}"
            );
        }
        assert_eq!(personal_data_in("https://medium.com/@shop/post-1"), None);
        assert_eq!(personal_data_in("https://x.io/100%25-cotton"), None);
        assert_eq!(personal_data_in("https://x.io/c?email=&ref=1"), None);
        assert_eq!(personal_data_in("https://x.io/p/42?utm_source=pin"), None);
        assert_eq!(personal_data_in("summer dresses"), None);
    }

    #[test]
    fn phones_in_clear_text_are_found_by_their_international_form() {
        for phone in [
            "call +33 6 55 50 12 34",
            "0033 6 55 50 12 34",
            "tel:+1-650-555-1212",
            "https://x.io/c?q=call+%2B33+6+55+50+12+34",
            "(650) 555-1212",
            "ring (650)555-1212 today",
            "00 44 20 7946 0018",
            "+33\u{a0}6\u{a0}55\u{a0}50\u{a0}12\u{a0}34",
        ] {
            assert_eq!(
                personal_data_in(phone).as_deref(),
                Some("a phone number"),
                "{phone}"
            );
        }
        for not_phone in [
            "v1.2.3+20240101",
            "2024-05-01 12:30:45",
            "2024-05-01T12:30:45+0200",
            "2024-05-01 00:30:00",
            "(123) 456-7890",
            "order 0033612345678A",
            "+12",
            "size 00",
            "gtin 0012345678905",
            "https://shop.example/p?ean=00036000291452",
        ] {
            assert_eq!(personal_data_in(not_phone), None, "{not_phone}");
        }
    }
}
