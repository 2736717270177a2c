"""The web console in a real headless Chromium: it shows the organization built through the API
(tree, account states, tags, policies, effective policies, handshakes, delegated administrators,
trusted services), and what it does through its forms (move an account, attach and detach a
policy, create and rename an OU) is what the API then sees."""

import os

import pytest

import browser
import landing_zone
import orgkit
from orgkit import MGMT


@pytest.fixture(scope="module")
def chromium():
    why = browser.missing()
    if why:
        message = f"the console's browser test cannot run: {why} (compat/console/install.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    b = browser.Browser()
    yield b
    b.close()


@pytest.fixture
def page(chromium, endpoint):
    """The console, loaded afresh, as a function of the caller to act as."""
    d = chromium.driver
    chromium.console_errors()

    def open_as(caller, ready=True):
        d.get(endpoint + "/console")
        key = d.find_element("id", "caller-key")
        key.clear()
        key.send_keys(caller)
        d.find_element("css selector", "#caller-form button").click()
        if ready:
            browser.wait_until(lambda: d.find_element("tag name", "body").get_attribute("data-tree-ready"),
                               what="the tree's first page")
        return d

    yield open_as
    # The browser logs every refused API call ("Failed to load resource": a 400 is an answer the
    # console shows); anything else is a script error.
    errors = [e for e in chromium.console_errors() if "Failed to load resource" not in e]
    assert not errors, f"the page logged errors: {errors}"


def node(d, target):
    return d.find_element("css selector", f'li.node[data-id="{target}"]')


def shown_children(d, parent):
    """(id, name, badge) of the nodes shown under `parent`."""
    out = []
    for li in node(d, parent).find_elements("css selector", ":scope > ul > li.node"):
        badge = li.find_elements("css selector", ":scope > .row .badge")
        out.append((li.get_attribute("data-id"), li.find_element("css selector", ":scope > .row .name").text,
                    badge[0].text if badge else None))
    return out


def expand(d, target):
    li = node(d, target)
    li.find_element("css selector", ":scope > .row .toggle").click()
    browser.wait_until(lambda: node(d, target).get_attribute("data-load-ms"), what=f"the children of {target}")


def select(d, target):
    node(d, target).find_element("css selector", ":scope > .row .name").click()
    return details(d, target)


def details(d, target):
    """The details pane once it shows `target` (its sections may still be loading)."""
    return browser.wait_until(
        lambda: d.find_element("css selector", f'#details[data-target="{target}"]'),
        what=f"the details of {target}",
    )


def policy_block(d, kind):
    return browser.wait_until(
        lambda: [b for b in d.find_elements("css selector", f'#details .policy-type[data-type="{kind}"]')
                 if "Loading" not in b.text],
        what=f"the {kind} policies",
    )[0]


def test_the_console_shows_the_organization_and_changes_it_through_the_api(page, mgmt):
    z = landing_zone.build(mgmt)
    d = page(MGMT)

    # The header names the organization and its management account.
    summary = d.find_element("id", "org-summary").text
    assert z.org in summary and MGMT in summary

    # The root opens by itself: its OUs, then its accounts with their states as the API says.
    root_children = shown_children(d, z.root)
    kinds = [b is None for _, _, b in root_children]
    assert kinds == sorted(kinds, reverse=True), "OUs come before accounts"
    assert {n for _, n, b in root_children if b is None} == {"Infrastructure", "Sandbox", "Security", "Workloads"}
    api_accounts = {a["Id"]: a for a in mgmt.list_accounts_for_parent(ParentId=z.root)["Accounts"]}
    shown_accounts = {i: (n, b) for i, n, b in root_children if b is not None}
    assert set(shown_accounts) == set(api_accounts)
    for account_id, (name, badge) in shown_accounts.items():
        api = api_accounts[account_id]
        assert name == api["Name"]
        assert badge == api.get("State", api["Status"])
    assert shown_accounts[z.legacy][1] != "ACTIVE"
    assert shown_accounts[MGMT][1] == "ACTIVE"

    # Lazy tree: an OU's children appear when it opens.
    assert not node(d, z.workloads).find_elements("css selector", "li.node")
    expand(d, z.workloads)
    assert {n for _, n, _ in shown_children(d, z.workloads)} == {"Production", "Staging"}
    expand(d, z.prod)
    assert shown_children(d, z.prod) == [(z.shop_prod, "shop-prod", "ACTIVE")]

    # An account's details: facts, tags, policies by type, effective tag policy.
    box = select(d, z.shop_prod)
    assert "shop-prod@example.com" in box.text
    tags = {tuple(td.text for td in tr.find_elements("tag name", "td"))
            for tr in box.find_elements("css selector", "table.tags tbody tr")}
    assert tags == {("team", "shop"), ("CostCenter", "300"), ("env", "prod")}
    scp = policy_block(d, "SERVICE_CONTROL_POLICY")
    assert "FullAWSAccess" in scp.text  # attached to every target when SCPs are enabled
    effective = browser.wait_until(
        lambda: [e for e in d.find_elements("css selector", '#details .effective[data-type="TAG_POLICY"]')
                 if "Loading" not in e.text], what="the effective tag policy")[0]
    assert "costcenter" in effective.text and "CostCenter" in effective.text

    # An OU's details show the policies attached to it.
    select(d, z.workloads)
    assert "TwoRegionsOnly" in policy_block(d, "SERVICE_CONTROL_POLICY").text

    # Move an account through the UI; the API sees it in its new OU, and so does the tree.
    select(d, z.shop_prod)
    move = d.find_element("css selector", '#details form[name="move-account"]')
    move.find_element("name", "destination").send_keys(z.staging)
    move.find_element("tag name", "button").click()
    browser.wait_until(
        lambda: mgmt.list_parents(ChildId=z.shop_prod)["Parents"][0]["Id"] == z.staging,
        what="the API to see the account in Staging")
    expand(d, z.staging)
    browser.wait_until(lambda: z.shop_prod in [i for i, _, _ in shown_children(d, z.staging)],
                       what="the moved account under Staging")
    assert z.shop_prod not in [i for i, _, _ in shown_children(d, z.prod)]

    # Attach a policy through the UI, then detach it.
    select(d, z.sandbox)
    block = policy_block(d, "SERVICE_CONTROL_POLICY")
    choice = block.find_element("css selector", "form.attach select")
    from selenium.webdriver.support.ui import Select
    Select(choice).select_by_value(z.deny_regions)
    block.find_element("css selector", "form.attach button").click()

    def attached_to_sandbox():
        return {p["Id"] for p in mgmt.list_policies_for_target(TargetId=z.sandbox, Filter="SERVICE_CONTROL_POLICY")["Policies"]}

    browser.wait_until(lambda: z.deny_regions in attached_to_sandbox(), what="the API to see the attachment")
    block = browser.wait_until(lambda: "TwoRegionsOnly" in policy_block(d, "SERVICE_CONTROL_POLICY").text
                               and policy_block(d, "SERVICE_CONTROL_POLICY"), what="the attachment shown")
    row = [tr for tr in block.find_elements("css selector", "table.attached tbody tr") if "TwoRegionsOnly" in tr.text][0]
    row.find_element("css selector", "button.detach").click()
    browser.wait_until(lambda: z.deny_regions not in attached_to_sandbox(), what="the API to see the detachment")

    # Create an OU under Sandbox, then rename it.
    create = d.find_element("css selector", '#details form[name="create-ou"]')
    create.find_element("name", "name").send_keys("Hackathon")
    create.find_element("tag name", "button").click()

    def sandbox_ous():
        return {o["Name"]: o["Id"] for o in mgmt.list_organizational_units_for_parent(ParentId=z.sandbox)["OrganizationalUnits"]}

    new_ou = browser.wait_until(lambda: sandbox_ous().get("Hackathon"), what="the new OU")
    browser.wait_until(lambda: node(d, new_ou), what="the new OU in the tree")
    select(d, new_ou)
    rename = d.find_element("css selector", '#details form[name="rename-ou"]')
    field = rename.find_element("name", "name")
    field.clear()
    field.send_keys("Hackathon-2026")
    rename.find_element("tag name", "button").click()
    browser.wait_until(lambda: mgmt.describe_organizational_unit(OrganizationalUnitId=new_ou)["OrganizationalUnit"]["Name"]
                       == "Hackathon-2026", what="the API to see the new name")
    browser.wait_until(lambda: node(d, new_ou).find_element("css selector", ".name").text == "Hackathon-2026",
                       what="the new name in the tree")

    # Policies by type with their targets.
    d.get(d.current_url.split("#")[0] + f"#/policies/SERVICE_CONTROL_POLICY/{z.deny_regions}")
    targets = browser.wait_until(
        lambda: [t for t in d.find_elements("css selector", "table.targets") if t.find_elements("css selector", "tbody tr")],
        what="the policy's targets")[0]
    assert z.workloads in targets.text and "Workloads" in targets.text
    names = {b.text for b in d.find_elements("css selector", "table.policy-list button.link")}
    assert {"FullAWSAccess", "DenyLeaveOrganization", "TwoRegionsOnly"} <= names
    assert "Deny" in d.find_element("css selector", "pre.content").text

    # Handshakes, delegated administrators and trusted services.
    d.get(d.current_url.split("#")[0] + "#/handshakes")
    browser.wait_until(lambda: z.invitation in d.find_element("css selector", "table.handshakes").text, what="the invitation")
    d.get(d.current_url.split("#")[0] + "#/delegated")
    delegated = browser.wait_until(
        lambda: "guardduty.amazonaws.com" in d.find_element("css selector", "table.delegated").text
        and d.find_element("css selector", "table.delegated"), what="the delegated administrator")
    assert z.audit in delegated.text and "audit" in delegated.text
    d.get(d.current_url.split("#")[0] + "#/services")
    services = browser.wait_until(
        lambda: "securityhub" in d.find_element("css selector", "table.services").text
        and d.find_element("css selector", "table.services"), what="the trusted services")
    assert "guardduty.amazonaws.com" in services.text


def test_the_tree_pages_through_a_parent_with_more_children_than_a_page(page, org):
    ids = [orgkit.create_account(org.client, name=f"member-{i:02}") for i in range(25)]
    d = page(MGMT)
    first = shown_children(d, org.root_id)
    assert len(first) == 20  # one page (ListAccountsForParent's largest MaxResults)
    more = node(d, org.root_id).find_element("css selector", ":scope > ul > .more-item button")
    assert more.is_displayed()
    more.click()
    browser.wait_until(lambda: len(shown_children(d, org.root_id)) == 26, what="the second page")
    assert {i for i, _, _ in shown_children(d, org.root_id)} == set(ids) | {MGMT}
    assert not node(d, org.root_id).find_element("css selector", ":scope > ul > .more-item").is_displayed()


def test_a_member_caller_sees_what_the_api_lets_it_see(page, org, new_account):
    member = new_account(name="member")
    d = page(member, ready=False)
    # A member account may describe its organization but not list its roots: the API refuses,
    # and the console says so rather than showing a tree.
    error = browser.wait_until(lambda: d.find_element("css selector", "#view .error"), what="the refusal")
    assert "AccessDeniedException" in error.text
    assert not d.find_elements("css selector", "li.node")


def test_the_simulator_page_asks_orgd_and_explains_a_missing_simulator(page, endpoint, org, new_account):
    member = new_account(name="member")
    status, _, _ = orgkit.http(endpoint, "POST", "/_orgd/simulate",
                               b'{"account_id":"%s","action":"s3:GetObject","resource":"*","context":{}}' % member.encode(),
                               {"Content-Type": "application/json"})
    d = page(MGMT)
    d.get(d.current_url.split("#")[0] + "#/simulator")
    form = browser.wait_until(lambda: d.find_element("css selector", 'form[name="simulate"]'), what="the form")
    account = form.find_element("name", "account_id")
    account.clear()
    account.send_keys(member)
    form.find_element("css selector", "button").click()
    result = browser.wait_until(
        lambda: (t := d.find_element("css selector", ".sim-result").text) and "Asking" not in t and t,
        what="the simulator's answer")
    if status == 404:
        assert "no policy simulator" in result and "404" in result
    else:
        assert status == 200
        assert "Decision:" in result and ("allowed" in result or "denied" in result)


def test_in_strict_mode_the_console_signs_with_the_secret_key_typed_in(chromium, tmp_path):
    """Against `orgd serve --auth sigv4`: the page (a secure context on 127.0.0.1) signs its calls
    with WebCrypto; the right secret shows the tree, a wrong one gets the API's refusal."""
    binary = os.environ.get("ORGD_BINARY")
    if not binary:
        pytest.skip("ORGD_BINARY is not set (compat/run.sh sets it)")
    import console_tool

    keys = tmp_path / "keys.json"
    keys.write_text('[{"access_key_id": "AKIACONSOLETEST", "secret_access_key": "console-secret", '
                    '"account_id": "111111111111"}]')
    orgd = console_tool.Orgd(binary, "--auth", "sigv4", "--credentials", str(keys))
    d = chromium.driver
    try:
        call = console_tool.Caller(orgd.port)
        with pytest.raises(RuntimeError, match="IncompleteSignature|InvalidSignature|UnrecognizedClient"):
            call("ListRoots", {})  # the suite's placeholder signature is refused here

        def open_with(secret):
            d.get(orgd.endpoint + "/console")
            d.find_element("id", "caller-key").send_keys("AKIACONSOLETEST")
            d.find_element("id", "caller-secret").send_keys(secret)
            d.find_element("css selector", "#caller-form button").click()

        open_with("wrong-secret")
        error = browser.wait_until(lambda: d.find_element("css selector", "#view .error"), what="the refusal")
        assert "InvalidSignatureException" in error.text
        d.execute_script("sessionStorage.clear(); localStorage.clear()")
        open_with("console-secret")
        # The management account has no organization yet: the API's answer, properly signed.
        error = browser.wait_until(lambda: d.find_element("css selector", "#view .error"), what="the answer")
        assert "AWSOrganizationsNotInUseException" in error.text
    finally:
        d.execute_script("sessionStorage.clear(); localStorage.clear()")
        orgd.stop()
