#!/usr/bin/env bash
# npm run bench: deis-backup side by side with s3cmd and rclone, both configured
# for a Deis v1 gateway (signature v2), on the simulated cluster (issue 17); the
# AWS CLI v2 is only probed (it cannot sign v2). See bench/README.md.
#   BENCH_RUNS=3      runs per measurement (medians)
#   BENCH_QUICK=1     every data set ~10x smaller: a smoke run
#   BENCH_ONLY=a,b,c,d,tarball,startup   a subset
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
	echo "npm run bench needs root: it installs the peers and runs the simulated cluster (users, /etc/hosts, port 80)." >&2
	exit 1
fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
export DEBIAN_FRONTEND=noninteractive

# The peers, GNU time and script(1). Debian's awscli is the v2 CLI in /usr/bin/aws
# (a pyenv shim earlier on PATH may be v1, which can sign v2: the probe must be v2's).
missing=()
command -v s3cmd >/dev/null || missing+=(s3cmd)
command -v rclone >/dev/null || missing+=(rclone)
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/time ] || missing+=(time)
command -v script >/dev/null || missing+=(bsdutils)
if [ "${#missing[@]}" -gt 0 ]; then
	echo "== installing ${missing[*]}"
	apt-get update -qq
	apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "== versions"
echo "s3cmd $(s3cmd --version | awk '{print $3}'), $(rclone version | head -1), $(/usr/bin/aws --version), node $(node -v)"

[ -d node_modules ] || npm ci --no-audit --no-fund
echo "== build"
npm run build --silent

ports_answer() {
	local port
	for port in 80 2222 7480 4001; do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || return 1
	done
}
if [ -f .cluster/env.json ] && ports_answer; then
	echo "== reusing the running test cluster (left running afterwards)"
	if pgrep -f 'node .*--test' >/dev/null; then
		echo "warning: a test run is using the cluster now; its mode switches remove the bench's buckets (the bench stops if the cluster is reset) and its load skews the timings" >&2
	fi
else
	echo "== simulated cluster up"
	npx tsx test/cluster/up.ts
	started_env=$(stat -c %Y.%y .cluster/env.json)
	# Down at the end only if it is still the cluster this script started (another session may
	# have replaced it meanwhile: then it is theirs to stop).
	stop_cluster() {
		if [ -f .cluster/env.json ] && [ "$(stat -c %Y.%y .cluster/env.json)" = "$started_env" ]; then
			echo "== simulated cluster down"
			npx tsx test/cluster/down.ts || true
		else
			echo "== the simulated cluster was replaced by someone else during the bench: left alone"
		fi
	}
	trap stop_cluster EXIT
fi

npx tsx bench/bench.ts
