//! The Pinterest fields pinspect can fill, read from the pinned 5.23 schema.
//!
//! The list of field paths comes from the schema itself, so a config naming a field Pinterest
//! does not have is refused by the same source of truth that validates payloads. What the
//! schema cannot say (that `value` is a decimal in a string, that `em` is hashed, that
//! `event_time` comes from many time formats) is added here as a [`FieldKind`] per path.

use std::sync::OnceLock;

use serde_json::Value;

use super::schema;

/// How a Pinterest field's value is produced from its source value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// A plain string; numbers become their decimal text.
    Text,

    /// An `int64`.
    Integer,

    /// A JSON boolean; boolean-like strings are converted.
    Boolean,

    /// A decimal number sent as a string (`value`, `item_price`, `predicted_ltv`).
    Decimal,

    /// Unix seconds from many time formats (`event_time`).
    Timestamp,

    /// One of `app_android`, `app_ios`, `offline`, `web`.
    ActionSource,

    /// An ISO 4217 code, upper case.
    Currency,

    /// A list of strings (`content_ids`, `device_info.languages`).
    TextList,

    /// Normalized, then SHA-256, sent as a one-element list.
    Hashed(HashedField),

    /// `client_ip_address`: validated, never hashed.
    IpAddress,

    /// `event_source_url`: sent as is, checked for personal data.
    Url,
}

/// The `user_data` fields that are hashed, each with its own normalization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashedField {
    /// E-mail.
    Em,
    /// Phone.
    Ph,
    /// Gender.
    Ge,
    /// Date of birth.
    Db,
    /// Last name.
    Ln,
    /// First name.
    Fn,
    /// City.
    Ct,
    /// State.
    St,
    /// Zip or postal code.
    Zp,
    /// Country.
    Country,
    /// The advertiser's user id.
    ExternalId,
    /// Mobile advertising id.
    HashedMaids,
}

impl HashedField {
    /// Every hashed field.
    pub const ALL: [Self; 12] = [
        Self::Em,
        Self::Ph,
        Self::Ge,
        Self::Db,
        Self::Ln,
        Self::Fn,
        Self::Ct,
        Self::St,
        Self::Zp,
        Self::Country,
        Self::ExternalId,
        Self::HashedMaids,
    ];

    /// The key inside `user_data`, which is also the `--field` name of `pinspect hash`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Em => "em",
            Self::Ph => "ph",
            Self::Ge => "ge",
            Self::Db => "db",
            Self::Ln => "ln",
            Self::Fn => "fn",
            Self::Ct => "ct",
            Self::St => "st",
            Self::Zp => "zp",
            Self::Country => "country",
            Self::ExternalId => "external_id",
            Self::HashedMaids => "hashed_maids",
        }
    }

    /// Looks a field up by its `user_data` key.
    pub fn from_key(key: &str) -> Option<Self> {
        let key = key.strip_prefix("user_data.").unwrap_or(key);
        Self::ALL.into_iter().find(|field| field.key() == key)
    }
}

/// One fillable Pinterest field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// Path as used in configs: `user_data.em`, `custom_data.contents[].item_price`.
    pub path: String,

    /// How the value is produced.
    pub kind: FieldKind,
}

impl FieldSpec {
    /// Whether the field lives in each `custom_data.contents[]` entry.
    pub fn is_item_level(&self) -> bool {
        self.path.starts_with(CONTENTS_PREFIX)
    }

    /// The key inside a `contents[]` entry, for item-level fields.
    pub fn item_key(&self) -> Option<&str> {
        self.path.strip_prefix(CONTENTS_PREFIX)
    }

    /// The path of this field for item `index`: `custom_data.contents[2].quantity`.
    pub fn path_for_item(&self, index: usize) -> String {
        match self.item_key() {
            Some(key) => format!("custom_data.contents[{index}].{key}"),
            None => self.path.clone(),
        }
    }
}

/// Prefix of item-level field paths.
pub const CONTENTS_PREFIX: &str = "custom_data.contents[].";

/// The fillable fields of the pinned schema, in the order they appear in a payload.
#[derive(Debug, Default)]
pub struct Catalog {
    fields: Vec<FieldSpec>,
    event_names: Vec<String>,
}

impl Catalog {
    /// Every field.
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    /// The field at `path`; `custom_data.contents[*].x`, `custom_data.contents.x` and
    /// `custom_data.contents[3].x` are read as `custom_data.contents[].x`.
    pub fn get(&self, path: &str) -> Option<&FieldSpec> {
        let canonical = canonical_path(path);
        self.fields.iter().find(|field| field.path == canonical)
    }

    /// The field names closest to `path`, for "did you mean" messages.
    pub fn suggest(&self, path: &str) -> Option<&str> {
        let canonical = canonical_path(path);
        let last = canonical.rsplit('.').next().unwrap_or(&canonical);
        self.fields
            .iter()
            .map(|field| {
                let whole = strsim::normalized_levenshtein(&field.path, &canonical);
                let field_last = field.path.rsplit('.').next().unwrap_or(&field.path);
                let tail = strsim::normalized_levenshtein(field_last, last);
                // Words the two names share weigh by their length: `category_name` is nearer
                // `content_category` (shares "category") than `content_name` (shares "name").
                let shared: usize = last
                    .split('_')
                    .filter(|word| word.len() > 2 && field_last.split('_').any(|w| w == *word))
                    .map(str::len)
                    .sum();
                #[expect(clippy::cast_precision_loss, reason = "short names")]
                let bonus = shared as f64 / last.len().max(1) as f64;
                let score = whole.max(tail) + bonus;
                (score, field.path.as_str())
            })
            .filter(|(score, _)| *score > 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, path)| path)
    }

    /// The event names listed in the pinned spec's `event_name` description.
    pub fn spec_event_names(&self) -> &[String] {
        &self.event_names
    }
}

/// Canonical form of an item-level path.
pub fn canonical_path(path: &str) -> String {
    let path = path.trim();
    let Some(rest) = path.strip_prefix("custom_data.contents") else {
        return path.to_owned();
    };
    let rest = rest.trim_start_matches('.');
    let key = match rest.strip_prefix('[') {
        Some(after) => after.split_once(']').map_or(after, |(_, key)| key),
        None => rest.split_once('.').map_or(rest, |(head, key)| {
            if head.chars().all(|c| c.is_ascii_digit()) || head == "X" || head == "*" {
                key
            } else {
                rest
            }
        }),
    };
    let key = key.trim_start_matches('.');
    if key.is_empty() {
        "custom_data.contents".to_owned()
    } else {
        format!("{CONTENTS_PREFIX}{key}")
    }
}

/// The catalog built from the embedded schema.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| build_catalog(schema::schema_json()))
}

fn build_catalog(schema: &Value) -> Catalog {
    let defs = &schema["$defs"];
    let event = &defs["ConversionEvents"]["properties"]["data"]["items"];
    let mut fields = Vec::new();

    // Top-level event fields first, then the nested objects, in payload order.
    let Some(properties) = event["properties"].as_object() else {
        log::error!("the embedded schema has no event properties");
        return Catalog::default();
    };
    for (name, property) in properties {
        match name.as_str() {
            "event_name" | "user_data" | "custom_data" | "app_info" | "device_info" => {}
            _ => fields.push(spec(name, property)),
        }
    }

    let user_data = &defs["ConversionEventsUserDataProperties"]["properties"];
    push_object(&mut fields, "user_data", user_data);

    let custom_data = &event["properties"]["custom_data"]["properties"];
    if let Some(map) = custom_data.as_object() {
        for (name, property) in map {
            if name == "contents" {
                push_object(
                    &mut fields,
                    "custom_data.contents[]",
                    &property["items"]["properties"],
                );
            } else {
                fields.push(spec(&format!("custom_data.{name}"), property));
            }
        }
    }

    push_object(
        &mut fields,
        "app_info",
        &defs["ConversionEventAppInfo"]["properties"],
    );
    push_object(
        &mut fields,
        "device_info",
        &defs["ConversionEventDeviceInfo"]["properties"],
    );

    Catalog {
        fields,
        event_names: spec_event_names(&event["properties"]["event_name"]),
    }
}

fn push_object(fields: &mut Vec<FieldSpec>, prefix: &str, properties: &Value) {
    if let Some(map) = properties.as_object() {
        for (name, property) in map {
            fields.push(spec(&format!("{prefix}.{name}"), property));
        }
    }
}

fn spec(path: &str, property: &Value) -> FieldSpec {
    let kind = special_kind(path).unwrap_or_else(|| kind_from_schema(property));
    FieldSpec {
        path: path.to_owned(),
        kind,
    }
}

fn special_kind(path: &str) -> Option<FieldKind> {
    if let Some(key) = path.strip_prefix("user_data.")
        && let Some(hashed) = HashedField::from_key(key)
    {
        return Some(FieldKind::Hashed(hashed));
    }
    Some(match path {
        "event_time" => FieldKind::Timestamp,
        "action_source" => FieldKind::ActionSource,
        "event_source_url" => FieldKind::Url,
        "user_data.client_ip_address" => FieldKind::IpAddress,
        "custom_data.currency" => FieldKind::Currency,
        "custom_data.value" | "custom_data.predicted_ltv" | "custom_data.contents[].item_price" => {
            FieldKind::Decimal
        }
        _ => return None,
    })
}

fn kind_from_schema(property: &Value) -> FieldKind {
    let types: Vec<&str> = match &property["type"] {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"integer") {
        FieldKind::Integer
    } else if types.contains(&"boolean") {
        FieldKind::Boolean
    } else if types.contains(&"array") {
        FieldKind::TextList
    } else {
        FieldKind::Text
    }
}

/// The names listed as "- `name`" in the `event_name` description.
fn spec_event_names(property: &Value) -> Vec<String> {
    property["description"]
        .as_str()
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            line.trim()
                .strip_prefix("- `")
                .and_then(|rest| rest.strip_suffix('`'))
        })
        .map(str::to_owned)
        .collect()
}

/// Event names Pinterest documents beyond the pinned spec (developer guide, 2025–2026). They
/// may be chosen, with a warning that the pinned spec does not list them.
pub const NEWER_EVENT_NAMES: &[&str] = &[
    "app_open",
    "contact",
    "customize_product",
    "find_location",
    "schedule",
    "start_trial",
    "submit_application",
];

/// Every Pinterest event name pinspect offers: the pinned spec's list, then the newer ones.
pub fn all_event_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = catalog()
        .spec_event_names()
        .iter()
        .map(String::as_str)
        .collect();
    names.extend(NEWER_EVENT_NAMES.iter().copied());
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_the_schema_fields_with_kinds() {
        let catalog = catalog();
        assert_eq!(
            catalog.get("user_data.em").map(|f| f.kind),
            Some(FieldKind::Hashed(HashedField::Em))
        );
        assert_eq!(
            catalog
                .get("custom_data.contents[].quantity")
                .map(|f| f.kind),
            Some(FieldKind::Integer)
        );
        assert_eq!(
            catalog
                .get("custom_data.contents[*].item_price")
                .map(|f| f.kind),
            Some(FieldKind::Decimal)
        );
        assert_eq!(
            catalog.get("opt_out").map(|f| f.kind),
            Some(FieldKind::Boolean)
        );
        assert_eq!(
            catalog.get("custom_data.content_ids").map(|f| f.kind),
            Some(FieldKind::TextList)
        );
        assert_eq!(
            catalog.get("device_info.cpu_cores").map(|f| f.kind),
            Some(FieldKind::Integer)
        );
        assert!(catalog.get("custom_data.category_name").is_none());
        assert!(catalog.get("event_name").is_none());
    }

    #[test]
    fn suggests_the_nearest_field() {
        let catalog = catalog();
        assert_eq!(
            catalog.suggest("custom_data.category_name"),
            Some("custom_data.content_category")
        );
        assert_eq!(catalog.suggest("user_data.emial"), Some("user_data.em"));
    }

    #[test]
    fn reads_spec_event_names_from_the_schema() {
        let names = catalog().spec_event_names();
        assert_eq!(names.len(), 15);
        assert!(names.iter().any(|n| n == "page_visit"));
        assert!(!names.iter().any(|n| n == "contact"));
    }

    #[test]
    fn canonical_item_paths() {
        assert_eq!(
            canonical_path("custom_data.contents.X.quantity"),
            "custom_data.contents[].quantity"
        );
        assert_eq!(
            canonical_path("custom_data.contents[4].id"),
            "custom_data.contents[].id"
        );
        assert_eq!(canonical_path("user_data.em"), "user_data.em");
    }
}
