//! Normalization: turning a raw source value into exactly what Pinterest should receive.
//!
//! Every function here returns the value and the [`Step`]s that produced it, so that the trace
//! can show raw → each rule → sent, and [`Finding`]s (a diagnostic without its field, which the
//! caller knows). Nothing here guesses silently: when a rule cannot decide (a national phone
//! number without a country, a date that reads both ways) the value is dropped and a finding
//! says why.

mod identity;
mod values;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization as _;

pub use identity::{birthdate, city, country, gender, phone, state, zip};
pub use values::{
    Timestamp, action_source, action_source_value, boolean, currency, currency_value, decimal,
    derive_action_source, integer, ip_address, ip_address_value, language, personal_data_in, text,
    timestamp,
};

use super::diagnostics::Code;
use super::fields::HashedField;
use super::hash::{DigestShape, digest_shape, sha256_hex};

/// One rule applied to a value, and the value after it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// The rule, in a few words: `trim`, `lower-case`, `E.164 without +`.
    pub rule: String,

    /// The value after the rule.
    pub value: String,
}

impl Step {
    /// A step.
    pub fn new(rule: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            rule: rule.into(),
            value: value.into(),
        }
    }
}

/// A diagnostic without its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What kind of problem.
    pub code: Code,

    /// What happened, for people.
    pub message: String,
}

impl Finding {
    /// A finding.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The outcome of normalizing one value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized<T> {
    /// The value to send, or `None` when it is dropped.
    pub value: Option<T>,

    /// The rules applied, in order.
    pub steps: Vec<Step>,

    /// Problems found on the way.
    pub findings: Vec<Finding>,
}

impl<T> Normalized<T> {
    /// A value with its steps.
    pub fn ok(value: T, steps: Vec<Step>) -> Self {
        Self {
            value: Some(value),
            steps,
            findings: Vec::new(),
        }
    }

    /// A dropped value.
    pub fn dropped(steps: Vec<Step>, finding: Finding) -> Self {
        Self {
            value: None,
            steps,
            findings: vec![finding],
        }
    }

    /// Adds a finding.
    #[must_use]
    pub fn with(mut self, finding: Finding) -> Self {
        self.findings.push(finding);
        self
    }
}

/// Settings that change normalization.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// ISO 3166-1 alpha-2 region for national phone numbers.
    pub default_phone_country: Option<String>,

    /// Strip diacritics from first and last names.
    pub strip_name_diacritics: bool,

    /// The inspection clock (Unix seconds, `--now`), when known: a birth date after it is
    /// impossible. `None` (the hash checker) only refuses years after 2100.
    pub now: Option<i64>,
}

/// A hashed field's result: the normalized text (unless passed through) and the digest sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashedValue {
    /// The normalized clear text that was hashed; `None` for a value that was already a digest.
    pub normalized: Option<String>,

    /// Lower-case hex SHA-256.
    pub sha256: String,
}

/// Whether a raw JSON value counts as missing: `null`, empty or blank-free placeholders such
/// as `"undefined"`, `"null"` and `"NaN"`, and empty arrays and objects. Whitespace-only text
/// is *not* missing: it is a value that normalizes to nothing, which deserves a warning.
pub fn is_missing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => is_placeholder(text),
        Value::Array(elements) => elements.iter().all(is_missing),
        Value::Object(map) => map.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Whether a value that is there holds nothing usable: text without a letter or digit once
/// invisible characters are gone (`"  "`, `" - "`, `"\u{feff}"`), or the SHA-256 of the empty
/// string. Such a value gives way to the next source of its field.
pub fn is_blank(value: &Value) -> bool {
    match value {
        // Invisible characters are not letters or digits, so the text can be tested as it
        // is; only a digest needs them gone first. This runs for every source value.
        Value::String(text) => {
            !text.chars().any(char::is_alphanumeric)
                || (text.len() >= EMPTY_SHA256.len()
                    && without_invisible(text)
                        .trim()
                        .eq_ignore_ascii_case(EMPTY_SHA256))
        }
        // A list of blanks (`["  "]`) is no more a value than one blank.
        Value::Array(elements) => elements.iter().all(|e| is_missing(e) || is_blank(e)),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_) => false,
    }
}

fn is_placeholder(text: &str) -> bool {
    text.is_empty()
        || ["undefined", "null", "nan"]
            .iter()
            .any(|word| text.trim().eq_ignore_ascii_case(word))
}

/// Lower-case hex SHA-256 of the empty string: never sent, because it means "no value".
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Normalizes and hashes one value of a hashed field. `source_is_sha256` is true when the
/// value came from a `*_sha256` source, which must hold a digest.
///
/// The order of the rules matters and is the same for every field:
/// 1. a value without a single letter or digit (`"+++"`, `"  "`, `" - "`) normalizes to
///    nothing, whatever the source (a `*_sha256` source holding spaces holds no value, not a
///    bad digest);
/// 2. an all-zero advertising id is dropped (before the digest test: 32 zeros are not an MD5);
/// 3. a value that is already a digest: SHA-256 passes through lower-cased; 32 hex characters
///    in `external_id` and `hashed_maids` from a clear source are ids (a UUID or advertising
///    id without hyphens), elsewhere an MD5; 40 hex characters are a SHA-1 everywhere; MD5
///    and SHA-1 are errors, and anything else from a `*_sha256` source is an error;
/// 4. the field's own normalization, then SHA-256 of the UTF-8 bytes.
pub fn hashed(
    field: HashedField,
    raw: &str,
    source_is_sha256: bool,
    options: &Options,
) -> Normalized<HashedValue> {
    let mut steps = Vec::new();
    let visible = apply(&mut steps, raw, INVISIBLE_RULE, without_invisible);
    let mut result = hashed_visible(field, raw, &visible, source_is_sha256, options);
    steps.append(&mut result.steps);
    result.steps = steps;
    result
}

/// The step that removes characters nobody sees.
const INVISIBLE_RULE: &str = "remove invisible characters (BOM, zero-width, direction marks)";

/// `text` without the characters that copy-paste and CMS exports leave behind and nobody
/// sees: the BOM, zero-width space, word joiner, soft hyphen and bidirectional marks anywhere;
/// zero-width (non-)joiners unless they sit inside a word, where they shape Persian and Indic
/// names. `trim` keeps them all, so without this an e-mail that looks clean hashes to a value
/// that never matches.
pub fn without_invisible(text: &str) -> String {
    let always = |c: char| {
        matches!(
            c,
            '\u{feff}'
                | '\u{200b}'
                | '\u{2060}'
                | '\u{00ad}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
    };
    let chars: Vec<char> = text.chars().collect();
    // Joiners shape letters of scripts such as Persian, Arabic and the Indic ones; between
    // digits or Latin letters they shape nothing.
    let word_char = |i: Option<usize>| {
        i.and_then(|i| chars.get(i)).is_some_and(|&c| {
            (c.is_alphabetic() && !c.is_ascii())
                || unicode_normalization::char::is_combining_mark(c)
        })
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let joiner = matches!(c, '\u{200c}' | '\u{200d}');
            !always(c) && !(joiner && !(word_char(i.checked_sub(1)) && word_char(Some(i + 1))))
        })
        .map(|(_, &c)| c)
        .collect()
}

/// The hashing rules of [`hashed`] on `visible` (`raw` without invisible characters); `raw`
/// is only quoted in messages.
fn hashed_visible(
    field: HashedField,
    raw: &str,
    visible: &str,
    source_is_sha256: bool,
    options: &Options,
) -> Normalized<HashedValue> {
    let trimmed = visible.trim();

    if !visible.chars().any(char::is_alphanumeric) {
        return Normalized::dropped(Vec::new(), empty_finding(raw));
    }

    if field == HashedField::HashedMaids && is_zero_id(trimmed) {
        return Normalized::dropped(Vec::new(), zero_maid_finding(raw));
    }

    let mut clear_steps = Vec::new();
    match digest_shape(trimmed) {
        DigestShape::Sha256 => return prehashed(field, raw, trimmed),
        DigestShape::Md5
            if matches!(field, HashedField::ExternalId | HashedField::HashedMaids)
                && !source_is_sha256 =>
        {
            // 32 hex digits in an id field are a UUID (or an IDFA/GAID) without hyphens.
            clear_steps.push(Step::new(
                "32 hex characters read as an id without hyphens, not as an MD5 digest",
                trimmed,
            ));
        }
        shape @ (DigestShape::Md5 | DigestShape::Sha1) => {
            let name = if shape == DigestShape::Md5 {
                "an MD5"
            } else {
                "a SHA-1"
            };
            return Normalized::dropped(
                Vec::new(),
                Finding::new(
                    Code::HashWeakDigest,
                    format!(
                        "{} is {} hex characters, the length of {name} digest; Pinterest needs the SHA-256 of the normalized clear value, so it is not sent. Send the clear value (pinspect hashes it) or its SHA-256",
                        describe_text(raw),
                        trimmed.len()
                    ),
                ),
            );
        }
        DigestShape::NotADigest if source_is_sha256 => {
            return Normalized::dropped(
                Vec::new(),
                Finding::new(
                    Code::HashInvalidPrehashed,
                    format!(
                        "the source is named *_sha256 but holds {}, not 64 hex characters; not sent. Put the clear value in the clear source, or a real SHA-256 here",
                        describe_text(raw)
                    ),
                ),
            );
        }
        DigestShape::NotADigest => {}
    }

    let Normalized {
        value,
        steps,
        mut findings,
    } = normalize_clear(field, visible, options);
    clear_steps.extend(steps);
    let mut steps = clear_steps;
    let Some(text) = value else {
        return Normalized {
            value: None,
            steps,
            findings,
        };
    };
    if text.is_empty() {
        findings.push(empty_finding(raw));
        return Normalized {
            value: None,
            steps,
            findings,
        };
    }

    let sha256 = sha256_hex(&text);
    steps.push(Step::new("SHA-256", sha256.clone()));
    Normalized {
        value: Some(HashedValue {
            normalized: Some(text),
            sha256,
        }),
        steps,
        findings,
    }
}

/// A 64-hex value: passed through lower-cased, unless it is the digest of nothing.
fn prehashed(field: HashedField, raw: &str, trimmed: &str) -> Normalized<HashedValue> {
    let lower = trimmed.to_ascii_lowercase();
    let mut steps = vec![Step::new("already SHA-256: passed through", trimmed)];
    if lower != trimmed {
        steps.push(Step::new("lower-case hex", lower.clone()));
    }
    if lower == EMPTY_SHA256 {
        return Normalized::dropped(
            steps,
            Finding::new(
                Code::NormalizeEmpty,
                "this is the SHA-256 of an empty string, i.e. of no value; the field is dropped. Fix the setup that hashes missing values",
            ),
        );
    }
    if field == HashedField::HashedMaids && ZERO_MAID_SHA256.contains(&lower.as_str()) {
        return Normalized::dropped(steps, zero_maid_finding(raw));
    }
    Normalized::ok(
        HashedValue {
            normalized: None,
            sha256: lower,
        },
        steps,
    )
    .with(Finding::new(
        Code::HashPrehashed,
        "already a SHA-256, sent lower-cased and not hashed again; pinspect cannot check how the value was normalized before hashing (compare with `pinspect hash`)",
    ))
}

fn empty_finding(raw: &str) -> Finding {
    Finding::new(
        Code::NormalizeEmpty,
        format!(
            "{} normalizes to nothing (no letter or digit left); the field is dropped rather than sending the SHA-256 of an empty string",
            describe_text(raw)
        ),
    )
}

fn zero_maid_finding(raw: &str) -> Finding {
    Finding::new(
        Code::MaidZero,
        format!(
            "the advertising id {} is all zeros (ad tracking limited, or a simulator), or the SHA-256 of that; not sent, and it does not count for the identity rule",
            describe_text(raw)
        ),
    )
}

/// `00000000-0000-0000-0000-000000000000` and other spellings of "no advertising id": without
/// hyphens, in braces (`{00000000-…}`).
fn is_zero_id(text: &str) -> bool {
    text.chars().any(|c| c == '0') && text.chars().all(|c| matches!(c, '0' | '-' | '{' | '}'))
}

/// SHA-256 of the all-zero IDFA/GAID, with and without hyphens (a setup that hashes it sends
/// this).
const ZERO_MAID_SHA256: [&str; 2] = [
    // printf '%s' '00000000-0000-0000-0000-000000000000' | sha256sum
    "12b9377cbe7e5c94e8a70d9d23929523d14afa954793130f8a3959c7b849aca8",
    // printf '%s' '00000000000000000000000000000000' | sha256sum
    "84e0c0eafaa95a34c293f278ac52e45ce537bab5e752a00e6959a13ae103b65a",
];

/// The clear-text normalization of a hashed field, without hashing.
pub fn normalize_clear(field: HashedField, raw: &str, options: &Options) -> Normalized<String> {
    match field {
        HashedField::Em => email(raw),
        HashedField::Ph => phone(raw, options.default_phone_country.as_deref()),
        HashedField::Ge => gender(raw),
        HashedField::Db => birthdate(raw, options.now),
        HashedField::Fn | HashedField::Ln => name(raw, options.strip_name_diacritics),
        HashedField::Ct => city(raw),
        HashedField::St => state(raw),
        HashedField::Zp => zip(raw),
        HashedField::Country => country(raw),
        HashedField::ExternalId => external_id(raw),
        HashedField::HashedMaids => maid(raw),
    }
}

/// Applies `rule` and records a step only when it changed the value.
fn apply(steps: &mut Vec<Step>, value: &str, rule: &str, f: impl FnOnce(&str) -> String) -> String {
    let next = f(value);
    if next != value {
        steps.push(Step::new(rule, next.clone()));
    }
    next
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

fn email(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    // Two wrappers that CRMs and forms leave around an address, both unambiguous: a display
    // name with the address in angle brackets (one pair only: two addresses are not one),
    // and a mailto: link, whose address is percent-encoded (RFC 6068).
    let value = apply(
        &mut steps,
        &value,
        "take the address between < and >",
        |v| {
            let single = v.matches('<').count() == 1 && v.matches('>').count() == 1;
            match (v.find('<'), v.strip_suffix('>')) {
                (Some(open), Some(inner)) if single && open < inner.len() => {
                    inner[open + 1..].trim().to_owned()
                }
                _ => v.to_owned(),
            }
        },
    );
    let value = apply(
        &mut steps,
        &value,
        "remove mailto: and decode its %-escapes",
        |v| match v.get(..7) {
            Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => {
                let address = v[7..]
                    .trim_start_matches('/')
                    .split('?')
                    .next()
                    .unwrap_or_default();
                percent_encoding::percent_decode_str(address)
                    .decode_utf8_lossy()
                    .trim()
                    .to_owned()
            }
            _ => v.to_owned(),
        },
    );
    let value = lower_nfc(&mut steps, &value);
    let mut result = Normalized::ok(value.clone(), steps);
    if !value.is_empty() && !looks_like_email(&value) {
        result = result.with(Finding::new(
            Code::EmailInvalid,
            format!(
                "{} is not an e-mail address (one @, a dotted domain, no spaces); it is hashed anyway but will not match. Check which source is mapped to em",
                describe_text(raw)
            ),
        ));
    }
    result
}

/// Unicode NFC, then lower-case (re-composed if lower-casing decomposed something), so the
/// result is the same whether the source was NFC or NFD.
fn lower_nfc(steps: &mut Vec<Step>, value: &str) -> String {
    let value = apply(steps, value, "Unicode NFC", nfc);
    let value = apply(steps, &value, "lower-case", str::to_lowercase);
    apply(steps, &value, "Unicode NFC", nfc)
}

/// A pragmatic e-mail check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ','))
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

fn name(raw: &str, strip_diacritics: bool) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    let value = lower_nfc(&mut steps, &value);
    let value = if strip_diacritics {
        apply(&mut steps, &value, "strip diacritics (setting)", |v| {
            v.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .nfc()
                .collect()
        })
    } else {
        value
    };
    Normalized::ok(value, steps)
}

fn external_id(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    Normalized::ok(value, steps)
}

fn maid(raw: &str) -> Normalized<String> {
    let mut steps = Vec::new();
    let value = apply(&mut steps, raw, "trim", |v| v.trim().to_owned());
    // Windows-style GUID braces are not part of the id the apps report.
    let value = apply(&mut steps, &value, "remove braces", |v| {
        v.strip_prefix('{')
            .and_then(|inner| inner.strip_suffix('}'))
            .map_or_else(|| v.to_owned(), |inner| inner.trim().to_owned())
    });
    let value = apply(&mut steps, &value, "lower-case", str::to_lowercase);
    if is_zero_id(&value) {
        return Normalized::dropped(steps, zero_maid_finding(raw));
    }
    Normalized::ok(value, steps)
}

/// A short description of any JSON value for messages: `the boolean true`, `a list [...]`.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => describe_text(text),
        Value::Array(_) => format!("a list {}", super::schema::excerpt(value)),
        Value::Object(_) => format!("an object {}", super::schema::excerpt(value)),
    }
}

/// A short description of a text for messages, without echoing long personal data.
pub fn describe_text(text: &str) -> String {
    let length = text.chars().count();
    if length > 24 {
        let head: String = text.chars().take(12).collect();
        format!("{head:?}… ({length} characters)")
    } else {
        format!("{text:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(field: HashedField, raw: &str) -> Option<String> {
        hashed(field, raw, false, &Options::default())
            .value
            .map(|v| v.sha256)
    }

    #[test]
    fn invisible_characters_are_removed_before_anything_else() {
        // printf '%s' 'jane@example.com' | sha256sum
        let clean = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d";
        for raw in [
            "\u{feff}jane@example.com\u{200b}",
            " \u{200e}Jane@Example.com\u{2060} ",
            "jane\u{00ad}@example.com\u{200d}",
        ] {
            let result = hashed(HashedField::Em, raw, false, &Options::default());
            assert_eq!(
                result.value.map(|v| v.sha256).as_deref(),
                Some(clean),
                "{raw:?}"
            );
            assert_eq!(result.steps[0].rule, INVISIBLE_RULE, "{raw:?}");
            assert!(result.findings.is_empty(), "{raw:?}: {:?}", result.findings);
        }
        // A digest behind a BOM is still a digest, not hashed again.
        let prehashed = hashed(
            HashedField::Em,
            &format!("\u{feff}{clean}"),
            false,
            &Options::default(),
        );
        assert_eq!(prehashed.value.map(|v| v.sha256).as_deref(), Some(clean));
        // Joiners inside a word shape it and stay; plain values get no extra step.
        assert_eq!(without_invisible("می\u{200c}خواهم"), "می\u{200c}خواهم");
        assert_eq!(without_invisible("\u{200c}x"), "x");
        assert_eq!(without_invisible("940\u{200d}25"), "94025");
        assert_eq!(without_invisible("ja\u{200c}ne"), "jane");
        assert!(is_blank(&serde_json::json!(["  ", ""])));
        assert!(!is_blank(&serde_json::json!(["  ", "x"])));
        let plain = hashed(
            HashedField::Em,
            "jane@example.com",
            false,
            &Options::default(),
        );
        assert!(plain.steps.iter().all(|step| step.rule != INVISIBLE_RULE));
    }

    #[test]
    fn advertising_ids_lose_guid_braces() {
        // printf '%s' '38400000-8cf0-11bd-b23e-10b96e40000d' | sha256sum
        assert_eq!(
            hash(
                HashedField::HashedMaids,
                "{38400000-8CF0-11BD-B23E-10B96E40000D}"
            )
            .as_deref(),
            Some("d4181bb455a74b3bc8b37c75ac9b2c702eb6b9930bd040b861403b31ca85634d")
        );
    }

    #[test]
    fn mailto_links_and_display_names_give_their_address() {
        // printf '%s' 'jane.doe@example.com' | sha256sum
        let want = "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d";
        for raw in [
            "mailto:Jane.Doe@Example.com",
            "MAILTO:jane.doe@example.com?subject=Hi",
            "Jane Doe <Jane.Doe@Example.com>",
            "\"Doe, Jane\" <jane.doe@example.com>",
            "<mailto:Jane.Doe@Example.com>",
            "mailto://jane.doe@example.com",
            "mailto:jane%2Edoe@example.com",
        ] {
            let result = hashed(HashedField::Em, raw, false, &Options::default());
            assert_eq!(
                result.value.map(|v| v.sha256).as_deref(),
                Some(want),
                "{raw}"
            );
            assert!(result.findings.is_empty(), "{raw}: {:?}", result.findings);
        }
        // Two addresses are not one: warned, not silently the last.
        let two = hashed(
            HashedField::Em,
            "Jane <jane@x.io>, Joe <joe@x.io>",
            false,
            &Options::default(),
        );
        assert_eq!(two.findings[0].code, Code::EmailInvalid);
        let controlled = hashed(
            HashedField::Em,
            "\u{1b}[31mjane@x.io\u{7}",
            false,
            &Options::default(),
        );
        assert_eq!(controlled.findings[0].code, Code::EmailInvalid);
    }

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        // printf '%s' 'jane.doe@example.com' | sha256sum
        assert_eq!(
            hash(HashedField::Em, "  Jane.Doe@Example.COM ").as_deref(),
            Some("86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d")
        );
        let result = hashed(HashedField::Em, " Jane@x.io", false, &Options::default());
        let rules: Vec<&str> = result.steps.iter().map(|s| s.rule.as_str()).collect();
        assert_eq!(rules, ["trim", "lower-case", "SHA-256"]);
    }

    #[test]
    fn prehashed_values_pass_through_lower_cased() {
        let upper = "86E0B9E56C17CC4D12387E1949B85053FBE73BC3CE5A1188713A9D300CC6133D";
        let result = hashed(HashedField::Em, upper, true, &Options::default());
        assert_eq!(result.value.unwrap().sha256, upper.to_ascii_lowercase());
        assert_eq!(result.findings[0].code, Code::HashPrehashed);
    }

    #[test]
    fn weak_digests_and_junk_in_sha256_sources_are_errors() {
        let md5 = hashed(HashedField::Em, &"a".repeat(32), false, &Options::default());
        assert!(md5.value.is_none());
        assert_eq!(md5.findings[0].code, Code::HashWeakDigest);
        let junk = hashed(
            HashedField::Em,
            "jane@example.com",
            true,
            &Options::default(),
        );
        assert!(junk.value.is_none());
        assert_eq!(junk.findings[0].code, Code::HashInvalidPrehashed);
    }

    #[test]
    fn blank_values_are_dropped_not_hashed() {
        let result = hashed(HashedField::Fn, "   ", false, &Options::default());
        assert!(result.value.is_none());
        assert_eq!(result.findings[0].code, Code::NormalizeEmpty);
    }

    #[test]
    fn placeholders_are_missing() {
        for value in [
            Value::Null,
            Value::from(""),
            Value::from("undefined"),
            Value::from("NaN"),
            Value::from("null"),
            serde_json::json!([]),
        ] {
            assert!(is_missing(&value), "{value}");
        }
        assert!(!is_missing(&Value::from("  ")));
        // PRODUCT.md §5 lists the placeholders; "None" can be a real surname.
        assert!(!is_missing(&Value::from("None")));
        assert!(!is_missing(&Value::from(0)));
    }

    #[test]
    fn names_keep_diacritics_unless_asked() {
        let decomposed = "Ze\u{301}phyr ";
        let kept = normalize_clear(HashedField::Fn, decomposed, &Options::default());
        assert_eq!(kept.value.as_deref(), Some("z\u{e9}phyr"));
        let options = Options {
            strip_name_diacritics: true,
            ..Options::default()
        };
        let stripped = normalize_clear(HashedField::Fn, decomposed, &options);
        assert_eq!(stripped.value.as_deref(), Some("zephyr"));
    }

    #[test]
    fn blank_sha256_sources_are_empty_not_bad_digests() {
        for raw in ["  ", "+++", " - ", "\u{a0}"] {
            for field in [HashedField::Em, HashedField::Ph, HashedField::HashedMaids] {
                let result = hashed(field, raw, true, &Options::default());
                assert!(result.value.is_none(), "{raw:?}");
                let codes: Vec<Code> = result.findings.iter().map(|f| f.code).collect();
                assert_eq!(codes, [Code::NormalizeEmpty], "{raw:?} {field:?}");
                let quoted = format!("{raw:?}");
                assert!(
                    result.findings[0].message.starts_with(&quoted),
                    "{raw:?}: {}",
                    result.findings[0].message
                );
            }
        }
        let junk = hashed(HashedField::Em, " jane@x.io ", true, &Options::default());
        assert_eq!(junk.findings[0].code, Code::HashInvalidPrehashed);
        assert!(junk.findings[0].message.contains("\" jane@x.io \""));
    }

    #[test]
    fn hex_ids_are_ids_and_sha1_lengths_are_weak_digests() {
        let uuid = "0123456789ABCDEF0123456789ABCDEF";
        // printf '%s' '0123456789ABCDEF0123456789ABCDEF' | sha256sum
        assert_eq!(
            hash(HashedField::ExternalId, uuid).as_deref(),
            Some("cd6c1f7d1dc6717d6371d2647910ca71ba3bf0b611083d322466b8843b4285b6")
        );
        // printf '%s' '0123456789abcdef0123456789abcdef' | sha256sum
        assert_eq!(
            hash(HashedField::HashedMaids, uuid).as_deref(),
            Some("3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9")
        );
        for field in [HashedField::ExternalId, HashedField::HashedMaids] {
            let result = hashed(field, uuid, false, &Options::default());
            assert!(
                result.findings.is_empty(),
                "{field:?}: {:?}",
                result.findings
            );
            let sha1 = hashed(field, &"ab12".repeat(10), false, &Options::default());
            assert!(sha1.value.is_none(), "{field:?}");
            assert_eq!(sha1.findings[0].code, Code::HashWeakDigest, "{field:?}");
            // A *_sha256 source claims a digest: 32 hex there is an MD5.
            let md5 = hashed(field, uuid, true, &Options::default());
            assert_eq!(md5.findings[0].code, Code::HashWeakDigest, "{field:?}");
        }
        // Other fields: 32 hex is an MD5.
        assert_eq!(
            hashed(HashedField::Em, uuid, false, &Options::default()).findings[0].code,
            Code::HashWeakDigest
        );
        // 64 hex passes through everywhere.
        let digest = "a".repeat(64);
        for field in [
            HashedField::ExternalId,
            HashedField::HashedMaids,
            HashedField::Em,
        ] {
            let result = hashed(field, &digest, false, &Options::default());
            assert_eq!(result.value.map(|v| v.sha256), Some(digest.clone()));
        }
    }

    #[test]
    fn every_spelling_of_the_zero_advertising_id_is_dropped() {
        for raw in [
            "00000000-0000-0000-0000-000000000000",
            "00000000000000000000000000000000",
            "{00000000-0000-0000-0000-000000000000}",
            " {00000000000000000000000000000000} ",
            "12b9377cbe7e5c94e8a70d9d23929523d14afa954793130f8a3959c7b849aca8",
            "12B9377CBE7E5C94E8A70D9D23929523D14AFA954793130F8A3959C7B849ACA8",
            "84e0c0eafaa95a34c293f278ac52e45ce537bab5e752a00e6959a13ae103b65a",
        ] {
            for from_sha256 in [false, true] {
                let result = hashed(
                    HashedField::HashedMaids,
                    raw,
                    from_sha256,
                    &Options::default(),
                );
                assert!(result.value.is_none(), "{raw}");
                assert_eq!(result.findings[0].code, Code::MaidZero, "{raw}");
            }
        }
    }

    #[test]
    fn zero_maids_are_dropped() {
        let result = hashed(
            HashedField::HashedMaids,
            "00000000-0000-0000-0000-000000000000",
            false,
            &Options::default(),
        );
        assert!(result.value.is_none());
        assert_eq!(result.findings[0].code, Code::MaidZero);
    }
}
