#!/usr/bin/env sh
# Installs the npm package @seamapi/types (Seam's API types, which ship the
# API's OpenAPI document) into a cache directory and writes that document out
# as openapi.json, for engine/importer/seam's test that checks lockcheck's
# Seam model against the real API. Idempotent.
#
#   .ci/install-seamapi-types.sh          # into $HOME/.cache/lockcheck/seamapi-types
#   LOCKCHECK_SEAMAPI_TYPES=/opt/seam .ci/install-seamapi-types.sh
#
# The version is pinned so that the check is reproducible; raise it on
# purpose (SEAMAPI_TYPES_VERSION=x.y.z) and fix what the test reports.
set -eu
. "$(dirname "$0")/npm.sh"

dir="${LOCKCHECK_SEAMAPI_TYPES:-$HOME/.cache/lockcheck/seamapi-types}"
version="${SEAMAPI_TYPES_VERSION:-1.977.0}"
pkg="$dir/node_modules/@seamapi/types"

if [ -f "$dir/openapi.json" ] && [ -f "$pkg/package.json" ] &&
	grep -q "\"version\": \"$version\"" "$pkg/package.json"; then
	echo "@seamapi/types $version already installed in $dir"
	exit 0
fi

npm_install_into "$dir" lockcheck-seamapi-types --ignore-scripts "@seamapi/types@$version"
# The document is an ES module's default export; write it out as JSON.
node --input-type=module -e "
import { writeFileSync } from 'node:fs'
const m = await import('$pkg/lib/seam/connect/openapi.js')
writeFileSync('openapi.json.tmp', JSON.stringify(m.default))
"
mv openapi.json.tmp openapi.json
echo "@seamapi/types $version installed in $dir (openapi.json written)"
