#!/bin/bash
# Build step of the GitHub Action, run when the binary cache missed: build.sh makes the static binary,
# which is copied into the cached folder.
#
# Reads CUSTOMS_SOURCE_DIR (the Customs source tree) and CUSTOMS_BIN_DIR (the folder actions/cache keeps).
set -euo pipefail

echo "customs: no cached binary for these sources; building $CUSTOMS_SOURCE_DIR with build.sh"
echo "customs: (a static build of the dependencies from source packages takes a few minutes, once per source change)"
# build.sh installs its tools with apt-get, through sudo when the runner user is not root.
bash "$CUSTOMS_SOURCE_DIR/build.sh"
mkdir -p "$CUSTOMS_BIN_DIR"
cp "$CUSTOMS_SOURCE_DIR/build/customs" "$CUSTOMS_BIN_DIR/customs"
"$CUSTOMS_BIN_DIR/customs" --version
