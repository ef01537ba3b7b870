#!/usr/bin/env sh
# Installs Microsoft's SARIF multitool (the official SARIF validator) into a
# cache directory, for engine/report's SARIF validation test. Idempotent: it
# does nothing when the tool is already installed.
#
#   .ci/install-sarif-multitool.sh            # into $HOME/.cache/lockcheck/sarif-multitool
#   LOCKCHECK_SARIF_MULTITOOL=/opt/smt .ci/install-sarif-multitool.sh
#
# The test looks for node_modules/.bin/sarif-multitool under the same directory.
set -eu
. "$(dirname "$0")/npm.sh"

dir="${LOCKCHECK_SARIF_MULTITOOL:-$HOME/.cache/lockcheck/sarif-multitool}"
version="${SARIF_MULTITOOL_VERSION:-5.7.0}"

if [ -x "$dir/node_modules/.bin/sarif-multitool" ]; then
	echo "sarif-multitool already installed in $dir"
	exit 0
fi

npm_install_into "$dir" lockcheck-sarif-multitool "@microsoft/sarif-multitool@$version"
"$dir/node_modules/.bin/sarif-multitool" --version || true
echo "sarif-multitool installed in $dir"
