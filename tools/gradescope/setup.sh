#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the autograder
# image: it installs the Debian/Ubuntu packages the checker needs (the
# Makefile's deps target does that) and builds it.
set -eu
cd "${AUTOGRADER_ROOT:-/autograder}/source"
make all
