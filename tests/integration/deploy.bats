#!/usr/bin/env bats
# deploy/kubernetes: every manifest and config parses and holds the fields the README relies
# on; install-node.sh installs for real into a temporary root, and the pieces fit together.

load helpers

# DEPLOY may name another tree's deploy/kubernetes (an older commit's, to see a test fail there).
DEPLOY=${DEPLOY:-$TESTS_DIR/../deploy/kubernetes}
PREFIX=/opt/oci-seccomp-recorder
PROFILES=/var/lib/seccomp-profiles
HOOKS=/etc/containers/oci/hooks.d
ANNOTATION=io.containers.trace-syscall

require_python_yaml() {
	python3 -c 'import yaml, tomllib' 2>/dev/null && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but python3-yaml (and Python 3.11's tomllib) are missing" >&2
		return 1
	fi
	skip "needs python3-yaml and Python 3.11"
}

# install-node.sh makes the profiles directory root's (chown), as it does on a node.
require_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but this test needs root" >&2
		return 1
	fi
	skip "needs root (install-node.sh chowns the profiles directory)"
}

# A node's root at $1 for install-node.sh: a runc it finds.
make_root() {
	mkdir -p "$1/usr/bin"
	printf '#!/bin/sh\n' >"$1/usr/bin/runc"
	chmod +x "$1/usr/bin/runc"
}

# install-node.sh into root $1 with the binary under test; more options after it.
install_node() {
	local root=$1
	shift
	sh "$DEPLOY/install-node.sh" --root "$root" --binary "$RECORDER" "$@"
}

# Print field $2 (a Python expression on `docs`, the list of YAML documents) of YAML file $1.
yaml_field() {
	python3 -c 'import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
print(eval(sys.argv[2]))' "$DEPLOY/$1" "$2"
}

# The same for TOML file $1 (`doc`).
toml_field() {
	python3 -c 'import sys, tomllib
doc = tomllib.load(open(sys.argv[1], "rb"))
print(eval(sys.argv[2]))' "$DEPLOY/$1" "$2"
}

@test "every YAML manifest parses, and each document has apiVersion, kind and a name" {
	require_python_yaml
	local f
	for f in "$DEPLOY"/*.yaml "$DEPLOY"/*/*.yaml; do
		python3 -c 'import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    assert d["apiVersion"] and d["kind"] and d["metadata"]["name"], sys.argv[1]' "$f"
	done
}

@test "the DaemonSet runs install-node.sh privileged on the host's root, with the profiles dir node mode records into" {
	require_python_yaml
	local ds='[d for d in docs if d["kind"] == "DaemonSet"][0]["spec"]["template"]["spec"]'
	assert_equal "$(yaml_field daemonset.yaml "$ds[\"initContainers\"][0][\"command\"][0]")" \
		/usr/local/bin/install-node.sh
	assert_equal "$(yaml_field daemonset.yaml "' '.join($ds[\"initContainers\"][0][\"command\"][1:])")" \
		"--root /host --binary /usr/libexec/oci/hooks.d/oci-seccomp-recorder --profiles-dir $PROFILES"
	assert_equal "$(yaml_field daemonset.yaml "$ds[\"initContainers\"][0][\"securityContext\"][\"privileged\"]")" True
	assert_equal "$(yaml_field daemonset.yaml "$ds[\"volumes\"][0][\"hostPath\"][\"path\"]")" /
	assert_equal "$(yaml_field daemonset.yaml "$ds[\"initContainers\"][0][\"volumeMounts\"][0][\"mountPath\"]")" /host
	assert_equal "$(yaml_field daemonset.yaml "$ds[\"tolerations\"][0][\"operator\"]")" Exists
	# The image installs what --binary names (the Debian package's path).
	grep -q '^COPY install-node.sh /usr/local/bin/install-node.sh$' "$DEPLOY/Containerfile"
}

@test "CRI-O: the drop-in reads the hooks dir install-node.sh writes last, and allows the annotation" {
	require_python_yaml
	# A later directory's file masks an earlier one's of the same name (oci-hooks(5)): the
	# package's config, without policy, first; install-node.sh's last.
	assert_equal "$(toml_field crio/99-oci-seccomp-recorder.conf 'doc["crio"]["runtime"]["hooks_dir"]')" \
		"['/usr/share/containers/oci/hooks.d', '$HOOKS']"
	assert_equal "$(toml_field crio/99-oci-seccomp-recorder.conf \
		'doc["crio"]["runtime"]["runtimes"]["runc"]["allowed_annotations"]')" "['$ANNOTATION']"
}

@test "CRI-O: in the drop-in's hooks_dir order, install-node.sh's config masks the package's one" {
	require_python_yaml
	require_root
	local root="$TMP/root" pkg conf dirs="" d want
	make_root "$root"
	install_node "$root" >/dev/null
	# The Debian package's config, without policy, and its program where the package puts it.
	pkg="$root/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json"
	mkdir -p "${pkg%/*}" "$root/usr/libexec/oci/hooks.d"
	cp "$RECORDER" "$root/usr/libexec/oci/hooks.d/oci-seccomp-recorder"
	jq --arg p "$root/usr/libexec/oci/hooks.d/oci-seccomp-recorder" '.hook.path = $p' \
		"$BUILD_DIR/hooks.d/oci-seccomp-recorder.json" >"$pkg"
	# install-node.sh's, its program's path moved into the temporary root as well (the reader
	# leaves out a config whose program is not there).
	conf="$root$HOOKS/oci-seccomp-recorder.json"
	jq --arg p "$root$PREFIX/bin/oci-seccomp-recorder" '.hook.path = $p' "$conf" >"$TMP/conf"
	cp "$TMP/conf" "$conf"
	# The directories in the order the drop-in lists them, under the temporary root.
	for d in $(toml_field crio/99-oci-seccomp-recorder.conf '" ".join(doc["crio"]["runtime"]["hooks_dir"])'); do
		dirs="$dirs${dirs:+:}$root$d"
	done
	mkdir -p "$TMP/bundle"
	jq -n --arg a "$ANNOTATION" '{ociVersion: "1.0.2", process: {args: ["/bin/sh"]},
		annotations: {($a): "on"}}' >"$TMP/bundle/config.json"
	cp "$TMP/bundle/config.json" "$TMP/spec"
	# The project's hooks.d reader, as CRI-O would read them: the package's config alone applies
	# (so that it is read at all and the test below means something)...
	OCI_SECCOMP_RECORDER_RUNTIME=/bin/true OCI_SECCOMP_RECORDER_HOOKS_DIRS="${pkg%/*}" \
		"$RECORDER" runtime create --bundle "$TMP/bundle" x
	assert_equal "$(jq -c '.hooks.prestart | map([.path] + .args)' "$TMP/bundle/config.json")" \
		"[[\"$root/usr/libexec/oci/hooks.d/oci-seccomp-recorder\",\"oci-seccomp-recorder\",\"hook\"]]"
	# ...but with both, in the drop-in's order, install-node.sh's, with the node's policy.
	cp "$TMP/spec" "$TMP/bundle/config.json"
	OCI_SECCOMP_RECORDER_RUNTIME=/bin/true OCI_SECCOMP_RECORDER_HOOKS_DIRS="$dirs" \
		"$RECORDER" runtime create --bundle "$TMP/bundle" x
	want="[\"$root$PREFIX/bin/oci-seccomp-recorder\",\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$PROFILES\"]"
	assert_equal "$(jq -c '.hooks.prestart | map([.path] + .args)' "$TMP/bundle/config.json")" "[$want]"
	assert_equal "$(jq -c '.hooks.poststop | map([.path] + .args)' "$TMP/bundle/config.json")" "[$want]"
}

@test "containerd: the handler's BinaryName is the launcher install-node.sh writes, and passes the annotation" {
	require_python_yaml
	local rt='doc["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]["recorder"]'
	assert_equal "$(toml_field containerd/config.toml "$rt[\"options\"][\"BinaryName\"]")" \
		"$PREFIX/bin/runc-with-hooks"
	assert_equal "$(toml_field containerd/config.toml "$rt[\"runtime_type\"]")" io.containerd.runc.v2
	assert_equal "$(toml_field containerd/config.toml "$rt[\"pod_annotations\"]")" "['$ANNOTATION', '$ANNOTATION/*']"
	assert_equal "$(toml_field containerd/config.toml "$rt[\"container_annotations\"]")" "['$ANNOTATION']"
	assert_equal "$(yaml_field containerd/runtimeclass.yaml 'docs[0]["handler"]')" recorder
	assert_equal "$(yaml_field pod-recorded.yaml 'docs[0]["spec"]["runtimeClassName"]')" recorder
}

@test "the example pods: the annotation says on (node mode); Localhost names the node-mode path under the kubelet's root" {
	require_python_yaml
	local ns pod ctr profile path
	assert_equal "$(yaml_field pod-recorded.yaml "repr(docs[0]['metadata']['annotations']['$ANNOTATION'])")" "'on'"
	# CRI-O's per-container key names a container of the pod.
	assert_equal "$(yaml_field pod-recorded.yaml \
		"repr(docs[0]['metadata']['annotations']['$ANNOTATION/' + docs[0]['spec']['containers'][0]['name']])")" "'on'"
	# The node records it into PROFILES/NAMESPACE/POD/CONTAINER.json; copied to the same path
	# below the kubelet's seccomp root's profiles/, it is the enforced pod's Localhost profile.
	ns=$(yaml_field pod-recorded.yaml "docs[0]['metadata']['namespace']")
	pod=$(yaml_field pod-recorded.yaml "docs[0]['metadata']['name']")
	ctr=$(yaml_field pod-recorded.yaml "docs[0]['spec']['containers'][0]['name']")
	assert_equal "$(yaml_field pod-enforced.yaml 'docs[0]["spec"]["securityContext"]["seccompProfile"]["type"]')" Localhost
	profile=$(yaml_field pod-enforced.yaml 'docs[0]["spec"]["securityContext"]["seccompProfile"]["localhostProfile"]')
	assert_equal "$profile" "profiles/$ns/$pod/$ctr.json"
	# The copy its comment asks for is between those two paths.
	for path in "$PROFILES/$ns/$pod/$ctr.json" "/var/lib/kubelet/seccomp/$profile"; do
		grep -qF "# $path" "$DEPLOY/pod-enforced.yaml" || {
			echo "expected pod-enforced.yaml's comment to name $path; it says:" \
				"$(grep '^#' "$DEPLOY/pod-enforced.yaml")" >&2
			return 1
		}
	done
}

@test "install-node.sh installs into a temporary root, twice alike, and uninstalls" {
	require_root
	local root="$TMP/root" conf
	make_root "$root"
	run install_node "$root"
	[ "$status" -eq 0 ] || { echo "expected the install to succeed, got $status: $output" >&2; return 1; }
	[[ "$output" == *"installed oci-seccomp-recorder in $root"* ]]
	cmp "$RECORDER" "$root$PREFIX/bin/oci-seccomp-recorder"
	assert_equal "$(stat -c %a "$root$PREFIX/bin/oci-seccomp-recorder")" 755
	# The helper the program runs for digests and hints, beside it as it looks for it.
	cmp "$(dirname "$RECORDER")/oci-seccomp-recorder-analyze" \
		"$root$PREFIX/bin/oci-seccomp-recorder-analyze"
	assert_equal "$(readlink "$root$PREFIX/bin/oci-seccomp-recorder-runtime")" oci-seccomp-recorder
	conf="$root$HOOKS/oci-seccomp-recorder.json"
	assert_equal "$(jq -r .hook.path "$conf")" "$PREFIX/bin/oci-seccomp-recorder"
	# Node mode: the node's directory, never a path of the pod's.
	assert_equal "$(jq -c .hook.args "$conf")" "[\"oci-seccomp-recorder\",\"hook\",\"--profile-dir\",\"$PROFILES\"]"
	assert_equal "$(jq -c .stages "$conf")" '["prestart","poststop"]'
	assert_equal "$(jq -r '.when.annotations | keys[0]' "$conf")" '^io\.containers\.trace-syscall(/.*)?$'
	# The wrapper takes that config (its path moved into the temporary root, where the
	# program is) and adds the hook to an annotated spec.
	mkdir -p "$TMP/bundle" "$TMP/hooks"
	jq --arg p "$root$PREFIX/bin/oci-seccomp-recorder" '.hook.path = $p' "$conf" \
		>"$TMP/hooks/oci-seccomp-recorder.json"
	jq -n --arg a "$ANNOTATION" '{ociVersion: "1.0.2", process: {args: ["/bin/sh"]},
		annotations: {($a): "on"}}' >"$TMP/bundle/config.json"
	OCI_SECCOMP_RECORDER_RUNTIME=/bin/true OCI_SECCOMP_RECORDER_HOOKS_DIRS="$TMP/hooks" \
		"$root$PREFIX/bin/oci-seccomp-recorder-runtime" create --bundle "$TMP/bundle" x
	assert_equal "$(jq -c '.hooks | map_values(map(.args))' "$TMP/bundle/config.json")" \
		"$(jq -c '{prestart: [.hook.args], poststop: [.hook.args]}' "$conf")"
	# Again: the same files, nothing left behind (no temporary file either).
	find "$root" -printf '%p %m %u %s\n' | sort >"$TMP/first"
	install_node "$root" >/dev/null
	find "$root" -printf '%p %m %u %s\n' | sort >"$TMP/second"
	diff "$TMP/first" "$TMP/second" >&2
	sh "$DEPLOY/install-node.sh" --root "$root" --uninstall >/dev/null
	[ ! -e "$root$PREFIX" ] && [ ! -e "$conf" ] && [ -d "$root$PROFILES" ]
}

@test "install-node.sh makes the profiles directory root's, mode 0700, whatever it was before" {
	require_root
	local root="$TMP/root"
	make_root "$root"
	mkdir -p "$root$PROFILES"
	chown 65534:65534 "$root$PROFILES"
	chmod 0777 "$root$PROFILES"
	install_node "$root" >/dev/null
	assert_equal "$(stat -c '%u:%g %a' "$root$PROFILES")" "0:0 700"
}

@test "install-node.sh refuses a symbolic link on the way to what it writes, and writes nothing through it" {
	require_root
	local link root out
	for link in /etc /etc/containers/oci/hooks.d /opt/oci-seccomp-recorder \
		/opt/oci-seccomp-recorder/bin /var/lib "$PROFILES"; do
		root="$TMP/root$(echo "$link" | tr / _)"
		out="$TMP/outside$(echo "$link" | tr / _)"
		make_root "$root"
		mkdir -p "$out" "$root${link%/*}"
		chmod 0755 "$out"
		ln -s "$out" "$root$link"
		find "$root" | sort >"$TMP/before"
		run install_node "$root"
		if [ "$status" -eq 0 ] ||
			[[ "$output" != *"\`$root$link\` is a symbolic link: refusing to follow it"* ]]; then
			echo "with $link a link: expected a refusal that names it; got status $status: $output" >&2
			return 1
		fi
		if [ -n "$(ls -A "$out")" ]; then
			echo "with $link a link: expected nothing written through it; got $(ls -A "$out")" >&2
			return 1
		fi
		# Not even the profiles directory's owner or mode changed through it.
		assert_equal "$(stat -c '%u %a' "$out")" "0 755"
		# The paths are looked at first: a refusal leaves the root as it was.
		find "$root" | sort >"$TMP/after"
		diff "$TMP/before" "$TMP/after" >&2 || {
			echo "with $link a link: expected nothing created under $root (diff above)" >&2
			return 1
		}
	done
}

@test "install-node.sh never writes through a link at a temporary name (the old NAME.tmp.PID)" {
	require_root
	local root="$TMP/root" victim="$TMP/victim" f
	make_root "$root"
	mkdir -p "$root$PREFIX/bin" "$root$HOOKS"
	echo precious >"$victim"
	# The script keeps the pid of the shell that execs it: the links are at that pid's names.
	run sh -c 'for f in "$2$4/bin/oci-seccomp-recorder" "$2$4/bin/runc-with-hooks" \
			"$2$5/oci-seccomp-recorder.json"; do
			ln -s "$1" "$f.tmp.$$"
		done
		exec sh "$3/install-node.sh" --root "$2" --binary "$6"' \
		sh "$victim" "$root" "$DEPLOY" "$PREFIX" "$HOOKS" "$RECORDER"
	[ "$status" -eq 0 ] || { echo "expected the install to succeed, got $status: $output" >&2; return 1; }
	assert_equal "$(cat "$victim")" precious
	for f in "$root$PREFIX/bin/oci-seccomp-recorder" "$root$PREFIX/bin/runc-with-hooks" \
		"$root$HOOKS/oci-seccomp-recorder.json"; do
		if [ ! -f "$f" ] || [ -L "$f" ]; then
			echo "expected $f to be a regular file, got: $(ls -l "$f" 2>&1)" >&2
			return 1
		fi
	done
	cmp "$RECORDER" "$root$PREFIX/bin/oci-seccomp-recorder"
}

@test "install-node.sh --uninstall removes nothing through a symbolic link" {
	local root="$TMP/root" out="$TMP/outside"
	mkdir -p "$root/etc/containers/oci" "$out"
	echo '{}' >"$out/oci-seccomp-recorder.json"
	ln -s "$out" "$root$HOOKS"
	run sh "$DEPLOY/install-node.sh" --root "$root" --uninstall
	if [ "$status" -eq 0 ] || [[ "$output" != *"\`$root$HOOKS\` is a symbolic link"* ]]; then
		echo "expected a refusal that names $root$HOOKS; got status $status: $output" >&2
		return 1
	fi
	assert_equal "$(cat "$out/oci-seccomp-recorder.json" 2>&1)" '{}'
}

@test "install-node.sh refuses a path it would write as it is: relative, odd characters, a dot component" {
	local root="$TMP/root" opt value want
	make_root "$root"
	find "$root" | sort >"$TMP/before"
	# OPTION|VALUE|what the refusal says
	while IFS='|' read -r opt value want; do
		run install_node "$root" "$opt" "$value"
		if [ "$status" -eq 0 ] || [[ "$output" != *"install-node.sh: $opt "*"$want"* ]]; then
			echo "$opt '$value': expected a refusal saying \"$want\"; got status $status: $output" >&2
			return 1
		fi
		find "$root" | sort >"$TMP/after"
		diff "$TMP/before" "$TMP/after" >&2 || { echo "$opt '$value': expected nothing written" >&2; return 1; }
	done <<'EOF'
--profiles-dir|relative/dir|must be absolute
--profiles-dir|/var/lib/x","--allowed-dir","/|has a character outside [A-Za-z0-9._/+-]
--profiles-dir|/var/lib/a b|has a character outside
--profiles-dir|/var/lib/$(id)|has a character outside
--profiles-dir|/var/lib/x\y|has a character outside
--profiles-dir|/var/lib/../../etc|has a `.` or `..` component
--profiles-dir|/var/./lib/x|has a `.` or `..` component
--profiles-dir|/var/lib/..|has a `.` or `..` component
--profiles-dir|/|must name something below /
--profiles-dir|///|must name something below /
--runc|runc|must be absolute
--runc|/usr/bin/runc; touch /tmp/x|has a character outside
--runc|/usr/bin/runc' x|has a character outside
--runc|/usr/bin/$RUNC|has a character outside
--runc|/usr/../bin/runc|has a `.` or `..` component
EOF
	# A newline and an escape sequence: refused, and shown as `?`.
	run install_node "$root" --profiles-dir "$(printf '/var/lib/x\ny\033[2J')"
	if [ "$status" -eq 0 ] ||
		[[ "$output" != *"--profiles-dir \`/var/lib/x?y??2J\` has a character outside"* ]]; then
		echo "expected a refusal showing /var/lib/x?y??2J; got status $status: $output" >&2
		return 1
	fi
}

@test "install-node.sh quotes the paths it writes into the launcher" {
	require_root
	local root="$TMP/root" launcher
	make_root "$root"
	install_node "$root" --runc /usr/local/bin/runc-1.1+x >/dev/null
	launcher="$root$PREFIX/bin/runc-with-hooks"
	assert_equal "$(cat "$launcher")" "#!/bin/sh
OCI_SECCOMP_RECORDER_RUNTIME='/usr/local/bin/runc-1.1+x' OCI_SECCOMP_RECORDER_HOOKS_DIRS='$HOOKS' \\
	exec '$PREFIX/bin/oci-seccomp-recorder-runtime' \"\$@\""
	sh -n "$launcher"
}
