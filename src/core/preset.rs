//! Built-in mapping presets, kept as data in `assets/presets/*.json`, and the [`Source`]
//! expressions their field tables are written in.
//!
//! A source is a path into the event (`user.email`), a query parameter of a URL found at a
//! path (`query(context.page.url, epik)`), a cookie in a cookie header
//! (`cookie(context.device.cookie)`, named by the click-id setting unless a name is given),
//! or a derivation pinspect performs (`derive(action_source)`). The same text form is used in
//! presets, configs, the trace and the GUI, so what users read is what they can type.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use super::fields::{self, canonical_path};
use super::path::{PathError, SourcePath};

/// Where a field's value may come from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// A value in the event.
    Path(SourcePath),

    /// A query parameter of the URL at a path, URL-decoded.
    Query {
        /// Path of the URL.
        url: SourcePath,
        /// Parameter name.
        param: String,
    },

    /// A cookie in the `name=value; …` header at a path.
    Cookie {
        /// Path of the cookie header.
        header: SourcePath,
        /// Cookie name; `None` uses the click-id cookie setting.
        name: Option<String>,
    },

    /// A value pinspect derives from several fields.
    Derive(Derivation),
}

/// The derivations pinspect knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Derivation {
    /// `app_android` / `app_ios` from `context.app` and the device OS, else `web`.
    ActionSource,
}

impl Derivation {
    fn name(self) -> &'static str {
        match self {
            Self::ActionSource => "action_source",
        }
    }
}

/// Why a source expression could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The path inside is malformed.
    #[error(transparent)]
    Path(#[from] PathError),

    /// `query(...)` or `cookie(...)` with the wrong arguments.
    #[error("{text:?}: {reason}")]
    Call {
        /// The expression as written.
        text: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl Source {
    /// Parses `user.email`, `query(context.page.url, epik)`, `cookie(context.device.cookie)`,
    /// `cookie(context.device.cookie, _epik)` or `derive(action_source)`.
    pub fn parse(text: &str) -> Result<Self, SourceError> {
        let text = text.trim();
        let Some((function, rest)) = text.split_once('(') else {
            return Ok(Self::Path(SourcePath::parse(text)?));
        };
        let call_error = |reason| SourceError::Call {
            text: text.to_owned(),
            reason,
        };
        let arguments = rest
            .strip_suffix(')')
            .ok_or_else(|| call_error("missing closing parenthesis"))?;
        let arguments: Vec<&str> = arguments.split(',').map(str::trim).collect();

        match (function.trim(), arguments.as_slice()) {
            ("query", [url, param]) if !param.is_empty() => Ok(Self::Query {
                url: SourcePath::parse(url)?,
                param: (*param).to_owned(),
            }),
            ("query", _) => Err(call_error("write query(URL_PATH, PARAMETER)")),
            ("cookie", [header]) => Ok(Self::Cookie {
                header: SourcePath::parse(header)?,
                name: None,
            }),
            ("cookie", [header, name])
                if !name.is_empty() && super::settings::check_cookie_name(name).is_ok() =>
            {
                Ok(Self::Cookie {
                    header: SourcePath::parse(header)?,
                    name: Some((*name).to_owned()),
                })
            }
            ("cookie", [_, name]) if !name.is_empty() => Err(call_error(
                "the cookie name has a character no cookie name can have (space, ;, =, quotes, brackets…)",
            )),
            ("cookie", _) => Err(call_error(
                "write cookie(HEADER_PATH) or cookie(HEADER_PATH, NAME)",
            )),
            ("derive", ["action_source"]) => Ok(Self::Derive(Derivation::ActionSource)),
            ("derive", _) => Err(call_error("the only derivation is derive(action_source)")),
            _ => Err(call_error("unknown function: use query, cookie or derive")),
        }
    }

    /// The event path this source reads, if it reads one.
    pub fn path(&self) -> Option<&SourcePath> {
        match self {
            Self::Path(path) => Some(path),
            Self::Query { url, .. } => Some(url),
            Self::Cookie { header, .. } => Some(header),
            Self::Derive(_) => None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path(path) => write!(f, "{path}"),
            Self::Query { url, param } => write!(f, "query({url}, {param})"),
            Self::Cookie { header, name: None } => write!(f, "cookie({header})"),
            Self::Cookie {
                header,
                name: Some(name),
            } => write!(f, "cookie({header}, {name})"),
            Self::Derive(derivation) => write!(f, "derive({})", derivation.name()),
        }
    }
}

/// A named mapping: event-name table and field sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Identifier used in configs and on the command line.
    pub name: String,

    /// Short human title.
    pub title: String,

    /// What the preset follows.
    pub description: String,

    /// Source event name → Pinterest event name.
    pub event_names: BTreeMap<String, String>,

    /// Pinterest field path → sources in priority order, in catalog order.
    pub fields: Vec<(String, Vec<Source>)>,
}

impl Preset {
    /// The sources for a field, if the preset maps it.
    pub fn sources(&self, field: &str) -> Option<&[Source]> {
        let field = canonical_path(field);
        self.fields
            .iter()
            .find(|(path, _)| *path == field)
            .map(|(_, sources)| sources.as_slice())
    }

    /// A built-in preset by name.
    pub fn builtin(name: &str) -> Option<&'static Self> {
        builtin_presets().iter().find(|preset| preset.name == name)
    }
}

/// The default preset's name.
pub const DEFAULT_PRESET: &str = "commandersact";

/// What the preset files look like on disk.
///
/// `fields_from` names an earlier preset whose field table this one shares, so that two
/// presets that differ only in event names cannot drift apart field by field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PresetFile {
    name: String,
    title: String,
    description: String,
    event_names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    fields: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    fields_from: Option<String>,
}

/// The preset files, in the order the picker lists them. A preset may only take its fields
/// from one listed before it.
const PRESET_FILES: &[(&str, &str)] = &[
    (
        "commandersact.json",
        include_str!("../../assets/presets/commandersact.json"),
    ),
    (
        "commandersact-2026.json",
        include_str!("../../assets/presets/commandersact-2026.json"),
    ),
];

/// Every built-in preset, parsed once. A preset that fails to parse is logged and left out;
/// the unit tests make sure none does.
pub fn builtin_presets() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        let mut presets: Vec<Preset> = Vec::new();
        for (file, text) in PRESET_FILES {
            match parse_preset(text, &presets) {
                Ok(preset) => presets.push(preset),
                Err(err) => log::error!("built-in preset {file} is broken: {err}"),
            }
        }
        presets
    })
}

/// The names of the built-in presets, in picker order.
pub fn preset_names() -> Vec<&'static str> {
    builtin_presets().iter().map(|p| p.name.as_str()).collect()
}

/// Parses a preset file and checks every event name, field and source in it. `earlier` are
/// the presets a `fields_from` may name.
pub fn parse_preset(text: &str, earlier: &[Preset]) -> Result<Preset, String> {
    let file: PresetFile = serde_json::from_str(text).map_err(|err| err.to_string())?;
    let pinterest_names = fields::all_event_names();

    let mut event_names = BTreeMap::new();
    for (target, sources) in file.event_names {
        if !pinterest_names.contains(&target.as_str()) {
            return Err(format!("{target} is not a Pinterest event name"));
        }
        for source in sources {
            if let Some(previous) = event_names.insert(source.clone(), target.clone()) {
                return Err(format!(
                    "{source} is mapped to both {previous} and {target}"
                ));
            }
        }
    }

    let fields = match (file.fields, file.fields_from) {
        (Some(table), None) => parse_field_table(&table)?,
        (None, Some(from)) => earlier
            .iter()
            .find(|preset| preset.name == from)
            .map(|preset| preset.fields.clone())
            .ok_or_else(|| format!("fields_from names {from:?}, which is not listed before"))?,
        _ => return Err("a preset has exactly one of \"fields\" and \"fields_from\"".to_owned()),
    };
    Ok(Preset {
        name: file.name,
        title: file.title,
        description: file.description,
        event_names,
        fields,
    })
}

/// A preset's own field table, in catalog order.
fn parse_field_table(
    table: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<(String, Vec<Source>)>, String> {
    let catalog = fields::catalog();
    if let Some(unknown) = table.keys().find(|path| catalog.get(path).is_none()) {
        return Err(format!("{unknown} is not a Pinterest field"));
    }
    let mut fields = Vec::new();
    for spec in catalog.fields() {
        let Some((_, texts)) = table
            .iter()
            .find(|(path, _)| canonical_path(path) == spec.path)
        else {
            continue;
        };
        let sources = texts
            .iter()
            .map(|text| Source::parse(text).map_err(|err| format!("{}: {err}", spec.path)))
            .collect::<Result<Vec<_>, _>>()?;
        fields.push((spec.path.clone(), sources));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_presets_parse() {
        assert_eq!(builtin_presets().len(), PRESET_FILES.len());
        let preset = Preset::builtin(DEFAULT_PRESET).unwrap();
        assert_eq!(
            preset.event_names.get("purchase").map(String::as_str),
            Some("checkout")
        );
        assert_eq!(
            preset.event_names.get("view_promotion").map(String::as_str),
            Some("custom")
        );
        let em: Vec<String> = preset
            .sources("user_data.em")
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(em, ["user.email_sha256", "user.email"]);
    }

    #[test]
    fn default_preset_covers_the_whole_product_table() {
        let preset = Preset::builtin(DEFAULT_PRESET).unwrap();
        for name in [
            "page_view",
            "view_item",
            "purchase",
            "buy",
            "pay",
            "payment",
            "add_to_cart",
            "addtocart",
            "search",
            "find_location",
            "generate_lead",
            "submit_application",
            "contact",
            "sign_up",
            "signup",
            "completeregistration",
            "view_item_list",
            "viewcategory",
            "viewcontent",
            "watch_video",
            "watchvideo",
            "add_payment_info",
            "add_shipping_info",
            "add_to_wishlist",
            "begin_checkout",
            "login",
            "refund",
            "remove_from_cart",
            "select_content",
            "select_item",
            "view_cart",
            "select_promotion",
            "view_promotion",
        ] {
            assert!(
                preset.event_names.contains_key(name),
                "{name} is not mapped"
            );
        }
        assert_eq!(preset.fields.len(), 39);
    }

    /// `commandersact-2026`'s whole event table, as its description documents it.
    const TABLE_2026: &[(&str, &str)] = &[
        ("page_view", "page_visit"),
        ("page_visit", "page_visit"),
        ("view_item", "view_content"),
        ("viewcontent", "view_content"),
        ("view_content", "view_content"),
        ("purchase", "checkout"),
        ("buy", "checkout"),
        ("pay", "checkout"),
        ("payment", "checkout"),
        ("checkout", "checkout"),
        ("begin_checkout", "initiate_checkout"),
        ("initiate_checkout", "initiate_checkout"),
        ("add_payment_info", "add_payment_info"),
        ("add_to_cart", "add_to_cart"),
        ("addtocart", "add_to_cart"),
        ("add_to_wishlist", "add_to_wishlist"),
        ("search", "search"),
        ("find_location", "find_location"),
        ("generate_lead", "lead"),
        ("lead", "lead"),
        ("contact", "contact"),
        ("submit_application", "submit_application"),
        ("sign_up", "signup"),
        ("signup", "signup"),
        ("completeregistration", "signup"),
        ("view_item_list", "view_category"),
        ("viewcategory", "view_category"),
        ("view_category", "view_category"),
        ("watch_video", "watch_video"),
        ("watchvideo", "watch_video"),
        ("subscribe", "subscribe"),
        ("start_trial", "start_trial"),
        ("schedule", "schedule"),
        ("customize_product", "customize_product"),
        ("app_install", "app_install"),
        ("app_open", "app_open"),
        ("add_shipping_info", "custom"),
        ("login", "custom"),
        ("refund", "custom"),
        ("remove_from_cart", "custom"),
        ("select_content", "custom"),
        ("select_item", "custom"),
        ("view_cart", "custom"),
        ("select_promotion", "custom"),
        ("view_promotion", "custom"),
    ];

    #[test]
    fn commandersact_2026_maps_each_name_as_documented() {
        let newer = Preset::builtin("commandersact-2026").unwrap();
        let table: BTreeMap<String, String> = TABLE_2026
            .iter()
            .map(|(source, target)| ((*source).to_owned(), (*target).to_owned()))
            .collect();
        assert_eq!(newer.event_names, table);

        // Every name of the default table is still mapped, and each one that changes is
        // explained in the description.
        let default = Preset::builtin(DEFAULT_PRESET).unwrap();
        for (source, old) in &default.event_names {
            let new = &newer.event_names[source];
            if new != old {
                assert!(
                    newer.description.contains(source.as_str()),
                    "{source}: {old} → {new} is not documented"
                );
            }
        }
        assert_eq!(newer.fields, default.fields);
        assert_eq!(preset_names(), ["commandersact", "commandersact-2026"]);
    }

    #[test]
    fn preset_files_are_checked() {
        let default = builtin_presets();
        let file = |event_names: &str, tail: &str| {
            format!(
                r#"{{"name": "x", "title": "X", "description": "d", "event_names": {event_names}, {tail}}}"#
            )
        };
        let bad_target = parse_preset(
            &file(
                r#"{"chekout": ["purchase"]}"#,
                r#""fields_from": "commandersact""#,
            ),
            default,
        );
        assert!(bad_target.unwrap_err().contains("chekout"));
        let twice = parse_preset(
            &file(
                r#"{"checkout": ["purchase"], "lead": ["purchase"]}"#,
                r#""fields_from": "commandersact""#,
            ),
            default,
        );
        assert!(twice.unwrap_err().contains("both"));
        let unknown_base = parse_preset(&file("{}", r#""fields_from": "nope""#), default);
        assert!(unknown_base.unwrap_err().contains("nope"));
        let neither = parse_preset(&file("{}", r#""fields": null"#), default);
        assert!(neither.unwrap_err().contains("exactly one"));
        let both = parse_preset(
            &file("{}", r#""fields": {}, "fields_from": "commandersact""#),
            default,
        );
        assert!(both.unwrap_err().contains("exactly one"));
        let bad_field = parse_preset(
            &file("{}", r#""fields": {"user_data.emial": ["user.email"]}"#),
            default,
        );
        assert!(bad_field.unwrap_err().contains("user_data.emial"));
        let own = parse_preset(
            &file(
                r#"{"lead": ["optin"]}"#,
                r#""fields": {"user_data.em": ["user.mail"]}"#,
            ),
            &[],
        )
        .unwrap();
        assert_eq!(own.fields.len(), 1);
        assert_eq!(own.event_names["optin"], "lead");
    }

    #[test]
    fn sources_round_trip_through_text() {
        for text in [
            "user.email",
            "items[*].product.price",
            "query(context.page.url, epik)",
            "cookie(context.device.cookie)",
            "cookie(context.device.cookie, _pin_unauth)",
            "derive(action_source)",
        ] {
            assert_eq!(Source::parse(text).unwrap().to_string(), text);
        }
        assert!(Source::parse("query(url)").is_err());
        assert!(Source::parse("derive(x)").is_err());
        assert!(Source::parse("frob(x)").is_err());
        assert!(Source::parse("cookie(a").is_err());
        assert!(Source::parse("cookie(context.device.cookie, _ep;ik)").is_err());
        assert!(Source::parse("cookie(context.device.cookie, _epik)").is_ok());
    }
}
