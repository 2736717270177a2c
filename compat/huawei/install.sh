#!/usr/bin/env bash
# Installs the Huawei compatibility suite's client into its own virtual
# environment (the image's python3 and pip; packages from PyPI by name):
#   compat/huawei/install.sh            -> prints the venv's python
# The venv lives in the ignored target/ directory (override: ORGD_HW_VENV).
# Nothing is installed when the pinned versions are already there.
set -euo pipefail

SDK_VERSION=3.1.219  # huaweicloudsdkorganizations, the version API.md, AUTH.md and CLIENT.md describe
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv=${ORGD_HW_VENV:-$repo/target/compat/huawei-venv}
python=$venv/bin/python

have() {
    "$python" - "$SDK_VERSION" 2>/dev/null <<'PY'
import sys
from importlib.metadata import version
import pytest  # noqa: F401
sys.exit(0 if version("huaweicloudsdkorganizations") == sys.argv[1] else 1)
PY
}

if [ ! -x "$python" ] || ! have; then
    echo "compat: installing huaweicloudsdkorganizations==$SDK_VERSION and pytest into $venv" >&2
    python3 -m venv "$venv" >&2
    # HOME in a scratch directory: the SDK's import writes ~/.huaweicloud (CLIENT.md).
    HOME=$(mktemp -d) "$python" -m pip install --quiet --disable-pip-version-check \
        "huaweicloudsdkorganizations==$SDK_VERSION" "huaweicloudsdkcore==$SDK_VERSION" pytest >&2
    have || { echo "compat: the Huawei SDK did not install into $venv" >&2; exit 2; }
fi
echo "$python"
