//! `pinspect hash`: normalize and hash one value the way the mapping would.

use std::fmt::Write as _;

use clap::Args;
use serde_json::json;

use super::{EXIT_OK, EXIT_USAGE, Format, message, output};
use crate::core::fields::HashedField;
use crate::core::hash::sha256_hex;
use crate::core::normalize::{self, Options};

/// Options of `hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// The `user_data` field whose normalization to apply (em, ph, ge, db, fn, ln, ct, st, zp,
    /// country, `external_id`, `hashed_maids`). Without it the value is hashed exactly as given.
    #[arg(long, value_name = "FIELD")]
    pub field: Option<String>,

    /// Default country for national phone numbers, e.g. FR.
    #[arg(long, value_name = "CC")]
    pub default_phone_country: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The value to hash.
    pub value: String,
}

/// Runs `pinspect hash`.
pub fn hash(args: &HashArgs) -> u8 {
    let Some(field) = args.field.as_deref() else {
        let digest = sha256_hex(&args.value);
        match args.format {
            Format::Json => output(&format!(
                "{}\n",
                json!({"field": null, "normalized": args.value, "sha256": digest})
            )),
            Format::Text => output(&format!("sha256      {digest}\n")),
        }
        return EXIT_OK;
    };
    let Some(field) = HashedField::from_key(field) else {
        let names: Vec<&str> = HashedField::ALL.iter().map(|f| f.key()).collect();
        message(&format!(
            "error: --field {field:?} is not a hashed field; use one of {}",
            names.join(", ")
        ));
        return EXIT_USAGE;
    };
    let options = Options {
        default_phone_country: args.default_phone_country.clone(),
        strip_name_diacritics: false,
    };
    let result = normalize::hashed(field, &args.value, false, &options);
    let normalized = result.value.as_ref().and_then(|v| v.normalized.clone());
    let digest = result.value.as_ref().map(|v| v.sha256.clone());
    match args.format {
        Format::Json => {
            let findings: Vec<_> = result
                .findings
                .iter()
                .map(|f| json!({"code": f.code.as_str(), "severity": f.code.severity(), "message": f.message}))
                .collect();
            output(&format!(
                "{}\n",
                json!({"field": field.key(), "normalized": normalized, "sha256": digest, "steps": result.steps, "diagnostics": findings})
            ));
        }
        Format::Text => {
            let mut text = format!("field       {}\n", field.key());
            for step in &result.steps {
                let _ = writeln!(text, "  {:<30} {}", step.rule, step.value);
            }
            let _ = writeln!(
                text,
                "normalized  {}",
                normalized.as_deref().unwrap_or("(not sent)")
            );
            let _ = writeln!(
                text,
                "sha256      {}",
                digest.as_deref().unwrap_or("(not sent)")
            );
            for finding in &result.findings {
                let _ = writeln!(
                    text,
                    "{}: {} [{}]",
                    finding.code.severity(),
                    finding.message,
                    finding.code.as_str()
                );
            }
            output(&text);
        }
    }
    EXIT_OK
}
