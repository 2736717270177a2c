"""Fixtures of the Huawei compatibility suite (the official Python SDK against
orgd). run.sh runs it with its own virtual environment:
    target/compat/huawei-venv/bin/python -m pytest compat/huawei --confcutdir compat/huawei
"""

import os
import tempfile

# The SDK writes ~/.huaweicloud/application_id when it is imported or a client
# is built: keep that out of the real home (CLIENT.md).
if not os.environ.get("HUAWEI_COMPAT_KEEP_HOME"):
    os.environ["HOME"] = tempfile.mkdtemp(prefix="orgd-hw-home-")

import pytest  # noqa: E402

import hwkit  # noqa: E402


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
    if request.node.get_closest_marker("offline") is None:
        hwkit.reset(request.getfixturevalue("endpoint"))
    yield


@pytest.fixture
def hw(endpoint):
    """hw(domain_id) -> an SDK client whose caller is that Huawei account
    (default: the management account)."""
    made = {}

    def make(domain_id=hwkit.MGMT):
        if domain_id not in made:
            made[domain_id] = hwkit.make_client(endpoint, domain_id)
        return made[domain_id]

    return make


def pytest_configure(config):
    config.addinivalue_line("markers", "offline: the test needs no server (no reset before it)")
