#!/usr/bin/env bash
# Installs what the console's browser test needs on a fresh machine of the image: Debian's
# chromium and chromium-driver (apt-get, as root) and Python's selenium (pip). Does nothing for
# what is already there. Prints how long it took.
set -euo pipefail
started=$(date +%s)
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >/dev/null
fi
if ! python3 -c 'import selenium' >/dev/null 2>&1; then
    python3 -m pip install --quiet selenium
fi
echo "console test tools: $(chromium --version 2>/dev/null), $(chromedriver --version 2>/dev/null | cut -d' ' -f1-2), selenium $(python3 -c 'import selenium; print(selenium.__version__)') (installed in $(( $(date +%s) - started ))s)"
