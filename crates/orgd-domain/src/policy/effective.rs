//! Effective policies for management policy types: how the policies attached along an account's
//! path (root, each OU down, the account) merge into the one document `DescribeEffectivePolicy`
//! returns, and what `ListEffectivePolicyValidationErrors` reports about that merge.
//!
//! The rules, from "Understanding management policy inheritance", "Inheritance operators" and
//! "Inheritance examples" of the Organizations guide:
//! - Levels apply parent first. Within a level, policies apply in the order they were attached,
//!   and the first `@@assign` of a setting wins over later ones at the same level (example 6).
//! - `@@assign` replaces the inherited value (a scalar, or a whole array); `@@append` adds values
//!   to an array (creating it if nothing was inherited, skipping values already present);
//!   `@@remove` takes values out of an array. A setting left with no value (an array emptied by
//!   `@@remove`, a container whose settings are all gone) does not appear (example 3).
//! - `@@operators_allowed_for_child_policies` on a setting limits the value-setting operators
//!   that policies *below* that level may use on that setting; policies at the same level are not
//!   limited by each other, and their limits intersect (example 5). A limit can only narrow.
//! - On a setting that contains settings, the limit governs adding new names under it: a child
//!   policy may add one only if the setting allows `@@append` or `@@assign` ("@@none" under
//!   `services` stops a child from adding services; `["@@append"]` under `plans` lets it add
//!   plans). The limit does not reach the nested settings, which carry their own.
//! - An operator a limit forbids is ignored, and the rest of the policy still applies (example
//!   4); each ignored operator is reported as a validation error with the path of the setting.
//! - The effective policy has no operators: each setting shows its value, e.g.
//!   `{"tags":{"costcenter":{"tag_key":"CostCenter","tag_value":["100","200"]}}}`.
//! - Setting names match without regard to case; the effective policy spells each name as the
//!   first policy (parent first) that used it.

use std::fmt;

use super::json::{self, Json};
use super::management::{self, ALL_OPERATORS, APPEND, ASSIGN, REMOVE, Setting};
use super::{PolicyContentError, PolicyType};

/// Which attached policy: `levels[level][index]` of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyRef {
    pub level: usize,
    pub index: usize,
}

/// `EffectivePolicyValidationError.ErrorCode` values orgd reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidationErrorCode {
    /// A child control operator set higher in the organization forbids this operator here.
    OperatorNotAllowed,
    /// One policy sets a value where another has nested settings, or the reverse.
    TypeMismatch,
}

impl ValidationErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationErrorCode::OperatorNotAllowed => "OPERATOR_NOT_ALLOWED",
            ValidationErrorCode::TypeMismatch => "TYPE_MISMATCH",
        }
    }
}

impl fmt::Display for ValidationErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `EffectivePolicyValidationError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub code: ValidationErrorCode,
    /// Setting names from the top of the document, joined with `.`, e.g. `tags.project.tag_key`.
    pub path: String,
    pub message: String,
    /// The policy that was overruled first, then the policies whose settings overruled it.
    pub contributing: Vec<PolicyRef>,
}

/// The merge of every policy that applies to one account.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectivePolicy {
    /// The effective policy document, without inheritance operators.
    pub policy: serde_json::Value,
    pub validation_errors: Vec<ValidationError>,
}

impl EffectivePolicy {
    /// The document as `EffectivePolicy.PolicyContent` carries it.
    pub fn content(&self) -> String {
        self.policy.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EffectivePolicyError {
    /// SCPs and RCPs have no effective policy.
    #[error("{0} is not a management policy type and has no effective policy.")]
    NotManagementPolicy(PolicyType),
    /// A stored policy no longer parses; policies are validated when saved, so this means the
    /// stored content was damaged.
    #[error("The policy at level {} position {} is malformed: {error}", policy.level, policy.index)]
    Malformed {
        policy: PolicyRef,
        error: PolicyContentError,
    },
}

/// A management policy's content, checked and parsed once (`parse_management`), ready to merge.
/// `State` keeps one per stored management policy, so computing an effective policy parses
/// nothing.
#[derive(Debug)]
pub struct ManagementDocument(Setting);

/// Parses the content of a management policy of type `ty`, as `effective_policy` would.
pub fn parse_management(
    ty: PolicyType,
    content: &str,
) -> Result<ManagementDocument, PolicyContentError> {
    let doc = json::parse(content).map_err(|m| PolicyContentError::invalid_json(&m))?;
    management::parse(ty, doc).map(ManagementDocument)
}

/// Computes the effective policy of type `ty` for an account.
///
/// `levels[0]` holds the contents of the policies attached to the root, then one entry per OU on
/// the way down, and last the account's own; each level lists its policies in attachment order.
/// When no policy of the type applies at all, there is no effective policy (not an empty
/// document): that is for the caller to decide.
pub fn effective_policy<L, S>(
    ty: PolicyType,
    levels: &[L],
) -> Result<EffectivePolicy, EffectivePolicyError>
where
    L: AsRef<[S]>,
    S: AsRef<str>,
{
    if !ty.is_management() {
        return Err(EffectivePolicyError::NotManagementPolicy(ty));
    }
    let parsed: Vec<Vec<Result<ManagementDocument, PolicyContentError>>> = levels
        .iter()
        .map(|l| {
            l.as_ref()
                .iter()
                .map(|c| parse_management(ty, c.as_ref()))
                .collect()
        })
        .collect();
    effective_policy_of_parsed(ty, &parsed)
}

/// `effective_policy` over contents already parsed with `parse_management` (a content that did
/// not parse is reported as `Malformed`, where it stands).
pub fn effective_policy_of_parsed<L, D>(
    ty: PolicyType,
    levels: &[L],
) -> Result<EffectivePolicy, EffectivePolicyError>
where
    L: AsRef<[D]>,
    D: std::borrow::Borrow<Result<ManagementDocument, PolicyContentError>>,
{
    if !ty.is_management() {
        return Err(EffectivePolicyError::NotManagementPolicy(ty));
    }
    let mut root = Node::new(String::new(), String::new());
    let mut errors = Vec::new();
    for (level, policies) in levels.iter().enumerate() {
        for (index, doc) in policies.as_ref().iter().enumerate() {
            let at = PolicyRef { level, index };
            let setting = match doc.borrow() {
                Ok(ManagementDocument(setting)) => setting,
                Err(error) => {
                    return Err(EffectivePolicyError::Malformed {
                        policy: at,
                        error: error.clone(),
                    });
                }
            };
            let mut merge = Merge {
                level,
                at,
                path: Vec::new(),
                errors: &mut errors,
            };
            merge.apply(&mut root, setting);
        }
        root.close_level();
    }
    Ok(EffectivePolicy {
        policy: root
            .to_value()
            .unwrap_or_else(|| serde_json::Value::Object(Default::default())),
        validation_errors: errors,
    })
}

/// A setting of the effective policy being built.
#[derive(Debug)]
struct Node {
    key: String,
    folded: String,
    /// The operators policies at the levels still to come may use here.
    allowed: u8,
    /// The policies whose child control operators narrowed `allowed`.
    limited_by: Vec<PolicyRef>,
    /// Limits declared at the level being merged; they take effect when it closes.
    pending: Vec<(PolicyRef, u8)>,
    /// The level whose `@@assign` set the value, so later ones at that level lose.
    assigned_at: Option<usize>,
    /// The policies that set this node's value or nested settings.
    set_by: Vec<PolicyRef>,
    value: Value,
}

#[derive(Debug)]
enum Value {
    Unset,
    Leaf(Json),
    Settings(Vec<Node>),
}

impl Node {
    fn new(key: String, folded: String) -> Node {
        Node {
            key,
            folded,
            allowed: ALL_OPERATORS,
            limited_by: Vec::new(),
            pending: Vec::new(),
            assigned_at: None,
            set_by: Vec::new(),
            value: Value::Unset,
        }
    }

    fn mark(&mut self, at: PolicyRef) {
        if self.set_by.last() != Some(&at) {
            self.set_by.push(at);
        }
    }

    fn close_level(&mut self) {
        for (by, mask) in self.pending.drain(..) {
            if self.allowed & mask != self.allowed {
                self.allowed &= mask;
                self.limited_by.push(by);
            }
        }
        if let Value::Settings(children) = &mut self.value {
            children.iter_mut().for_each(Node::close_level);
        }
    }

    fn to_value(&self) -> Option<serde_json::Value> {
        match &self.value {
            Value::Unset => None,
            Value::Leaf(Json::Array(items)) if items.is_empty() => None,
            Value::Leaf(v) => Some(v.to_value()),
            Value::Settings(children) => {
                let map: serde_json::Map<_, _> = children
                    .iter()
                    .filter_map(|c| c.to_value().map(|v| (c.key.clone(), v)))
                    .collect();
                (!map.is_empty()).then_some(serde_json::Value::Object(map))
            }
        }
    }
}

fn operator_name(op: u8) -> &'static str {
    match op {
        ASSIGN => "@@assign",
        APPEND => "@@append",
        _ => "@@remove",
    }
}

fn describe_allowed(mask: u8) -> String {
    if mask == 0 {
        return "no operators".to_string();
    }
    let names: Vec<_> = [ASSIGN, APPEND, REMOVE]
        .into_iter()
        .filter(|op| mask & op != 0)
        .map(operator_name)
        .collect();
    format!("only {}", names.join(", "))
}

/// Applies one policy to the effective policy.
struct Merge<'t, 'e> {
    level: usize,
    at: PolicyRef,
    path: Vec<&'t str>,
    errors: &'e mut Vec<ValidationError>,
}

impl<'t> Merge<'t, '_> {
    fn report(&mut self, code: ValidationErrorCode, message: String, others: &[PolicyRef]) {
        let mut contributing = vec![self.at];
        contributing.extend(others.iter().filter(|p| **p != self.at));
        contributing.dedup();
        self.errors.push(ValidationError {
            code,
            path: self.path.join("."),
            message,
            contributing,
        });
    }

    /// Whether `op` may be used on `node`; reports it when not.
    fn permitted(&mut self, node: &Node, op: u8) -> bool {
        if node.allowed & op != 0 {
            return true;
        }
        let message = format!(
            "The {} operator is ignored: a policy attached higher in the organization allows \
             {} on this setting.",
            operator_name(op),
            describe_allowed(node.allowed)
        );
        self.report(
            ValidationErrorCode::OperatorNotAllowed,
            message,
            &node.limited_by,
        );
        false
    }

    fn apply(&mut self, node: &mut Node, setting: &'t Setting) {
        if setting.has_value_operators() {
            self.apply_value(node, setting);
        }
        if !setting.children.is_empty() {
            self.apply_children(node, setting);
        }
        if let Some(mask) = setting.allowed {
            node.pending.push((self.at, mask));
        }
    }

    fn apply_value(&mut self, node: &mut Node, setting: &Setting) {
        if matches!(node.value, Value::Settings(_)) {
            let message = "This policy sets a value where an earlier policy has nested settings; \
                           the value is ignored."
                .to_string();
            self.report(ValidationErrorCode::TypeMismatch, message, &node.set_by);
            return;
        }
        if let Some(v) = &setting.assign
            && self.permitted(node, ASSIGN)
            && node.assigned_at != Some(self.level)
        {
            node.value = Value::Leaf(v.clone());
            node.assigned_at = Some(self.level);
            node.mark(self.at);
        }
        if let Some(values) = &setting.append
            && self.permitted(node, APPEND)
        {
            let mut list = match std::mem::replace(&mut node.value, Value::Unset) {
                Value::Leaf(Json::Array(items)) => items,
                Value::Leaf(scalar) => vec![scalar],
                _ => Vec::with_capacity(values.len()),
            };
            for v in values {
                if !list.contains(v) {
                    list.push(v.clone());
                }
            }
            node.value = Value::Leaf(Json::Array(list));
            node.mark(self.at);
        }
        if let Some(values) = &setting.remove
            && self.permitted(node, REMOVE)
        {
            match &mut node.value {
                Value::Leaf(Json::Array(items)) => items.retain(|v| !values.contains(v)),
                Value::Leaf(scalar) if values.contains(scalar) => node.value = Value::Unset,
                _ => {}
            }
            node.mark(self.at);
        }
    }

    fn apply_children(&mut self, node: &mut Node, setting: &'t Setting) {
        if matches!(node.value, Value::Leaf(_)) {
            let message = "This policy has nested settings where an earlier policy sets a value; \
                           the nested settings are ignored."
                .to_string();
            self.report(ValidationErrorCode::TypeMismatch, message, &node.set_by);
            return;
        }
        let may_add = node.allowed & (ASSIGN | APPEND) != 0;
        let (allowed, limited_by) = (node.allowed, node.limited_by.clone());
        if matches!(node.value, Value::Unset) {
            node.value = Value::Settings(Vec::with_capacity(setting.children.len()));
        }
        let Value::Settings(children) = &mut node.value else {
            unreachable!()
        };
        let mut touched = false;
        for child in &setting.children {
            self.path.push(&child.key);
            match children.iter().position(|n| n.folded == child.folded) {
                Some(i) => self.apply(&mut children[i], &child.setting),
                None if child.setting.sets_values && !may_add => {
                    self.path.pop();
                    let message = format!(
                        "The setting \"{}\" is not added: a policy attached higher in the \
                         organization allows {} here.",
                        child.key,
                        describe_allowed(allowed)
                    );
                    self.report(
                        ValidationErrorCode::OperatorNotAllowed,
                        message,
                        &limited_by,
                    );
                    continue;
                }
                None => {
                    children.push(Node::new(child.key.clone(), child.folded.clone()));
                    let last = children.len() - 1;
                    self.apply(&mut children[last], &child.setting);
                }
            }
            touched |= child.setting.sets_values;
            self.path.pop();
        }
        if touched {
            node.mark(self.at);
        }
    }
}

#[cfg(test)]
mod tests;
