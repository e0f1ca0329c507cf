#!/usr/bin/env bash
# System packages for the simulated Deis cluster (test/cluster): OpenSSH, etcd,
# Ceph (mon, osd, radosgw), nginx, PostgreSQL and small tools.
# Idempotent: exits at once when every binary is there. Otherwise installs them
# with apt-get as root, or says what to install and exits 1.
set -euo pipefail

# binary -> Debian package that provides it
declare -A provides=(
	[/usr/sbin/sshd]=openssh-server
	[ssh]=openssh-client
	[ssh-keygen]=openssh-client
	[rsync]=rsync
	[sudo]=sudo
	[etcd]=etcd-server
	[etcdctl]=etcd-client
	[ceph-mon]=ceph-mon
	[monmaptool]=ceph-mon
	[ceph-osd]=ceph-osd
	[radosgw]=radosgw
	[ceph]=ceph-common
	[radosgw-admin]=ceph-common
	[nginx]=nginx
	[ip]=iproute2
	[ps]=procps
	[tmux]=tmux
	[curl]=curl
	[strace]=strace
)

declare -A missing=()
for binary in "${!provides[@]}"; do
	command -v "$binary" >/dev/null 2>&1 || missing[${provides[$binary]}]=1
done
# PostgreSQL only when no server is installed (Debian keeps each major under /usr/lib/postgresql).
if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
	missing[postgresql]=1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
packages=("${!missing[@]}")

if [ "$EUID" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "The test cluster needs these system packages; install them as root (e.g. apt-get install ${packages[*]}) and run again." >&2
	exit 1
fi

echo "== installing system packages: ${packages[*]}"
# Keep the packages' own services (nginx on :80, etcd on :2379, ...) from starting:
# the test cluster runs private instances on those ports. Only if no policy exists yet.
policy=/usr/sbin/policy-rc.d
added_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	added_policy=1
fi
cleanup() { if [ -n "$added_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# On a systemd machine a package we just installed may still have enabled its service for the next boot.
if [ -d /run/systemd/system ]; then
	for package in "${packages[@]}"; do
		case $package in
		nginx) systemctl disable --now nginx >/dev/null 2>&1 || true ;;
		etcd-server) systemctl disable --now etcd >/dev/null 2>&1 || true ;;
		esac
	done
fi
echo "== system packages installed"
