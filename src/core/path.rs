//! Source paths into Commanders Act events: `context.page.url`, `items[0].id`, `items.0.id`,
//! `items[*].product.price` (every item) and `items.length` (the array's length).
//!
//! Paths are parsed once into [`SourcePath`] so that the mapping engine, the config validator
//! and the GUI's path picker agree on one grammar.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object key (or a numeric index when the value is an array).
    Key(String),

    /// An explicit array index, `[2]`.
    Index(usize),

    /// Every element of an array, `[*]`.
    Each,

    /// The length of the array reached so far, `.length`. Only arrays have one: a string is
    /// not a list (`"items": "A,B"` has no items), so `.length` of a string finds nothing.
    Length,
}

/// A parsed source path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourcePath {
    segments: Vec<Segment>,
    text: String,
}

/// Why a path could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Nothing to parse.
    #[error("the path is empty")]
    Empty,

    /// `a..b`, a leading or trailing dot.
    #[error("the path {path:?} has an empty segment")]
    EmptySegment {
        /// The path as written.
        path: String,
    },

    /// `[x]` where x is neither a number nor `*`.
    #[error("the path {path:?} has a bad index {index:?}: use a number or *")]
    BadIndex {
        /// The path as written.
        path: String,
        /// The text between the brackets.
        index: String,
    },

    /// `[` without `]`.
    #[error("the path {path:?} has an unclosed [")]
    Unclosed {
        /// The path as written.
        path: String,
    },

    /// More than one `[*]`.
    #[error("the path {path:?} has more than one [*]")]
    SeveralEach {
        /// The path as written.
        path: String,
    },
}

impl SourcePath {
    /// Parses a path such as `items[*].product.price`.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PathError::Empty);
        }

        let mut segments = Vec::new();
        let mut rest = text;
        let empty = || PathError::EmptySegment {
            path: text.to_owned(),
        };

        loop {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            let key = &rest[..end];
            rest = &rest[end..];
            if key.is_empty() {
                // Only allowed directly after a bracket, as in `items[0].id`.
                if !matches!(segments.last(), Some(Segment::Index(_) | Segment::Each)) {
                    return Err(empty());
                }
            } else if key == "length" && !segments.is_empty() {
                segments.push(Segment::Length);
            } else {
                segments.push(Segment::Key(key.to_owned()));
            }

            while let Some(after) = rest.strip_prefix('[') {
                let close = after.find(']').ok_or_else(|| PathError::Unclosed {
                    path: text.to_owned(),
                })?;
                let index = after[..close].trim();
                if index == "*" {
                    segments.push(Segment::Each);
                } else {
                    let number = index.parse().map_err(|_| PathError::BadIndex {
                        path: text.to_owned(),
                        index: index.to_owned(),
                    })?;
                    segments.push(Segment::Index(number));
                }
                rest = &after[close + 1..];
            }

            match rest.strip_prefix('.') {
                Some("") => return Err(empty()),
                Some(after) => rest = after,
                None if rest.is_empty() => break,
                None => return Err(empty()),
            }
        }

        if segments.iter().filter(|s| **s == Segment::Each).count() > 1 {
            return Err(PathError::SeveralEach {
                path: text.to_owned(),
            });
        }

        Ok(Self {
            segments,
            text: text.to_owned(),
        })
    }

    /// The path as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the path iterates an array with `[*]`.
    pub fn has_each(&self) -> bool {
        self.segments.contains(&Segment::Each)
    }

    /// Looks the path up; `[*]` is not allowed here and yields `None` (use [`Self::each`]).
    pub fn lookup<'a>(&self, root: &'a Value) -> Option<Resolved<'a>> {
        resolve(root, &self.segments)
    }

    /// For a path with `[*]`: one lookup per element of the array before `[*]`, in order, or
    /// `None` when that array is missing. Without `[*]` it is one lookup.
    pub fn each<'a>(&self, root: &'a Value) -> Option<Vec<Option<Resolved<'a>>>> {
        let Some(star) = self.segments.iter().position(|s| *s == Segment::Each) else {
            return Some(vec![self.lookup(root)]);
        };
        let Some(Resolved::Value(Value::Array(elements))) = resolve(root, &self.segments[..star])
        else {
            return None;
        };
        let tail = &self.segments[star + 1..];
        Some(
            elements
                .iter()
                .map(|element| resolve(element, tail))
                .collect(),
        )
    }
}

/// Why a `[*]` path finds fewer values than its list seems to hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListProblem {
    /// The value before `[*]` is there but is not an array (a string `"A,B"`, an object).
    NotList {
        /// The path of the would-be list, e.g. `items`.
        list: String,

        /// What it holds instead, for the message.
        found: String,
    },

    /// Some entries are not objects, so the keys after `[*]` cannot be in them.
    EntriesNotObjects {
        /// The path of the list, e.g. `items`.
        list: String,

        /// The positions of those entries.
        indices: Vec<usize>,
    },
}

impl SourcePath {
    /// For a path with `[*]`: what keeps its list from yielding values, or `None` when the
    /// list is missing (nothing to say) or well formed. Entries that are not objects only
    /// matter when keys follow `[*]` (`items[*].id`, not `ids[*]`).
    pub fn list_problem(&self, root: &Value) -> Option<ListProblem> {
        let star = self.segments.iter().position(|s| *s == Segment::Each)?;
        let list = self
            .text
            .split_once("[*]")
            .map_or(self.text.as_str(), |(before, _)| before)
            .to_owned();
        let Resolved::Value(value) = resolve(root, &self.segments[..star])? else {
            return None;
        };
        match value {
            Value::Array(elements) => {
                let keyed = matches!(self.segments.get(star + 1), Some(Segment::Key(_)));
                let indices: Vec<usize> = elements
                    .iter()
                    .enumerate()
                    .filter(|(_, element)| keyed && !element.is_object())
                    .map(|(index, _)| index)
                    .collect();
                (!indices.is_empty()).then_some(ListProblem::EntriesNotObjects { list, indices })
            }
            Value::Null => None,
            other => Some(ListProblem::NotList {
                list,
                found: super::normalize::describe_value(other),
            }),
        }
    }
}

impl fmt::Display for SourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What a path led to: a value in the event, or a number computed from one (`.length`).
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'a> {
    /// A value inside the event.
    Value(&'a Value),

    /// The length of an array.
    Length(usize),
}

impl Resolved<'_> {
    /// The resolved value as an owned JSON value.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Value(value) => (*value).clone(),
            Self::Length(length) => Value::from(*length),
        }
    }
}

fn resolve<'a>(root: &'a Value, segments: &[Segment]) -> Option<Resolved<'a>> {
    let mut current = root;
    for (position, segment) in segments.iter().enumerate() {
        current = match segment {
            Segment::Key(key) => match current {
                Value::Object(map) => map.get(key)?,
                Value::Array(elements) => elements.get(key.parse::<usize>().ok()?)?,
                _ => return None,
            },
            Segment::Index(index) => current.as_array()?.get(*index)?,
            Segment::Each => return None,
            Segment::Length => {
                // `.length` is only meaningful last; `items.length.x` finds nothing.
                if position + 1 != segments.len() {
                    return None;
                }
                return match current {
                    // An empty list is a missing list (as everywhere): `num_items: 0` would
                    // claim a count where there are no items to count.
                    Value::Array(elements) if elements.is_empty() => None,
                    Value::Array(elements) => Some(Resolved::Length(elements.len())),
                    // An object may really have a key named `length`.
                    Value::Object(map) => map.get("length").map(Resolved::Value),
                    // A string is not a list: counting its characters as items would send
                    // `num_items: 3` for `"items": "A,B"`.
                    _ => None,
                };
            }
        };
    }
    Some(Resolved::Value(current))
}

/// Every leaf path in `events`, with arrays written `[*]`, and the first example value seen
/// for each. Used by the source-path picker; capped so that huge files stay cheap.
pub fn collect_paths<'a>(
    events: impl IntoIterator<Item = &'a Value>,
    limit: usize,
) -> BTreeMap<String, String> {
    let mut paths = BTreeMap::new();
    for event in events {
        walk(event, String::new(), &mut paths, limit);
        if paths.len() >= limit {
            break;
        }
    }
    paths
}

fn walk(value: &Value, prefix: String, out: &mut BTreeMap<String, String>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                walk(child, path, out, limit);
            }
        }
        Value::Array(elements) if elements.iter().any(|e| e.is_object() || e.is_array()) => {
            for element in elements {
                walk(element, format!("{prefix}[*]"), out, limit);
            }
        }
        _ if prefix.is_empty() => {}
        _ => {
            out.entry(prefix).or_insert_with(|| example(value));
        }
    }
}

fn example(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(59).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn get(path: &str, value: &Value) -> Option<Value> {
        SourcePath::parse(path)
            .unwrap()
            .lookup(value)
            .map(|r| r.to_value())
    }

    #[test]
    fn looks_up_nested_keys_and_indexes() {
        let event = json!({"context": {"page": {"url": "u"}}, "items": [{"id": "a"}, {"id": "b"}]});
        assert_eq!(get("context.page.url", &event), Some(json!("u")));
        assert_eq!(get("items[1].id", &event), Some(json!("b")));
        assert_eq!(get("items.1.id", &event), Some(json!("b")));
        assert_eq!(get("items.length", &event), Some(json!(2)));
        assert_eq!(get("items[2].id", &event), None);
        assert_eq!(get("context.page.url.x", &event), None);
    }

    #[test]
    fn length_counts_only_arrays() {
        // An empty list is a missing list: no count.
        assert_eq!(get("items.length", &json!({"items": []})), None);
        assert_eq!(get("items.length", &json!({"items": "A,B"})), None);
        assert_eq!(get("items.length", &json!({"items": 3})), None);
        assert_eq!(
            get("items.length", &json!({"items": {"length": 7}})),
            Some(json!(7))
        );
    }

    #[test]
    fn list_problems_are_named() {
        let path = SourcePath::parse("items[*].id").unwrap();
        assert_eq!(
            path.list_problem(&json!({"items": "A,B"})),
            Some(ListProblem::NotList {
                list: "items".to_owned(),
                found: "\"A,B\"".to_owned()
            })
        );
        assert_eq!(
            path.list_problem(&json!({"items": [1, {"id": "a"}, "b", null]})),
            Some(ListProblem::EntriesNotObjects {
                list: "items".to_owned(),
                indices: vec![0, 2, 3]
            })
        );
        assert_eq!(path.list_problem(&json!({"items": [{"id": "a"}]})), None);
        assert_eq!(path.list_problem(&json!({})), None);
        let ids = SourcePath::parse("ids[*]").unwrap();
        assert_eq!(ids.list_problem(&json!({"ids": ["a", 1]})), None);
    }

    #[test]
    fn each_visits_every_element() {
        let event = json!({"items": [{"id": "a"}, {"x": 1}, {"id": 3}]});
        let path = SourcePath::parse("items[*].id").unwrap();
        let found: Vec<Option<Value>> = path
            .each(&event)
            .unwrap()
            .into_iter()
            .map(|r| r.map(|r| r.to_value()))
            .collect();
        assert_eq!(found, vec![Some(json!("a")), None, Some(json!(3))]);
        assert!(path.each(&json!({})).is_none());
    }

    #[test]
    fn rejects_malformed_paths() {
        assert_eq!(SourcePath::parse(""), Err(PathError::Empty));
        assert!(matches!(
            SourcePath::parse("a..b"),
            Err(PathError::EmptySegment { .. })
        ));
        assert!(matches!(
            SourcePath::parse("a."),
            Err(PathError::EmptySegment { .. })
        ));
        assert!(matches!(
            SourcePath::parse("a[x]"),
            Err(PathError::BadIndex { .. })
        ));
        assert!(matches!(
            SourcePath::parse("a[1"),
            Err(PathError::Unclosed { .. })
        ));
        assert!(matches!(
            SourcePath::parse("a[*].b[*]"),
            Err(PathError::SeveralEach { .. })
        ));
    }

    #[test]
    fn collects_leaf_paths_with_examples() {
        let events = [json!({"user": {"email": "a@b.c"}, "items": [{"id": "x"}]})];
        let paths = collect_paths(&events, 100);
        assert_eq!(paths.get("user.email").map(String::as_str), Some("a@b.c"));
        assert_eq!(paths.get("items[*].id").map(String::as_str), Some("x"));
    }
}
