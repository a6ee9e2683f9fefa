//! Diagnostics are data, not strings: a stable code, a severity, the Pinterest field they are
//! about and a message for people.
//!
//! The catalog of codes lives here, in one table, so that the README, the GUI and the tests
//! all read the same list. A code's severity never changes with context: if two situations
//! deserve different severities they get different codes, which keeps the report contract
//! predictable for scripts that filter on `code`.

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,

    /// Pinterest accepts the event, but it is probably wrong or will match badly.
    Warning,

    /// Pinterest would reject the event or it would be useless; not sent by default.
    Error,
}

impl Severity {
    /// The lower-case name used in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares the [`Code`] enum together with its catalog so that adding a code is one line.
macro_rules! codes {
    ($($variant:ident => ($code:literal, $severity:ident, $summary:literal),)*) => {
        /// Every diagnostic pinspect can emit. The string form is a stable contract.
        #[expect(clippy::doc_markdown, reason = "the summaries are user-facing sentences")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// All codes, in catalog order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The dotted identifier used in reports, e.g. `identity.missing`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self {
                    $(Self::$variant => Severity::$severity,)*
                }
            }

            /// One sentence on what the code means, for the README table and tooltips.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Self::$variant => $summary,)*
                }
            }

            /// Looks a code up by its dotted identifier.
            pub fn from_code_str(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == code)
            }
        }
    };
}

codes! {
    InputNotObject => ("input.not_object", Error, "An input record is not a JSON object, so it cannot be an event."),
    InputSyntax => ("input.syntax", Error, "A record of a JSON array or a line of an NDJSON file is not valid JSON (or not UTF-8 text)."),
    InputDuplicateKey => ("input.duplicate_key", Warning, "A key appears more than once in one event; the last value is used, as JSON parsers and Pinterest read it."),
    EventNameMissing => ("event_name.missing", Error, "The source event has no event_name to map."),
    EventNameUnmapped => ("event_name.unmapped", Warning, "The source event name is in no table and is sent as custom."),
    EventNameSkipped => ("event_name.skipped", Info, "The source event name is in no table and unmapped events are set to be skipped."),
    EventNameNotInSpec => ("event_name.not_in_spec", Warning, "The Pinterest event name is outside the pinned 5.23 spec's list."),
    EventIdMissing => ("event_id.missing", Error, "No event_id: Pinterest requires one and cannot deduplicate without it."),
    EventIdNotString => ("event_id.not_string", Info, "The source event_id is not a string; it is sent converted to a string."),
    EventIdDuplicate => ("event_id.duplicate", Warning, "Events with different orders or event names share one event_id, so Pinterest would drop all but one as duplicates."),
    EventTimeMissing => ("event_time.missing", Error, "No event time: Pinterest requires event_time."),
    EventTimeInvalid => ("event_time.invalid", Error, "The event time cannot be read as a timestamp."),
    EventTimeFuture => ("event_time.future", Error, "The event time is in the future."),
    EventTimeTooOld => ("event_time.too_old", Error, "The event time is more than 7 days old; Pinterest rejects it."),
    EventTimeLate => ("event_time.late", Info, "The event is more than an hour old, so Pinterest reports it as offline."),
    EventTimeUnitAmbiguous => ("event_time.unit_ambiguous", Warning, "The number's unit (seconds, milliseconds, microseconds) had to be guessed."),
    EventTimeNoOffset => ("event_time.no_offset", Warning, "An ISO timestamp without an offset was read as UTC."),
    ActionSourceInvalid => ("action_source.invalid", Error, "action_source is not one of app_android, app_ios, offline, web."),
    ActionSourceDerived => ("action_source.derived", Info, "No action_source in the event; it was derived from other fields."),
    IdentityMissing => ("identity.missing", Error, "user_data has neither em, nor hashed_maids, nor both client_ip_address and client_user_agent."),
    HashPrehashed => ("hash.prehashed", Info, "The value is already a SHA-256; it is sent lower-cased and its normalization cannot be checked."),
    HashWeakDigest => ("hash.weak_digest", Error, "The value looks like an MD5 or SHA-1 digest, which Pinterest cannot match."),
    HashInvalidPrehashed => ("hash.invalid_prehashed", Error, "A *_sha256 source holds something that is not a SHA-256 digest."),
    SourceBlank => ("source.blank", Info, "A source holds only blank text or the SHA-256 of nothing; the next source of the field was used."),
    NormalizeEmpty => ("normalize.empty", Warning, "The value normalizes to nothing, so the field is dropped."),
    EmailInvalid => ("email.invalid", Warning, "The e-mail does not look like an e-mail address."),
    PhoneNoCountry => ("phone.no_country", Warning, "A national phone number without a default country is not sent."),
    PhoneInvalid => ("phone.invalid", Warning, "The phone number is not a valid number."),
    GenderUnknown => ("gender.unknown", Warning, "The gender is not a word pinspect can map to f, m or n; not sent."),
    BirthdateInvalid => ("birthdate.invalid", Warning, "The birth date cannot be read or is impossible; not sent."),
    BirthdateAmbiguous => ("birthdate.ambiguous", Warning, "The birth date could be day-month or month-day; not sent."),
    StateUnknown => ("state.unknown", Warning, "The state is not a two-letter code or a known US state name."),
    CountryUnknown => ("country.unknown", Warning, "The country is not an ISO 3166-1 code or English name; not sent."),
    IpInvalid => ("ip.invalid", Warning, "client_ip_address is not an IPv4 or IPv6 address written as text; not sent."),
    IpProxyChain => ("ip.proxy_chain", Warning, "client_ip_address holds several addresses, a port or brackets."),
    IpNotPublic => ("ip.not_public", Warning, "client_ip_address is private, loopback, reserved or otherwise not the visitor's; not sent."),
    IpMasked => ("ip.masked", Warning, "client_ip_address ends in .0 and looks anonymized."),
    MaidZero => ("maid.zero", Warning, "The advertising id is all zeros (tracking limited); not sent."),
    PiiClearText => ("pii.clear_text", Warning, "Personal data sits in clear text in a field Pinterest does not hash."),
    NumberInvalid => ("number.invalid", Error, "A value or price is not a number."),
    NumberCommaDecimal => ("number.comma_decimal", Warning, "A decimal comma was read as a decimal point."),
    NumberImprecise => ("number.imprecise", Warning, "An id or text field holds a number too large to be read exactly; its last digits are lost."),
    NumberAmbiguous => ("number.ambiguous", Warning, "A number such as 1,234 reads both with a decimal comma and with a thousands separator; not sent."),
    NumberNegative => ("number.negative", Warning, "A value or price is negative."),
    ValueWrongType => ("value.wrong_type", Warning, "The source holds a list or object where Pinterest wants a single value, or a boolean where it wants personal data; not sent."),
    IntegerInvalid => ("integer.invalid", Error, "A quantity or count is not a whole number."),
    QuantityNotPositive => ("quantity.not_positive", Warning, "An item quantity or num_items is zero or negative; it is sent, but a bought item has at least one unit."),
    ValueMismatch => ("value.mismatch", Warning, "value differs from the sum of item_price times quantity."),
    ValueZeroCheckout => ("value.zero_checkout", Warning, "A checkout with value 0 reports no revenue."),
    ValueMissingCheckout => ("value.missing_checkout", Warning, "A checkout without value reports no revenue."),
    NumItemsLines => ("num_items.lines", Warning, "num_items counts item lines while the quantities add up to more."),
    CurrencyMissing => ("currency.missing", Warning, "A value without a currency is read in the ad account's currency."),
    CurrencyInvalid => ("currency.invalid", Error, "The currency is not an ISO 4217 code."),
    CurrencyUpperCased => ("currency.upper_cased", Info, "The currency was upper-cased."),
    WebContextMissing => ("web.context_missing", Warning, "A web event lacks event_source_url, client_ip_address or client_user_agent, so Pinterest matches and attributes it worse."),
    WebClickIdMissing => ("web.click_id_missing", Info, "A web event has no click id (epik); fine for visitors who did not come from a Pin."),
    LanguageConverted => ("language.converted", Info, "The language was converted to its two-letter ISO 639-1 code."),
    LanguageInvalid => ("language.invalid", Warning, "The language is not one with a two-letter ISO 639-1 code; not sent."),
    ItemsNotList => ("items.not_list", Warning, "The items source is not a list, so no content_ids, contents or num_items come from it."),
    ItemsEntryNotObject => ("items.entry_not_object", Warning, "An entry of the items list is not an object, so it has no id, price or quantity."),
    ContentIdsMissing => ("content_ids.missing", Warning, "A checkout or add_to_cart without content_ids cannot be tied to catalog products."),
    BooleanInvalid => ("boolean.invalid", Warning, "opt_out or wifi is not a boolean or a boolean-like string; not sent."),
    PartnerNameSet => ("partner_name.set", Warning, "partner_name is sent; it is only for partners whose name Pinterest agreed on."),
    AppEventOnWeb => ("action_source.app_event", Warning, "An app-only event (app_install, app_open) is sent with action_source web or offline."),
    LdpWithoutLocation => ("opt_out_type.ldp_location", Warning, "LDP is set but st or country is missing."),
    SchemaViolation => ("schema.violation", Error, "The payload breaks the pinned Pinterest 5.23 schema."),
}

/// One finding about one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable dotted identifier, see [`Code`].
    #[serde(with = "code_serde")]
    pub code: Code,

    /// Always `code.severity()`; stored so the JSON report carries it.
    pub severity: Severity,

    /// The Pinterest field path the diagnostic is about, or `None` for the whole event.
    pub field: Option<String>,

    /// What is wrong and, where it helps, what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about one field.
    pub fn new(code: Code, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A diagnostic about the event as a whole.
    pub fn whole_event(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            field: None,
            message: message.into(),
        }
    }

    /// Whether this diagnostic is about `field` or one of its children (`user_data` matches
    /// `user_data.em`).
    pub fn is_about(&self, field: &str) -> bool {
        self.field.as_deref().is_some_and(|own| {
            own == field
                || own
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    /// Number of error diagnostics.
    pub errors: usize,

    /// Number of warning diagnostics.
    pub warnings: usize,

    /// Number of info diagnostics.
    pub infos: usize,
}

impl SeverityCounts {
    /// Counts the diagnostics in `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut counts = Self::default();
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

/// Serializes [`Code`] as its dotted string.
mod code_serde {
    use serde::{Deserialize as _, Deserializer, Serializer, de::Error as _};

    use super::Code;

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's `with` signature"
    )]
    pub fn serialize<S: Serializer>(code: &Code, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(code.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let text = String::deserialize(deserializer)?;
        Code::from_code_str(&text).ok_or_else(|| D::Error::custom(format!("unknown code {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_dotted() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(
                seen.insert(code.as_str()),
                "duplicate code {}",
                code.as_str()
            );
            assert!(
                code.as_str().contains('.'),
                "{} is not dotted",
                code.as_str()
            );
            assert_eq!(Code::from_code_str(code.as_str()), Some(*code));
        }
    }

    #[test]
    fn diagnostic_serializes_as_report_entry() {
        let diagnostic = Diagnostic::new(Code::IdentityMissing, "user_data", "needs em");
        let json = serde_json::to_value(&diagnostic).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "identity.missing",
                "severity": "error",
                "field": "user_data",
                "message": "needs em"
            })
        );
    }

    #[test]
    fn is_about_matches_children_not_siblings() {
        let diagnostic = Diagnostic::new(Code::EmailInvalid, "user_data.em", "x");
        assert!(diagnostic.is_about("user_data"));
        assert!(diagnostic.is_about("user_data.em"));
        assert!(!diagnostic.is_about("user_data.e"));
        let item = Diagnostic::new(
            Code::NumberInvalid,
            "custom_data.contents[1].item_price",
            "x",
        );
        assert!(item.is_about("custom_data.contents"));
    }
}
