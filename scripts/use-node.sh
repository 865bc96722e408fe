# Source this file (`. scripts/use-node.sh`) to put a supported Node.js first on PATH.
# Typerator needs Node 22.19+ (it runs TypeScript directly through Node's type stripping); when the
# system Node is older, Node 24 LTS is installed from the npm registry's `node` package, which ships
# the binary, into a cache folder outside the repository.
_typerator_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'
}
if ! _typerator_node_ok; then
  _typerator_node_version=${TYPERATOR_NODE_VERSION:-24.21.0}
  _typerator_node_dir="${TYPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typerator}/node/$_typerator_node_version"
  if [ ! -x "$_typerator_node_dir/node_modules/.bin/node" ]; then
    echo "use-node: installing Node $_typerator_node_version from the npm registry into $_typerator_node_dir" >&2
    mkdir -p "$_typerator_node_dir"
    npm install --no-save --no-package-lock --prefix "$_typerator_node_dir" "node@$_typerator_node_version" >&2 ||
      { echo "use-node: could not install node@$_typerator_node_version" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_typerator_node_dir/node_modules/.bin:$PATH"
  unset _typerator_node_version _typerator_node_dir
fi
unset -f _typerator_node_ok
echo "use-node: $(command -v node) $(node --version)" >&2
