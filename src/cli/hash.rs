//! `pinspect hash`: normalize and hash one value the way the mapping would, and with
//! `--expect`, check a hash that another setup sends (see [`crate::core::hashcheck`]).
//!
//! Exit status: 0 when the expected hash matches (or none is given), 1 when it does not,
//! 2 for usage errors (unknown field, bad country, an expected hash that is not hex).

use std::fmt::Write as _;

use clap::Args;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, message, output};
use crate::core::fields::HashedField;
use crate::core::hashcheck::{self, HashCheck};
use crate::core::normalize::Options;

/// Options of `hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// The `user_data` field whose normalization to apply (em, ph, ge, db, fn, ln, ct, st, zp,
    /// country, `external_id`, `hashed_maids`). Without it the value is hashed exactly as given.
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,

    /// A hash your current setup sends for this value: pinspect says whether it matches and,
    /// if not, which common mistake produces it.
    #[arg(long, value_name = "HASH")]
    pub expect: Option<String>,

    /// Default country for national phone numbers, e.g. FR.
    #[arg(long, value_name = "CC")]
    pub default_phone_country: Option<String>,

    /// Remove diacritics from first and last names (the mapping setting of the same name).
    #[arg(long)]
    pub strip_name_diacritics: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The value to hash.
    #[arg(allow_hyphen_values = true)]
    pub value: String,
}

/// Runs `pinspect hash`.
pub fn hash(args: &HashArgs) -> u8 {
    let field = match args.field.as_deref() {
        None => None,
        Some(name) => {
            let Some(field) = HashedField::from_key(name) else {
                let names: Vec<&str> = HashedField::ALL.iter().map(|f| f.key()).collect();
                message(&format!(
                    "error: --field {name:?} is not a hashed field; use one of {}",
                    names.join(", ")
                ));
                return EXIT_USAGE;
            };
            Some(field)
        }
    };

    let default_phone_country = match args.default_phone_country.as_deref().map(str::trim) {
        None => None,
        Some(country) => {
            let upper = country.to_ascii_uppercase();
            if rust_iso3166::from_alpha2(&upper).is_none() {
                message(&format!(
                    "error: --default-phone-country {country:?} is not an ISO 3166-1 alpha-2 code such as FR"
                ));
                return EXIT_USAGE;
            }
            Some(upper)
        }
    };
    let options = Options {
        default_phone_country,
        strip_name_diacritics: args.strip_name_diacritics,
        now: None,
    };

    let result = match hashcheck::check(field, &args.value, args.expect.as_deref(), &options) {
        Ok(result) => result,
        Err(err) => {
            message(&format!("error: --expect: {err}"));
            return EXIT_USAGE;
        }
    };

    match args.format {
        Format::Json => match serde_json::to_string(&result) {
            Ok(json) => output(&format!("{json}\n")),
            Err(err) => {
                message(&format!("error: cannot write the result as JSON: {err}"));
                return EXIT_USAGE;
            }
        },
        Format::Text => output(&text(&result)),
    }

    if result.matches == Some(false) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// The result for people: steps, value sent, verdict, findings and the common mistakes.
fn text(result: &HashCheck) -> String {
    let mut text = format!(
        "field       {}\n",
        result.field.unwrap_or("(none: hashed as given)")
    );
    for step in &result.steps {
        let _ = writeln!(text, "  {:<44} {}", step.rule, step.value);
    }
    let _ = writeln!(
        text,
        "normalized  {}",
        result.normalized.as_deref().unwrap_or("(not sent)")
    );
    let _ = writeln!(
        text,
        "sha256      {}",
        result.sha256.as_deref().unwrap_or("(not sent)")
    );
    if let Some(expected) = &result.expected {
        let _ = writeln!(text, "expected    {expected}");
    }
    if let Some(verdict) = result.verdict_text() {
        let _ = writeln!(text, "result      {verdict}");
    }
    for finding in &result.diagnostics {
        let _ = writeln!(
            text,
            "{}: {} [{}]",
            finding.severity, finding.message, finding.code
        );
    }
    if !result.variants.is_empty() {
        let _ = writeln!(text, "common mistakes and what they would send:");
        for variant in &result.variants {
            let _ = writeln!(
                text,
                "  {:<18} {:?} → {}",
                variant.mistake, variant.input, variant.hash
            );
        }
    }
    text
}
