#!/bin/sh
# The benchmark of the issue "Performance": start-up, cost per system call, scaling with
# concurrent recordings, the tracer's memory, reference points and lost calls, measured side by
# side in one run and printed as a Markdown table. A benchmark, not a test: each target gets
# PASS or FAIL, and the exit status is 0 unless the benchmark could not run.
#
#   sh tests/bench/run.sh [BUILD_DIR]        as root, after `ninja -C BUILD_DIR` (default ./build)
#
# Environment: BENCH_PAIRS (start-up pairs, default 20), BENCH_REPS (runs of each ns/call
# measurement, default 7; BENCH_STATS_REPS, rounds of the two designs' run time, default the same),
# BENCH_CALLS (getppid calls per run; default: as many as take about
# BENCH_RUN_MS, 500 ms, here, within 200000..5000000).
#
# Each ns/call figure is given twice: by the wall clock (CLOCK_MONOTONIC) and in the loop's CPU
# time, which leaves out the time other tasks had its CPU: on a busy machine the wall clock
# measures the machine's load as much as the system call.
set -u

BUILD_DIR=${1:-build}
PAIRS=${BENCH_PAIRS:-20}
REPS=${BENCH_REPS:-7}
STATS_REPS=${BENCH_STATS_REPS:-$REPS}
RUN_MS=${BENCH_RUN_MS:-500}
SCALES="1 4 16"
HOOK_TIMING_RUNS=5
STRACE_REPS=3
ANNOTATION=io.containers.trace-syscall
NAME_PREFIX=osr-bench-$$
RECORDER_PROG=record_sys_enter
FLOOR_PROG=empty_sys_enter
MEMORY_TARGET_KB=4096
SETTLE_S=1

die() {
	echo "run.sh: cannot run the benchmark: $*" >&2
	exit 2
}

say() {
	printf '%s\n' "$*"
}

# --- what the benchmark needs ----------------------------------------------------------------

[ "$(id -u)" -eq 0 ] || die "it needs root (BPF, podman with runc)"
[ -d "$BUILD_DIR" ] || die "no build directory \`$BUILD_DIR\` (meson setup $BUILD_DIR && ninja -C $BUILD_DIR)"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
RECORDER=$BUILD_DIR/hook/oci-seccomp-recorder
LOOP=$BUILD_DIR/tests/bench/loop
FLOOR=$BUILD_DIR/tests/bench/floor
HOOK_JSON=$BUILD_DIR/hooks.d/oci-seccomp-recorder.json
for f in "$RECORDER" "$LOOP" "$FLOOR"; do
	[ -x "$f" ] || die "\`$f\` is not built (ninja -C $BUILD_DIR; tests/meson.build needs subdir('bench'))"
done
[ -r "$HOOK_JSON" ] || die "no hook config \`$HOOK_JSON\`"
[ -r /sys/kernel/btf/vmlinux ] || die "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
for tool in podman runc jq bpftool strace awk find sysctl; do
	command -v "$tool" >/dev/null || die "\`$tool\` is not installed"
done
[ -x /bin/busybox ] || die "busybox-static is not installed (/bin/busybox)"

# --- clean up on every exit, Ctrl-C included -------------------------------------------------

WORK=
FLOOR_PID=
STATS_WAS=

# The tracers of this run: the processes holding one of our state files open.
bench_tracers() {
	[ -n "$WORK" ] && [ -d "$WORK/run" ] || return 0
	find /proc/[0-9]*/fd -lname "$WORK/run/*.status" 2>/dev/null | cut -d/ -f3 | sort -un
}

# Until no tracer of ours is left (bounded).
wait_tracers_gone() {
	waited=0
	while [ -n "$(bench_tracers)" ] && [ "$waited" -lt 200 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
}

cleanup() {
	trap - EXIT INT TERM
	if [ -n "$FLOOR_PID" ]; then
		kill -TERM "$FLOOR_PID" 2>/dev/null
		wait "$FLOOR_PID" 2>/dev/null
	fi
	if [ -n "$STATS_WAS" ]; then
		sysctl -q -w kernel.bpf_stats_enabled="$STATS_WAS" >/dev/null 2>&1
	fi
	left=$(podman ps -aq --filter "name=^$NAME_PREFIX-" 2>/dev/null)
	if [ -n "$left" ]; then
		# shellcheck disable=SC2086
		podman --hooks-dir "$WORK/hooks.d" rm -f -t 0 $left >/dev/null 2>&1
	fi
	if [ -n "$WORK" ]; then
		# The tracers end with their containers: wait for them (bounded) before their dir goes.
		wait_tracers_gone
		for pid in $(bench_tracers); do
			kill -TERM "$pid" 2>/dev/null
		done
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK=$(mktemp -d /tmp/osr-bench.XXXXXX) || die "mktemp failed"
ROOTFS=$WORK/rootfs
HOOKS_DIR=$WORK/hooks.d
STATE_DIR=$WORK/run
PROFILES=$WORK/profiles
SAMPLES=$WORK/samples
export CONTAINERS_CONF="$WORK/containers.conf"
mkdir -p "$ROOTFS/bin" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev" "$ROOTFS/etc" "$ROOTFS/tmp" \
	"$HOOKS_DIR" "$WORK/hooks-timed" "$STATE_DIR" "$PROFILES" "$SAMPLES"
cp /bin/busybox "$ROOTFS/bin/busybox" || die "copying busybox into \`$ROOTFS\` failed"
chroot "$ROOTFS" /bin/busybox --install -s /bin || die "installing busybox in \`$ROOTFS\` failed"
cp "$LOOP" "$ROOTFS/bin/loop" || die "copying \`$LOOP\` into the rootfs failed"
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
jq --arg path "$RECORDER" --arg log "$WORK/hook.log" --arg state "$STATE_DIR" \
	'.hook.path = $path | .hook.args += ["--log-file", $log, "--log-level", "info",
	 "--state-dir", $state]' "$HOOK_JSON" >"$HOOKS_DIR/oci-seccomp-recorder.json" ||
	die "writing the hook config failed"

# The same hook behind a wrapper that logs each stage's start, end and status; the timed runs
# are sequential, so prestart and poststop alternate in its log.
cat >"$WORK/timed-hook" <<EOF
#!/bin/sh
start=\$(date +%s%N)
"$RECORDER" "\$@"
rc=\$?
echo "\$start \$(date +%s%N) \$rc" >>"$WORK/hook-times"
exit \$rc
EOF
chmod +x "$WORK/timed-hook"
jq --arg path "$WORK/timed-hook" '.hook.path = $path' "$HOOKS_DIR/oci-seccomp-recorder.json" \
	>"$WORK/hooks-timed/oci-seccomp-recorder.json" || die "writing the timed hook config failed"

# --- helpers -----------------------------------------------------------------------------------

SEQ=0
next_name() {
	SEQ=$((SEQ + 1))
	NAME=$NAME_PREFIX-$SEQ
}

pman() {
	podman --hooks-dir "$HOOKS_DIR" "$@"
}

now_ns() {
	date +%s%N
}

# Milliseconds since $1 (ns).
ms_since() {
	awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'
}

# Median of column $2 (default 1) of file $1 with $3 decimals (default 1); "n/a" when it has
# no numbers.
median() {
	awk -v c="${2:-1}" '{ print $c }' "$1" 2>/dev/null | sort -g | awk -v d="${3:-1}" '{ v[NR] = $1 }
		END { if (NR == 0) { print "n/a"; exit }
		      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.*f\n", d, m }'
}

# "min-max (n=N)" of column $2 (default 1) of file $1.
spread() {
	awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g |
		awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f (n=%d)", lo, hi, NR }'
}

# Half the range of column $2 of file $1: how far apart runs of the same thing land.
half_range() {
	awk -v c="$2" 'NR == 1 { lo = $c; hi = $c } $c < lo { lo = $c } $c > hi { hi = $c }
		END { printf "%.1f\n", (hi - lo) / 2 }' "$1"
}

# Arithmetic on medians ($1, an awk expression) with $2 decimals; n/a in, n/a out.
calc() {
	case "$1" in *n/a*) echo n/a; return ;; esac
	awk "BEGIN { printf \"%.${2:-1}f\n\", $1 }"
}

# PASS when $1 <= $2.
verdict() {
	case "$1" in *n/a*) echo n/a; return ;; esac
	awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }'
}

# "noise" when $1 is less than $3 away from the limit $2: its verdict could go either way.
near_limit() {
	case "$1$3" in *n/a*) return ;; esac
	awk -v v="$1" -v l="$2" -v n="$3" 'BEGIN { d = v - l; if (d < 0) d = -d; if (d < n) print "noise" }'
}

# The verdict of a per-call figure by the wall clock ($1) and in CPU time ($2) against the limit
# $3, given the noise of each ($4, $5).
verdict2() {
	w=$(verdict "$1" "$3")
	c=$(verdict "$2" "$3")
	wn=$(near_limit "$1" "$3" "$4")
	cn=$(near_limit "$2" "$3" "$5")
	if [ "$w" = "$c" ]; then
		case "$wn,$cn" in
		noise,noise) echo "$w (within noise)" ;;
		noise,) echo "$w (wall: within noise)" ;;
		,noise) echo "$w (CPU: within noise)" ;;
		*) echo "$w" ;;
		esac
	else
		echo "wall: $w${wn:+ (within noise)} · CPU: $c${cn:+ (within noise)}"
	fi
}

# Append "wall cpu" (ns per call) of one loop run to file $1; the command follows. A run that
# starts while more recorder programs are loaded than ours (EXPECT_PROGS: other people's
# recordings on this machine) is counted in FOREIGN_RUNS.
EXPECT_PROGS=0
FOREIGN_RUNS=0
loop_sample() {
	file=$1
	shift
	[ "$(progs_named "$RECORDER_PROG")" -le "$EXPECT_PROGS" ] || FOREIGN_RUNS=$((FOREIGN_RUNS + 1))
	"$@" >"$WORK/loop.out" 2>"$WORK/loop.err" || die "\`$*\` failed: $(cat "$WORK/loop.err")"
	awk '/ns\/call wall/ { print $1, $4; found = 1 } END { exit !found }' "$WORK/loop.out" \
		>>"$file" || die "\`$*\` printed no ns/call line: $(cat "$WORK/loop.out")"
}

# The allowed names of profile $1, sorted.
allowed_names() {
	jq -r '.syscalls[]? | select(.action == "SCMP_ACT_ALLOW") | (.names // [])[]' "$1" 2>/dev/null |
		sort -u
}

# Check profile $2 of run class $1 against the names of the `record` profile $3: the names
# missing from it go to $WORK/lost-$1 (a profile that was not written counts too).
check_profile() {
	echo "$2" >>"$WORK/checked-$1"
	if [ ! -s "$2" ]; then
		echo "(no profile written)" >>"$WORK/lost-$1"
		return
	fi
	allowed_names "$2" >"$WORK/names"
	allowed_names "$3" | comm -23 - "$WORK/names" >>"$WORK/lost-$1"
}

# "0", or the missing names, each with the number of profiles that miss it.
lost_summary() {
	if [ ! -s "$WORK/lost-$1" ]; then
		echo 0
		return
	fi
	sort "$WORK/lost-$1" | uniq -c |
		awk '{ n = $1; $1 = ""; printf "%s%s (%d×)", sep, substr($0, 2), n; sep = ", " } END { print "" }'
}

# How many loaded BPF programs are named $1.
progs_named() {
	bpftool prog show -j 2>/dev/null | jq --arg n "$1" '[.[] | select(.name == $n)] | length'
}

floor_start() {
	"$FLOOR" >"$WORK/floor.out" 2>&1 &
	FLOOR_PID=$!
	tries=0
	until grep -qx attached "$WORK/floor.out"; do
		kill -0 "$FLOOR_PID" 2>/dev/null || die "the floor loader failed: $(cat "$WORK/floor.out")"
		[ "$tries" -lt 200 ] || die "the floor loader did not attach within 10 s"
		sleep 0.05
		tries=$((tries + 1))
	done
}

floor_stop() {
	kill -TERM "$FLOOR_PID"
	wait "$FLOOR_PID"
	FLOOR_PID=
}

prog_stats() {
	bpftool prog show -j | jq '[.[] | select(.type == "tracing") | {id, name, run_time_ns, run_cnt}]'
}

# Run "$@" with kernel.bpf_stats_enabled on, every tracing program's counters taken before and
# after for stats_ns. Not in a subshell, so that the trap restores the sysctl on Ctrl-C.
with_bpf_stats() {
	STATS_OK=0
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null) &&
		sysctl -q -w kernel.bpf_stats_enabled=1 >/dev/null 2>&1 &&
		prog_stats >"$WORK/stats0" && STATS_OK=1
	"$@"
	[ "$STATS_OK" -eq 0 ] || prog_stats >"$WORK/stats1" || STATS_OK=0
	[ -z "$STATS_WAS" ] || sysctl -q -w kernel.bpf_stats_enabled="$STATS_WAS" >/dev/null 2>&1
	STATS_WAS=
}

# The programs named $1, ns per run over the last with_bpf_stats: a program's own cost, without
# the tracepoint's (the two clock reads around it included).
stats_ns() {
	[ "$STATS_OK" -eq 1 ] || { echo n/a; return; }
	jq -rn --arg n "$1" --slurpfile a "$WORK/stats0" --slurpfile b "$WORK/stats1" '
		[$b[0][] | select(.name == $n) as $p | ($a[0][] | select(.id == $p.id)) as $q
		 | {t: (($p.run_time_ns // 0) - ($q.run_time_ns // 0)),
		    c: (($p.run_cnt // 0) - ($q.run_cnt // 0))}]
		| (map(.t) | add // 0) as $t | (map(.c) | add // 0) as $c
		| if $c > 0 then "\($t / $c * 10 | round / 10)" else "n/a" end'
}

# The program with id $1, ns per run over the last with_bpf_stats.
stats_id_ns() {
	[ "$STATS_OK" -eq 1 ] || { echo n/a; return; }
	jq -rn --argjson id "$1" --slurpfile a "$WORK/stats0" --slurpfile b "$WORK/stats1" '
		([$b[0][] | select(.id == $id)][0]) as $p | ([$a[0][] | select(.id == $id)][0]) as $q
		| if $p == null or $q == null then "n/a" else
		  (($p.run_time_ns // 0) - ($q.run_time_ns // 0)) as $t
		  | (($p.run_cnt // 0) - ($q.run_cnt // 0)) as $c
		  | if $c > 0 then "\($t / $c * 10 | round / 10)" else "n/a" end end'
}

# "pid VmRSS VmHWM memlock" (kB) of each tracer in $@; memlock is the kernel memory charged to
# the BPF maps and programs it holds, which no RSS shows.
tracer_memory() {
	for pid in "$@"; do
		rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
		memlock=$(cat "/proc/$pid/fdinfo/"* 2>/dev/null |
			awk '/^memlock:/ { s += $2 } END { printf "%d", s / 1024 }')
		echo "$pid ${rss:-0} ${hwm:-0} ${memlock:-0}"
	done
}

# A container that is recorded while it sleeps. It runs the loop first, so its profile must
# hold the loop's calls (stdout on /dev/null, like the reference).
start_sleeper() {
	next_name
	echo "$PROFILES/sleeper-$1.json" >>"$WORK/sleeper-profiles"
	pman run -d --name "$NAME" --annotation "$ANNOTATION=of:$PROFILES/sleeper-$1.json" \
		--rootfs "$ROOTFS" /bin/sh -c '/bin/loop 1000 >/dev/null; exec sleep 3600' \
		>>"$WORK/sleepers" 2>"$WORK/podman.err" ||
		die "starting a recorded container failed: $(cat "$WORK/podman.err")"
}

# Remove the sleeping containers; each tracer writes its profile once its container is gone.
stop_sleepers() {
	[ -s "$WORK/sleepers" ] || return 0
	# shellcheck disable=SC2046
	pman rm -f -t 0 $(cat "$WORK/sleepers") >/dev/null 2>"$WORK/podman.err" ||
		say "warning: removing the sleeping containers: $(cat "$WORK/podman.err")"
	: >"$WORK/sleepers"
	wait_tracers_gone
}

# One `podman run --rm ... /bin/true`, plain or recorded; its time (ms) goes to the samples
# unless it is the warm-up (pair 0).
run_true() {
	next_name
	kind=$1
	pair=$2
	t0=$(now_ns)
	if [ "$kind" = plain ]; then
		pman run --rm --name "$NAME" --rootfs "$ROOTFS" /bin/true 2>"$WORK/podman.err"
	else
		pman run --rm --name "$NAME" --annotation "$ANNOTATION=of:$PROFILES/start-$pair.json" \
			--rootfs "$ROOTFS" /bin/true 2>"$WORK/podman.err"
	fi || die "podman run ($kind) failed: $(cat "$WORK/podman.err")"
	ms=$(ms_since "$t0")
	[ "$pair" -eq 0 ] || echo "$ms" >>"$SAMPLES/start-$kind"
}

# --- the run ---------------------------------------------------------------------------------

say "# oci-seccomp-recorder benchmark ($BUILD_DIR)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average at start: $LOAD_START"
foreign=$(progs_named "$RECORDER_PROG")
[ "$foreign" -eq 0 ] ||
	say "warning: $foreign recorder program(s) of other recordings are loaded: the numbers below include them"

# The references of the lost-calls check: the same programs under `record`, their stdout of the
# same kind as in the containers (a pipe from podman, /dev/null in the sleepers).
"$RECORDER" record -o "$WORK/ref-loop-pipe.json" -- "$LOOP" 1000 2>"$WORK/ref.err" | cat >/dev/null
[ -s "$WORK/ref-loop-pipe.json" ] || die "record of the loop failed: $(cat "$WORK/ref.err")"
"$RECORDER" record -o "$WORK/ref-loop-null.json" -- "$LOOP" 1000 >/dev/null 2>"$WORK/ref.err" ||
	die "record of the loop failed: $(cat "$WORK/ref.err")"
"$RECORDER" record -o "$WORK/ref-true.json" -- "$ROOTFS/bin/busybox" true 2>"$WORK/ref.err" ||
	die "record of busybox true failed: $(cat "$WORK/ref.err")"

# Calls per run: about RUN_MS of getppid calls on this machine.
if [ -n "${BENCH_CALLS:-}" ]; then
	CALLS=$BENCH_CALLS
else
	loop_sample "$WORK/calibrate" "$LOOP" 100000
	CALLS=$(awk -v ms="$RUN_MS" '{ n = ms * 1e6 / $1 }
		END { n = n < 200000 ? 200000 : n > 5000000 ? 5000000 : n
		      printf "%d\n", int(n / 100000) * 100000 }' "$WORK/calibrate")
fi
STRACE_CALLS=$(awk -v n="$CALLS" 'BEGIN { n = int(n / 50); printf "%d\n", n < 10000 ? 10000 : n }')
say "getppid calls per run: $CALLS ($REPS runs each), under strace: $STRACE_CALLS ($STRACE_REPS runs)"

# 1. Start-up: plain and recorded alternate, the order swapped every pair, after a warm-up.
say ""
say "## 1. start-up: $PAIRS pairs of podman run --rm --rootfs DIR /bin/true"
run_true plain 0
run_true recorded 0
rm -f "$PROFILES/start-0.json"
pair=1
while [ "$pair" -le "$PAIRS" ]; do
	if [ $((pair % 2)) -eq 1 ]; then
		run_true plain "$pair"
		run_true recorded "$pair"
	else
		run_true recorded "$pair"
		run_true plain "$pair"
	fi
	pair=$((pair + 1))
done
START_PLAIN=$(median "$SAMPLES/start-plain")
START_REC=$(median "$SAMPLES/start-recorded")
START_RATIO=$(calc "$START_REC / $START_PLAIN" 2)
# The pairs ran back to back: the ratio within each pair is less exposed to the machine's drift.
paste "$SAMPLES/start-recorded" "$SAMPLES/start-plain" | awk '{ print $1 / $2 }' >"$SAMPLES/start-ratio"
START_PAIRED=$(median "$SAMPLES/start-ratio" 1 2)
say "plain    ms: median $START_PLAIN, $(spread "$SAMPLES/start-plain")"
say "recorded ms: median $START_REC, $(spread "$SAMPLES/start-recorded")"
say "recorded / plain: $START_RATIO (ratio of the medians), $START_PAIRED (median of the pairs' ratios)"

# Where the recorded start-up goes: the hook's two stages, timed by a wrapper in separate runs
# (so that the wrapper's own cost stays out of the pairs above) ...
run=1
while [ "$run" -le "$HOOK_TIMING_RUNS" ]; do
	next_name
	podman --hooks-dir "$WORK/hooks-timed" run --rm --name "$NAME" \
		--annotation "$ANNOTATION=of:$PROFILES/timed-$run.json" --rootfs "$ROOTFS" /bin/true \
		2>"$WORK/podman.err" || die "podman run (timed hook) failed: $(cat "$WORK/podman.err")"
	run=$((run + 1))
done
awk 'NR % 2 == 1 { print ($2 - $1) / 1e6 }' "$WORK/hook-times" >"$SAMPLES/prestart"
awk 'NR % 2 == 0 { print ($2 - $1) / 1e6 }' "$WORK/hook-times" >"$SAMPLES/poststop"
HOOK_PRESTART=$(median "$SAMPLES/prestart")
HOOK_POSTSTOP=$(median "$SAMPLES/poststop")
say "prestart hook ms: median $HOOK_PRESTART, $(spread "$SAMPLES/prestart")"
say "poststop hook ms: median $HOOK_POSTSTOP, $(spread "$SAMPLES/poststop")"

# ... and the same work without podman: `record` (open, load and attach the BPF program, write
# the profile) around busybox true, against busybox true alone.
run=1
while [ "$run" -le "$HOOK_TIMING_RUNS" ]; do
	t0=$(now_ns)
	"$ROOTFS/bin/busybox" true
	ms_since "$t0" >>"$SAMPLES/true-plain"
	t0=$(now_ns)
	"$RECORDER" record -o "$WORK/rt.json" -- "$ROOTFS/bin/busybox" true >/dev/null 2>&1 ||
		die "record of busybox true failed"
	ms_since "$t0" >>"$SAMPLES/true-record"
	run=$((run + 1))
done
RECORD_TRUE=$(median "$SAMPLES/true-record")
PLAIN_TRUE=$(median "$SAMPLES/true-plain")
say "record -- true ms: median $RECORD_TRUE, $(spread "$SAMPLES/true-record"); true alone: $PLAIN_TRUE"

# 2. Cost per call: rounds of (a) nothing attached, (b) the empty program, (c) a host process
# while one container is recorded, (d) inside a recorded container; the order turns every round,
# so that a drift of the machine's load spreads over all four. (c) and (d) start their loop
# SETTLE_S after the container, when podman and conmon are done starting it.
say ""
say "## 2. cost per getppid call, ns (wall clock | CPU time), $REPS rounds of a, b, c, d"
measure() {
	case $1 in
	a)
		loop_sample "$SAMPLES/a" "$LOOP" "$CALLS"
		;;
	b)
		floor_start
		loop_sample "$SAMPLES/b" "$LOOP" "$CALLS"
		floor_stop
		;;
	c)
		start_sleeper "round-$2"
		sleep "$SETTLE_S"
		EXPECT_PROGS=1
		loop_sample "$SAMPLES/c" "$LOOP" "$CALLS"
		EXPECT_PROGS=0
		stop_sleepers
		;;
	d)
		next_name
		loop_sample "$SAMPLES/d" pman run --rm --name "$NAME" \
			--annotation "$ANNOTATION=of:$PROFILES/inside-$2.json" --rootfs "$ROOTFS" \
			/bin/sh -c "sleep $SETTLE_S; exec /bin/loop $CALLS"
		;;
	esac
}
round=1
while [ "$round" -le "$REPS" ]; do
	set -- a b c d
	turn=0
	while [ "$turn" -lt $(((round - 1) % 4)) ]; do
		set -- "$2" "$3" "$4" "$1"
		turn=$((turn + 1))
	done
	for kind in "$@"; do
		measure "$kind" "$round"
	done
	round=$((round + 1))
done
for kind in a b c d; do
	say "($kind) $(median "$SAMPLES/$kind") | $(median "$SAMPLES/$kind" 2);" \
		"$(spread "$SAMPLES/$kind") | $(spread "$SAMPLES/$kind" 2)"
done

# The programs' own run time (bpf_stats), the recorder's and the empty one's side by side in
# one window, for each hot path of the recorder (OCI_SECCOMP_RECORDER_DESIGN: the tag looked up
# on every call, `storage`, against the namespace and filter of the task, `namespace`, the
# default), in STATS_REPS rounds whose order of designs turns: on the host (a task of no
# recording) ...
stats_host() {
	start_sleeper "stats-host-$1-$2"
	EXPECT_PROGS=1
	with_bpf_stats loop_sample "$WORK/scratch" "$LOOP" "$CALLS"
	EXPECT_PROGS=0
	stats_sample "$SAMPLES/stats-host-$1" "$1"
	stop_sleepers
}
# ... and inside a recorded container (a task of the recording: the call is recorded). The
# container waits for a file in a shared directory, so that the window holds its loop and little
# else, and stays up after it: its tracer's program must still be loaded when the counters are
# read.
inside_window() {
	touch "$WORK/signal/go"
	waited=0
	until [ -e "$WORK/signal/done" ]; do
		[ "$waited" -lt 1200 ] || die "the loop in the recorded container did not finish within 60 s"
		sleep 0.05
		waited=$((waited + 1))
	done
}
stats_inside() {
	mkdir -p "$WORK/signal" "$ROOTFS/signal"
	rm -f "$WORK/signal/go" "$WORK/signal/done"
	next_name
	pman run -d --name "$NAME" --annotation "$ANNOTATION=of:$PROFILES/inside-stats-$1-$2.json" \
		-v "$WORK/signal:/signal" --rootfs "$ROOTFS" /bin/sh -c "while [ ! -e /signal/go ]; do
			sleep 0.05; done; /bin/loop $CALLS; touch /signal/done; exec sleep 3600" \
		>>"$WORK/sleepers" 2>"$WORK/podman.err" ||
		die "podman run of the loop failed: $(cat "$WORK/podman.err")"
	with_bpf_stats inside_window
	stats_sample "$SAMPLES/stats-in-$1" "$1"
	stop_sleepers
}
# Append "recorder empty recorder−empty" (ns per run) of the last window to file $1: the
# recorder program of design $2 only, the one linked in its pin directory, so that the programs
# of other recordings on this machine (other builds: other pin directories) are left out.
stats_sample() {
	rec=n/a
	id=$(bpftool link show pinned "$(eval "echo \$PIN_DIR_$2")/link_sys_enter" -j 2>/dev/null |
		jq -r '.prog_id // empty')
	[ -z "$id" ] || rec=$(stats_id_ns "$id")
	empty=$(stats_ns "$FLOOR_PROG")
	case "$rec$empty" in *n/a*) return ;; esac
	awk -v r="$rec" -v e="$empty" 'BEGIN { printf "%s %s %.1f\n", r, e, r - e }' >>"$1"
}
# The least any recorder pays for a task it records with a tag: the floor's loader runs the loop
# with its task tagged, a bare task-storage lookup (that hits) on the tracepoint beside the empty
# program.
storage_window() {
	"$FLOOR" --storage "$LOOP" "$CALLS" >"$WORK/storage.out" 2>&1 ||
		die "floor --storage failed: $(cat "$WORK/storage.out")"
}
for design in storage namespace; do
	# Where this build's program of the design is pinned: `record` says so at debug level.
	dir=$(OCI_SECCOMP_RECORDER_DESIGN=$design "$RECORDER" record --log-level debug \
		-o "$WORK/pin-probe.json" -- /bin/true 2>&1 | grep -o 'pinned it in `[^`]*`' | head -1 |
		cut -d'`' -f2)
	[ -n "$dir" ] || die "record did not say where the $design design's program is pinned"
	eval "PIN_DIR_$design=\$dir"
	mkdir -p "$WORK/hooks-$design"
	jq --arg env "OCI_SECCOMP_RECORDER_DESIGN=$design" '.hook.env = ((.hook.env // []) + [$env])' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$WORK/hooks-$design/oci-seccomp-recorder.json" ||
		die "writing the hook config of design $design failed"
done
DEFAULT_HOOKS_DIR=$HOOKS_DIR
round=1
while [ "$round" -le "$STATS_REPS" ]; do
	if [ $((round % 2)) -eq 1 ]; then designs="storage namespace"; else designs="namespace storage"; fi
	floor_start
	for design in $designs; do
		HOOKS_DIR=$WORK/hooks-$design
		stats_host "$design" "$round"
		stats_inside "$design" "$round"
	done
	HOOKS_DIR=$DEFAULT_HOOKS_DIR
	floor_stop
	with_bpf_stats storage_window
	awk '/^storage_sys_enter ns\/run/ { s = $3 } /^empty_sys_enter ns\/run/ { e = $3 }
		END { if (s != "" && e != "" && s != "n/a" && e != "n/a") printf "%s %s %.1f\n", s, e, s - e }' \
		"$WORK/storage.out" >>"$SAMPLES/stats-storage-hit"
	round=$((round + 1))
done
for design in storage namespace; do
	for where in host in; do
		say "program run time, $design design, $where: recorder − empty, ns per run (bpf_stats," \
			"same window): median $(median "$SAMPLES/stats-$where-$design" 3)," \
			"$(spread "$SAMPLES/stats-$where-$design" 3); empty alone: median" \
			"$(median "$SAMPLES/stats-$where-$design" 2)"
	done
done
STORAGE_HIT_NS=$(median "$SAMPLES/stats-storage-hit" 3)
say "a bare task-storage lookup that hits, ns per run over the empty program: median" \
	"$STORAGE_HIT_NS, $(spread "$SAMPLES/stats-storage-hit" 3)"

# 3. Scaling: the host process while 1, 4 and 16 containers are recorded; 4. the tracers'
# memory with 1 and with 16.
say ""
say "## 3. scaling and 4. memory"
started=0
for n in $SCALES; do
	while [ "$started" -lt "$n" ]; do
		started=$((started + 1))
		start_sleeper "$started"
	done
	sleep "$SETTLE_S"
	running=$(podman ps -q --filter "name=^$NAME_PREFIX-" | wc -l)
	progs=$(progs_named "$RECORDER_PROG")
	EXPECT_PROGS=$n
	run=1
	while [ "$run" -le "$REPS" ]; do
		loop_sample "$SAMPLES/c$n" "$LOOP" "$CALLS"
		run=$((run + 1))
	done
	with_bpf_stats loop_sample "$WORK/scratch" "$LOOP" "$CALLS"
	eval "PROG_NS_C$n=\$(stats_ns \"\$RECORDER_PROG\") PROGS_C$n=\$progs"
	say "(c) host, $n recorded: $(median "$SAMPLES/c$n") | $(median "$SAMPLES/c$n" 2);" \
		"$(spread "$SAMPLES/c$n") | $(spread "$SAMPLES/c$n" 2); recorder programs loaded:" \
		"$progs, $(stats_ns "$RECORDER_PROG") ns/run each; containers running: $running"
	[ "$running" -eq "$n" ] ||
		say "warning: $running of $n recorded containers are running: something removed ours"
	if [ "$n" -eq 1 ] || [ "$n" -eq 16 ]; then
		# shellcheck disable=SC2046
		tracer_memory $(bench_tracers) >"$WORK/mem$n"
		say "tracers, $n recorded (pid VmRSS VmHWM BPF-memlock, kB):" \
			"$(awk '{ printf "%s[%s %s %s %s]", sep, $1, $2, $3, $4; sep = " " }' "$WORK/mem$n")"
	fi
done
stop_sleepers
EXPECT_PROGS=0

# Drift: nothing attached again, after everything else.
run=1
while [ "$run" -le 3 ]; do
	loop_sample "$SAMPLES/a-after" "$LOOP" "$CALLS"
	run=$((run + 1))
done
say "(a) again, at the end:    $(median "$SAMPLES/a-after") | $(median "$SAMPLES/a-after" 2);" \
	"$(spread "$SAMPLES/a-after") | $(spread "$SAMPLES/a-after" 2)"

# 5. Reference points.
say ""
say "## 5. references"
run=1
while [ "$run" -le "$STRACE_REPS" ]; do
	loop_sample "$SAMPLES/strace" strace -f -o /dev/null "$LOOP" "$STRACE_CALLS"
	run=$((run + 1))
done
say "strace -f -o /dev/null: $(median "$SAMPLES/strace") | $(median "$SAMPLES/strace" 2);" \
	"$(spread "$SAMPLES/strace") | $(spread "$SAMPLES/strace" 2)"

# The reference hook: Debian ships it, but it compiles its BPF program with BCC at run time.
REF_HOOK=
for p in /usr/libexec/oci/hooks.d/oci-seccomp-bpf-hook \
	/usr/local/libexec/oci/hooks.d/oci-seccomp-bpf-hook \
	"$(command -v oci-seccomp-bpf-hook 2>/dev/null)"; do
	if [ -n "$p" ] && [ -x "$p" ]; then
		REF_HOOK=$p
		break
	fi
done
if [ -z "$REF_HOOK" ]; then
	REF_RESULT="not available: not installed"
	if [ ! -e "/lib/modules/$(uname -r)/build" ] && [ ! -e /sys/kernel/kheaders.tar.xz ]; then
		REF_RESULT="$REF_RESULT, and it could not work here: BCC compiles its program against kernel headers, and there are none (no /lib/modules/$(uname -r)/build, no /sys/kernel/kheaders.tar.xz)"
	fi
else
	mkdir -p "$WORK/hooks-ref"
	jq -n --arg path "$REF_HOOK" '{version: "1.0.0",
		hook: {path: $path, args: ["oci-seccomp-bpf-hook", "-s"]},
		when: {annotations: {"^io\\.containers\\.trace-syscall$": ".*"}}, stages: ["prestart"]}' \
		>"$WORK/hooks-ref/oci-seccomp-bpf-hook.json"
	REF_RESULT=
	run=1
	while [ "$run" -le 3 ] && [ -z "$REF_RESULT" ]; do
		next_name
		t0=$(now_ns)
		if podman --hooks-dir "$WORK/hooks-ref" run --rm --name "$NAME" \
			--annotation "$ANNOTATION=of:$PROFILES/ref-$run.json" --rootfs "$ROOTFS" \
			/bin/true 2>"$WORK/podman.err"; then
			ms_since "$t0" >>"$SAMPLES/ref-start"
		else
			REF_RESULT="not available: $REF_HOOK does not work here: $(tail -n 1 "$WORK/podman.err")"
		fi
		run=$((run + 1))
	done
	[ -n "$REF_RESULT" ] ||
		REF_RESULT="start-up, recorded: $(median "$SAMPLES/ref-start") ms ($(spread "$SAMPLES/ref-start"))"
fi
say "oci-seccomp-bpf-hook: $REF_RESULT"

# 6. Lost calls: every recorded run against a `record` run of the same program.
say ""
say "## 6. lost calls"
for f in "$PROFILES"/start-*.json "$PROFILES"/timed-*.json; do
	check_profile start "$f" "$WORK/ref-true.json"
done
for f in "$PROFILES"/inside-*.json; do
	check_profile inside "$f" "$WORK/ref-loop-pipe.json"
done
while read -r f; do
	waited=0
	while [ ! -s "$f" ] && [ "$waited" -lt 100 ]; do
		sleep 0.1
		waited=$((waited + 1))
	done
	check_profile sleeper "$f" "$WORK/ref-loop-null.json"
done <"$WORK/sleeper-profiles"
LOST_START=$(lost_summary start)
LOST_INSIDE=$(lost_summary inside)
LOST_SLEEPER=$(lost_summary sleeper)
N_START=$(wc -l <"$WORK/checked-start")
N_INSIDE=$(wc -l <"$WORK/checked-inside")
N_SLEEPER=$(wc -l <"$WORK/checked-sleeper")
allowed_names "$WORK/ref-loop-pipe.json" | grep -qx getppid ||
	say "warning: the reference record of the loop has no getppid"
say "lost calls: $LOST_START (start-up: $N_START profiles of /bin/true, against record of busybox true; true makes no getppid)"
say "lost calls: $LOST_INSIDE (inside: $N_INSIDE profiles of the loop, getppid among them, against record of the loop)"
say "lost calls: $LOST_SLEEPER (host and scaling: $N_SLEEPER profiles of the sleeping containers, which ran the loop)"
if [ "$LOST_START$LOST_INSIDE$LOST_SLEEPER" = 000 ]; then LOST_VERDICT=PASS; else LOST_VERDICT=FAIL; fi

# --- the summary -------------------------------------------------------------------------------

for col in 1 2; do
	for kind in a b c d a-after strace c1 c4 c16; do
		var=$(echo "$kind" | tr 'a-z-' 'A-Z_')
		eval "${var}_$col=\$(median \"\$SAMPLES/$kind\" $col)"
	done
done
# shellcheck disable=SC2154 # set by the evals above
{
	SHARE_C_1=$(calc "$C_1 - $B_1") SHARE_C_2=$(calc "$C_2 - $B_2")
	SHARE_D_1=$(calc "$D_1 - $B_1") SHARE_D_2=$(calc "$D_2 - $B_2")
	SHARE_C16_1=$(calc "$C16_1 - $B_1") SHARE_C16_2=$(calc "$C16_2 - $B_2")
	SCALE_1=$(calc "$C16_1 / $C1_1" 2) SCALE_2=$(calc "$C16_2 / $C1_2" 2)
	SCALE_NOISE_1=$(calc "$(half_range "$SAMPLES/c1" 1) / $C1_1" 2)
	SCALE_NOISE_2=$(calc "$(half_range "$SAMPLES/c1" 2) / $C1_2" 2)
	NOISE_1=$(half_range "$SAMPLES/b" 1) NOISE_2=$(half_range "$SAMPLES/b" 2)
}
# The two designs (bpf_stats, recorder − empty, medians of the rounds); the default design's
# (storage) are the recorder's own figures above. The rule of the issue: adopt the namespace
# design if its cost inside is at most half the storage design's and its host cost is no worse.
HOST_OLD=$(median "$SAMPLES/stats-host-storage" 3)
IN_OLD=$(median "$SAMPLES/stats-in-storage" 3)
HOST_NEW=$(median "$SAMPLES/stats-host-namespace" 3)
IN_NEW=$(median "$SAMPLES/stats-in-namespace" 3)
HOST_BODY=$HOST_OLD
IN_BODY=$IN_OLD
HOST_EMPTY=$(median "$SAMPLES/stats-host-namespace" 2)
IN_EMPTY=$(median "$SAMPLES/stats-in-namespace" 2)
IN_RATIO=$(calc "$IN_NEW / $IN_OLD" 2)
HOST_DELTA=$(calc "$HOST_NEW - $HOST_OLD")
STATS_NOISE=$(awk '{ print $3 }' "$SAMPLES/stats-host-storage" "$SAMPLES/stats-host-namespace" \
	2>/dev/null | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (NR) printf "%.1f\n", (hi - lo) / 2; else print "n/a" }')
case "$IN_RATIO$HOST_DELTA$STATS_NOISE" in
*n/a*) ADOPT=n/a ;;
*) ADOPT=$(awk -v r="$IN_RATIO" -v d="$HOST_DELTA" -v n="$STATS_NOISE" 'BEGIN {
	if (r <= 0.5 && d <= n) print "adopt the namespace design"; else print "keep the storage design" }') ;;
esac
MEM1_RSS=$(median "$WORK/mem1" 2 0)
MEM1_HWM=$(median "$WORK/mem1" 3 0)
MEM1_LOCK=$(median "$WORK/mem1" 4 0)
MEM16_N=$(wc -l <"$WORK/mem16")
MEM16_RSS=$(median "$WORK/mem16" 2 0)
MEM16_RSS_MAX=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$WORK/mem16")
MEM16_HWM_MAX=$(awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }' "$WORK/mem16")
MEM16_TOTAL=$(awk '{ s += $2 } END { print s + 0 }' "$WORK/mem16")
MEM16_LOCK_TOTAL=$(awk '{ s += $4 } END { print s + 0 }' "$WORK/mem16")
MEM_RSS_MAX=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$WORK/mem1" "$WORK/mem16")
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

say ""
say "## Results"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
say "- kernel: $(uname -r)"
say "- CPU: $CPU_MODEL, $(nproc) CPUs"
say "- podman $(podman --version | awk '{ print $3 }'), runc $(runc --version | awk 'NR == 1 { print $3 }')"
say "- load average at the start / end: $LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg)"
say "- loop runs that started while other recordings were loaded on this machine: $FOREIGN_RUNS"
say "- medians; start-up: $PAIRS alternating pairs; per call: $REPS runs of $CALLS getppid calls," \
	"by the wall clock (CLOCK_MONOTONIC) and in CPU time; (a)-(d) in turning rounds"
say ""
say "| Measure | Value | CPU time | Target | Result |"
say "| --- | --- | --- | --- | --- |"
say "| Start-up, plain \`podman run --rm --rootfs DIR /bin/true\` | $START_PLAIN ms | | | |"
say "| Start-up, recorded (hook + annotation) | $START_REC ms | | | |"
say "| Start-up, recorded / plain (median of the pairs' ratios) | $START_RATIO ($START_PAIRED) | | ≤ 1.10 | $(verdict "$START_RATIO" 1.10) |"
say "| ↳ prestart / poststop hook (timed separately) | $HOOK_PRESTART / $HOOK_POSTSTOP ms | | | |"
say "| ↳ \`record -- true\` / \`true\` alone, on the host | $RECORD_TRUE / $PLAIN_TRUE ms | | | |"
say "| (a) getppid, nothing attached | $A_1 ns | $A_2 ns | | |"
say "| (b) floor: empty tp_btf/sys_enter program | $B_1 ns | $B_2 ns | | |"
say "| ↳ run-to-run noise: half the range of (b) | ±$NOISE_1 ns | ±$NOISE_2 ns | | |"
say "| (c) host process, 1 container recorded | $C_1 ns | $C_2 ns | | |"
say "| ↳ recorder's share on the host, (c) − (b) | $SHARE_C_1 ns | $SHARE_C_2 ns | ≤ 5 ns | $(verdict2 "$SHARE_C_1" "$SHARE_C_2" 5 "$NOISE_1" "$NOISE_2") |"
say "| ↳ the same from the programs' run time (bpf_stats): recorder − empty, same calls | $HOST_BODY ns | | ≤ 5 ns | $(verdict "$HOST_BODY" 5) |"
say "| (d) inside the recorded container | $D_1 ns | $D_2 ns | | |"
say "| ↳ recorder's share inside, (d) − (b) | $SHARE_D_1 ns | $SHARE_D_2 ns | ≤ 10 ns | $(verdict2 "$SHARE_D_1" "$SHARE_D_2" 10 "$NOISE_1" "$NOISE_2") |"
say "| ↳ the same from the programs' run time (bpf_stats): recorder − empty, same calls | $IN_BODY ns | | ≤ 10 ns | $(verdict "$IN_BODY" 10) |"
say "| ↳ a bare task-storage lookup that hits, − empty | $STORAGE_HIT_NS ns | | | |"
say "| Hot paths side by side (bpf_stats, recorder − empty, $STATS_REPS rounds; empty: $HOST_EMPTY ns host, $IN_EMPTY ns inside) | | | | |"
say "| ↳ host process, storage design / namespace design | $HOST_OLD / $HOST_NEW ns | | ≤ 5 ns | $(verdict "$HOST_OLD" 5) / $(verdict "$HOST_NEW" 5) |"
say "| ↳ inside the recorded container, storage design / namespace design | $IN_OLD / $IN_NEW ns | | ≤ 30 ns | $(verdict "$IN_OLD" 30) / $(verdict "$IN_NEW" 30) |"
say "| ↳ inside, namespace / storage; host, namespace − storage (noise ±$STATS_NOISE ns) | $IN_RATIO; $HOST_DELTA ns | | ≤ 0.5; ≤ noise | $ADOPT |"
say "| (c) host process, 1 / 4 / 16 containers recorded | $C1_1 / $C4_1 / $C16_1 ns | $C1_2 / $C4_2 / $C16_2 ns | | |"
say "| ↳ recorders' share with 16, (c16) − (b) | $SHARE_C16_1 ns | $SHARE_C16_2 ns | | |"
say "| ↳ programs on sys_enter with 1 / 4 / 16; run time each (bpf_stats) | $PROGS_C1 / $PROGS_C4 / $PROGS_C16; $PROG_NS_C1 / $PROG_NS_C4 / $PROG_NS_C16 ns | | | |"
say "| Scaling, (c) 16 / 1 | $SCALE_1 | $SCALE_2 | ≤ 1.1 | $(verdict2 "$SCALE_1" "$SCALE_2" 1.1 "$SCALE_NOISE_1" "$SCALE_NOISE_2") |"
say "| Tracer, 1 recording: VmRSS / VmHWM (BPF memlock) | $MEM1_RSS / $MEM1_HWM kB ($MEM1_LOCK kB) | | ≤ $MEMORY_TARGET_KB kB steady | $(verdict "$MEM_RSS_MAX" "$MEMORY_TARGET_KB") |"
say "| Tracers, 16 recordings: VmRSS median / max, VmHWM max, per tracer | $MEM16_RSS / $MEM16_RSS_MAX kB, $MEM16_HWM_MAX kB ($MEM16_N tracers) | | | |"
say "| Tracers, 16 recordings: total VmRSS (BPF memlock) | $MEM16_TOTAL kB ($MEM16_LOCK_TOTAL kB) | | | |"
say "| Reference: \`strace -f -o /dev/null\`, per call | $STRACE_1 ns | $STRACE_2 ns | | |"
say "| Reference: oci-seccomp-bpf-hook | $REF_RESULT | | | |"
say "| Lost calls: start-up ($N_START) / inside ($N_INSIDE) / host and scaling ($N_SLEEPER profiles) | $LOST_START / $LOST_INSIDE / $LOST_SLEEPER | | 0 | $LOST_VERDICT |"
say "| Drift: (a) again at the end | $A_AFTER_1 ns | $A_AFTER_2 ns | | |"
exit 0
