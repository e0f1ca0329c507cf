#!/usr/bin/env bash
# Appends a registry log line to $1 every $2 seconds (default 5 ms), like a
# live Deis cluster writing to the store volume, so a tar of the store sees a
# file change under it. Fork-free loop: builtins only (printf, read -t).
# The file is cut back to empty past $3 bytes (default 768 KiB), like logrotate's copytruncate.
set -u
file=$1 interval=${2:-0.005} max=${3:-786432}
exec {pause}<> <(:) # a pipe nobody writes to: `read -t` on it is a sleep without a fork
size=$(stat -c %s "$file" 2>/dev/null || echo 0)
n=0
while :; do
	printf -v now '%(%Y-%m-%dT%H:%M:%S)T' -1
	line="$now deis-registry[1]: 127.0.0.1 - - \"GET /v1/_ping HTTP/1.1\" 200 4 seq=$n"
	if ((size > max)); then
		: >"$file"
		size=0
	fi
	printf '%s\n' "$line" >>"$file" || exit 1
	size=$((size + ${#line} + 1))
	n=$((n + 1))
	read -rt "$interval" -u "$pause" _ || true
done
