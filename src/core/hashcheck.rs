//! The hash checker: "my setup sends this hash for this value — is it right, and if not, what
//! did my setup do wrong?"
//!
//! [`check`] normalizes and hashes a value exactly as the mapping does, compares the result
//! with an expected hash, and when they differ looks for the common mistake that produces the
//! expected hash (the `+` kept on a phone, no lower-casing, NFD instead of NFC, MD5 instead of
//! SHA-256, hashing twice …). [`variants`] lists those mistakes and what each would have sent;
//! the trace of every hashed field carries the same list, so the GUI row and the JSON report
//! can show "what your setup probably sends" next to what Pinterest should get.
//!
//! Used by `pinspect hash --expect` and by the GUI's hash checker.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization as _;

use super::diagnostics::Code;
use super::fields::HashedField;
use super::hash::{md5_hex, sha1_hex, sha256_hex};
use super::normalize::{self, EMPTY_SHA256, Finding, Options, Step};

/// The digest algorithm a variant was hashed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// What Pinterest wants.
    Sha256,

    /// A mistake: 32 hex characters.
    Md5,

    /// A mistake: 40 hex characters.
    Sha1,
}

/// What a common mistake would have sent for one value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// Stable identifier of the mistake, e.g. `plus_kept`, `not_lower_cased`, `md5`.
    pub mistake: &'static str,

    /// The mistake in a few words, for people: "hashed with the + kept".
    pub description: String,

    /// The text that was hashed (for `hashed_twice`, the first digest).
    pub input: String,

    /// The digest algorithm.
    pub algorithm: Algorithm,

    /// Lower-case hex digest of `input`.
    pub hash: String,
}

impl Variant {
    fn new(mistake: &'static str, description: impl Into<String>, input: String) -> Self {
        let hash = sha256_hex(&input);
        Self {
            mistake,
            description: description.into(),
            input,
            algorithm: Algorithm::Sha256,
            hash,
        }
    }
}

/// The common mistakes for one clear value of `field` and what each would have sent.
///
/// `raw` is the value as received, `normalized` what pinspect hashes. Variants that produce
/// the same digest as the correct one, or as an earlier variant, are left out, so every entry
/// is a hash a user could really see instead of the right one. Empty when `normalized` is
/// empty (nothing is sent then).
pub fn variants(field: Option<HashedField>, raw: &str, normalized: &str) -> Vec<Variant> {
    if normalized.is_empty() {
        return Vec::new();
    }
    let trimmed = raw.trim();
    let mut candidates = vec![Variant::new(
        "not_normalized",
        "the raw value hashed as received, without normalization",
        raw.to_owned(),
    )];

    if trimmed != raw {
        let leading = &raw[..raw.len() - raw.trim_start().len()];
        let trailing = &raw[raw.trim_end().len()..];
        candidates.push(Variant::new(
            "not_trimmed",
            "normalized but not trimmed (surrounding spaces kept)",
            format!("{leading}{normalized}{trailing}"),
        ));
    }

    match field {
        Some(HashedField::Em | HashedField::Fn | HashedField::Ln) => {
            candidates.push(Variant::new(
                "not_lower_cased",
                "trimmed but not lower-cased",
                trimmed.nfc().collect(),
            ));
        }
        Some(HashedField::Ph) => phone_variants(trimmed, normalized, &mut candidates),
        Some(HashedField::Ge) => {
            candidates.push(Variant::new(
                "word_kept",
                "the word lower-cased instead of f, m or n",
                trimmed.to_lowercase(),
            ));
            let english = match normalized {
                "f" => "female",
                "m" => "male",
                _ => "non-binary",
            };
            candidates.push(Variant::new(
                "english_word",
                format!("the English word {english:?} instead of {normalized:?}"),
                english.to_owned(),
            ));
        }
        Some(HashedField::Db) => date_variants(normalized, &mut candidates),
        Some(HashedField::Ct) => {
            candidates.push(Variant::new(
                "spaces_kept",
                "lower-cased with spaces and punctuation kept",
                trimmed.nfc().collect::<String>().to_lowercase(),
            ));
        }
        Some(HashedField::St | HashedField::Country) => {
            candidates.push(Variant::new(
                "upper_case",
                "upper-case code (as in Pinterest's LDP example)",
                normalized.to_uppercase(),
            ));
            candidates.push(Variant::new(
                "input_lower_cased",
                "the input lower-cased instead of converted to the two-letter code",
                trimmed.to_lowercase(),
            ));
            if field == Some(HashedField::Country)
                && let Some(country) = rust_iso3166::from_alpha2(&normalized.to_uppercase())
            {
                candidates.push(Variant::new(
                    "alpha3",
                    "three-letter ISO code instead of two",
                    country.alpha3.to_lowercase(),
                ));
            }
        }
        Some(HashedField::Zp) => {
            candidates.push(Variant::new(
                "separators_kept",
                "lower-cased with spaces and hyphens kept",
                trimmed.to_lowercase(),
            ));
            candidates.push(Variant::new(
                "digits_only",
                "every digit kept (ZIP+4 not cut to 5, letters dropped)",
                trimmed.chars().filter(char::is_ascii_digit).collect(),
            ));
            candidates.push(Variant::new(
                "upper_case",
                "upper-case postcode",
                normalized.to_uppercase(),
            ));
        }
        Some(HashedField::ExternalId) => {
            candidates.push(Variant::new(
                "lower_cased",
                "trimmed and lower-cased (as some integrations do)",
                normalized.to_lowercase(),
            ));
        }
        Some(HashedField::HashedMaids) => {
            candidates.push(Variant::new(
                "upper_case",
                "upper-case advertising id",
                normalized.to_uppercase(),
            ));
            candidates.push(Variant::new(
                "hyphens_removed",
                "advertising id without hyphens",
                normalized.replace('-', ""),
            ));
        }
        None => {
            candidates.push(Variant::new(
                "lower_cased",
                "trimmed and lower-cased",
                trimmed.to_lowercase(),
            ));
        }
    }

    if matches!(
        field,
        Some(HashedField::Em | HashedField::Fn | HashedField::Ln | HashedField::Ct)
    ) {
        candidates.push(Variant::new(
            "nfd",
            "Unicode NFD (decomposed accents) instead of NFC",
            normalized.nfd().collect(),
        ));
    }

    candidates.push(Variant::new(
        "hashed_twice",
        "SHA-256 applied twice",
        sha256_hex(normalized),
    ));
    candidates.push(Variant {
        mistake: "md5",
        description: "MD5 instead of SHA-256".to_owned(),
        input: normalized.to_owned(),
        algorithm: Algorithm::Md5,
        hash: md5_hex(normalized),
    });
    candidates.push(Variant {
        mistake: "sha1",
        description: "SHA-1 instead of SHA-256".to_owned(),
        input: normalized.to_owned(),
        algorithm: Algorithm::Sha1,
        hash: sha1_hex(normalized),
    });

    let correct = sha256_hex(normalized);
    let mut seen = vec![correct];
    candidates.retain(|variant| {
        let new = !variant.input.is_empty() && !seen.contains(&variant.hash);
        if new {
            seen.push(variant.hash.clone());
        }
        new
    });
    candidates
}

/// The common mistakes for a value pinspect does not send because its normalization cannot
/// decide (a national phone number without a country, a gender word it does not know, an
/// ambiguous date): what a setup that hashes it anyway sends. Empty when the value was dropped
/// for another reason (a digest, an all-zero advertising id, nothing to hash), where hashing
/// the raw value is not a mistake anybody makes.
pub fn dropped_variants(
    field: Option<HashedField>,
    raw: &str,
    findings: &[Finding],
) -> Vec<Variant> {
    let not_a_clear_value = findings.iter().any(|finding| {
        matches!(
            finding.code,
            Code::HashPrehashed
                | Code::HashWeakDigest
                | Code::HashInvalidPrehashed
                | Code::MaidZero
                | Code::NormalizeEmpty
                | Code::ValueWrongType
        )
    });
    if not_a_clear_value || !raw.chars().any(char::is_alphanumeric) {
        return Vec::new();
    }

    let trimmed = raw.trim();
    let mut candidates = vec![Variant::new(
        "not_normalized",
        "the raw value hashed as received, without normalization",
        raw.to_owned(),
    )];
    candidates.push(Variant::new(
        "trimmed_only",
        "trimmed but not otherwise normalized",
        trimmed.to_owned(),
    ));
    candidates.push(Variant::new(
        "lower_cased",
        "trimmed and lower-cased",
        trimmed.to_lowercase(),
    ));
    match field {
        Some(HashedField::Ph) => {
            let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
            candidates.push(Variant::new(
                "digits_as_typed",
                "every digit as typed, without adding or removing a country code",
                digits.clone(),
            ));
            candidates.push(Variant::new(
                "trunk_zero_removed",
                "the digits with the leading 0 removed and no country code",
                digits.trim_start_matches('0').to_owned(),
            ));
            candidates.push(Variant::new(
                "plus_added",
                "the digits as typed with a + in front",
                format!("+{digits}"),
            ));
        }
        Some(HashedField::Ge) => {
            candidates.push(Variant::new(
                "first_letter",
                "the first letter of the word, lower-cased",
                trimmed
                    .chars()
                    .take(1)
                    .flat_map(char::to_lowercase)
                    .collect(),
            ));
        }
        Some(HashedField::Db) => {
            let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
            candidates.push(Variant::new(
                "digits_as_typed",
                "the digits as typed, without reordering",
                digits,
            ));
            let parts: Vec<&str> = trimmed
                .split(|c: char| !c.is_ascii_digit())
                .filter(|part| !part.is_empty())
                .collect();
            if let [first, second, year] = parts.as_slice()
                && year.len() == 4
                && first.len() <= 2
                && second.len() <= 2
            {
                candidates.push(Variant::new(
                    "read_day_first",
                    "read day first (DD/MM/YYYY), written YYYYMMDD",
                    format!("{year}{second:0>2}{first:0>2}"),
                ));
                candidates.push(Variant::new(
                    "read_month_first",
                    "read month first (MM/DD/YYYY), written YYYYMMDD",
                    format!("{year}{first:0>2}{second:0>2}"),
                ));
            }
        }
        _ => {}
    }

    let mut seen: Vec<String> = Vec::new();
    candidates.retain(|variant| {
        let new = !variant.input.is_empty() && !seen.contains(&variant.hash);
        if new {
            seen.push(variant.hash.clone());
        }
        new
    });
    candidates
}

fn phone_variants(trimmed: &str, normalized: &str, out: &mut Vec<Variant>) {
    out.push(Variant::new(
        "plus_kept",
        "E.164 with the + kept",
        format!("+{normalized}"),
    ));
    out.push(Variant::new(
        "digits_as_typed",
        "every digit as typed, without adding or removing a country code",
        trimmed.chars().filter(char::is_ascii_digit).collect(),
    ));
    out.push(Variant::new(
        "international_00",
        "the international prefix 00 instead of nothing",
        format!("00{normalized}"),
    ));
    if let Ok(number) = phonenumber::parse(None, format!("+{normalized}")) {
        let code = number.code().value().to_string();
        let national = number.national().value().to_string();
        out.push(Variant::new(
            "no_country_code",
            "the national number without the country code",
            national.clone(),
        ));
        out.push(Variant::new(
            "trunk_zero_kept",
            "country code added but the national 0 kept",
            format!("{code}0{national}"),
        ));
    }
}

fn date_variants(normalized: &str, out: &mut Vec<Variant>) {
    let (Some(year), Some(month), Some(day)) = (
        normalized.get(0..4),
        normalized.get(4..6),
        normalized.get(6..8),
    ) else {
        return;
    };
    for (mistake, description, input) in [
        (
            "iso_dashes",
            "YYYY-MM-DD with dashes",
            format!("{year}-{month}-{day}"),
        ),
        (
            "day_month_year",
            "DD/MM/YYYY",
            format!("{day}/{month}/{year}"),
        ),
        (
            "month_day_year",
            "MM/DD/YYYY",
            format!("{month}/{day}/{year}"),
        ),
        ("ddmmyyyy", "DDMMYYYY", format!("{day}{month}{year}")),
        ("mmddyyyy", "MMDDYYYY", format!("{month}{day}{year}")),
        ("yyyyddmm", "YYYYDDMM", format!("{year}{day}{month}")),
    ] {
        out.push(Variant::new(mistake, description, input));
    }
}

/// How an expected hash compares with what pinspect computes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Verdict {
    /// The expected hash is exactly what pinspect sends (compared without case).
    Matches,

    /// The expected hash is what this common mistake produces.
    Mistake {
        /// The mistake.
        variant: Variant,
    },

    /// The expected hash is the SHA-256 of an empty string: the setup hashes a missing value.
    EmptyValue,

    /// No known mistake produces the expected hash: the clear value itself probably differs.
    NoMatch,
}

/// The result of [`check`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashCheck {
    /// The field whose normalization was applied; `None`: the value was hashed as given.
    pub field: Option<&'static str>,

    /// The value as given.
    pub value: String,

    /// The normalized clear text; `None` when the value is dropped or already a SHA-256.
    pub normalized: Option<String>,

    /// The lower-case hex SHA-256 pinspect would send; `None` when nothing is sent.
    pub sha256: Option<String>,

    /// Each normalization rule applied and its result.
    pub steps: Vec<Step>,

    /// Findings of the normalization (code, severity, message).
    pub diagnostics: Vec<CheckFinding>,

    /// The expected hash, trimmed and lower-cased.
    pub expected: Option<String>,

    /// Whether the expected hash equals `sha256`; `None` without an expected hash.
    pub matches: Option<bool>,

    /// The comparison in detail; `None` without an expected hash.
    pub verdict: Option<Verdict>,

    /// What each common mistake would have sent.
    pub variants: Vec<Variant>,
}

/// A normalization finding in the hash checker's output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckFinding {
    /// Stable dotted code.
    pub code: &'static str,

    /// `info`, `warning` or `error`.
    pub severity: super::diagnostics::Severity,

    /// What happened.
    pub message: String,
}

impl From<&Finding> for CheckFinding {
    fn from(finding: &Finding) -> Self {
        Self {
            code: finding.code.as_str(),
            severity: finding.code.severity(),
            message: finding.message.clone(),
        }
    }
}

/// An expected hash that is not a hex digest.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the expected hash {expected:?} is not a hex digest (64 hex characters for SHA-256, 32 for MD5, 40 for SHA-1)"
)]
pub struct BadExpectedHash {
    /// The text given.
    pub expected: String,
}

/// Normalizes and hashes `value` as the mapping would for `field` (or hashes it as given when
/// `field` is `None`), and compares the result with `expected`.
///
/// - `Ok` with `matches == Some(true)`: the expected hash is right (case of the hex ignored).
/// - `Ok` with `matches == Some(false)`: `verdict` says which common mistake produces the
///   expected hash ([`Verdict::Mistake`]), that it is the hash of an empty value, or that no
///   known mistake explains it ([`Verdict::NoMatch`]: the clear values differ).
/// - `Err` when `expected` is not 32, 40 or 64 hex characters.
///
/// A `value` that is already 64 hex characters is treated like the mapping treats it: passed
/// through lower-cased (so the comparison is then between two digests).
pub fn check(
    field: Option<HashedField>,
    value: &str,
    expected: Option<&str>,
    options: &Options,
) -> Result<HashCheck, BadExpectedHash> {
    let expected = expected
        .map(|text| {
            let clean = text.trim().to_ascii_lowercase();
            let hex = clean.bytes().all(|b| b.is_ascii_hexdigit());
            if hex && matches!(clean.len(), 32 | 40 | 64) {
                Ok(clean)
            } else {
                Err(BadExpectedHash {
                    expected: text.to_owned(),
                })
            }
        })
        .transpose()?;

    let (normalized, sha256, steps, findings) = if let Some(field) = field {
        let result = normalize::hashed(field, value, false, options);
        let normalized = result.value.as_ref().and_then(|v| v.normalized.clone());
        let sha256 = result.value.map(|v| v.sha256);
        (normalized, sha256, result.steps, result.findings)
    } else {
        let sha256 = sha256_hex(value);
        let steps = vec![Step::new("SHA-256 of the value as given", sha256.clone())];
        (Some(value.to_owned()), Some(sha256), steps, Vec::new())
    };

    let variants = match (normalized.as_deref(), &sha256) {
        (Some(text), _) => variants(field, value, text),
        // Nothing is sent: the mistakes are what a setup that hashes the raw value sends.
        (None, None) => dropped_variants(field, value, &findings),
        (None, Some(_)) => Vec::new(),
    };

    let verdict = expected.as_deref().map(|expected| {
        if sha256.as_deref() == Some(expected) {
            Verdict::Matches
        } else if let Some(variant) = variants.iter().find(|v| v.hash == expected) {
            Verdict::Mistake {
                variant: variant.clone(),
            }
        } else if expected == EMPTY_SHA256 {
            Verdict::EmptyValue
        } else {
            Verdict::NoMatch
        }
    });

    Ok(HashCheck {
        field: field.map(HashedField::key),
        value: value.to_owned(),
        normalized,
        sha256,
        steps,
        diagnostics: findings.iter().map(CheckFinding::from).collect(),
        matches: verdict.as_ref().map(|v| *v == Verdict::Matches),
        expected,
        verdict,
        variants,
    })
}

impl HashCheck {
    /// The verdict in one sentence, for the CLI and the GUI; `None` without an expected hash.
    pub fn verdict_text(&self) -> Option<String> {
        let sent = self.sha256.as_deref().unwrap_or("nothing");
        Some(match self.verdict.as_ref()? {
            Verdict::Matches => "the expected hash matches what pinspect sends".to_owned(),
            Verdict::Mistake { variant } => format!(
                "no match: the expected hash is what you get with this mistake: {} (hashed text {:?}). pinspect sends {sent}",
                variant.description, variant.input
            ),
            Verdict::EmptyValue => format!(
                "no match: the expected hash is the SHA-256 of an empty string, so the setup hashes a missing value. pinspect sends {sent}"
            ),
            Verdict::NoMatch => format!(
                "no match, and no common mistake produces the expected hash: the clear value your setup hashed is probably different (another e-mail, another number). pinspect sends {sent}"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        Options::default()
    }

    #[test]
    fn a_matching_hash_is_recognized_in_any_case() {
        // printf '%s' 'jane.doe@example.com' | sha256sum
        let expected = "86E0B9E56C17CC4D12387E1949B85053FBE73BC3CE5A1188713A9D300CC6133D";
        let result = check(
            Some(HashedField::Em),
            " Jane.Doe@Example.com",
            Some(expected),
            &options(),
        )
        .unwrap();
        assert_eq!(result.matches, Some(true));
        assert_eq!(result.verdict, Some(Verdict::Matches));
    }

    #[test]
    fn the_plus_kept_on_a_phone_is_named() {
        let unrelated = "b0d0e1c9c6b3a0d4d74a9db0c4e0ef58f8dab09ea8bed8b5e9f5a3c9a2fa1d23";
        let computed = sha256_hex("+33655501234");
        let result = check(
            Some(HashedField::Ph),
            "+33 6 55 50 12 34",
            Some(&computed),
            &options(),
        )
        .unwrap();
        assert_eq!(result.matches, Some(false));
        let Some(Verdict::Mistake { variant }) = result.verdict else {
            panic!("no mistake found: {result:?}");
        };
        assert_eq!(variant.mistake, "plus_kept");
        // A made-up digest is explained by nothing.
        let unknown = check(
            Some(HashedField::Ph),
            "+33 6 55 50 12 34",
            Some(unrelated),
            &options(),
        )
        .unwrap();
        assert_eq!(unknown.verdict, Some(Verdict::NoMatch));
    }

    #[test]
    fn md5_and_empty_values_are_recognized() {
        let md5 = md5_hex("jane.doe@example.com");
        let result = check(
            Some(HashedField::Em),
            "Jane.Doe@example.com",
            Some(&md5),
            &options(),
        )
        .unwrap();
        assert!(
            matches!(&result.verdict, Some(Verdict::Mistake { variant }) if variant.mistake == "md5")
        );
        let empty = check(
            Some(HashedField::Em),
            "x@y.io",
            Some(EMPTY_SHA256),
            &options(),
        )
        .unwrap();
        assert_eq!(empty.verdict, Some(Verdict::EmptyValue));
    }

    #[test]
    fn dropped_values_get_raw_mistakes_but_digests_do_not() {
        let national = check(Some(HashedField::Ph), "06 55 50 12 34", None, &options()).unwrap();
        assert_eq!(national.sha256, None);
        let inputs: Vec<&str> = national.variants.iter().map(|v| v.input.as_str()).collect();
        assert!(inputs.contains(&"0655501234"), "{inputs:?}");
        assert!(inputs.contains(&"655501234"), "{inputs:?}");
        assert!(inputs.contains(&"06 55 50 12 34"), "{inputs:?}");

        let ambiguous = check(Some(HashedField::Db), " 04/05/1985", None, &options()).unwrap();
        let inputs: Vec<&str> = ambiguous
            .variants
            .iter()
            .map(|v| v.input.as_str())
            .collect();
        assert!(
            inputs.contains(&"19850504") && inputs.contains(&"19850405"),
            "{inputs:?}"
        );
        assert!(inputs.contains(&" 04/05/1985") && inputs.contains(&"04/05/1985"));

        for (field, value) in [
            (HashedField::Em, "0cba00ca3da1b283a57287bcceb17e35"),
            (
                HashedField::HashedMaids,
                "00000000-0000-0000-0000-000000000000",
            ),
            (HashedField::Fn, " - "),
        ] {
            let result = check(Some(field), value, None, &options()).unwrap();
            assert_eq!(result.sha256, None, "{value}");
            assert!(result.variants.is_empty(), "{value}: {:?}", result.variants);
        }
    }

    #[test]
    fn a_bad_expected_hash_is_an_error() {
        assert!(check(Some(HashedField::Em), "x@y.io", Some("abc"), &options()).is_err());
        assert!(
            check(
                Some(HashedField::Em),
                "x@y.io",
                Some(&"g".repeat(64)),
                &options()
            )
            .is_err()
        );
    }

    #[test]
    fn variants_never_repeat_the_correct_hash() {
        for (field, raw) in [
            (HashedField::Em, "jane@example.com"),
            (HashedField::Country, "fr"),
            (HashedField::Ge, "f"),
        ] {
            let normalized = normalize::normalize_clear(field, raw, &options())
                .value
                .unwrap();
            let correct = sha256_hex(&normalized);
            let list = variants(Some(field), raw, &normalized);
            assert!(list.iter().all(|v| v.hash != correct), "{field:?}");
            let mut hashes: Vec<&str> = list.iter().map(|v| v.hash.as_str()).collect();
            hashes.sort_unstable();
            hashes.dedup();
            assert_eq!(hashes.len(), list.len());
        }
    }
}
