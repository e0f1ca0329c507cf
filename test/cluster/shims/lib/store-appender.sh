#!/usr/bin/env bash
# Appends a registry log line to $1 every $2 seconds (default 5 ms), like a
# live Deis cluster writing to the store volume, so a tar of the store sees a
# file change under it. Fork-free loop: builtins only (printf, read -t).
# Past $3 bytes (default 1 MiB) the file is rotated to <file>.1 by rename, as
# logrotate does: truncating instead would make a concurrent tar fail with
# "file shrank" (exit 2) rather than warn.
set -u
file=$1 interval=${2:-0.005} max=${3:-1048576}
exec {pause}<> <(:) # a pipe nobody writes to: `read -t` on it is a sleep without a fork
size=$(stat -c %s "$file" 2>/dev/null || echo 0)
n=0
while :; do
	printf -v now '%(%Y-%m-%dT%H:%M:%S)T' -1
	line="$now deis-registry[1]: 127.0.0.1 - - \"GET /v1/_ping HTTP/1.1\" 200 4 seq=$n"
	if ((size > max)); then
		mv -f "$file" "$file.1"
		size=0
	fi
	printf '%s\n' "$line" >>"$file" || exit 1
	size=$((size + ${#line} + 1))
	n=$((n + 1))
	read -rt "$interval" -u "$pause" _ || true
done
