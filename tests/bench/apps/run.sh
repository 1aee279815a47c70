#!/bin/bash
# Hints on real software: Debian roots from mmdebstrap (redis, nginx, postgresql, python3), each
# recorded under one workload and run under a held-out one, 5 times, with the plain profile and
# with the hints:log one. Prints one Markdown row per app: calls allowed, held-out passes, the
# calls the held-out workload needed that the recording missed, how many of them the hints
# named (recall), the number of hints, the analysis time. On demand, not in CI (minutes).
#
#   bash tests/bench/apps/run.sh [BUILD_DIR] [APP...]   as root, after `ninja -C BUILD_DIR`
#
# The roots are cached in $APPS_CACHE (default /var/cache/oci-seccomp-recorder/apps), built once
# with `mmdebstrap --variant=minbase --include=PACKAGES bookworm DIR` (Debian's mirror only).
# Each container runs on an overlay of its root (`--rootfs DIR:O`): the cache stays clean.
# A held-out run passes when its workload's own checks pass (exit 0). The "missed" calls are
# measured, not guessed: one more recording, of the held-out workload, names what it needs.
set -u

BUILD_DIR=$(realpath "${1:-build}")
shift || true
APPS=${*:-redis nginx postgres python}
RUNS=${BENCH_APPS_RUNS:-5}
CACHE=${APPS_CACHE:-/var/cache/oci-seccomp-recorder/apps}
HERE=$(cd "$(dirname "$0")" && pwd)
RECORDER="$BUILD_DIR/hook/oci-seccomp-recorder"
WORK=$(mktemp -d /tmp/osr-bench-apps.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

packages() {
	case "$1" in
	redis) echo redis-server,redis-tools ;;
	nginx) echo nginx-light,curl ;;
	postgres) echo postgresql,postgresql-contrib ;;
	python) echo python3,libpython3.11-testsuite ;;
	esac
}

root_of() {
	local dir="$CACHE/$1"
	if [ ! -e "$dir/.done" ]; then
		mkdir -p "$CACHE"
		rm -rf "$dir.tmp"
		echo "# building the $1 root with mmdebstrap (once)" >&2
		nice -n 10 mmdebstrap --variant=minbase --include="$(packages "$1")" bookworm \
			"$dir.tmp" >"$CACHE/$1.log" 2>&1 || {
			echo "mmdebstrap for $1 failed: see $CACHE/$1.log" >&2
			return 1
		}
		rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.done"
	fi
	echo "$dir"
}

export CONTAINERS_CONF="$WORK/containers.conf"
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
mkdir -p "$WORK/hooks.d"
jq --arg path "$RECORDER" --arg log "$WORK/hook.log" --arg state "$WORK/run" \
	'.hook.path = $path | .hook.args += ["--log-file", $log, "--log-level", "info",
	 "--state-dir", $state]' "$BUILD_DIR/hooks.d/oci-seccomp-recorder.json" \
	>"$WORK/hooks.d/oci-seccomp-recorder.json"

# The container: an overlay of root $1, loopback only; the rest is podman's arguments.
container() {
	local root=$1
	shift
	podman --hooks-dir "$WORK/hooks.d" run --rm --network none "$@" --rootfs "$root:O" \
		/bin/sh -c "$WORKLOAD"
}

allowed() {
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | (.names // [])[]' "$1" | sort -u
}

# shellcheck source=/dev/null
. "$HERE/workloads.sh"

echo "| app | calls allowed | held-out passes | missed calls | hints naming them (recall) | hints (logged by hints:log) | with hints:log: passes | hint analysis |"
echo "|---|---|---|---|---|---|---|---|"
for app in $APPS; do
	root=$(root_of "$app") || continue
	d="$WORK/$app"
	mkdir -p "$d"
	WORKLOAD=$(train_"$app")
	container "$root" --annotation "io.containers.trace-syscall=of:$d/plain.json" \
		>"$d/train.out" 2>&1 || echo "# $app: the training run failed: $(tail -3 "$d/train.out")" >&2
	container "$root" --annotation "io.containers.trace-syscall=of:$d/log.json;hints:log" \
		>"$d/train-log.out" 2>&1 || echo "# $app: the hints:log training run failed" >&2
	WORKLOAD=$(heldout_"$app")
	container "$root" --annotation "io.containers.trace-syscall=of:$d/heldout.json" \
		>"$d/heldout-rec.out" 2>&1 || echo "# $app: the held-out recording failed" >&2
	plain_pass=0 log_pass=0
	for _ in $(seq "$RUNS"); do
		container "$root" --security-opt "seccomp=$d/plain.json" >"$d/run-plain.out" 2>&1 &&
			plain_pass=$((plain_pass + 1))
		container "$root" --security-opt "seccomp=$d/log.json" >"$d/run-log.out" 2>&1 &&
			log_pass=$((log_pass + 1))
	done
	allowed "$d/plain.json" >"$d/plain.names"
	allowed "$d/heldout.json" >"$d/heldout.names"
	comm -13 "$d/plain.names" "$d/heldout.names" >"$d/missed.names"
	jq -r '.calls[].name' "$d/log.json.hints.json" | sort -u >"$d/hints.names"
	jq -r '.syscalls[] | select(.action == "SCMP_ACT_LOG") | .names[]' "$d/log.json" |
		sort -u >"$d/logged.names"
	missed=$(wc -l <"$d/missed.names")
	named=$(comm -12 "$d/missed.names" "$d/hints.names" | wc -l)
	recall=$([ "$missed" -gt 0 ] && echo "$((100 * named / missed)) %" || echo "n/a")
	ms=$(grep -o "read in [0-9]* ms" "$WORK/hook.log" | tail -1 | grep -o "[0-9]*")
	echo "| $app | $(wc -l <"$d/plain.names") | $plain_pass/$RUNS | $missed | $named ($recall) | $(wc -l <"$d/hints.names") ($(wc -l <"$d/logged.names")) | $log_pass/$RUNS | ${ms:-?} ms |"
	echo "# $app missed: $(tr '\n' ' ' <"$d/missed.names")" >&2
	echo "# $app missed and not hinted: $(comm -23 "$d/missed.names" "$d/hints.names" | tr '\n' ' ')" >&2
	echo "# $app missed and not logged: $(comm -23 "$d/missed.names" "$d/logged.names" | tr '\n' ' ')" >&2
done
