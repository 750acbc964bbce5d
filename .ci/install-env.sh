# Sourced by .ci/try-action.sh and .ci/try-pre-commit.sh: the build that
# `cargo install` makes for them. It is unoptimised, and its target
# directory is kept in target/ci-install (shared by both), so only the first
# install of a run compiles the dependencies. Expects `root` to be set.
export CARGO_TARGET_DIR="$root/target/ci-install"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_INCREMENTAL=true
export NO_COLOR=1
