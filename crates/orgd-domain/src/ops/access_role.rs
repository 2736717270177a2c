//! The access role of an account: the role the management account assumes to act inside a member
//! account (`OrganizationAccountAccessRole`, or the `RoleName` given at CreateAccount). orgd has
//! no IAM; this is the one rule that decides who may assume which role, for the adapters that
//! issue temporary credentials (AWS STS `AssumeRole`).

use super::Ctx;
use crate::error::{Denial, OrgError, Result};
use crate::model::{CreateAccountState, DEFAULT_ACCESS_ROLE};

/// The name of the role an account has for its organization's management account: the
/// `RoleName` of the CreateAccount request that made it (in its current organization), else the
/// default name, which AWS also tells invited accounts to create.
pub fn access_role_of<'a>(cx: &Ctx<'a>, account_id: &str) -> &'a str {
    let s = cx.state;
    let org = s.accounts.get(account_id).and_then(|a| a.org_id());
    s.requests_for_account(account_id)
        .iter()
        .filter_map(|id| s.create_requests.get(id))
        .find(|r| r.state == CreateAccountState::Succeeded && Some(r.org_id.as_str()) == org)
        .and_then(|r| r.role_name.as_deref())
        .unwrap_or(DEFAULT_ACCESS_ROLE)
}

/// Whether the caller may assume `role_name` in `account_id`: the role must be the account's
/// access role, and the caller the account itself or the management account of the account's
/// organization. An unknown account has no roles.
pub fn assume_role(cx: &Ctx, account_id: &str, role_name: &str) -> Result<()> {
    let s = cx.state;
    let Some(account) = s.accounts.get(account_id) else {
        return Err(OrgError::AccessDenied(Denial::AssumeRole));
    };
    let manages = account
        .org_id()
        .and_then(|org| s.organizations.get(org))
        .is_some_and(|org| org.management_account_id == cx.caller);
    if (cx.caller == account_id || manages) && role_name == access_role_of(cx, account_id) {
        Ok(())
    } else {
        Err(OrgError::AccessDenied(Denial::AssumeRole))
    }
}
