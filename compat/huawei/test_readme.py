"""The README's Huawei SDK example runs as written against orgd."""

import os
import pathlib
import re
import subprocess
import sys

import hwkit

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def readme_example():
    text = README.read_text()
    found = re.search(r"<!-- huawei-sdk-example -->\n```python\n(.*?)```", text, re.S)
    assert found, "README.md has no block marked <!-- huawei-sdk-example -->"
    return found.group(1)


def test_the_readme_example_works(endpoint):
    run = subprocess.run(
        [sys.executable, "-c", readme_example()],
        env={**os.environ, "ORGD_ENDPOINT": endpoint},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    org_id, root_id, ou_id, ou_urn = run.stdout.split()
    assert hwkit.ORG_ID.match(org_id) and hwkit.ROOT_ID.match(root_id) and hwkit.OU_ID.match(ou_id)
    assert ou_urn == hwkit.urn_of("ou", hwkit.MGMT, org_id, ou_id)
