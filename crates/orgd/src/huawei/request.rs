//! What every Huawei handler reads: the caller's account, the path parameters, the query (with
//! repeated keys), the JSON body and the `X-Language` header; and the paging of `limit` and
//! `marker` in one place.

use orgd_domain::ops::{Page, PageRequest};
use serde_json::{Map, Value, json};

use super::errors::HwError;
use super::routes::Op;

/// One routed, identified request, its body parsed.
#[derive(Debug)]
pub struct Call {
    pub op: Op,
    /// The calling account (a Huawei domain id).
    pub caller: String,
    /// Path parameters, decoded, in template order.
    pub params: Vec<(&'static str, String)>,
    pub query: Query,
    pub body: Body,
    /// `X-Language` (`zh-cn` or `en-us`), when sent.
    pub language: Option<String>,
}

impl Call {
    /// A path parameter of the route (the routing table guarantees its presence).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }
}

/// The query string: `key=value` pairs, decoded, in order; a key may repeat (`states=a&states=b`).
#[derive(Debug, Default, Clone)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(query: Option<&str>) -> Query {
        Query(crate::signing::query_pairs(query.unwrap_or_default()))
    }

    /// The value of a key sent once; a key sent more than once is refused.
    pub fn one(&self, key: &str) -> Result<Option<&str>, HwError> {
        let mut values = self.all(key).into_iter();
        let first = values.next();
        if values.next().is_some() {
            return Err(HwError::invalid(format!(
                "The query parameter {key} must be given at most once."
            )));
        }
        Ok(first)
    }

    /// Every value of a repeated key, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A boolean sent as `true` or `false`.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, HwError> {
        match self.one(key)? {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(HwError::invalid(format!(
                "The query parameter {key} must be true or false, not '{other}'."
            ))),
        }
    }

    /// A string parameter of at most `max` characters; an empty one counts as absent.
    pub fn str(&self, key: &str, max: usize) -> Result<Option<&str>, HwError> {
        match self.one(key)? {
            Some(v) if v.chars().count() > max => Err(HwError::invalid(format!(
                "The query parameter {key} must be at most {max} characters long."
            ))),
            Some("") | None => Ok(None),
            Some(v) => Ok(Some(v)),
        }
    }

    /// A required string parameter.
    pub fn required(&self, key: &str, max: usize) -> Result<&str, HwError> {
        self.str(key, max)?
            .ok_or_else(|| HwError::invalid(format!("The query parameter {key} is required.")))
    }
}

/// The largest page Huawei's listings allow, and the default one (API.md §1).
pub const MAX_LIMIT: usize = 2000;
pub const DEFAULT_LIMIT: usize = 200;
/// `list_organizational_units` documents a larger default.
pub const DEFAULT_OU_LIMIT: usize = 1000;
/// A marker's documented length.
const MARKER_CHARS: std::ops::RangeInclusive<usize> = 4..=400;

/// Reads `limit` (1..=2000, `default` when absent) and `marker` (resume strictly after the id
/// it names, the last one of the previous page).
pub fn page_request(query: &Query, default: usize) -> Result<PageRequest, HwError> {
    let limit = match query.one("limit")? {
        None => default,
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                HwError::invalid(format!(
                    "The limit must be an integer from 1 to {MAX_LIMIT}, not '{s}'."
                ))
            })?,
    };
    let after = match query.one("marker")? {
        None | Some("") => None,
        Some(m) if MARKER_CHARS.contains(&m.chars().count()) => Some(m.to_string()),
        Some(_) => {
            return Err(HwError::invalid(
                "The marker must be 4 to 400 characters long.",
            ));
        }
    };
    Ok(PageRequest { after, limit })
}

/// A page as Huawei answers it: `{ <member>: [items], "page_info": {next_marker, current_count} }`.
pub fn paged<T>(member: &str, page: Page<T>, encode: impl Fn(&T) -> Value) -> Value {
    let items: Vec<Value> = page.items.iter().map(encode).collect();
    json!({
        member: items,
        "page_info": { "next_marker": page.next, "current_count": items.len() },
    })
}

/// A JSON request body: an object, or nothing (an empty body has no members).
#[derive(Debug, Default, Clone)]
pub struct Body(Map<String, Value>);

impl Body {
    pub fn parse(bytes: &[u8]) -> Result<Body, HwError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Body::default());
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) => Ok(Body(m)),
            Ok(_) => Err(HwError::invalid("The request body must be a JSON object.")),
            Err(e) => Err(HwError::invalid(format!(
                "The request body is not valid JSON: {e}."
            ))),
        }
    }

    /// A member as sent; `null` counts as absent (the SDK never sends it).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<&str>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(mistyped(name, "a string")),
        }
    }

    /// A required string member.
    pub fn str(&self, name: &str) -> Result<&str, HwError> {
        self.opt_str(name)?.ok_or_else(|| missing(name))
    }

    /// A required string of `min..=max` characters.
    pub fn bounded(&self, name: &str, min: usize, max: usize) -> Result<&str, HwError> {
        let s = self.str(name)?;
        check_length(name, s, min, max)?;
        Ok(s)
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(mistyped(name, "a boolean")),
        }
    }

    /// A member that is an object, as a body of its own.
    pub fn opt_object(&self, name: &str) -> Result<Option<Body>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Body(m.clone()))),
            Some(_) => Err(mistyped(name, "an object")),
        }
    }

    pub fn object(&self, name: &str) -> Result<Body, HwError> {
        self.opt_object(name)?.ok_or_else(|| missing(name))
    }

    /// A member that is an array of objects.
    pub fn opt_objects(&self, name: &str) -> Result<Option<Vec<Body>>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Object(m) => Ok(Body(m.clone())),
                    _ => Err(mistyped(name, "an array of objects")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(mistyped(name, "an array of objects")),
        }
    }

    /// A member that is an array of strings.
    pub fn opt_strings(&self, name: &str) -> Result<Option<Vec<String>>, HwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(mistyped(name, "an array of strings")),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(_) => Err(mistyped(name, "an array of strings")),
        }
    }

    /// A `TagDto` list (`[{"key", "value"}]`), key 1..=128 and value 0..=255 characters.
    pub fn tags(&self, name: &str) -> Result<Vec<(String, String)>, HwError> {
        let Some(items) = self.opt_objects(name)? else {
            return Ok(Vec::new());
        };
        items
            .iter()
            .map(|t| {
                let key = t.bounded("key", 1, 128)?;
                let value = t.bounded("value", 0, 255)?;
                Ok((key.to_string(), value.to_string()))
            })
            .collect()
    }
}

/// Refuses a string outside `min..=max` characters.
pub fn check_length(name: &str, s: &str, min: usize, max: usize) -> Result<(), HwError> {
    let n = s.chars().count();
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(HwError::invalid(format!(
            "{name} must be {min} to {max} characters long."
        )))
    }
}

fn missing(name: &str) -> HwError {
    HwError::invalid(format!("The member {name} is required."))
}

fn mistyped(name: &str, what: &str) -> HwError {
    HwError::invalid(format!("The member {name} must be {what}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_query_keys_keep_every_value() {
        let q = Query::parse(Some(
            "states=failed&limit=5&states=in_progress&marker=a%3Ab",
        ));
        assert_eq!(q.all("states"), vec!["failed", "in_progress"]);
        assert_eq!(q.one("marker").unwrap(), Some("a:b"));
        assert!(q.one("states").is_err());
        assert_eq!(q.one("absent").unwrap(), None);
    }

    #[test]
    fn limit_and_marker_have_their_documented_bounds() {
        let p = |s| page_request(&Query::parse(Some(s)), DEFAULT_LIMIT);
        assert_eq!(p("").unwrap().limit, 200);
        assert_eq!(
            page_request(&Query::parse(None), DEFAULT_OU_LIMIT)
                .unwrap()
                .limit,
            1000
        );
        assert_eq!(p("limit=2000").unwrap().limit, 2000);
        for bad in ["limit=0", "limit=2001", "limit=x", "limit=-1", "marker=abc"] {
            assert_eq!(p(bad).unwrap_err().status, 400, "{bad}");
        }
        assert_eq!(p("marker=ou-abc").unwrap().after.as_deref(), Some("ou-abc"));
    }

    #[test]
    fn a_page_tells_where_to_resume() {
        let page = Page {
            items: vec!["a", "b"],
            next: Some("b".to_string()),
        };
        let v = paged("things", page, |s| json!(s));
        assert_eq!(
            v,
            json!({"things": ["a", "b"], "page_info": {"next_marker": "b", "current_count": 2}})
        );
    }

    #[test]
    fn bodies_are_objects_or_nothing() {
        assert!(Body::parse(b"").unwrap().get("x").is_none());
        assert!(Body::parse(b"  \n").is_ok());
        for bad in [&b"{"[..], b"[]", b"\"s\"", b"null"] {
            assert_eq!(Body::parse(bad).unwrap_err().status, 400);
        }
        let b = Body::parse(br#"{"name": 1, "tags": [{"key": "k", "value": ""}]}"#).unwrap();
        assert!(b.str("name").is_err());
        assert!(b.str("absent").is_err());
        assert_eq!(b.tags("tags").unwrap(), vec![("k".into(), "".into())]);
    }
}
