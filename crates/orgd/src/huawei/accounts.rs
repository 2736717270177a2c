//! Accounts of the Huawei API: creation, listing, description, moves, removal, closure.

use orgd_domain::model::AccountStatus;
use orgd_domain::ops;
use serde_json::json;

use super::errors::HwError;
use super::request::{Body, Call, DEFAULT_LIMIT, check_length, page_request, paged};
use super::{Answer, HuaweiApi, wire};

/// An account's name: 1 to 64 characters.
const NAME_CHARS: (usize, usize) = (1, 64);
/// A description: at most 128 characters (`AccountDto`).
const DESCRIPTION_CHARS: usize = 128;
/// Parent ids: at most 100 characters.
const PARENT_ID_CHARS: usize = 100;
/// The largest page when contact details are asked for.
const CONTACT_LIMIT: usize = 200;

/// A create-account body's members.
struct NewAccount {
    email: String,
    name: String,
    tags: Vec<(String, String)>,
    description: String,
}

/// The members of a create-account body both versions share; `email` only in v1.
fn new_account(body: &Body, with_email: bool) -> Result<NewAccount, HwError> {
    let name = body
        .bounded("name", NAME_CHARS.0, NAME_CHARS.1)?
        .to_string();
    let email = if with_email {
        body.opt_str("email")?.unwrap_or_default().to_string()
    } else {
        String::new()
    };
    if !email.is_empty() {
        check_length("email", &email, 6, 64)?;
        if !email.contains('@') {
            return Err(HwError::invalid("email must be an email address."));
        }
    }
    let description = body.opt_str("description")?.unwrap_or_default().to_string();
    check_length("description", &description, 0, DESCRIPTION_CHARS)?;
    // `phone` and `agency_name` are read for their type and otherwise not kept.
    body.opt_str("phone")?;
    body.opt_str("agency_name")?;
    Ok(NewAccount {
        email,
        name,
        tags: body.tags("tags")?,
        description,
    })
}

async fn create(api: &HuaweiApi, call: &Call, with_email: bool) -> Answer {
    let NewAccount {
        email,
        name,
        tags,
        description,
    } = new_account(&call.body, with_email)?;
    let status = api
        .write(&call.caller, move |cx, ids| {
            ops::create_described_account(cx, ids, &email, &name, &tags, &description)
        })
        .await?;
    Ok(Some(
        json!({ "create_account_status": wire::create_account_status(&status) }),
    ))
}

pub async fn create_account(api: &HuaweiApi, call: &Call) -> Answer {
    create(api, call, true).await
}

/// The v2 creation: no contact details.
pub async fn create_resource_account(api: &HuaweiApi, call: &Call) -> Answer {
    create(api, call, false).await
}

/// Whether contact details are asked for; then a page holds at most 200 accounts.
fn contact(call: &Call) -> Result<bool, HwError> {
    Ok(call
        .query
        .bool("with_register_contact_info")?
        .unwrap_or(false))
}

pub async fn list_accounts(api: &HuaweiApi, call: &Call) -> Answer {
    let parent = call.query.str("parent_id", PARENT_ID_CHARS)?;
    let contact = contact(call)?;
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    if contact && page.limit > CONTACT_LIMIT {
        return Err(HwError::invalid(format!(
            "With with_register_contact_info, the limit is at most {CONTACT_LIMIT}."
        )));
    }
    let accounts = api.read(&call.caller, |cx| match parent {
        Some(p) => ops::list_accounts_for_parent(cx, p, &page),
        None => ops::list_accounts(cx, &page),
    })?;
    Ok(Some(paged("accounts", accounts, |a| {
        wire::account(a, contact)
    })))
}

pub async fn show_account(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id");
    let contact = contact(call)?;
    let account = api.read(&call.caller, |cx| ops::describe_account(cx, id))?;
    Ok(Some(json!({ "account": wire::account(&account, contact) })))
}

/// Sets the description: absent leaves it, empty clears it.
pub async fn update_account(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id").to_string();
    let description = call.body.opt_str("description")?.map(str::to_string);
    if let Some(d) = &description {
        check_length("description", d, 0, DESCRIPTION_CHARS)?;
    }
    let account = api
        .write(&call.caller, move |cx, _| {
            ops::update_account(cx, &id, description.as_deref())
        })
        .await?;
    Ok(Some(json!({ "account": wire::account(&account, false) })))
}

pub async fn move_account(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id").to_string();
    let src = call
        .body
        .bounded("source_parent_id", 1, PARENT_ID_CHARS)?
        .to_string();
    let dst = call
        .body
        .bounded("destination_parent_id", 1, PARENT_ID_CHARS)?
        .to_string();
    api.write(&call.caller, move |cx, _| {
        ops::move_account(cx, &id, &src, &dst)
    })
    .await?;
    Ok(None)
}

pub async fn remove_account(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id").to_string();
    api.write(&call.caller, move |cx, _| {
        ops::remove_account_from_organization(cx, &id)
    })
    .await?;
    Ok(None)
}

pub async fn close_account(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("account_id").to_string();
    api.write(&call.caller, move |cx, _| ops::close_account(cx, &id))
        .await?;
    Ok(None)
}

pub async fn list_create_account_statuses(api: &HuaweiApi, call: &Call) -> Answer {
    let states = call
        .query
        .all("states")
        .into_iter()
        .map(|s| {
            wire::parse_create_account_state(s).ok_or_else(|| {
                HwError::invalid(format!(
                    "states must be in_progress, succeeded or failed, not '{s}'."
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let statuses = api.read(&call.caller, |cx| {
        ops::list_create_account_status(cx, &states, &page)
    })?;
    Ok(Some(paged(
        "create_account_statuses",
        statuses,
        wire::create_account_status,
    )))
}

pub async fn show_create_account_status(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("create_account_status_id");
    let status = api.read(&call.caller, |cx| {
        ops::describe_create_account_status(cx, id)
    })?;
    Ok(Some(
        json!({ "create_account_status": wire::create_account_status(&status) }),
    ))
}

/// Not paged (API.md): every closing or closed member, optionally only in `states`.
pub async fn list_close_account_statuses(api: &HuaweiApi, call: &Call) -> Answer {
    let states = call
        .query
        .all("states")
        .into_iter()
        .map(|s| {
            [AccountStatus::PendingClosure, AccountStatus::Suspended]
                .into_iter()
                .find(|st| wire::account_status(*st) == s)
                .ok_or_else(|| {
                    HwError::invalid(format!(
                        "states must be pending_closure or suspended, not '{s}'."
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let closures = api.read(&call.caller, |cx| ops::list_account_closures(cx, &states))?;
    let items: Vec<_> = closures.iter().map(wire::close_account_status).collect();
    Ok(Some(json!({ "close_account_statuses": items })))
}
