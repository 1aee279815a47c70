#!/usr/bin/env bats
# Profiles that travel as OCI artifacts (KEP-6061, CRI-O): --format oci-artifact writes an OCI
# image layout, push and pull go through skopeo to a real registry (Debian's docker-registry,
# started here on 127.0.0.1 with its own config and storage), every bad artifact is refused in
# one line with nothing written, and node mode's --publish pushes what a real recording wrote.

bats_require_minimum_version 1.5.0
load helpers

ARTIFACT_TYPE=application/vnd.cncf.seccomp-profile.config.v1+json

require_registry_tools() {
	if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
		return 0
	fi
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but docker-registry or skopeo is missing" >&2
		return 1
	fi
	skip "needs docker-registry and skopeo"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A registry of this file's own: filesystem storage in a temporary directory, 127.0.0.1 only.
start_registry() {
	local dir="$BATS_FILE_TMPDIR/registry"
	mkdir -p "$dir/data"
	REG_PORT=$(free_port)
	cat >"$dir/config.yml" <<-EOF
		version: 0.1
		log:
		  level: error
		storage:
		  filesystem:
		    rootdirectory: $dir/data
		  delete:
		    enabled: true
		http:
		  addr: 127.0.0.1:$REG_PORT
	EOF
	docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
	echo $! >"$dir/pid"
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:$REG_PORT/v2/" >/dev/null && break
		sleep 0.1
	done
	curl -fs "http://127.0.0.1:$REG_PORT/v2/" >/dev/null
	echo "$REG_PORT" >"$dir/port"
}

setup_file() {
	command -v docker-registry >/dev/null && command -v skopeo >/dev/null || return 0
	start_registry
	if command -v podman >/dev/null && [ -x /bin/busybox ]; then
		podman_setup_file
	fi
}

teardown_file() {
	local pid
	pid=$(cat "$BATS_FILE_TMPDIR/registry/pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || true
}

setup() {
	require_registry_tools
	REG="127.0.0.1:$(cat "$BATS_FILE_TMPDIR/registry/port")"
	TMP=$(mktemp -d /tmp/osr-test.XXXXXX)
	# A profile of the runtime's own form, as a user commits one.
	cat >"$TMP/p.json" <<-'EOF'
		{
		  "defaultAction": "SCMP_ACT_ERRNO",
		  "architectures": ["SCMP_ARCH_X86_64"],
		  "syscalls": [{"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"}]
		}
	EOF
	echo old >"$TMP/out.json"
}

teardown() {
	[ -n "${SILENT:-}" ] && kill "$SILENT" 2>/dev/null
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	return 0
}

# The manifest an OCI image layout's index names for tag $2.
layout_manifest() {
	local digest
	digest=$(jq -r --arg t "$2" \
		'.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' \
		"$1/index.json")
	cat "$1/blobs/sha256/${digest#sha256:}"
}

# An OCI image layout by hand in $1, tag t: config of media type $2 (and artifactType $3 when
# not empty), one layer per further argument (a file), each of media type application/json,
# except a file ending in .tar (an image layer).
make_layout() {
	python3 - "$@" <<-'EOF'
		import hashlib, json, os, sys
		out, config_type, artifact_type, layers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
		os.makedirs(f"{out}/blobs/sha256", exist_ok=True)
		def blob(data):
		    h = hashlib.sha256(data).hexdigest()
		    open(f"{out}/blobs/sha256/{h}", "wb").write(data)
		    return {"digest": "sha256:" + h, "size": len(data)}
		config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' \
		    if config_type.endswith("image.config.v1+json") else b"{}"
		m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		     "config": dict(mediaType=config_type, **blob(config)), "layers": []}
		if artifact_type:
		    m["artifactType"] = artifact_type
		for path in layers:
		    data = open(path, "rb").read()
		    kind = "application/vnd.oci.image.layer.v1.tar" if path.endswith(".tar") else "application/json"
		    m["layers"].append(dict(mediaType=kind, **blob(data)))
		mb = json.dumps(m).encode()
		index = {"schemaVersion": 2, "manifests": [dict(mediaType=m["mediaType"], **blob(mb),
		         annotations={"org.opencontainers.image.ref.name": "t"})]}
		json.dump(index, open(f"{out}/index.json", "w"))
		open(f"{out}/oci-layout", "w").write('{"imageLayoutVersion":"1.0.0"}')
	EOF
}

# Push the hand-made layout $1 (tag t) to $2 with skopeo itself, bypassing our checks.
skopeo_push() {
	skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$1:t" "docker://$2"
}

# pull $1 into $TMP/out.json must be refused with a message matching $2, the file untouched.
refute_pull() {
	run "$RECORDER" pull --tls-verify=false "docker://$1" -o "$TMP/out.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *$2* ]] || { echo "expected *$2*, got: $output" >&2; return 1; }
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ] || { echo "not one line: $output" >&2; return 1; }
	assert_equal "$(cat "$TMP/out.json")" old
}

@test "merge --format oci-artifact writes an OCI image layout: one layer, typed config, no platform, the digest printed" {
	run --separate-stderr "$RECORDER" merge --format oci-artifact -o "$TMP/layout:v1" "$TMP/p.json"
	[ "$status" -eq 0 ]
	local digest=$output manifest
	[[ "$digest" == sha256:* ]]
	assert_equal "$(jq -r .imageLayoutVersion "$TMP/layout/oci-layout")" 1.0.0
	manifest=$(layout_manifest "$TMP/layout" v1)
	assert_equal "sha256:$(layout_manifest "$TMP/layout" v1 | sha256sum | cut -d' ' -f1)" "$digest"
	assert_equal "$(jq -r .mediaType <<<"$manifest")" application/vnd.oci.image.manifest.v1+json
	assert_equal "$(jq -r .artifactType <<<"$manifest")" "$ARTIFACT_TYPE"
	assert_equal "$(jq -r .config.mediaType <<<"$manifest")" "$ARTIFACT_TYPE"
	assert_equal "$(jq '.layers | length' <<<"$manifest")" 1
	assert_equal "$(jq '[.. | objects | has("platform")] | any' <<<"$manifest")" false
	assert_equal "$(jq '[.manifests[] | has("platform")] | any' "$TMP/layout/index.json")" false
	# The layer is the profile itself, and every reader takes the layout.
	jq -e '.syscalls[0].names | index("read")' \
		"$TMP/layout/blobs/sha256/$(jq -r '.layers[0].digest[7:]' <<<"$manifest")" >/dev/null
	run "$RECORDER" diff "$TMP/p.json" "$TMP/layout:v1"
	[ "$status" -eq 0 ]
	# Without a tag: latest; another tag is kept beside it.
	run "$RECORDER" merge --format oci-artifact -o "$TMP/layout" "$TMP/p.json"
	[ "$status" -eq 0 ]
	assert_equal "$(jq -r '[.manifests[].annotations["org.opencontainers.image.ref.name"]] | sort | join(" ")' \
		"$TMP/layout/index.json")" "latest v1"
}

@test "push: skopeo inspect --raw shows the artifact's media types; pull by digest gives the same bytes" {
	run "$RECORDER" push --tls-verify=false "$TMP/p.json" "docker://$REG/profiles/web:v1"
	[ "$status" -eq 0 ]
	local pinned=$output raw
	[[ "$pinned" == "$REG/profiles/web@sha256:"* ]]
	raw=$(skopeo inspect --raw --tls-verify=false "docker://$REG/profiles/web:v1")
	assert_equal "sha256:$(skopeo inspect --raw --tls-verify=false "docker://$REG/profiles/web:v1" |
		sha256sum | cut -d' ' -f1)" "${pinned#*@}"
	assert_equal "$(jq -r .artifactType <<<"$raw")" "$ARTIFACT_TYPE"
	assert_equal "$(jq -r .config.mediaType <<<"$raw")" "$ARTIFACT_TYPE"
	assert_equal "$(jq '.layers | length' <<<"$raw")" 1
	run "$RECORDER" pull --tls-verify=false "docker://$pinned" -o "$TMP/out.json"
	[ "$status" -eq 0 ]
	assert_equal "$output" "$pinned"
	cmp "$TMP/p.json" "$TMP/out.json"
	# A layout written by --format oci-artifact is pushed as it is: the same digest.
	"$RECORDER" merge --format oci-artifact -o "$TMP/layout:v2" "$TMP/p.json" >"$TMP/digest" 2>/dev/null
	run "$RECORDER" push --tls-verify=false "$TMP/layout:v2" "docker://$REG/profiles/web:v2"
	[ "$status" -eq 0 ]
	assert_equal "$output" "$REG/profiles/web@$(cat "$TMP/digest")"
}

@test "push refuses a profile runtimes would not take, naming the limit and the call; nothing is pushed" {
	jq '.syscalls += [{"names": ["ptrace"], "action": "SCMP_ACT_NOTIFY"}]' "$TMP/p.json" >"$TMP/notify.json"
	run "$RECORDER" push --tls-verify=false "$TMP/notify.json" "docker://$REG/profiles/bad:v1"
	[ "$status" -eq 2 ]
	[[ "$output" == *"\`ptrace\`"*"SCMP_ACT_NOTIFY"*"runtimes refuse it"* ]]
	jq '.syscalls[0].errnoRet = 1' "$TMP/p.json" >"$TMP/errno.json"
	run "$RECORDER" push --tls-verify=false "$TMP/errno.json" "docker://$REG/profiles/bad:v1"
	[ "$status" -eq 2 ]
	[[ "$output" == *"(\`read\`) has errnoRet with SCMP_ACT_ALLOW"* ]]
	jq '.syscalls += [range(129) | {"names": ["getcpu"], "action": "SCMP_ACT_ALLOW"}]' \
		"$TMP/p.json" >"$TMP/many.json"
	run "$RECORDER" push --tls-verify=false "$TMP/many.json" "docker://$REG/profiles/bad:v1"
	[ "$status" -eq 2 ]
	[[ "$output" == *"129 entries for \`getcpu\`; runtimes take at most 128"* ]]
	run skopeo inspect --raw --tls-verify=false "docker://$REG/profiles/bad:v1"
	[ "$status" -ne 0 ]
}

@test "merge writes no profile runtimes would not take, in any format: the limit and the call named" {
	jq '.syscalls += [{"names": ["ptrace"], "action": "SCMP_ACT_NOTIFY"}]' "$TMP/p.json" >"$TMP/notify.json"
	jq '.listenerPath = "/run/listener.sock"' "$TMP/p.json" >"$TMP/listener.json"
	local format
	for format in oci spo oci-artifact; do
		run "$RECORDER" merge --format "$format" -o "$TMP/out-$format" "$TMP/notify.json"
		[ "$status" -eq 2 ]
		[[ "$output" == *"(\`ptrace\`) has SCMP_ACT_NOTIFY, which needs a listener"* ]]
		run "$RECORDER" merge --format "$format" -o "$TMP/out-$format" "$TMP/listener.json"
		[ "$status" -eq 2 ]
		[[ "$output" == *"has \`listenerPath\`"* ]]
		[ ! -e "$TMP/out-$format" ]
	done
}

@test "pull refuses an image that is not an artifact, two layers, a wrong media type: one line, nothing written" {
	tar -C "$TMP" -cf "$TMP/layer.tar" p.json
	make_layout "$TMP/image" application/vnd.oci.image.config.v1+json "" "$TMP/layer.tar"
	skopeo_push "$TMP/image" "$REG/bad/image:v1"
	refute_pull "$REG/bad/image:v1" "config of media type \`application/vnd.oci.image.config.v1+json\`"
	jq -c . "$TMP/p.json" >"$TMP/p2.json"
	make_layout "$TMP/two" "$ARTIFACT_TYPE" "$ARTIFACT_TYPE" "$TMP/p.json" "$TMP/p2.json"
	skopeo_push "$TMP/two" "$REG/bad/two:v1"
	refute_pull "$REG/bad/two:v1" "has 2 layers: a seccomp profile artifact has exactly one"
	make_layout "$TMP/unknown" application/vnd.unknown.config.v1+json "" "$TMP/p.json"
	skopeo_push "$TMP/unknown" "$REG/bad/unknown:v1"
	refute_pull "$REG/bad/unknown:v1" "config of media type \`application/vnd.unknown.config.v1+json\`"
	make_layout "$TMP/typed" "$ARTIFACT_TYPE" application/vnd.example.other+json "$TMP/p.json"
	skopeo_push "$TMP/typed" "$REG/bad/typed:v1"
	refute_pull "$REG/bad/typed:v1" "artifactType \`application/vnd.example.other+json\`"
}

@test "pull refuses a digest that does not match and a registry that is not there: one line, nothing written" {
	local pinned other layer
	pinned=$("$RECORDER" push --tls-verify=false "$TMP/p.json" "docker://$REG/digest/p:v1")
	# A digest the repository has not: the registry knows no such manifest.
	other=$(printf x | sha256sum | cut -d' ' -f1)
	refute_pull "$REG/digest/p@sha256:$other" "manifest unknown"
	# The registry's copy of the layer altered on its disk: the bytes no longer match.
	layer=$(skopeo inspect --raw --tls-verify=false "docker://$pinned" | jq -r '.layers[0].digest[7:]')
	printf '{"defaultAction":"SCMP_ACT_ALLOW"}' \
		>"$BATS_FILE_TMPDIR/registry/data/docker/registry/v2/blobs/sha256/${layer:0:2}/$layer/data"
	refute_pull "$pinned" "digest"
	# Nobody listens on this port.
	refute_pull "127.0.0.1:$(free_port)/digest/p:v1" "connection refused"
}

@test "a profile recorded under podman travels: pushed, pulled by digest, and it enforces" {
	require_bpf
	require_podman
	run podman --hooks-dir "$HOOKS_DIR" run --rm \
		"$(trace_annotation "of:$TMP/rec.json")" --rootfs "$ROOTFS" /bin/ls /
	[ "$status" -eq 0 ]
	local pinned
	pinned=$("$RECORDER" push --tls-verify=false "$TMP/rec.json" "docker://$REG/rec/probe:v1")
	run "$RECORDER" pull --tls-verify=false "docker://$pinned" -o "$TMP/pulled.json"
	[ "$status" -eq 0 ]
	cmp "$TMP/rec.json" "$TMP/pulled.json"
	run podman run --rm --security-opt "seccomp=$TMP/pulled.json" --rootfs "$ROOTFS" /bin/ls /
	[ "$status" -eq 0 ]
	[[ "$output" == *proc* ]]
	# A call the recording never made is denied.
	run podman run --rm --security-opt "seccomp=$TMP/pulled.json" --rootfs "$ROOTFS" /bin/mkdir /tmp/d
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "the hook writes fmt:oci-artifact as a layout under of:DIR:TAG, its digest in status" {
	require_bpf
	require_podman
	run podman --hooks-dir "$HOOKS_DIR" run --rm \
		"$(trace_annotation "of:$TMP/art:v3;fmt:oci-artifact")" --rootfs "$ROOTFS" /bin/probe uname
	[ "$status" -eq 0 ]
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait "$TMP/art"
	[ "$status" -eq 0 ]
	local digest
	digest=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "v3") | .digest' \
		"$TMP/art/index.json")
	[[ "$output" == *"$digest"* ]]
	"$RECORDER" merge -o "$TMP/from-layout.json" "$TMP/art:v3"
	assert_allowed "$TMP/from-layout.json" uname
}

# The node's hook: --profile-dir, and --publish to $1.
publish_hook() {
	mkdir -p -m 0700 "$TMP/profiles" "$TMP/hooks"
	jq --arg dir "$TMP/profiles" --arg repo "$1" \
		'.hook.args += ["--profile-dir", $dir, "--publish", $repo, "--tls-verify=false",
		 "--publish-timeout", "20"]' \
		"$HOOKS_DIR/oci-seccomp-recorder.json" >"$TMP/hooks/oci-seccomp-recorder.json"
}

crio_pod() {
	echo "--annotation=io.kubernetes.pod.namespace=$1"
	echo "--annotation=io.kubernetes.pod.name=$2"
	echo "--annotation=io.kubernetes.container.name=$3"
}

@test "node mode --publish: the profile written is pushed as REPO:NAMESPACE.POD.CONTAINER, status shows its digest" {
	require_bpf
	require_podman
	local names raw
	publish_hook "docker://$REG/node"
	mapfile -t names < <(crio_pod team-a web-1 app)
	run podman --hooks-dir "$TMP/hooks" run --rm "${names[@]}" \
		"$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -eq 0 ]
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait --timeout 60 "$TMP/profiles/team-a/web-1/app.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pushed $REG/node@sha256:"* ]]
	raw=$(skopeo inspect --raw --tls-verify=false "docker://$REG/node:team-a.web-1.app" |
		sha256sum | cut -d' ' -f1)
	[[ "$output" == *"pushed $REG/node@sha256:$raw"* ]]
	"$RECORDER" pull --tls-verify=false "docker://$REG/node:team-a.web-1.app" -o "$TMP/back.json"
	cmp "$TMP/profiles/team-a/web-1/app.json" "$TMP/back.json"
}

@test "node mode --publish: a workload's profile is pushed as REPO:NAMESPACE.WORKLOAD.CONTAINER, the pod's as REPO:NAMESPACE.POD.CONTAINER" {
	require_bpf
	require_podman
	local names union=$TMP/profiles/team-w/web/app.json pod=$TMP/profiles/team-w/web-5f7-x2/app.json
	publish_hook "docker://$REG/node"
	mapfile -t names < <(crio_pod team-w web-5f7-x2 app)
	run podman --hooks-dir "$TMP/hooks" run --rm "${names[@]}" \
		"$(trace_annotation "on;workload:web")" --rootfs "$ROOTFS" /bin/probe getcpu
	[ "$status" -eq 0 ]
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait --timeout 60 "$union"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pushed $REG/node@sha256:"* ]]
	"$RECORDER" pull --tls-verify=false "docker://$REG/node:team-w.web.app" -o "$TMP/union.json"
	cmp "$union" "$TMP/union.json"
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait --timeout 60 "$pod"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pushed $REG/node@sha256:"* ]]
	"$RECORDER" pull --tls-verify=false "docker://$REG/node:team-w.web-5f7-x2.app" -o "$TMP/pod.json"
	cmp "$pod" "$TMP/pod.json"
}

@test "node mode --publish to a registry that is down: the file is kept, status says why it was not pushed" {
	require_bpf
	require_podman
	local names
	publish_hook "docker://127.0.0.1:$(free_port)/node"
	mapfile -t names < <(crio_pod team-b api-7 server)
	run podman --hooks-dir "$TMP/hooks" run --rm "${names[@]}" \
		"$(trace_annotation on)" --rootfs "$ROOTFS" /bin/probe sysinfo
	[ "$status" -eq 0 ]
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait --timeout 60 "$TMP/profiles/team-b/api-7/server.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not pushed: "*"connection refused"* ]]
	assert_allowed "$TMP/profiles/team-b/api-7/server.json" sysinfo
}

@test "node mode --publish never holds up the container: a registry that never answers ends at --publish-timeout" {
	require_bpf
	require_podman
	local names port
	port=$(free_port)
	# Accepts the connection and says nothing.
	python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); conns = []
while True:
    conns.append(s.accept()[0])' "$port" 3>&- &
	SILENT=$!
	publish_hook "docker://127.0.0.1:$port/node"
	jq '.hook.args |= (.[:-1] + ["4"])' "$TMP/hooks/oci-seccomp-recorder.json" >"$TMP/hook.json"
	mv "$TMP/hook.json" "$TMP/hooks/oci-seccomp-recorder.json"
	mapfile -t names < <(crio_pod team-c slow-1 app)
	run podman --hooks-dir "$TMP/hooks" run --rm "${names[@]}" "$(trace_annotation on)" \
		--rootfs "$ROOTFS" /bin/probe uname
	[ "$status" -eq 0 ]
	# The container has ended; its push has not.
	run "$RECORDER" status --state-dir "$STATE_DIR" "$TMP/profiles/team-c/slow-1/app.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"pushing to docker://127.0.0.1:$port/node:team-c.slow-1.app"* ]]
	run "$RECORDER" status --state-dir "$STATE_DIR" --wait --timeout 60 "$TMP/profiles/team-c/slow-1/app.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not pushed: "*"skopeo did not finish within 4 s"* ]]
	assert_allowed "$TMP/profiles/team-c/slow-1/app.json" uname
}

@test "--publish is node mode's, and takes docker://HOST/REPO without a tag" {
	run "$RECORDER" hook --publish "docker://$REG/node" </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"--publish is node mode's: it needs --profile-dir"* ]]
	mkdir -m 0700 "$TMP/profiles"
	run "$RECORDER" hook --profile-dir "$TMP/profiles" --publish "docker://$REG/node:v1" </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"names a tag or digest"* ]]
}
