//! The one routing table of the Huawei API: each (method, path template) of API.md's quick index,
//! the operation it names and the operation's success status. Paths are matched segment by
//! segment after each segment is percent-decoded (the SDK encodes `organizations:accounts` as
//! `organizations%3Aaccounts`). A literal segment beats a `{parameter}` in the same place
//! (`/policies/enable` over `/policies/{policy_id}`, `/accounts/invite` over
//! `/accounts/{account_id}`); `{resource_type}` matches only a segment holding a ':' (every
//! Huawei resource type does: `organizations:accounts`), other parameters only one without.

use percent_encoding::percent_decode_str;

/// The HTTP methods the Huawei API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

macro_rules! operations {
    ($($variant:ident => $name:literal,)*) => {
        /// Every operation of the Huawei API, named as the official SDK's client methods.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Op {
            $($variant,)*
        }

        impl Op {
            pub const ALL: &'static [Op] = &[$(Op::$variant,)*];

            /// The SDK's method name, e.g. `create_organization`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Op::$variant => $name,)*
                }
            }
        }
    };
}

operations! {
    CreateOrganization => "create_organization",
    ShowOrganization => "show_organization",
    DeleteOrganization => "delete_organization",
    LeaveOrganization => "leave_organization",
    ListRoots => "list_roots",
    CreateOrganizationalUnit => "create_organizational_unit",
    ListOrganizationalUnits => "list_organizational_units",
    ShowOrganizationalUnit => "show_organizational_unit",
    UpdateOrganizationalUnit => "update_organizational_unit",
    DeleteOrganizationalUnit => "delete_organizational_unit",
    CreateAccount => "create_account",
    CreateResourceAccount => "create_resource_account",
    ListAccounts => "list_accounts",
    ShowAccount => "show_account",
    UpdateAccount => "update_account",
    MoveAccount => "move_account",
    RemoveAccount => "remove_account",
    CloseAccount => "close_account",
    InviteAccount => "invite_account",
    ListCreateAccountStatuses => "list_create_account_statuses",
    ShowCreateAccountStatus => "show_create_account_status",
    ListCloseAccountStatuses => "list_close_account_statuses",
    ListHandshakes => "list_handshakes",
    ShowHandshake => "show_handshake",
    CancelHandshake => "cancel_handshake",
    ListReceivedHandshakes => "list_received_handshakes",
    AcceptHandshake => "accept_handshake",
    DeclineHandshake => "decline_handshake",
    EnableTrustedService => "enable_trusted_service",
    DisableTrustedService => "disable_trusted_service",
    ListTrustedServices => "list_trusted_services",
    RegisterDelegatedAdministrator => "register_delegated_administrator",
    DeregisterDelegatedAdministrator => "deregister_delegated_administrator",
    ListDelegatedAdministrators => "list_delegated_administrators",
    ListDelegatedServices => "list_delegated_services",
    CreatePolicy => "create_policy",
    ListPolicies => "list_policies",
    ShowPolicy => "show_policy",
    UpdatePolicy => "update_policy",
    DeletePolicy => "delete_policy",
    EnablePolicyType => "enable_policy_type",
    DisablePolicyType => "disable_policy_type",
    AttachPolicy => "attach_policy",
    DetachPolicy => "detach_policy",
    ListEntitiesForPolicy => "list_entities_for_policy",
    ShowDryRunConfig => "show_dry_run_config",
    UpdateDryRunConfig => "update_dry_run_config",
    CreateDryRunPolicy => "create_dry_run_policy",
    ListDryRunPolicies => "list_dry_run_policies",
    ShowDryRunPolicy => "show_dry_run_policy",
    UpdateDryRunPolicy => "update_dry_run_policy",
    DeleteDryRunPolicy => "delete_dry_run_policy",
    AttachDryRunPolicy => "attach_dry_run_policy",
    DetachDryRunPolicy => "detach_dry_run_policy",
    ListEntitiesForDryRunPolicy => "list_entities_for_dry_run_policy",
    TagResource => "tag_resource",
    UntagResource => "untag_resource",
    ListTagsForResource => "list_tags_for_resource",
    CreateTagResource => "create_tag_resource",
    DeleteTagResource => "delete_tag_resource",
    ListTagResources => "list_tag_resources",
    ListResourceTags => "list_resource_tags",
    ListResourceInstances => "list_resource_instances",
    ShowResourceInstancesCount => "show_resource_instances_count",
    ShowEffectivePolicies => "show_effective_policies",
    ListEntities => "list_entities",
    ListServices => "list_services",
    ListTagPolicyServices => "list_tag_policy_services",
    ListQuotas => "list_quotas",
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub template: &'static str,
    pub op: Op,
    /// The status a success answers with (API.md: documented, or inferred where it says so).
    pub status: u16,
}

const fn route(method: Method, template: &'static str, op: Op, status: u16) -> Route {
    Route {
        method,
        template,
        op,
        status,
    }
}

/// API.md's quick index, in its order. Statuses API.md marks as inferred are listed in
/// `docs/huawei.md`.
pub const ROUTES: &[Route] = &[
    route(
        Method::Post,
        "/v1/organizations",
        Op::CreateOrganization,
        201,
    ),
    route(Method::Get, "/v1/organizations", Op::ShowOrganization, 200),
    route(
        Method::Delete,
        "/v1/organizations",
        Op::DeleteOrganization,
        204,
    ),
    route(
        Method::Post,
        "/v1/organizations/leave",
        Op::LeaveOrganization,
        200,
    ),
    route(Method::Get, "/v1/organizations/roots", Op::ListRoots, 200),
    route(
        Method::Post,
        "/v1/organizations/organizational-units",
        Op::CreateOrganizationalUnit,
        201,
    ),
    route(
        Method::Get,
        "/v1/organizations/organizational-units",
        Op::ListOrganizationalUnits,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/organizational-units/{organizational_unit_id}",
        Op::ShowOrganizationalUnit,
        200,
    ),
    route(
        Method::Patch,
        "/v1/organizations/organizational-units/{organizational_unit_id}",
        Op::UpdateOrganizationalUnit,
        200,
    ),
    route(
        Method::Delete,
        "/v1/organizations/organizational-units/{organizational_unit_id}",
        Op::DeleteOrganizationalUnit,
        204,
    ),
    route(
        Method::Post,
        "/v1/organizations/accounts",
        Op::CreateAccount,
        202,
    ),
    route(
        Method::Post,
        "/v2/organizations/accounts",
        Op::CreateResourceAccount,
        202,
    ),
    route(
        Method::Get,
        "/v1/organizations/accounts",
        Op::ListAccounts,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/accounts/{account_id}",
        Op::ShowAccount,
        200,
    ),
    route(
        Method::Patch,
        "/v1/organizations/accounts/{account_id}",
        Op::UpdateAccount,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/accounts/{account_id}/move",
        Op::MoveAccount,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/accounts/{account_id}/remove",
        Op::RemoveAccount,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/accounts/{account_id}/close",
        Op::CloseAccount,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/accounts/invite",
        Op::InviteAccount,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/create-account-status",
        Op::ListCreateAccountStatuses,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/create-account-status/{create_account_status_id}",
        Op::ShowCreateAccountStatus,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/close-account-status",
        Op::ListCloseAccountStatuses,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/handshakes",
        Op::ListHandshakes,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/handshakes/{handshake_id}",
        Op::ShowHandshake,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/handshakes/{handshake_id}/cancel",
        Op::CancelHandshake,
        200,
    ),
    route(
        Method::Get,
        "/v1/received-handshakes",
        Op::ListReceivedHandshakes,
        200,
    ),
    route(
        Method::Post,
        "/v1/received-handshakes/{handshake_id}/accept",
        Op::AcceptHandshake,
        200,
    ),
    route(
        Method::Post,
        "/v1/received-handshakes/{handshake_id}/decline",
        Op::DeclineHandshake,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/trusted-services/enable",
        Op::EnableTrustedService,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/trusted-services/disable",
        Op::DisableTrustedService,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/trusted-services",
        Op::ListTrustedServices,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/delegated-administrators/register",
        Op::RegisterDelegatedAdministrator,
        201,
    ),
    route(
        Method::Post,
        "/v1/organizations/delegated-administrators/deregister",
        Op::DeregisterDelegatedAdministrator,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/delegated-administrators",
        Op::ListDelegatedAdministrators,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/accounts/{account_id}/delegated-services",
        Op::ListDelegatedServices,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/policies",
        Op::CreatePolicy,
        201,
    ),
    route(
        Method::Get,
        "/v1/organizations/policies",
        Op::ListPolicies,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/policies/{policy_id}",
        Op::ShowPolicy,
        200,
    ),
    route(
        Method::Patch,
        "/v1/organizations/policies/{policy_id}",
        Op::UpdatePolicy,
        200,
    ),
    route(
        Method::Delete,
        "/v1/organizations/policies/{policy_id}",
        Op::DeletePolicy,
        204,
    ),
    route(
        Method::Post,
        "/v1/organizations/policies/enable",
        Op::EnablePolicyType,
        202,
    ),
    route(
        Method::Post,
        "/v1/organizations/policies/disable",
        Op::DisablePolicyType,
        202,
    ),
    route(
        Method::Post,
        "/v1/organizations/policies/{policy_id}/attach",
        Op::AttachPolicy,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/policies/{policy_id}/detach",
        Op::DetachPolicy,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/policies/{policy_id}/attached-entities",
        Op::ListEntitiesForPolicy,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/dry-run-config",
        Op::ShowDryRunConfig,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/dry-run-config",
        Op::UpdateDryRunConfig,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/dry-run-policies",
        Op::CreateDryRunPolicy,
        201,
    ),
    route(
        Method::Get,
        "/v1/organizations/dry-run-policies",
        Op::ListDryRunPolicies,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/dry-run-policies/{policy_id}",
        Op::ShowDryRunPolicy,
        200,
    ),
    route(
        Method::Patch,
        "/v1/organizations/dry-run-policies/{policy_id}",
        Op::UpdateDryRunPolicy,
        200,
    ),
    route(
        Method::Delete,
        "/v1/organizations/dry-run-policies/{policy_id}",
        Op::DeleteDryRunPolicy,
        204,
    ),
    route(
        Method::Post,
        "/v1/organizations/dry-run-policies/{policy_id}/attach",
        Op::AttachDryRunPolicy,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/dry-run-policies/{policy_id}/detach",
        Op::DetachDryRunPolicy,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/dry-run-policies/{policy_id}/attached-entities",
        Op::ListEntitiesForDryRunPolicy,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/resources/{resource_id}/tag",
        Op::TagResource,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/resources/{resource_id}/untag",
        Op::UntagResource,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/resources/{resource_id}/tags",
        Op::ListTagsForResource,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/{resource_type}/{resource_id}/tags/create",
        Op::CreateTagResource,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/{resource_type}/{resource_id}/tags/delete",
        Op::DeleteTagResource,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/{resource_type}/{resource_id}/tags",
        Op::ListTagResources,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/{resource_type}/tags",
        Op::ListResourceTags,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/{resource_type}/resource-instances/filter",
        Op::ListResourceInstances,
        200,
    ),
    route(
        Method::Post,
        "/v1/organizations/{resource_type}/resource-instances/count",
        Op::ShowResourceInstancesCount,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/entities/effective-policies",
        Op::ShowEffectivePolicies,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/entities",
        Op::ListEntities,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/services",
        Op::ListServices,
        200,
    ),
    route(
        Method::Get,
        "/v1/organizations/tag-policy-services",
        Op::ListTagPolicyServices,
        200,
    ),
    route(Method::Get, "/v1/organizations/quotas", Op::ListQuotas, 200),
];

/// What a request's method and path resolve to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// An operation, with its path parameters (decoded), in template order.
    Op {
        route: &'static Route,
        params: Vec<(&'static str, String)>,
    },
    /// No template matches the path.
    UnknownPath,
    /// The path is a template's, but not for this method.
    WrongMethod { allowed: Vec<&'static str> },
}

/// Whether `path` belongs to the Huawei API's name space (`/v1/...`, `/v2/...`): those paths are
/// answered in Huawei's shape even when no operation matches.
pub fn claims(path: &str) -> bool {
    path.starts_with("/v1/") || path.starts_with("/v2/") || path == "/v1" || path == "/v2"
}

/// Resolves a request's method and (still percent-encoded) path.
pub fn resolve(method: &str, path: &str) -> Resolved {
    let Some(segments) = decode(path) else {
        return Resolved::UnknownPath;
    };
    // The most specific matching template: the first differing segment is a literal.
    let mut best: Option<(Vec<bool>, &'static str)> = None;
    for r in ROUTES {
        if let Some(rank) = rank(r.template, &segments)
            && best.as_ref().is_none_or(|(b, _)| rank > *b)
        {
            best = Some((rank, r.template));
        }
    }
    let Some((_, template)) = best else {
        return Resolved::UnknownPath;
    };
    let same_path = || ROUTES.iter().filter(move |r| r.template == template);
    let method = Method::parse(method);
    match same_path().find(|r| Some(r.method) == method) {
        Some(route) => Resolved::Op {
            route,
            params: params(template, segments),
        },
        None => Resolved::WrongMethod {
            allowed: same_path().map(|r| r.method.as_str()).collect(),
        },
    }
}

/// The path's segments, each percent-decoded; `None` if one is not UTF-8 after decoding.
fn decode(path: &str) -> Option<Vec<String>> {
    path.strip_prefix('/')?
        .split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        })
        .collect()
}

/// If `template` matches `segments`, which of its segments are literals (for ranking).
fn rank(template: &str, segments: &[String]) -> Option<Vec<bool>> {
    let parts: Vec<&str> = template[1..].split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    parts
        .iter()
        .zip(segments)
        .map(|(part, seg)| match parameter(part) {
            None => (*part == seg).then_some(true),
            Some(name) => {
                let typed = seg.contains(':');
                let fits = !seg.is_empty() && (typed == (name == "resource_type"));
                fits.then_some(false)
            }
        })
        .collect()
}

fn parameter(part: &str) -> Option<&str> {
    part.strip_prefix('{')?.strip_suffix('}')
}

fn params(template: &'static str, segments: Vec<String>) -> Vec<(&'static str, String)> {
    template[1..]
        .split('/')
        .zip(segments)
        .filter_map(|(part, seg)| parameter(part).map(|name| (name, seg)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str) -> (Op, Vec<(&'static str, String)>) {
        match resolve(method, path) {
            Resolved::Op { route, params } => (route.op, params),
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    #[test]
    fn the_table_has_the_69_operations_once_each() {
        assert_eq!(ROUTES.len(), 69);
        assert_eq!(Op::ALL.len(), 69);
        for o in Op::ALL {
            assert_eq!(ROUTES.iter().filter(|r| r.op == *o).count(), 1, "{o:?}");
        }
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    a.template != b.template || a.method != b.method,
                    "{} {} twice",
                    a.method.as_str(),
                    a.template
                );
            }
        }
    }

    #[test]
    fn every_template_resolves_to_its_own_operation() {
        for r in ROUTES {
            let path = r
                .template
                .replace("{resource_type}", "organizations%3Aaccounts")
                .replace("{policy_id}", "p-0123456789")
                .replace("{account_id}", "0a6d25d23900d45c0faac010e0fb4de0")
                .replace("{organizational_unit_id}", "ou-abcdefgh")
                .replace("{handshake_id}", "h-abcdefgh")
                .replace("{create_account_status_id}", "car-abcdefgh")
                .replace("{resource_id}", "r-abcd");
            assert_eq!(op(r.method.as_str(), &path).0, r.op, "{path}");
        }
    }

    #[test]
    fn literals_win_over_parameters() {
        assert_eq!(
            op("POST", "/v1/organizations/policies/enable").0,
            Op::EnablePolicyType
        );
        assert_eq!(
            op("POST", "/v1/organizations/accounts/invite").0,
            Op::InviteAccount
        );
        assert_eq!(
            resolve("GET", "/v1/organizations/accounts/invite"),
            Resolved::WrongMethod {
                allowed: vec!["POST"]
            }
        );
        assert_eq!(
            op("GET", "/v1/organizations/accounts/0a6d").0,
            Op::ShowAccount
        );
        assert_eq!(
            op("GET", "/v1/organizations/resources/r-abcd/tags").0,
            Op::ListTagsForResource
        );
    }

    #[test]
    fn a_resource_type_is_a_decoded_segment_with_a_colon() {
        let (o, params) = op("GET", "/v1/organizations/organizations%3Aaccounts/tags");
        assert_eq!(o, Op::ListResourceTags);
        assert_eq!(
            params,
            vec![("resource_type", "organizations:accounts".to_string())]
        );
        let (o, params) = op(
            "GET",
            "/v1/organizations/organizations:ous/ou-abcdefgh/tags",
        );
        assert_eq!(o, Op::ListTagResources);
        assert_eq!(params[1], ("resource_id", "ou-abcdefgh".to_string()));
        // `accounts` has no colon: the account's own path, not a resource type's.
        assert_eq!(
            resolve("GET", "/v1/organizations/accounts/tags"),
            Resolved::Op {
                route: ROUTES.iter().find(|r| r.op == Op::ShowAccount).unwrap(),
                params: vec![("account_id", "tags".to_string())],
            }
        );
        assert_eq!(
            resolve("GET", "/v1/organizations/nothing%3Ahere/x/y/z"),
            Resolved::UnknownPath
        );
    }

    #[test]
    fn methods_and_unknown_paths() {
        assert_eq!(
            resolve("PUT", "/v1/organizations"),
            Resolved::WrongMethod {
                allowed: vec!["POST", "GET", "DELETE"]
            }
        );
        assert_eq!(
            resolve("GET", "/v1/organizations/nope"),
            Resolved::UnknownPath
        );
        assert_eq!(resolve("GET", "/v1/organizations/"), Resolved::UnknownPath);
        assert_eq!(resolve("GET", "/v3/organizations"), Resolved::UnknownPath);
        assert_eq!(
            resolve("GET", "/v1/organizations/%FF"),
            Resolved::UnknownPath
        );
        assert_eq!(
            op("POST", "/v2/organizations/accounts").0,
            Op::CreateResourceAccount
        );
        assert_eq!(
            op("POST", "/v1/received-handshakes/h-abcdefgh/accept"),
            (
                Op::AcceptHandshake,
                vec![("handshake_id", "h-abcdefgh".to_string())]
            )
        );
    }
}
