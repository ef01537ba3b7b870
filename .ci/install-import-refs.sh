#!/usr/bin/env sh
# Installs the reference npm packages the importers' id tests check the
# Matter and Z-Wave mappings against (@matter/types with the @matter/model it
# is built from; @zwave-js/config with @zwave-js/core, and @zwave-js/cc for
# the command classes' value properties) into a cache directory outside the
# repository. Idempotent.
#
#   .ci/install-import-refs.sh            # into $HOME/.cache/lockcheck/import-refs
#   LOCKCHECK_IMPORT_REFS=/opt/refs .ci/install-import-refs.sh
#
# The tests (engine/importer/matter, engine/importer/zwavejs) look for
# node_modules under the same directory; with CI=true a missing package fails
# them instead of skipping.
set -eu
. "$(dirname "$0")/npm.sh"

dir="${LOCKCHECK_IMPORT_REFS:-$HOME/.cache/lockcheck/import-refs}"
matter="${MATTER_TYPES_VERSION:-0.17.9}"
zwave="${ZWAVE_JS_VERSION:-15.29.0}"

if [ -f "$dir/node_modules/@matter/types/package.json" ] &&
	[ -f "$dir/node_modules/@zwave-js/config/package.json" ] &&
	[ -f "$dir/node_modules/@zwave-js/cc/package.json" ]; then
	echo "import reference packages already installed in $dir"
	exit 0
fi

npm_install_into "$dir" lockcheck-import-refs "@matter/types@$matter" "@zwave-js/config@$zwave" "@zwave-js/cc@$zwave"
echo "import reference packages installed in $dir"
