#!/bin/sh
# Install oci-seccomp-recorder on a node, under ROOT (the node's / as the DaemonSet mounts it):
#   the binary (and its analyze helper, found beside it), the hooks.d config for CRI-O (and podman) in node mode (--profile-dir), the
#   directory the profiles go to (root's, 0700), and, for containerd, the runtime wrapper's
#   launcher that containerd's BinaryName names.
#
#   install-node.sh [--root ROOT] [--binary PATH] [--profiles-dir DIR] [--runc PATH] [--uninstall]
#
# Idempotent. Nothing under ROOT is followed: a symbolic link at any component of a path this
# script creates or writes is refused (a planted link would have root write outside ROOT, or
# into a file of the link's choosing); every file is written to a new temporary file (mktemp)
# in its directory and renamed into place.
set -eu
# [A-Za-z] in the patterns below means the ASCII letters, whatever the caller's locale.
export LC_ALL=C

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

# $1 as it may be shown: the characters outside the safe set replaced by `?`.
shown() {
	printf '%s' "$1" | tr -c 'A-Za-z0-9._/+-' '?'
}

# Option $1's value $2 is a path written as it is into the hooks.d JSON and the launcher
# script: absolute, only [A-Za-z0-9._/+-] (nothing to escape in either), no `.` or `..`
# component, and not / itself.
check_path() {
	case $2 in
	/*) ;;
	*) die "$1 must be absolute: \`$(shown "$2")\`" ;;
	esac
	case $2 in
	*[!A-Za-z0-9._/+-]*) die "$1 \`$(shown "$2")\` has a character outside [A-Za-z0-9._/+-]" ;;
	esac
	case $2/ in
	*/./* | */../*) die "$1 \`$2\` has a \`.\` or \`..\` component" ;;
	esac
	case $2 in
	*[!/]*) ;;
	*) die "$1 must name something below /, not \`$2\`" ;;
	esac
}

while [ $# -gt 0 ]; do
	case $1 in
	--root) ROOT=${2:?--root needs a directory}; shift 2 ;;
	--binary) BINARY=${2:?--binary needs a path}; shift 2 ;;
	--profiles-dir) PROFILES_DIR=${2:?--profiles-dir needs a path}; shift 2 ;;
	--runc) RUNC=${2:?--runc needs a path}; shift 2 ;;
	--uninstall) UNINSTALL=1; shift ;;
	*) die "unknown argument \`$(shown "$1")\`" ;;
	esac
done
check_path --profiles-dir "$PROFILES_DIR"
[ -z "$RUNC" ] || check_path --runc "$RUNC"
[ -d "$ROOT" ] || die "no directory \`$(shown "$ROOT")\`"
ROOT=$(cd -P -- "$ROOT" && pwd -P)
[ "$ROOT" = / ] && ROOT=

# Refuse path $1 (under ROOT) when a component of it that exists is a symbolic link.
refuse_links() {
	rest=${1#/} p=
	while [ -n "$rest" ]; do
		c=${rest%%/*}
		case $rest in */*) rest=${rest#*/} ;; *) rest= ;; esac
		[ -n "$c" ] || continue
		p=$p/$c
		if [ -L "$ROOT$p" ]; then
			die "\`$ROOT$p\` is a symbolic link: refusing to follow it"
		fi
	done
	return 0
}

# Directory $1 under ROOT, its missing components made one by one (mode 0755), none a link.
make_dir() {
	rest=${1#/} p=
	while [ -n "$rest" ]; do
		c=${rest%%/*}
		case $rest in */*) rest=${rest#*/} ;; *) rest= ;; esac
		[ -n "$c" ] || continue
		p=$p/$c
		[ -L "$ROOT$p" ] && die "\`$ROOT$p\` is a symbolic link: refusing to follow it"
		# mkdir never follows a link at the name: one planted meanwhile makes it fail.
		[ -e "$ROOT$p" ] || mkdir -m 0755 "$ROOT$p" || die "cannot create \`$ROOT$p\`"
		[ -L "$ROOT$p" ] && die "\`$ROOT$p\` is a symbolic link: refusing to follow it"
		[ -d "$ROOT$p" ] || die "\`$ROOT$p\` is not a directory"
	done
	return 0
}

# Write stdin to $1 (under ROOT) with mode $2: into a new file of mktemp's in the same
# directory, renamed over $1 (rename replaces a name, never writes through it).
put() {
	refuse_links "$1"
	[ -d "$ROOT$1" ] && die "\`$ROOT$1\` is a directory"
	tmp=$(mktemp "$ROOT${1%/*}/.${1##*/}.XXXXXX") ||
		die "cannot create a temporary file in \`$ROOT${1%/*}\`"
	if ! { cat >"$tmp" && chmod "$2" "$tmp" && mv -fT "$tmp" "$ROOT$1"; }; then
		rm -f "$tmp"
		die "cannot write \`$ROOT$1\`"
	fi
}

if [ "$UNINSTALL" -eq 1 ]; then
	refuse_links "$HOOKS_DIR"
	refuse_links "$PREFIX/bin"
	rm -f "$ROOT$HOOKS_DIR/oci-seccomp-recorder.json" "$ROOT$PREFIX/bin/oci-seccomp-recorder" \
		"$ROOT$PREFIX/bin/oci-seccomp-recorder-runtime" "$ROOT$PREFIX/bin/runc-with-hooks" \
		"$ROOT$PREFIX/bin/oci-seccomp-recorder-analyze"
	rmdir "$ROOT$PREFIX/bin" "$ROOT$PREFIX" 2>/dev/null || true
	echo "removed oci-seccomp-recorder from ${ROOT:-/} (profiles in $PROFILES_DIR are kept)"
	exit 0
fi

[ -f "$BINARY" ] && [ -x "$BINARY" ] || die "no executable \`$(shown "$BINARY")\` to install"
"$BINARY" --version >/dev/null || die "\`$(shown "$BINARY")\` does not run here"
# The helper the program runs for digests and hints, looked for beside it (as it looks).
ANALYZE=${BINARY%/*}/oci-seccomp-recorder-analyze
[ -f "$ANALYZE" ] && [ -x "$ANALYZE" ] ||
	die "no executable \`$(shown "$ANALYZE")\` beside \`$(shown "$BINARY")\` to install"
if [ -z "$RUNC" ]; then
	for c in /usr/bin/runc /usr/sbin/runc /usr/local/bin/runc /usr/local/sbin/runc; do
		[ -x "$ROOT$c" ] && RUNC=$c && break
	done
	RUNC=${RUNC:-/usr/bin/runc}
fi

# Every path looked at before anything is written: a refusal leaves the node as it was.
for path in "$PROFILES_DIR" "$PREFIX/bin/oci-seccomp-recorder" "$PREFIX/bin/runc-with-hooks" \
	"$PREFIX/bin/oci-seccomp-recorder-analyze" "$HOOKS_DIR/oci-seccomp-recorder.json"; do
	refuse_links "$path"
done

# The profiles directory first: the hook writes root's files there, so it is root's alone.
make_dir "$PROFILES_DIR"
chown 0:0 "$ROOT$PROFILES_DIR" || die "cannot make \`$ROOT$PROFILES_DIR\` root's (run as root)"
chmod 0700 "$ROOT$PROFILES_DIR"

make_dir "$PREFIX/bin"
make_dir "$HOOKS_DIR"
put "$PREFIX/bin/oci-seccomp-recorder" 0755 <"$BINARY"
put "$PREFIX/bin/oci-seccomp-recorder-analyze" 0755 <"$ANALYZE"
refuse_links "$PREFIX/bin"
# -T: a directory at the name is an error, never a place to put the link into.
ln -sfT oci-seccomp-recorder "$ROOT$PREFIX/bin/oci-seccomp-recorder-runtime"

# CRI-O (and podman) read hooks.d. Node mode: the hook, not the pod, decides where a profile
# goes (PROFILES_DIR/NAMESPACE/POD/CONTAINER.json); a pod's annotation names no path. The
# file has the packaged config's name, so that it masks it: CRI-O's hooks_dir must list this
# directory after /usr/share/containers/oci/hooks.d (the later directory wins). The key
# io.containers.trace-syscall/NAME, a pod's annotation for its container NAME, matches too:
# containerd hands it to every container of the pod, and the hook picks the one it names.
put "$HOOKS_DIR/oci-seccomp-recorder.json" 0644 <<JSON
{
  "version": "1.0.0",
  "hook": {
    "path": "$PREFIX/bin/oci-seccomp-recorder",
    "args": ["oci-seccomp-recorder", "hook", "--profile-dir", "$PROFILES_DIR"]
  },
  "when": {
    "annotations": {
      "^io\\\\.containers\\\\.trace-syscall(/.*)?\$": ".*"
    }
  },
  "stages": ["prestart", "poststop"]
}
JSON

# containerd reads no hooks.d: its runtime's BinaryName is this launcher, which runs the
# wrapper with the real runc and the hooks directory above (that one alone: the packaged
# config, which has no policy, is never read).
put "$PREFIX/bin/runc-with-hooks" 0755 <<SH
#!/bin/sh
OCI_SECCOMP_RECORDER_RUNTIME='$RUNC' OCI_SECCOMP_RECORDER_HOOKS_DIRS='$HOOKS_DIR' \\
	exec '$PREFIX/bin/oci-seccomp-recorder-runtime' "\$@"
SH

# The binary links libbpf, libseccomp, yajl and libelf: the node must have them.
if [ -n "$ROOT" ] && ! chroot "$ROOT" "$PREFIX/bin/oci-seccomp-recorder" --version >/dev/null 2>&1; then
	echo "install-node.sh: warning: $PREFIX/bin/oci-seccomp-recorder does not run on the node" \
		"(chroot $ROOT): install libbpf1, libseccomp2, libyajl2 and libelf1 there" >&2
fi

echo "installed oci-seccomp-recorder in ${ROOT:-/}: $PREFIX/bin," \
	"$HOOKS_DIR/oci-seccomp-recorder.json, profiles in $PROFILES_DIR (node mode), runc $RUNC"
