"""Terraform's hashicorp/aws provider against orgd: the landing zone in
compat/terraform/ must apply, then plan with no changes, then destroy.

The provider comes from the machine's local filesystem mirror through a
Terraform CLI config file written here, so no network is used. The test is
skipped only when terraform or the mirrored provider is absent.
"""

import glob
import json
import os
import re
import shutil
import subprocess

import pytest
from botocore.exceptions import ClientError

import orgkit
from orgkit import MGMT

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_DIR = os.path.join(HERE, "terraform")
PROVIDER = "registry.terraform.io/hashicorp/aws"

# Manage policies too (policies.tf): orgd serves the policy operations since
# they landed (805814b). ORGD_TF_WITH_POLICIES=1/0 overrides it for a run.
WITH_POLICIES = True

# Where a machine image keeps a provider mirror; ORGD_TF_PLUGIN_MIRROR names
# another one.
MIRROR_CANDIDATES = [
    "/opt/tf-plugins",
    os.path.expanduser("~/.terraform.d/plugins"),
    os.path.expanduser("~/.local/share/terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
]

COMMAND_TIMEOUT = 600  # seconds for one terraform command

# AWS's post-closure period: a closed account leaves its organization after it.
POST_CLOSURE_DAYS = 90


def with_policies():
    value = os.environ.get("ORGD_TF_WITH_POLICIES")
    if value is None or value == "":
        return WITH_POLICIES
    return value.lower() in ("1", "true", "yes")


def find_terraform():
    return shutil.which("terraform") or (
        "/usr/local/bin/terraform" if os.access("/usr/local/bin/terraform", os.X_OK) else None
    )


def find_mirror():
    """The filesystem mirror directory that holds hashicorp/aws, and the
    provider version found there."""
    candidates = list(MIRROR_CANDIDATES)
    if os.environ.get("ORGD_TF_PLUGIN_MIRROR"):
        candidates.insert(0, os.environ["ORGD_TF_PLUGIN_MIRROR"])
    for base in candidates:
        # Unpacked layout: HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-aws_*
        found = sorted(glob.glob(os.path.join(base, PROVIDER, "*", "*", "terraform-provider-aws*")))
        # Packed layout: HOST/NAMESPACE/TYPE/terraform-provider-aws_VERSION_OS_ARCH.zip
        found += sorted(glob.glob(os.path.join(base, PROVIDER, "terraform-provider-aws_*.zip")))
        if found:
            version = None
            match = re.search(r"terraform-provider-aws_v?(\d+\.\d+\.\d+)", os.path.basename(found[-1]))
            if match:
                version = match.group(1)
            return base, version
    return None, None


CLI_CONFIG = """\
provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["{provider}"]
  }}
  direct {{
    exclude = ["{provider}"]
  }}
}}
"""


class Terraform:
    """Runs terraform in a work dir and keeps what it printed."""

    def __init__(self, binary, workdir, env):
        self.binary = binary
        self.workdir = workdir
        self.env = env
        self.transcript = []
        self.log_path = env["TF_LOG_PATH"]

    def run(self, *args, ok_codes=(0,)):
        command = [self.binary, f"-chdir={self.workdir}", *args]
        try:
            proc = subprocess.run(
                command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT,
            )
        except subprocess.TimeoutExpired as err:
            self.transcript.append(f"$ terraform {' '.join(args)}\n(timed out after {COMMAND_TIMEOUT}s)\n")
            pytest.fail(self.report(f"terraform {args[0]} timed out\n{err}"), pytrace=False)
        self.transcript.append(
            f"$ terraform {' '.join(args)}  (exit {proc.returncode})\n{proc.stdout}{proc.stderr}"
        )
        if proc.returncode not in ok_codes:
            pytest.fail(
                self.report(f"terraform {args[0]} exited {proc.returncode}"), pytrace=False
            )
        return proc

    def outputs(self):
        proc = self.run("output", "-json")
        return {name: value["value"] for name, value in json.loads(proc.stdout).items()}

    def log_tail(self, count=12):
        """The last requests and responses that TF_LOG=DEBUG recorded, with
        their bodies: what the provider sent to orgd and what came back."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            return "(no TF_LOG file)"
        # An entry starts with a timestamp; bodies follow on "  | " lines.
        entries = re.split(r"\n(?=\d{4}-\d\d-\d\dT)", text)
        picked = []
        for entry in entries:
            head = entry.split("\n", 1)[0]
            if "HTTP Request Sent" in head or "HTTP Response Received" in head:
                method = re.search(r"rpc\.method=(\w+)", entry)
                status = re.search(r"http\.status_code=(\d+)", entry)
                body = "\n".join(
                    line.strip()[2:] for line in entry.splitlines() if line.strip().startswith("| ")
                )
                kind = "response" if "Response" in head else "request"
                picked.append(
                    f"{head[:24]} {kind} {method.group(1) if method else '?'}"
                    + (f" HTTP {status.group(1)}" if status else "")
                    + f": {body[:2000]}"
                )
            elif "[ERROR]" in head:
                picked.append(head[:2000])
        return "\n".join(picked[-count * 2 :]) or "(no request was logged)"

    def report(self, headline):
        return (
            f"{headline}\n\n==== terraform output ====\n"
            + "\n".join(self.transcript[-6:])
            + "\n==== tail of TF_LOG=DEBUG (requests and responses) ====\n"
            + self.log_tail()
        )


@pytest.fixture
def terraform(tmp_path, endpoint):
    binary = find_terraform()
    if binary is None:
        pytest.skip("terraform is not installed (looked on PATH and /usr/local/bin)")
    mirror, _ = find_mirror()
    if mirror is None:
        pytest.skip(
            "the hashicorp/aws provider is not in a local filesystem mirror "
            f"(looked in {', '.join(MIRROR_CANDIDATES)}; set ORGD_TF_PLUGIN_MIRROR)"
        )

    workdir = tmp_path / "landing-zone"
    workdir.mkdir()
    for name in sorted(os.listdir(CONFIG_DIR)):
        if name.endswith(".tf"):
            shutil.copy(os.path.join(CONFIG_DIR, name), workdir / name)
    cli_config = tmp_path / "terraform.rc"
    cli_config.write_text(CLI_CONFIG.format(mirror=mirror, provider=PROVIDER))

    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the developer's own AWS or Terraform setup.
        if not key.startswith(("AWS_", "TF_"))
    }
    env.update(
        TF_CLI_CONFIG_FILE=str(cli_config),
        TF_DATA_DIR=str(tmp_path / "tf-data"),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",  # no version check against the network
        TF_LOG="DEBUG",
        TF_LOG_PATH=str(tmp_path / "terraform.log"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        TF_VAR_endpoint=endpoint,
        TF_VAR_management_account_id=MGMT,
        TF_VAR_with_policies="true" if with_policies() else "false",
    )
    return Terraform(binary, str(workdir), env)


def inspector(endpoint):
    import boto3

    return boto3.session.Session().client(
        "organizations",
        region_name=orgkit.REGION,
        endpoint_url=endpoint,
        aws_access_key_id=MGMT,
        aws_secret_access_key="x",
    )


def check(tf, condition, message):
    if not condition:
        pytest.fail(tf.report(f"after apply: {message}"), pytrace=False)


def test_landing_zone_apply_plan_destroy(terraform, endpoint):
    tf = terraform
    policies = with_policies()
    # Inspects orgd's state only: the wire contract of every response is the
    # business of the boto3 suites, so this client does not validate.
    mgmt = inspector(endpoint)

    tf.run("init", "-input=false", "-no-color")
    tf.run("apply", "-auto-approve", "-input=false", "-no-color")

    out = tf.outputs()
    org = mgmt.describe_organization()["Organization"]
    check(tf, out["organization_id"] == org["Id"], f"organization id {out['organization_id']} != {org['Id']}")
    check(tf, out["master_account_id"] == MGMT, f"master_account_id {out['master_account_id']}")
    check(
        tf,
        out["service_access_principals"] == ["guardduty.amazonaws.com", "sso.amazonaws.com"],
        f"service access principals {out['service_access_principals']}",
    )

    # The tree as orgd sees it.
    ous, accounts = out["ou_ids"], out["account_ids"]
    expected_parents = {
        "log_archive": ous["security"],
        "audit": ous["security"],
        "payments_prod": ous["payments"],
        "sandbox": ous["sandbox"],
    }
    check(tf, out["account_parents"] == expected_parents, f"account parents {out['account_parents']}")
    for name, account_id in accounts.items():
        parents = mgmt.list_parents(ChildId=account_id)["Parents"]
        check(tf, [p["Id"] for p in parents] == [expected_parents[name]], f"{name} parents {parents}")
    chain = [ous["payments"], ous["prod"], ous["workloads"], out["root_id"]]
    for child, parent in zip(chain, chain[1:]):
        got = mgmt.list_parents(ChildId=child)["Parents"][0]["Id"]
        check(tf, got == parent, f"parent of {child} is {got}, expected {parent}")
    listed = orgkit.all_pages(mgmt, "list_accounts", "Accounts")
    check(tf, len(listed) == 5, f"{len(listed)} accounts listed, expected 5: {listed}")
    check(tf, out["account_joined_methods"] == ["CREATED"], f"joined methods {out['account_joined_methods']}")

    # Delegation, resource policy, tags.
    admins = mgmt.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")
    check(
        tf,
        [a["Id"] for a in admins["DelegatedAdministrators"]] == [accounts["audit"]],
        f"delegated administrators {admins['DelegatedAdministrators']}",
    )
    policy = mgmt.describe_resource_policy()["ResourcePolicy"]
    check(tf, policy["ResourcePolicySummary"]["Arn"] == out["resource_policy_arn"], f"resource policy {policy}")
    statement = json.loads(policy["Content"])["Statement"][0]
    check(tf, statement["Sid"] == "AuditReadsTheOrganization", f"resource policy content {policy['Content']}")

    # The data sources read the same organization.
    check(tf, out["data_org_account_count"] == 5, f"data organization accounts {out['data_org_account_count']}")
    check(
        tf,
        out["data_org_non_master_account_ids"] == sorted(accounts.values()),
        f"data non_master_accounts {out['data_org_non_master_account_ids']}",
    )
    check(tf, out["data_top_ou_names"] == ["Sandbox", "Security", "Workloads"], f"top OUs {out['data_top_ou_names']}")
    check(
        tf,
        out["data_workloads_descendant_ou_names"] == ["Payments", "Prod"],
        f"descendant OUs {out['data_workloads_descendant_ou_names']}",
    )
    check(
        tf,
        out["data_workloads_descendant_account_names"] == ["payments-prod"],
        f"descendant accounts {out['data_workloads_descendant_account_names']}",
    )
    check(
        tf,
        out["data_security_child_account_names"] == ["audit", "log-archive"],
        f"child accounts {out['data_security_child_account_names']}",
    )
    check(tf, out["data_sandbox_ou_id"] == ous["sandbox"], f"sandbox OU by name {out['data_sandbox_ou_id']}")
    check(tf, out["data_payments_ou_tags"] == {"cost-center": "cc-42"}, f"OU tags {out['data_payments_ou_tags']}")

    if policies:
        ids = out["policy_ids"]
        root = mgmt.list_roots()["Roots"][0]
        enabled = {t["Type"] for t in root["PolicyTypes"] if t["Status"] == "ENABLED"}
        check(tf, enabled == {"SERVICE_CONTROL_POLICY", "TAG_POLICY"}, f"root policy types {root['PolicyTypes']}")
        check(
            tf,
            {ids["deny_leaving"], ids["deny_regions"]} <= set(out["data_scp_ids"]),
            f"data policies {out['data_scp_ids']}",
        )
        check(tf, ids["deny_leaving"] in out["data_workloads_scp_ids"], f"policies for target {out['data_workloads_scp_ids']}")
        check(tf, out["data_deny_leaving_name"] == "deny-leaving-the-organization", out["data_deny_leaving_name"])
        targets = orgkit.all_pages(mgmt, "list_targets_for_policy", "Targets", PolicyId=ids["deny_leaving"])
        check(
            tf,
            {t["TargetId"] for t in targets} == {ous["workloads"], ous["security"]},
            f"targets of deny_leaving {targets}",
        )

    # A second plan finds nothing to change.
    plan = tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color", ok_codes=(0, 2))
    if plan.returncode == 2:
        pytest.fail(tf.report("terraform plan after apply wants changes (exit 2)"), pytrace=False)

    # close_on_deletion: destroying the sandbox account closes it (CloseAccount,
    # then the provider waits for SUSPENDED) instead of removing it.
    sandbox = accounts["sandbox"]
    tf.run(
        "destroy", "-auto-approve", "-input=false", "-no-color",
        "-target=aws_organizations_account.sandbox",
    )
    closed = mgmt.describe_account(AccountId=sandbox)["Account"]
    check(tf, closed["Status"] == "SUSPENDED", f"sandbox account after close_on_deletion: {closed}")
    # As in AWS, a closed account stays in the organization, in its OU, for
    # the 90-day post-closure period, so neither that OU nor the organization
    # can be deleted yet.
    parents = mgmt.list_parents(ChildId=sandbox)["Parents"]
    check(tf, [p["Id"] for p in parents] == [ous["sandbox"]], f"closed account's parents {parents}")
    # Once the period is over the account has left the organization, and the
    # other accounts are past the 7 days after which created accounts may be
    # removed: the whole destroy completes.
    orgkit.advance_clock(endpoint, POST_CLOSURE_DAYS * orgkit.DAY_MS + 60_000)
    with pytest.raises(ClientError) as err:
        mgmt.describe_account(AccountId=sandbox)
    check(tf, orgkit.error_of(err)[0] == "AccountNotFoundException", "closed account still listed")

    tf.run("destroy", "-auto-approve", "-input=false", "-no-color")

    # The organization is gone.
    with pytest.raises(ClientError) as err:
        mgmt.describe_organization()
    assert orgkit.error_of(err)[0] == "AWSOrganizationsNotInUseException", tf.report("after destroy")
