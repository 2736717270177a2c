"""Operators' tools for the console, each against its own in-memory orgd (started from the given
binary on a free port, stopped at the end):

  python3 compat/console/console_tool.py screenshot target/release/orgd docs/console.png
      builds the landing zone of landing_zone.py through the API and takes the README's picture.

  python3 compat/console/console_tool.py measure target/release/orgd --accounts 10000
      builds an organization of that many member accounts through the API (CreateAccount, then
      MoveAccount into ten OUs, a fifth of them left in the root) and times the console in
      headless Chromium: the first tree (page load to the root's first page of OUs and accounts),
      opening an OU of accounts, the root's next page, and an account's details. Prints figures;
      asserts nothing about speed.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import browser  # noqa: E402
import orgkit  # noqa: E402
from orgkit import MGMT  # noqa: E402


class Orgd:
    """The binary, serving in memory on a free loopback port."""

    def __init__(self, binary, *flags):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        env = dict(os.environ, NO_COLOR="1", RUST_LOG="warn")
        self.proc = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--in-memory", *flags],
                                     stdout=self.log, stderr=self.log, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.endpoint + "/_orgd/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("orgd did not become healthy")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Caller:
    """A keep-alive JSON 1.1 client acting as `account` (one per thread)."""

    def __init__(self, port, account=MGMT):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = orgkit.FAKE_AUTH.format(key=account)

    def __call__(self, op, body):
        self.conn.request("POST", "/", json.dumps(body), {
            "X-Amz-Target": f"AWSOrganizationsV20161128.{op}",
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": self.auth,
        })
        r = self.conn.getresponse()
        data = json.loads(r.read() or b"{}")
        if r.status != 200:
            raise RuntimeError(f"{op}: {r.status} {data}")
        return data


def in_parallel(n, threads, port, work):
    """Runs work(caller, i) for i in 0..n on `threads` threads; the results in order."""
    out = [None] * n
    nxt = iter(range(n))
    lock = threading.Lock()
    errors = []

    def run():
        call = Caller(port)
        while True:
            with lock:
                i = next(nxt, None)
            if i is None or errors:
                return
            try:
                out[i] = work(call, i)
            except Exception as err:  # reported after the join
                errors.append(err)

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise errors[0]
    return out


def build_large(orgd, accounts, ous=10, threads=8):
    """An organization of `accounts` members through the API: ten OUs under the root, each with
    four fifths of the accounts spread over them; the rest stay in the root."""
    call = Caller(orgd.port)
    started = time.monotonic()
    call("CreateOrganization", {"FeatureSet": "ALL"})
    root = call("ListRoots", {})["Roots"][0]["Id"]
    ou_ids = [call("CreateOrganizationalUnit", {"ParentId": root, "Name": f"Team-{i + 1:02}"})["OrganizationalUnit"]["Id"]
              for i in range(ous)]

    def create(c, i):
        req = c("CreateAccount", {"AccountName": f"member-{i:05}", "Email": f"member-{i:05}@example.com"})
        rid = req["CreateAccountStatus"]["Id"]
        while True:
            st = c("DescribeCreateAccountStatus", {"CreateAccountRequestId": rid})["CreateAccountStatus"]
            if st["State"] == "SUCCEEDED":
                break
            if st["State"] == "FAILED":
                raise RuntimeError(st)
            time.sleep(0.02)
        account = st["AccountId"]
        if i % 5 != 0:
            c("MoveAccount", {"AccountId": account, "SourceParentId": root, "DestinationParentId": ou_ids[i % ous]})
        return account

    ids = in_parallel(accounts, threads, orgd.port, create)
    # An SCP and a tag policy on the root, so that details show policies and an effective policy.
    for kind, content in (("SERVICE_CONTROL_POLICY", {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
            ("TAG_POLICY", {"tags": {"team": {"tag_key": {"@@assign": "team"}}}})):
        call("EnablePolicyType", {"RootId": root, "PolicyType": kind})
        policy = call("CreatePolicy", {"Name": f"root-{kind.lower()}", "Type": kind, "Description": "",
                                       "Content": json.dumps(content)})["Policy"]["PolicySummary"]["Id"]
        call("AttachPolicy", {"PolicyId": policy, "TargetId": root})
    elapsed = time.monotonic() - started
    with urllib.request.urlopen(orgd.endpoint + "/metrics", timeout=10) as r:
        sizes = [line for line in r.read().decode().splitlines() if line.startswith("orgd_largest_organization")]
    in_root = len([i for i in range(accounts) if i % 5 == 0])
    print(f"built through the API in {elapsed:.1f}s: {accounts} member accounts, {accounts - in_root} of them "
          f"in {ous} OUs, {in_root} and the management account in the root; orgd's /metrics: {'; '.join(sizes)}",
          flush=True)
    return root, ou_ids, ids


def console(driver, endpoint, caller=MGMT):
    """Loads the console as `caller` (remembered by the page), until the first tree is shown."""
    driver.get(endpoint + "/console")
    driver.execute_script("localStorage.setItem('orgd-console-caller', JSON.stringify({accessKey: arguments[0], region: 'us-east-1'}))", caller)
    driver.refresh()
    browser.wait_until(lambda: driver.find_element("tag name", "body").get_attribute("data-tree-ready"), 60, "the first tree")


def node(driver, target):
    return driver.find_element("css selector", f'li.node[data-id="{target}"]')


def measure(args):
    orgd = Orgd(args.binary)
    b = None
    try:
        root, ou_ids, ids = build_large(orgd, args.accounts)
        b = browser.Browser()
        d = b.driver
        first, open_ou, more, account = [], [], [], []
        for run in range(args.runs):
            console(d, orgd.endpoint)
            first.append(d.execute_script("return window.consoleTimings.firstTree"))
            shown = int(node(d, root).get_attribute("data-shown"))
            ou = ou_ids[run % len(ou_ids)]
            node(d, ou).find_element("css selector", ":scope > .row .toggle").click()
            browser.wait_until(lambda: node(d, ou).get_attribute("data-load-ms"), 60, "the OU's first page")
            open_ou.append(int(node(d, ou).get_attribute("data-load-ms")))
            ou_shown = int(node(d, ou).get_attribute("data-shown"))
            button = node(d, root).find_element("css selector", ":scope > ul > .more-item button")
            d.execute_script("arguments[0].dataset.loadMs = ''", node(d, root))
            button.click()
            browser.wait_until(lambda: node(d, root).get_attribute("data-load-ms"), 60, "the root's next page")
            more.append(int(node(d, root).get_attribute("data-load-ms")))
            target = ids[(run * 997) % len(ids)]
            t0 = time.monotonic()
            opener = d.find_element("css selector", 'form[name="open-target"]')
            field = opener.find_element("name", "target")
            field.clear()
            field.send_keys(target)
            opener.find_element("tag name", "button").click()
            browser.wait_until(lambda: d.find_elements("css selector", f'#details[data-target="{target}"]'), 60, "details")
            browser.wait_until(lambda: not [e for e in d.find_elements("css selector", "#details .muted") if "Loading" in e.text],
                               60, "the details' sections")
            account.append(round((time.monotonic() - t0) * 1000))
        nodes = d.execute_script("return document.querySelectorAll('li.node').length")
        heap = d.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : null")

        def fmt(xs):
            return f"median {statistics.median(xs):.0f} ms (min {min(xs)}, max {max(xs)}, {len(xs)} runs)"

        print(f"console at {args.accounts} member accounts ({len(ou_ids)} OUs):")
        print(f"  first tree (navigation to the root's first page of OUs and accounts shown, {shown} nodes): {fmt(first)}")
        print(f"  open an OU ({args.accounts * 4 // 5 // len(ou_ids)} accounts; request to its first page shown, "
              f"{ou_shown} nodes): {fmt(open_ou)}")
        print(f"  the root's next page (Show more): {fmt(more)}")
        print(f"  an account's details with tags, policies and effective policies (Open by id to all sections "
              f"loaded, measured from Python: WebDriver's typing and polling included): {fmt(account)}")
        print(f"  tree items in the page at the end: {nodes}; JS heap used: "
              f"{'%.1f MiB' % (heap / 1048576) if heap else 'unknown'}")
    finally:
        if b:
            b.close()
        orgd.stop()


def screenshot(args):
    import boto3  # noqa: F401 (landing_zone drives boto3 through orgkit)
    import landing_zone

    orgd = Orgd(args.binary)
    b = None
    try:
        mgmt = orgkit.make_client(orgd.endpoint, MGMT)
        z = landing_zone.build(mgmt)
        b = browser.Browser(width=1360, height=1180)
        d = b.driver
        console(d, orgd.endpoint)
        for target in (z.workloads, z.prod, z.security):
            node(d, target).find_element("css selector", ":scope > .row .toggle").click()
            browser.wait_until(lambda: node(d, target).get_attribute("data-load-ms"), 20, "children")
        node(d, z.shop_prod).find_element("css selector", ":scope > .row .name").click()
        browser.wait_until(lambda: d.find_elements("css selector", f'#details[data-target="{z.shop_prod}"]'), 20, "details")
        browser.wait_until(lambda: not [e for e in d.find_elements("css selector", "#details .muted") if "Loading" in e.text],
                           20, "the details' sections")
        time.sleep(0.3)
        d.save_screenshot(args.out)
        print(f"wrote {args.out}")
    finally:
        if b:
            b.close()
        orgd.stop()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("screenshot")
    s.add_argument("binary")
    s.add_argument("out")
    m = sub.add_parser("measure")
    m.add_argument("binary")
    m.add_argument("--accounts", type=int, default=10000)
    m.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    why = browser.missing()
    if why:
        sys.exit(f"{why} (compat/console/install.sh installs it)")
    {"screenshot": screenshot, "measure": measure}[args.cmd](args)


if __name__ == "__main__":
    main()
