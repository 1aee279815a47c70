#!/bin/sh
# The whole kernel matrix (guests.txt), two guests at a time: the x86_64 guests run the host
# build in BUILD_DIR, the arm64 guests the Debian package cross-built for arm64 (arm64.sh)
# while the x86_64 guests boot. Each guest leaves WORK/NAME.log, NAME.time and NAME.status
# (run-guest.sh's exit status); WORK/matrix.time is the whole run's seconds.
#
#   sh tests/kernels/matrix.sh BUILD_DIR WORK [NAME...]     (as root; default: every guest)
set -u
build=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
shift 2
here=$(cd "$(dirname "$0")" && pwd)
parallel=${OSR_MATRIX_PARALLEL:-2}
start=$(date +%s.%N)

guests=${*:-$(grep -v '^#' "$here/guests.txt" | awk '{ print $1 }')}
for name in $guests; do rm -f "$work/$name.status" "$work/$name.log" "$work/$name.time"; done
export RECORDER="$build/hook/oci-seccomp-recorder" PROBE64="$build/tests/probe"
export PROBE32="$build/tests/probe32"

# A batch of guests, $parallel at a time; each one's status in its file.
run_guests() {
	printf '%s\n' "$@" | xargs -r -P "$parallel" -I '{}' sh -c \
		'sh "$1/run-guest.sh" "$2" "$3" 2>"$3/$2.err"; echo $? >"$3/$2.status"' \
		sh "$here" '{}' "$work"
}

x86=$(for g in $guests; do case $g in x86_64-*) echo "$g" ;; esac; done)
arm=$(for g in $guests; do case $g in arm64-*) echo "$g" ;; esac; done)
if [ -n "$arm" ]; then
	sh "$here/arm64.sh" "$work/arm64" >"$work/arm64.log" 2>&1 &
	arm64_build=$!
fi
# shellcheck disable=SC2086
[ -z "$x86" ] || run_guests $x86
if [ -n "$arm" ]; then
	if wait "$arm64_build" && . "$work/arm64/artefacts.env"; then
		export ARM64_ROOT ARM64_PROBE
		# shellcheck disable=SC2086
		run_guests $arm
	else
		for g in $arm; do
			{ echo "the arm64 build failed ($work/arm64.log):"; tail -n 30 "$work/arm64.log"; } \
				>"$work/$g.err"
			echo 1 >"$work/$g.status"
		done
	fi
fi
awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' >"$work/matrix.time"
