#!/usr/bin/env bats
# debian/: `dpkg-buildpackage -b -us -uc` on Debian 12 builds a package that puts the hook
# where podman and CRI-O look, with the man page, and depends on the libraries only.

load helpers

PACKAGE=oci-seccomp-recorder

require_dpkg_buildpackage() {
	local missing=""
	for tool in dpkg-buildpackage dh git; do
		command -v "$tool" >/dev/null || missing="$missing $tool"
	done
	[ -z "$missing" ] && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI=true, but these are missing:$missing" >&2
		return 1
	fi
	skip "needs$missing"
}

@test "the Debian package: hook in /usr/libexec/oci/hooks.d, config in /usr/share/containers/oci/hooks.d, libraries only" {
	require_dpkg_buildpackage
	local src="$TMP/src/$PACKAGE" deb
	mkdir -p "$src"
	# The source as git has it (tracked and new files, no build output).
	(cd "$TESTS_DIR/.." && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$src")
	if ! (cd "$src" && dpkg-buildpackage -b -us -uc) >"$TMP/build.log" 2>&1; then
		tail -30 "$TMP/build.log" >&2
		return 1
	fi
	deb=$(ls "$TMP"/src/${PACKAGE}_*.deb)
	dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$TMP/files"
	for f in /usr/libexec/oci/hooks.d/oci-seccomp-recorder \
		/usr/libexec/oci/hooks.d/oci-seccomp-recorder-analyze \
		/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json \
		/usr/share/man/man1/oci-seccomp-recorder.1.gz \
		/usr/bin/oci-seccomp-recorder /usr/bin/oci-seccomp-recorder-runtime; do
		grep -qx "$f" "$TMP/files" || { echo "the package lacks $f" >&2; cat "$TMP/files" >&2; return 1; }
	done
	# Nothing of the build: no headers, no BPF object, no test program.
	if grep -E '\.(h|o|a)$|/tests?/|probe' "$TMP/files"; then
		echo "the package holds build or test files (above)" >&2
		return 1
	fi
	# The config names the installed binary.
	dpkg-deb -x "$deb" "$TMP/root"
	assert_equal "$(jq -r .hook.path "$TMP/root/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json")" \
		/usr/libexec/oci/hooks.d/oci-seccomp-recorder
	"$TMP/root/usr/libexec/oci/hooks.d/oci-seccomp-recorder" --version | grep -q "^oci-seccomp-recorder "
	# Run-time dependencies: the shared libraries (libelf comes with libbpf1, which links
	# it; the binary itself does not), never the BPF toolchain.
	dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort >"$TMP/depends"
	for lib in libbpf1 libseccomp2 libyajl2 libssl3 libc6; do
		grep -qx "$lib" "$TMP/depends" || { echo "Depends lacks $lib: $(cat "$TMP/depends")" >&2; return 1; }
	done
	if grep -E '^(clang|llvm|bpftool|libbpf-dev|gcc)' "$TMP/depends"; then
		echo "the package depends on the build toolchain (above)" >&2
		return 1
	fi
	# capstone is linked in: Debian 12 and 13 have different sonames of it.
	if grep -E '^libcapstone' "$TMP/depends"; then
		echo "the package depends on a libcapstone (above): it must be linked in" >&2
		return 1
	fi
}

@test "the Debian package cross-builds for arm64 (dpkg-buildpackage -aarm64 -d): an aarch64 hook, arm64's libraries" {
	require_dpkg_buildpackage
	local src="$TMP/src/$PACKAGE" deb
	mkdir -p "$src"
	(cd "$TESTS_DIR/.." && git ls-files -z --cached --others --exclude-standard |
		xargs -0 cp --parents -t "$src")
	if ! (cd "$src" && dpkg-buildpackage -aarm64 -d -b -us -uc) >"$TMP/build.log" 2>&1; then
		tail -30 "$TMP/build.log" >&2
		return 1
	fi
	deb=$(ls "$TMP"/src/${PACKAGE}_*_arm64.deb)
	assert_equal "$(dpkg-deb -f "$deb" Architecture)" arm64
	dpkg-deb -x "$deb" "$TMP/root"
	# The hook is an aarch64 program (e_machine 183, EM_AARCH64), for arm64's loader.
	assert_equal "$(od -An -tu2 -j18 -N2 "$TMP/root/usr/libexec/oci/hooks.d/oci-seccomp-recorder" | tr -d ' ')" 183
	assert_equal "$(jq -r .hook.path "$TMP/root/usr/share/containers/oci/hooks.d/oci-seccomp-recorder.json")" \
		/usr/libexec/oci/hooks.d/oci-seccomp-recorder
	dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort >"$TMP/depends"
	for lib in libbpf1 libseccomp2 libyajl2 libssl3 libc6; do
		grep -qx "$lib" "$TMP/depends" || { echo "Depends lacks $lib: $(cat "$TMP/depends")" >&2; return 1; }
	done
	if grep -E '^libcapstone' "$TMP/depends"; then
		echo "the arm64 package depends on a libcapstone (above): it must be linked in" >&2
		return 1
	fi
}
