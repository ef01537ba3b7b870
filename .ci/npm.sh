# Shared by the .ci/install-*.sh scripts that install npm packages into a
# cache directory outside the repository (sourced, not run).

# ensure_npm installs Node.js and npm from Debian when npm is missing.
ensure_npm() {
	command -v npm >/dev/null 2>&1 && return 0
	if command -v apt-get >/dev/null 2>&1; then
		apt-get update
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
	else
		echo "npm is required (install Node.js)" >&2
		return 1
	fi
}

# npm_install_into DIR NAME ARGS...: npm install ARGS in DIR (created, with a
# private package.json called NAME); leaves the shell in DIR.
npm_install_into() {
	dir=$1 name=$2
	shift 2
	ensure_npm
	mkdir -p "$dir"
	cd "$dir"
	[ -f package.json ] || echo "{\"name\":\"$name\",\"private\":true}" >package.json
	npm install --no-audit --no-fund "$@"
}
