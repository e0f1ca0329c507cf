#!/usr/bin/env bash
# The whole test suite: system packages, typecheck, build, the simulated cluster, every test file.
# README's second command and .ci/run both call `npm test`, which runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/setup-system.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

echo "== typecheck"
npx tsc --noEmit
echo "== build"
npm run build --silent

# Node 20's runner does not expand globs and passes when it finds nothing: list the files ourselves.
mapfile -t files < <(find test -name '*.test.ts' -o -name '*.test.tsx' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
echo "== ${#files[@]} test files"

echo "== simulated cluster up"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
npx tsx test/cluster/up.ts
trap 'npx tsx test/cluster/down.ts || true' EXIT

# One file at a time: the files share one cluster and some switch it between source and fresh modes.
node --import tsx --test --test-concurrency=1 --test-timeout=300000 "${files[@]}"
