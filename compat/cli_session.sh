#!/usr/bin/env bash
# A scripted AWS CLI (v1) session against a running orgd:
#   ORGD_ENDPOINT=http://127.0.0.1:PORT bash compat/cli_session.sh
# It wipes the server, builds a small organization the way an operator would,
# and checks the answers with plain shell. Prints "cli session: ok" at the end.
set -euo pipefail

: "${ORGD_ENDPOINT:?set ORGD_ENDPOINT to the orgd endpoint, e.g. http://127.0.0.1:4566}"
MGMT=111111111111

# Only these settings: no profile, config file or credentials from the machine.
export AWS_ACCESS_KEY_ID=$MGMT AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT_URL 2>/dev/null || true

org() { aws --endpoint-url "$ORGD_ENDPOINT" organizations "$@"; }
as_account() { local who=$1; shift; AWS_ACCESS_KEY_ID=$who org "$@"; }
fail() { echo "cli session: FAILED: $*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
expect_match() { [[ $1 =~ $2 ]] || fail "$3: '$1' does not match $2"; }
words() { wc -w <<<"$1" | tr -d ' '; }
distinct() { tr -s ' \t' '\n\n' <<<"$1" | sed '/^$/d' | sort -u | wc -l | tr -d ' '; }
# expect_error CODE COMMAND...: the command must fail with that AWS error code.
expect_error() {
    local code=$1 out
    shift
    if out=$("$@" 2>&1); then
        fail "'$*' succeeded, expected $code"
    fi
    grep -q "($code)" <<<"$out" || fail "'$*' failed without $code: $out"
}

python3 - "$ORGD_ENDPOINT" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_orgd/reset", data=b"", method="POST"), timeout=5)
EOF

echo "cli: create the organization"
org_id=$(org create-organization --feature-set ALL --query Organization.Id --output text)
expect_match "$org_id" '^o-[a-z0-9]{10,32}$' "organization id"
expect_eq "$(org describe-organization --query Organization.MasterAccountId --output text)" "$MGMT" "master account"
expect_eq "$(org describe-organization --query Organization.MasterAccountArn --output text)" \
    "arn:aws:organizations::$MGMT:account/$org_id/$MGMT" "master account ARN"
root=$(org list-roots --query 'Roots[0].Id' --output text)
expect_match "$root" '^r-[0-9a-z]{4,32}$' "root id"
expect_eq "$(org list-roots --query 'Roots[0].Name' --output text)" "Root" "root name"

echo "cli: build organizational units"
workloads=$(org create-organizational-unit --parent-id "$root" --name Workloads --query OrganizationalUnit.Id --output text)
prod=$(org create-organizational-unit --parent-id "$workloads" --name Prod --query OrganizationalUnit.Id --output text)
sandbox=$(org create-organizational-unit --parent-id "$root" --name Sandbox --query OrganizationalUnit.Id --output text)
expect_match "$prod" "^ou-${root#r-}-[a-z0-9]{8,32}\$" "OU id"
expect_error DuplicateOrganizationalUnitException org create-organizational-unit --parent-id "$root" --name Workloads
expect_eq "$(org list-organizational-units-for-parent --parent-id "$workloads" --query 'OrganizationalUnits[].Name' --output text)" \
    "Prod" "OUs under Workloads"
top_ous=$(org list-children --parent-id "$root" --child-type ORGANIZATIONAL_UNIT --page-size 1 --query 'Children[].Id' --output text)
expect_eq "$(words "$top_ous")" 2 "OUs under the root"

echo "cli: create accounts"
accounts=()
for name in alpha bravo charlie delta; do
    request=$(org create-account --account-name "$name" --email "$name@example.com" --query CreateAccountStatus.Id --output text)
    expect_match "$request" '^car-[a-z0-9]{8,32}$' "create account request id"
    state=IN_PROGRESS
    for _ in $(seq 1 100); do
        state=$(org describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.State --output text)
        [ "$state" = IN_PROGRESS ] || break
        sleep 0.2
    done
    expect_eq "$state" SUCCEEDED "creation of $name"
    id=$(org describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.AccountId --output text)
    expect_match "$id" '^[0-9]{12}$' "account id of $name"
    accounts+=("$id")
done

echo "cli: automatic pagination with --page-size 1"
all_ids=$(org list-accounts --page-size 1 --query 'Accounts[].Id' --output text)
expect_eq "$(words "$all_ids")" 5 "accounts listed"
expect_eq "$(distinct "$all_ids")" 5 "distinct accounts listed"
for id in "$MGMT" "${accounts[@]}"; do
    grep -qw "$id" <<<"$all_ids" || fail "list-accounts misses $id"
done
expect_eq "$(org list-accounts --page-size 2 --query 'length(Accounts)' --output json)" 5 "accounts with --page-size 2"

echo "cli: --max-items and --starting-token"
first=$(org list-accounts --page-size 1 --max-items 2 --output json)
token=$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("NextToken", ""))' <<<"$first")
[ -n "$token" ] || fail "list-accounts --max-items 2 gave no NextToken"
first_ids=$(python3 -c 'import json,sys; print(" ".join(a["Id"] for a in json.load(sys.stdin)["Accounts"]))' <<<"$first")
rest_ids=$(org list-accounts --page-size 1 --starting-token "$token" --query 'Accounts[].Id' --output text)
expect_eq "$(words "$first_ids")" 2 "first two accounts"
expect_eq "$(distinct "$first_ids $rest_ids")" 5 "accounts across --starting-token"
expect_eq "$(words "$first_ids $rest_ids")" 5 "accounts across --starting-token, no repeats"

echo "cli: move accounts"
org move-account --account-id "${accounts[0]}" --source-parent-id "$root" --destination-parent-id "$prod"
org move-account --account-id "${accounts[1]}" --source-parent-id "$root" --destination-parent-id "$prod"
org move-account --account-id "${accounts[2]}" --source-parent-id "$root" --destination-parent-id "$sandbox"
in_prod=$(org list-accounts-for-parent --parent-id "$prod" --page-size 1 --query 'Accounts[].Id' --output text)
expect_eq "$(words "$in_prod")" 2 "accounts in Prod"
in_root=$(org list-children --parent-id "$root" --child-type ACCOUNT --page-size 1 --query 'Children[].Id' --output text)
expect_eq "$(words "$in_root")" 2 "accounts left in the root"
expect_eq "$(org list-parents --child-id "${accounts[0]}" --query 'Parents[0].Id' --output text)" "$prod" "parent of ${accounts[0]}"
expect_eq "$(org list-parents --child-id "$prod" --query 'Parents[0].Type' --output text)" ORGANIZATIONAL_UNIT "parent type of Prod"
expect_error OrganizationalUnitNotEmptyException org delete-organizational-unit --organizational-unit-id "$prod"

echo "cli: tags"
org tag-resource --resource-id "${accounts[3]}" --tags Key=env,Value=dev Key=team,Value=data
expect_eq "$(org list-tags-for-resource --resource-id "${accounts[3]}" --query 'Tags[?Key==`env`].Value' --output text)" dev "env tag"
org untag-resource --resource-id "${accounts[3]}" --tag-keys env
expect_eq "$(org list-tags-for-resource --resource-id "${accounts[3]}" --query 'Tags[].Key' --output text)" team "tags after untag"

echo "cli: a member account"
member=${accounts[3]}
expect_eq "$(as_account "$member" describe-organization --query Organization.Id --output text)" "$org_id" "organization seen by a member"
expect_error AccessDeniedException as_account "$member" list-accounts
expect_error AWSOrganizationsNotInUseException as_account 999999999999 describe-organization

echo "cli: STS on the same endpoint: who am I, and acting in the member through its access role"
sts() { aws --endpoint-url "$ORGD_ENDPOINT" sts "$@"; }
expect_eq "$(sts get-caller-identity --query Arn --output text)" "arn:aws:iam::$MGMT:root" "get-caller-identity"
read -r key secret token < <(sts assume-role --role-arn "arn:aws:iam::$member:role/OrganizationAccountAccessRole" \
    --role-session-name cli --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
expect_match "$key" '^ASIA[A-Z2-7]{16}$' "temporary access key id"
as_role() { AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_SESSION_TOKEN=$token "$@"; }
expect_eq "$(as_role sts get-caller-identity --query Arn --output text)" \
    "arn:aws:sts::$member:assumed-role/OrganizationAccountAccessRole/cli" "identity of the assumed role"
expect_eq "$(as_role org describe-organization --query Organization.MasterAccountId --output text)" "$MGMT" \
    "the organization seen through the assumed role"
expect_error AccessDeniedException as_role org list-accounts
expect_error AccessDenied sts assume-role --role-arn "arn:aws:iam::$member:role/NotTheAccessRole" --role-session-name cli

echo "cli: rename, remove, close"
org update-organizational-unit --organizational-unit-id "$sandbox" --name Experiments >/dev/null
expect_eq "$(org describe-organizational-unit --organizational-unit-id "$sandbox" --query OrganizationalUnit.Name --output text)" \
    Experiments "renamed OU"
expect_error MasterCannotLeaveOrganizationException org remove-account-from-organization --account-id "$MGMT"
expect_error OrganizationNotEmptyException org delete-organization
# As on AWS, an account created in the organization can be removed only 7 days after its creation.
expect_error ConstraintViolationException org remove-account-from-organization --account-id "${accounts[0]}"
python3 -c 'import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/_orgd/clock", data=b"{\"advance_ms\": 604800000}",
                             headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(req).read()' "$ORGD_ENDPOINT"
for id in "${accounts[0]}" "${accounts[1]}" "${accounts[2]}"; do
    org remove-account-from-organization --account-id "$id"
done
expect_error AccountNotFoundException org describe-account --account-id "${accounts[0]}"
left=$(org list-accounts --page-size 1 --query 'Accounts[].Id' --output text)
expect_eq "$(words "$left")" 2 "accounts after removal"
grep -qw "${accounts[3]}" <<<"$left" || fail "list-accounts lost ${accounts[3]}"
org delete-organizational-unit --organizational-unit-id "$prod"
expect_eq "$(org list-organizational-units-for-parent --parent-id "$workloads" --query 'length(OrganizationalUnits)' --output json)" \
    0 "OUs under Workloads after delete"
org close-account --account-id "${accounts[3]}"
status=$(org describe-account --account-id "${accounts[3]}" --query Account.Status --output text)
[[ $status == PENDING_CLOSURE || $status == SUSPENDED ]] || fail "status after close-account: $status"
expect_error AccountAlreadyClosedException org close-account --account-id "${accounts[3]}"

echo "cli session: ok"
