#!/usr/bin/env bats
# What a pod author may write into the annotation, and profiles made to hurt: a base profile
# that is a kernel interface, a base profile that takes minutes to compile, text that forges
# log lines. Each is refused at once with one clear message; nothing hangs, nothing starts.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	podman_setup_file
}

teardown() {
	podman_teardown
}

# Milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Fail unless the last `run` ended by itself (not by `timeout`) within $1 ms of $2.
ended_within() {
	local limit=$1 start=$2 took
	took=$(($(now_ms) - start))
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		echo "expected an answer within ${limit} ms, but \`timeout\` stopped it after" \
			"${took} ms; output: $output" >&2
		return 1
	fi
	if [ "$took" -ge "$limit" ]; then
		echo "expected an answer within ${limit} ms, it took ${took} ms; output: $output" >&2
		return 1
	fi
	echo "# answered in ${took} ms" >&3
}

# Fail unless $output holds $1.
output_has() {
	if [[ "$output" != *"$1"* ]]; then
		printf 'expected the output to hold "%s", got:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}

# The container of the last `run` must not have run its command.
container_did_not_run() {
	if [[ "$output" == *"getcpu ok"* ]]; then
		echo "the container ran: $output" >&2
		return 1
	fi
}

# tracefs at /sys/kernel/tracing, mounted if it is not (root, as in CI).
mount_tracefs() {
	mountpoint -q /sys/kernel/tracing && return 0
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but tracefs cannot be mounted at /sys/kernel/tracing" >&2
		return 1
	fi
	skip "tracefs cannot be mounted at /sys/kernel/tracing"
}

# A profile of $2 rules for socket, each comparing all six arguments (SCMP_CMP_NE): libseccomp
# 2.5 takes a second for three such rules and does not finish in minutes for four.
hostile_profile() {
	jq -n --argjson n "$2" '{defaultAction: "SCMP_ACT_ERRNO",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: [range($n) as $i | {names: ["socket"], action: "SCMP_ACT_ALLOW",
			args: [range(6) as $j | {index: $j, value: ($i * 6 + $j), op: "SCMP_CMP_NE"}]}]}' >"$1"
}

@test "if: naming trace_pipe is refused at once, and the container does not start" {
	require_bpf
	require_podman
	mount_tracefs
	[ -e /sys/kernel/tracing/trace_pipe ]
	start=$(now_ms)
	run timeout -k 5 30 podman --hooks-dir "$HOOKS_DIR" run --rm \
		"$(trace_annotation "of:$TMP/p.json;if:/sys/kernel/tracing/trace_pipe")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	ended_within 5000 "$start"
	[ "$status" -ne 0 ]
	container_did_not_run
	output_has "if: \`/sys/kernel/tracing/trace_pipe\` is on tracefs, a kernel interface"
	[ ! -e "$TMP/p.json" ]
}

@test "if: naming a procfs or sysfs file or a device is refused, each with its reason" {
	require_bpf
	require_podman
	for base in /proc/1/status:"is on procfs" /sys/kernel/uevent_seqnum:"is on sysfs" \
		/dev/null:"is not a regular file: it is a character device"; do
		start=$(now_ms)
			run timeout -k 5 30 podman --hooks-dir "$HOOKS_DIR" run --rm \
			"$(trace_annotation "of:$TMP/p.json;if:${base%%:*}")" --rootfs "$ROOTFS" \
			/bin/probe getcpu
		ended_within 5000 "$start"
		[ "$status" -ne 0 ]
		container_did_not_run
		output_has "\`${base%%:*}\` ${base#*:}"
	done
	[ ! -e "$TMP/p.json" ]
}

@test "if: naming a profile that would take minutes to compile is refused at prestart" {
	require_bpf
	require_podman
	hostile_profile "$TMP/hostile.json" 4000
	start=$(now_ms)
	run timeout -k 5 60 podman --hooks-dir "$HOOKS_DIR" run --rm \
		"$(trace_annotation "of:$TMP/p.json;if:$TMP/hostile.json")" --rootfs "$ROOTFS" \
		/bin/probe getcpu
	ended_within 10000 "$start"
	[ "$status" -ne 0 ]
	container_did_not_run
	output_has "profile \`$TMP/hostile.json\` has 4000 argument rules; the limit is 256"
	[ ! -e "$TMP/p.json" ]
}

@test "merge refuses a profile of 4000 argument rules within seconds, naming the limit" {
	hostile_profile "$TMP/hostile.json" 4000
	start=$(now_ms)
	run timeout -k 5 60 "$RECORDER" merge -o "$TMP/out.json" "$TMP/hostile.json"
	ended_within 10000 "$start"
	[ "$status" -eq 2 ]
	output_has "profile \`$TMP/hostile.json\` has 4000 argument rules; the limit is 256"
	[ ! -e "$TMP/out.json" ]
	# Within the total, but three rules comparing every argument: a second of libseccomp's
	# time, and a fourth would make it minutes.
	hostile_profile "$TMP/three.json" 3
	start=$(now_ms)
	run timeout -k 5 60 "$RECORDER" merge -o "$TMP/out.json" "$TMP/three.json"
	ended_within 10000 "$start"
	[ "$status" -eq 2 ]
	output_has "has 3 rules that compare several arguments at once; the limit is 2"
	[ ! -e "$TMP/out.json" ]
}

@test "record -i and run -p refuse a profile of 4000 argument rules within seconds" {
	require_bpf
	hostile_profile "$TMP/hostile.json" 4000
	start=$(now_ms)
	run timeout -k 5 60 "$RECORDER" record -i "$TMP/hostile.json" -o "$TMP/out.json" -- /bin/true
	ended_within 10000 "$start"
	[ "$status" -eq 125 ]
	output_has "profile \`$TMP/hostile.json\` has 4000 argument rules; the limit is 256"
	[ ! -e "$TMP/out.json" ]
	start=$(now_ms)
	run timeout -k 5 60 "$RECORDER" run -p "$TMP/hostile.json" -- /bin/true
	ended_within 10000 "$start"
	[ "$status" -eq 125 ]
	output_has "profile \`$TMP/hostile.json\` has 4000 argument rules; the limit is 256"
}

@test "a path with a bidi override or NEL in the annotation is logged escaped, on one line" {
	require_bpf
	require_podman
	run ! timeout -k 5 30 podman --hooks-dir "$HOOKS_DIR" run --rm \
		"$(trace_annotation "of:$TMP/nodir"$'\u202e'"nosj"$'\u0085'"/p.json")" \
		--rootfs "$ROOTFS" /bin/probe getcpu
	container_did_not_run
	output_has "directory of \`$TMP/nodir\\u202enosj\\u0085/p.json\` does not exist"
	if [[ "$output" == *$'\u202e'* ]] || [[ "$output" == *$'\u0085'* ]]; then
		echo "a raw U+202E or U+0085 reached the output: $output" >&2
		return 1
	fi
	grep -c 'does not exist' <<<"$output" | grep -qx 1
}
