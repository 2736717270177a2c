//! The Resource Groups Tagging API for Organizations resources, on orgd's endpoint (JSON 1.1,
//! `X-Amz-Target: ResourceGroupsTaggingAPI_20170126.<Operation>`, signed for `tagging`):
//! `GetResources`, `TagResources`, `UntagResources`, `GetTagKeys` and `GetTagValues`, limited to
//! the resource types of Organizations (accounts, OUs, roots, policies), which are all orgd holds.
//! Tools such as Cloud Custodian read and write the tags of Organizations resources only this
//! way. The selection by tags is the domain's (`ops::select_resources`, the one tag query, also
//! behind Huawei's `list_resource_instances`); tagging goes through `ops::tag_resource` and
//! `ops::untag_resource`, so every rule of TagResource applies.
//!
//! The members' constraints are the service model's (`resourcegroupstaggingapi/2017-01-26`); a
//! unit test reads the model and fails when a constant here drifts from it.

use orgd_domain::model::Kind;
use serde_json::{Map, Value, json};

pub const TARGET_PREFIX: &str = "ResourceGroupsTaggingAPI_20170126.";
/// The service name in the credential scope of a tagging request.
pub const SIGNING_NAME: &str = "tagging";
/// The operations orgd answers, by name.
pub const OPERATIONS: &[&str] = &[
    "GetResources",
    "GetTagKeys",
    "GetTagValues",
    "TagResources",
    "UntagResources",
];

/// The model's bounds: `ResourceARNListForTagUntag` 1..20, `ResourceARNListForGet` 1..100,
/// `TagMap` 1..50, `TagKeyListForUntag` 1..50, `TagFilterList` up to 50, `TagValueList` up to 20,
/// `TagKey` 1..128 and `TagValue` up to 256 characters.
pub const MAX_TAG_UNTAG_ARNS: usize = 20;
pub const MAX_GET_ARNS: usize = 100;
pub const MAX_TAGS: usize = 50;
pub const MAX_TAG_FILTERS: usize = 50;
pub const MAX_FILTER_VALUES: usize = 20;
pub const MAX_KEY_CHARS: usize = 128;
pub const MAX_VALUE_CHARS: usize = 256;
/// `ResourcesPerPage` (1 to 100) and `TagsPerPage` (100 to 500), as the API reference bounds
/// them (the model leaves both plain integers).
pub const MAX_RESOURCES_PER_PAGE: usize = 100;
pub const TAGS_PER_PAGE: std::ops::RangeInclusive<i64> = 100..=500;

/// The service prefix of every resource type orgd answers for.
const SERVICE: &str = "organizations";

/// Each Organizations resource type the tagging API names (`organizations:<type>`, the type being
/// the resource segment of the ARN), in the order `GetResources` lists them.
pub const RESOURCE_TYPES: [(&str, Kind); 4] = [
    ("account", Kind::Account),
    ("ou", Kind::OrganizationalUnit),
    ("policy", Kind::Policy),
    ("root", Kind::Root),
];

/// The kind of an ARN's resource type segment.
pub fn kind_of_type(resource_type: &str) -> Option<Kind> {
    RESOURCE_TYPES
        .iter()
        .find(|(t, _)| *t == resource_type)
        .map(|(_, k)| *k)
}

/// An error of the tagging API, in its JSON shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggingError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl TaggingError {
    pub fn invalid(message: impl Into<String>) -> Self {
        TaggingError {
            status: 400,
            code: "InvalidParameterException",
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        TaggingError {
            status: 500,
            code: "InternalServiceException",
            message: message.into(),
        }
    }

    pub fn body(&self) -> Value {
        json!({ "__type": self.code, "Message": self.message })
    }
}

/// The kinds `ResourceTypeFilters` selects: all four when it is absent or names `organizations`;
/// none for another service's types (orgd holds none of them).
pub fn kinds(filters: &[String]) -> Result<Vec<Kind>, TaggingError> {
    if filters.is_empty() {
        return Ok(RESOURCE_TYPES.iter().map(|(_, k)| *k).collect());
    }
    let mut kinds = Vec::new();
    for f in filters {
        let (service, ty) = match f.split_once(':') {
            Some((s, t)) => (s, Some(t)),
            None => (f.as_str(), None),
        };
        if service.is_empty() || ty.is_some_and(str::is_empty) {
            return Err(TaggingError::invalid(format!(
                "Unsupported resource type filter: '{f}'."
            )));
        }
        if service != SERVICE {
            continue;
        }
        let selected: Vec<Kind> = match ty {
            None => RESOURCE_TYPES.iter().map(|(_, k)| *k).collect(),
            Some(t) => match kind_of_type(t) {
                Some(k) => vec![k],
                None => {
                    return Err(TaggingError::invalid(format!(
                        "Unsupported resource type filter: '{f}'."
                    )));
                }
            },
        };
        for k in selected {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    kinds.sort_by_key(|k| RESOURCE_TYPES.iter().position(|(_, r)| r == k));
    Ok(kinds)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Checks a tag key against `TagKey` and the reserved `aws:` prefix is left to the domain.
pub fn check_key(key: &str) -> Result<(), TaggingError> {
    if key.is_empty() || chars(key) > MAX_KEY_CHARS {
        return Err(TaggingError::invalid(format!(
            "A tag key must be 1 to {MAX_KEY_CHARS} characters long: '{key}'."
        )));
    }
    Ok(())
}

pub fn check_value(value: &str) -> Result<(), TaggingError> {
    if chars(value) > MAX_VALUE_CHARS {
        return Err(TaggingError::invalid(format!(
            "A tag value must be at most {MAX_VALUE_CHARS} characters long."
        )));
    }
    Ok(())
}

/// `count` items of `what`, within `min..=max`.
pub fn check_count(what: &str, count: usize, min: usize, max: usize) -> Result<(), TaggingError> {
    if count < min || count > max {
        return Err(TaggingError::invalid(format!(
            "{what} must have {min} to {max} items, not {count}."
        )));
    }
    Ok(())
}

/// A request's JSON members.
pub struct Members(pub Map<String, Value>);

impl Members {
    pub fn parse(body: &[u8]) -> Result<Members, TaggingError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Members(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => Ok(Members(m)),
            _ => Err(TaggingError {
                status: 400,
                code: "SerializationException",
                message: "The request body is not a JSON object.".into(),
            }),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    pub fn string(&self, name: &str) -> Result<Option<&str>, TaggingError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(TaggingError::invalid(format!("{name} must be a string."))),
        }
    }

    pub fn strings(&self, name: &str) -> Result<Vec<String>, TaggingError> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        TaggingError::invalid(format!("{name} must be a list of strings."))
                    })
                })
                .collect(),
            Some(_) => Err(TaggingError::invalid(format!(
                "{name} must be a list of strings."
            ))),
        }
    }

    /// A list of strings of `min` to `max` items.
    pub fn strings_counted(
        &self,
        name: &str,
        min: usize,
        max: usize,
    ) -> Result<Vec<String>, TaggingError> {
        let items = self.strings(name)?;
        check_count(name, items.len(), min, max)?;
        Ok(items)
    }

    pub fn integer(&self, name: &str) -> Result<Option<i64>, TaggingError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| TaggingError::invalid(format!("{name} must be an integer."))),
        }
    }

    /// `Tags` of TagResources: a map of key to value.
    pub fn tag_map(&self, name: &str) -> Result<Vec<(String, String)>, TaggingError> {
        let Some(Value::Object(m)) = self.get(name) else {
            return Err(TaggingError::invalid(format!(
                "{name} must be a map of tag keys to values."
            )));
        };
        m.iter()
            .map(|(k, v)| match v {
                Value::String(v) => Ok((k.clone(), v.clone())),
                _ => Err(TaggingError::invalid(format!(
                    "The value of tag '{k}' must be a string."
                ))),
            })
            .collect()
    }

    /// `TagFilters` of GetResources: `[{Key, Values?}]`.
    pub fn tag_filters(&self) -> Result<Vec<(String, Vec<String>)>, TaggingError> {
        let Some(v) = self.get("TagFilters") else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = v else {
            return Err(TaggingError::invalid("TagFilters must be a list."));
        };
        items
            .iter()
            .map(|item| {
                let m = Members(item.as_object().cloned().ok_or_else(|| {
                    TaggingError::invalid("Each of TagFilters must be an object.")
                })?);
                let key = m
                    .string("Key")?
                    .ok_or_else(|| TaggingError::invalid("A tag filter needs a Key."))?
                    .to_string();
                Ok((key, m.strings("Values")?))
            })
            .collect()
    }
}

/// One `ResourceTagMapping`.
pub fn mapping(arn: &str, tags: &std::collections::BTreeMap<String, String>) -> Value {
    json!({
        "ResourceARN": arn,
        "Tags": tags
            .iter()
            .map(|(k, v)| json!({ "Key": k, "Value": v }))
            .collect::<Vec<_>>(),
    })
}

/// One entry of `FailedResourcesMap`.
pub fn failure(status: u16, code: &str, message: &str) -> Value {
    json!({ "StatusCode": status, "ErrorCode": code, "ErrorMessage": message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_type_filters_select_organizations_kinds() {
        let all = kinds(&[]).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(kinds(&["organizations".into()]).unwrap(), all);
        assert_eq!(
            kinds(&["organizations:ou".into(), "organizations:account".into()]).unwrap(),
            vec![Kind::Account, Kind::OrganizationalUnit]
        );
        assert!(kinds(&["ec2:instance".into()]).unwrap().is_empty());
        assert!(kinds(&["organizations:handshake".into()]).is_err());
        assert!(kinds(&[":x".into()]).is_err());
    }

    /// A service model of the machine's botocore (`python3 -c 'import botocore'`).
    fn botocore_model(service: &str) -> Value {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import botocore, os; print(os.path.dirname(botocore.__file__))",
            ])
            .output()
            .expect("python3 with botocore is on the machine");
        let dir = String::from_utf8(out.stdout).unwrap();
        let path = format!("{}/data/{service}/service-2.json.gz", dir.trim());
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_reader(flate2::read::GzDecoder::new(file)).unwrap()
    }

    /// The constants above are the model's: reading botocore's model keeps them honest.
    #[test]
    fn the_bounds_are_the_service_models() {
        let model = botocore_model("resourcegroupstaggingapi/2017-01-26");
        let shape = |n: &str| &model["shapes"][n];
        let bound = |n: &str, k: &str| shape(n)[k].as_u64().map(|v| v as usize);
        assert_eq!(
            bound("ResourceARNListForTagUntag", "max"),
            Some(MAX_TAG_UNTAG_ARNS)
        );
        assert_eq!(bound("ResourceARNListForGet", "max"), Some(MAX_GET_ARNS));
        assert_eq!(bound("TagMap", "max"), Some(MAX_TAGS));
        assert_eq!(bound("TagKeyListForUntag", "max"), Some(MAX_TAGS));
        assert_eq!(bound("TagFilterList", "max"), Some(MAX_TAG_FILTERS));
        assert_eq!(bound("TagValueList", "max"), Some(MAX_FILTER_VALUES));
        assert_eq!(bound("TagKey", "max"), Some(MAX_KEY_CHARS));
        assert_eq!(bound("TagValue", "max"), Some(MAX_VALUE_CHARS));
        let ops = model["operations"].as_object().unwrap();
        for op in OPERATIONS {
            assert!(ops.contains_key(*op), "{op} is not in the model");
        }
        assert_eq!(
            model["metadata"]["targetPrefix"]
                .as_str()
                .map(|p| format!("{p}.")),
            Some(TARGET_PREFIX.to_string())
        );
        assert_eq!(model["metadata"]["endpointPrefix"], SIGNING_NAME);
    }
}
