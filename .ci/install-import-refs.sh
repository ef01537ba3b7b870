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

dir="${LOCKCHECK_IMPORT_REFS:-$HOME/.cache/lockcheck/import-refs}"
matter="${MATTER_TYPES_VERSION:-0.17.9}"
zwave="${ZWAVE_JS_VERSION:-15.29.0}"

if [ -f "$dir/node_modules/@matter/types/package.json" ] &&
	[ -f "$dir/node_modules/@zwave-js/config/package.json" ] &&
	[ -f "$dir/node_modules/@zwave-js/cc/package.json" ]; then
	echo "import reference packages already installed in $dir"
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1; then
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
	else
		echo "npm is required (install Node.js)" >&2
		exit 1
	fi
fi

mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"lockcheck-import-refs","private":true}' >package.json
npm install --no-audit --no-fund "@matter/types@$matter" "@zwave-js/config@$zwave" "@zwave-js/cc@$zwave"
echo "import reference packages installed in $dir"
