#!/bin/sh
# The source's own checks, run by `meson test --suite source` (and so by the test command):
# the house plan's include direction, the layout .clang-format describes (100 columns), and no
# file in hook/ over 600 lines. Prints what is wrong, file by file, and exits 1 if anything is.
set -u
cd "$(dirname "$0")/.."
status=0

python3 scripts/check-layers.py || status=1

format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
	echo "check-source: clang-format-14 is not installed (scripts/install-deps.sh installs it)" >&2
	exit 1
fi
files=$(git ls-files -- '*.c' '*.h' 2>/dev/null || find hook bpf tests -name '*.[ch]')
# shellcheck disable=SC2086
if ! "$format" --style=file --dry-run --Werror $files; then
	echo "check-source: the files above are not laid out as .clang-format says;" \
		"run: $format -i \$(git ls-files '*.c' '*.h')" >&2
	status=1
fi

# clang-format cannot always keep a line within its 100 columns (a long word, a URL): say so.
for f in $files; do
	expand "$f" | awk -v f="$f" 'length > 100 { print "check-source: " f ":" FNR ": " length " columns, over 100"; bad = 1 } END { exit bad }' >&2 || status=1
done

for f in $(find hook -name '*.[ch]'); do
	lines=$(wc -l <"$f")
	if [ "$lines" -gt 600 ]; then
		echo "check-source: $f has $lines lines, over the 600 a file of hook/ may have" >&2
		status=1
	fi
done
exit $status
