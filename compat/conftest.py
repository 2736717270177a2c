"""Fixtures of the orgd client compatibility suite.

Every boto3 client made here checks each response it receives against the
Organizations service model (see awsmodel.check_response); a response that
breaks it fails the test that caused it, with the request and the raw body.
"""

import os
import re
import types

import pytest

import orgkit
from orgkit import MGMT

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "offline: the test needs no server (no reset before it)"
    )


@pytest.fixture(scope="session")
def endpoint():
    url = os.environ.get("ORGD_ENDPOINT")
    if not url:
        pytest.fail(
            "ORGD_ENDPOINT is not set: run the suite with compat/run.sh ORGD_BINARY, "
            "or export ORGD_ENDPOINT=http://127.0.0.1:PORT for a running server"
        )
    return url.rstrip("/")


@pytest.fixture(autouse=True)
def _fresh_server_state(request):
    """Wipe the server before each test so tests never see each other."""
    orgkit.VIOLATIONS.clear()
    orgkit.TOLERATED.clear()
    if request.node.get_closest_marker("offline") is None:
        orgkit.reset(request.getfixturevalue("endpoint"))
    yield
    orgkit.VIOLATIONS.clear()
    orgkit.TOLERATED.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test that passed although a response broke the contract (for
    instance inside a retry loop that swallowed the exception)."""
    result = yield
    if orgkit.VIOLATIONS:
        raise orgkit.ResponseContractViolation(
            f"{len(orgkit.VIOLATIONS)} response(s) broke the AWS contract:\n"
            + "\n".join(orgkit.VIOLATIONS)
        )
    return result


@pytest.fixture
def client(endpoint):
    """client(account_id) -> a validating boto3 organizations client whose
    caller is that 12-digit account (default: the management account)."""
    made = {}

    def make(account_id=MGMT):
        if account_id not in made:
            made[account_id] = orgkit.make_client(endpoint, account_id)
        return made[account_id]

    return make


@pytest.fixture
def tolerate():
    """tolerate(regex): let contract problems matching it pass for the rest
    of this test. Only for a known server defect that its own strict-xfail
    test covers."""

    def add(pattern):
        orgkit.TOLERATED.append(re.compile(pattern))

    return add


@pytest.fixture
def mgmt(client):
    return client(MGMT)


@pytest.fixture
def org(mgmt):
    """A fresh all-features organization managed by MGMT."""
    organization = mgmt.create_organization(FeatureSet="ALL")["Organization"]
    roots = mgmt.list_roots()["Roots"]
    assert len(roots) == 1, roots
    root = roots[0]
    return types.SimpleNamespace(
        id=organization["Id"],
        arn=organization["Arn"],
        organization=organization,
        root_id=root["Id"],
        root_suffix=root["Id"][len("r-"):],
        client=mgmt,
    )


@pytest.fixture
def new_account(org):
    """new_account(name=None, email=None, tags=None) -> id of a created,
    SUCCEEDED member account of `org`."""

    def make(name=None, email=None, tags=None):
        return orgkit.create_account(org.client, name=name, email=email, tags=tags)

    return make


def pytest_terminal_summary(terminalreporter):
    report = orgkit.COVERAGE_REPORT
    if not report:
        return
    missing = report.get("missing", [])
    total = report.get("total", 0)
    write = terminalreporter.write_line
    terminalreporter.section("orgd operation coverage")
    write(f"{total - len(missing)} of {total} operations of the model are implemented")
    if missing:
        write("not implemented yet: " + ", ".join(missing))
