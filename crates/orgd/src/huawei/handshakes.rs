//! Invitations (handshakes) of the Huawei API, on the sender's and the receiver's paths.

use orgd_domain::model::HandshakeState;
use orgd_domain::ops;
use orgd_domain::{HandshakeTransition, OrgError};
use serde_json::json;

use super::errors::HwError;
use super::request::{Call, DEFAULT_LIMIT, page_request, paged};
use super::{Answer, HuaweiApi, wire};

/// An invitation's target: `account` (an account id) or `name` (an account name).
pub async fn invite_account(api: &HuaweiApi, call: &Call) -> Answer {
    let target = call.body.object("target")?;
    let entity = target.bounded("entity", 1, 64)?.to_string();
    let target = match target.str("type")? {
        "account" => ops::InviteTarget::Account(entity),
        "name" => ops::InviteTarget::Name(entity),
        other => {
            return Err(HwError::invalid(format!(
                "target.type must be account or name, not '{other}'."
            )));
        }
    };
    let notes = call.body.bounded("notes", 0, 1024)?.to_string();
    let tags = call.body.tags("tags")?;
    let h = api
        .write(&call.caller, move |cx, ids| {
            ops::invite_account_to_organization(cx, ids, target.clone(), Some(notes.clone()), &tags)
        })
        .await?;
    Ok(Some(json!({ "handshake": wire::handshake(&h) })))
}

fn no_filter() -> ops::HandshakeFilter {
    ops::HandshakeFilter {
        action: None,
        parent_id: None,
    }
}

/// The invitations the caller's organization sent.
pub async fn list_handshakes(api: &HuaweiApi, call: &Call) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let hs = api.read(&call.caller, |cx| {
        ops::list_handshakes_for_organization(cx, &no_filter(), &page)
    })?;
    Ok(Some(paged("handshakes", hs, wire::handshake)))
}

pub async fn show_handshake(api: &HuaweiApi, call: &Call) -> Answer {
    let id = call.param("handshake_id");
    let h = api.read(&call.caller, |cx| ops::describe_handshake(cx, id))?;
    Ok(Some(json!({ "handshake": wire::handshake(&h) })))
}

/// The invitations addressed to the caller (callable outside any organization).
pub async fn list_received_handshakes(api: &HuaweiApi, call: &Call) -> Answer {
    let page = page_request(&call.query, DEFAULT_LIMIT)?;
    let hs = api.read(&call.caller, |cx| {
        ops::list_handshakes_for_account(cx, &no_filter(), &page)
    })?;
    Ok(Some(paged("handshakes", hs, wire::handshake)))
}

async fn respond(
    api: &HuaweiApi,
    call: &Call,
    f: fn(&ops::Ctx, &str) -> orgd_domain::Result<ops::Write<ops::HandshakeView>>,
) -> Answer {
    let id = call.param("handshake_id").to_string();
    let h = api.write(&call.caller, move |cx, _| f(cx, &id)).await?;
    Ok(Some(json!({ "handshake": wire::handshake(&h) })))
}

/// Cancelling an invitation that is already cancelled is Huawei's `Organizations.1401` ("the
/// invitation has been cancelled", API.md §14.2), as accepting or declining it is.
pub async fn cancel_handshake(api: &HuaweiApi, call: &Call) -> Answer {
    respond(api, call, |cx, id| {
        ops::cancel_handshake(cx, id).map_err(|e| match e {
            OrgError::HandshakeAlreadyInState => {
                OrgError::HandshakeTransition(HandshakeTransition::Between {
                    from: HandshakeState::Canceled,
                    to: HandshakeState::Canceled,
                })
            }
            e => e,
        })
    })
    .await
}

pub async fn accept_handshake(api: &HuaweiApi, call: &Call) -> Answer {
    respond(api, call, ops::accept_handshake).await
}

pub async fn decline_handshake(api: &HuaweiApi, call: &Call) -> Answer {
    respond(api, call, ops::decline_handshake).await
}
