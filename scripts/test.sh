#!/usr/bin/env bash
# Runs every test of orgd: formatting and lints, the Rust unit and integration tests (the AWS SDK
# for Rust against an in-process server), then the client compatibility suite (boto3, raw HTTP,
# AWS CLI) against the release binary. Builds once, in the release profile, and reuses it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

# A throwaway PostgreSQL cluster for the tests of the PostgreSQL store and of several replicas
# (scripts/postgres.sh, which installs the server when missing). Those tests read its URL and
# must run.
step "PostgreSQL: a throwaway cluster"
bash scripts/postgres.sh install
pg_started=$SECONDS
pg_dir=$(mktemp -d)
ORGD_TEST_DATABASE_URL=$(bash scripts/postgres.sh start "$pg_dir")
export ORGD_TEST_DATABASE_URL ORGD_REQUIRE_POSTGRES=1
trap 'bash scripts/postgres.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
echo "started $ORGD_TEST_DATABASE_URL in $((SECONDS - pg_started)) s"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --release --workspace --all-targets -- -D warnings

step "generated AWS model is up to date with botocore's (xtask codegen --check)"
cargo run --release -p xtask -- codegen --check

step "cargo build --release"
cargo build --release --workspace

step "Rust tests (unit and AWS SDK integration)"
cargo test --release --workspace

step "benchmark smoke run (orgd and moto_server, tiny sizes)"
cargo run --release -p orgd-bench -- --quick --orgd-bin target/release/orgd

step "the console's browser test tools (Debian's chromium and chromium-driver, selenium)"
bash compat/console/install.sh

step "client compatibility suite"
ORGD_REQUIRE_ALL_OPERATIONS=1 bash compat/run.sh target/release/orgd
