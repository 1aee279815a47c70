#!/bin/sh
# Install oci-seccomp-recorder on a node, under ROOT (the node's / as the DaemonSet mounts it):
#   the binary, the hooks.d config for CRI-O (and podman) in node mode (--profile-dir), the
#   directory the profiles go to, and, for containerd, the runtime wrapper's launcher that
#   containerd's BinaryName names.
#
#   install-node.sh [--root ROOT] [--binary PATH] [--profiles-dir DIR] [--runc PATH] [--uninstall]
#
# Idempotent; every file is written to a temporary name and renamed into place.
set -eu

ROOT=/
BINARY=/usr/libexec/oci/hooks.d/oci-seccomp-recorder
PREFIX=/opt/oci-seccomp-recorder
PROFILES_DIR=/var/lib/seccomp-profiles
HOOKS_DIR=/etc/containers/oci/hooks.d
RUNC=
UNINSTALL=0

die() {
	echo "install-node.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--root) ROOT=${2:?--root needs a directory}; shift 2 ;;
	--binary) BINARY=${2:?--binary needs a path}; shift 2 ;;
	--profiles-dir) PROFILES_DIR=${2:?--profiles-dir needs a path}; shift 2 ;;
	--runc) RUNC=${2:?--runc needs a path}; shift 2 ;;
	--uninstall) UNINSTALL=1; shift ;;
	*) die "unknown argument \`$1\`" ;;
	esac
done
case $PROFILES_DIR in /*) ;; *) die "--profiles-dir must be absolute: \`$PROFILES_DIR\`" ;; esac
[ -d "$ROOT" ] || die "no directory \`$ROOT\`"
ROOT=$(cd "$ROOT" && pwd)
[ "$ROOT" = / ] && ROOT=

# Write stdin to $1 (under ROOT) with mode $2, atomically.
put() {
	tmp="$ROOT$1.tmp.$$"
	cat >"$tmp"
	chmod "$2" "$tmp"
	mv -f "$tmp" "$ROOT$1"
}

if [ "$UNINSTALL" -eq 1 ]; then
	rm -f "$ROOT$HOOKS_DIR/oci-seccomp-recorder.json" "$ROOT$PREFIX/bin/oci-seccomp-recorder" \
		"$ROOT$PREFIX/bin/oci-seccomp-recorder-runtime" "$ROOT$PREFIX/bin/runc-with-hooks"
	rmdir "$ROOT$PREFIX/bin" "$ROOT$PREFIX" 2>/dev/null || true
	echo "removed oci-seccomp-recorder from ${ROOT:-/} (profiles in $PROFILES_DIR are kept)"
	exit 0
fi

[ -x "$BINARY" ] || die "no executable \`$BINARY\` to install"
"$BINARY" --version >/dev/null || die "\`$BINARY\` does not run here"
if [ -z "$RUNC" ]; then
	for c in /usr/bin/runc /usr/sbin/runc /usr/local/bin/runc /usr/local/sbin/runc; do
		[ -x "$ROOT$c" ] && RUNC=$c && break
	done
	RUNC=${RUNC:-/usr/bin/runc}
fi

mkdir -p "$ROOT$PREFIX/bin" "$ROOT$HOOKS_DIR"
mkdir -p -m 0700 "$ROOT$PROFILES_DIR"
chmod 0700 "$ROOT$PROFILES_DIR"
put "$PREFIX/bin/oci-seccomp-recorder" 0755 <"$BINARY"
ln -sfn oci-seccomp-recorder "$ROOT$PREFIX/bin/oci-seccomp-recorder-runtime"

# CRI-O (and podman) read hooks.d. Node mode: the hook, not the pod, decides where a profile
# goes (PROFILES_DIR/NAMESPACE/POD/CONTAINER.json); a pod's annotation names no path. The
# file has the packaged config's name, so that it masks it: CRI-O's hooks_dir must list this
# directory after /usr/share/containers/oci/hooks.d (the later directory wins).
put "$HOOKS_DIR/oci-seccomp-recorder.json" 0644 <<JSON
{
  "version": "1.0.0",
  "hook": {
    "path": "$PREFIX/bin/oci-seccomp-recorder",
    "args": ["oci-seccomp-recorder", "hook", "--profile-dir", "$PROFILES_DIR"]
  },
  "when": {
    "annotations": {
      "^io\\\\.containers\\\\.trace-syscall\$": ".*"
    }
  },
  "stages": ["prestart", "poststop"]
}
JSON

# containerd reads no hooks.d: its runtime's BinaryName is this launcher, which runs the
# wrapper with the real runc and the hooks directory above.
put "$PREFIX/bin/runc-with-hooks" 0755 <<SH
#!/bin/sh
OCI_SECCOMP_RECORDER_RUNTIME=$RUNC OCI_SECCOMP_RECORDER_HOOKS_DIRS=$HOOKS_DIR \\
	exec $PREFIX/bin/oci-seccomp-recorder-runtime "\$@"
SH

# The binary links libbpf, libseccomp, yajl and libelf: the node must have them.
if [ -n "$ROOT" ] && ! chroot "$ROOT" "$PREFIX/bin/oci-seccomp-recorder" --version >/dev/null 2>&1; then
	echo "install-node.sh: warning: $PREFIX/bin/oci-seccomp-recorder does not run on the node" \
		"(chroot $ROOT): install libbpf1, libseccomp2, libyajl2 and libelf1 there" >&2
fi

echo "installed oci-seccomp-recorder in ${ROOT:-/}: $PREFIX/bin, $HOOKS_DIR/oci-seccomp-recorder.json, profiles in $PROFILES_DIR (node mode), runc $RUNC"
