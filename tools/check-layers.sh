#!/bin/sh
# The layers of the library (src/) and of the virtual device (tools/vgpu/),
# bottom to top, and the rule that keeps them layers: a file includes only
# headers of its own folder, of folders listed before its own, and
# include/ (public headers) or system headers.  docs/ARCHITECTURE.md draws
# the same order.  Prints each violation; exits 1 if there is any.
#   check-layers.sh [TOP]
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}

SRC_LAYERS="util device bo gfx submit codeobj dispatch kernels linalg alloc model trace"
VGPU_LAYERS="base isa fault memory exec shader drm boundary"

bad=0
# check ROOT "LAYERS"
check() {
	root=$1 layers=$2
	for dir in "$top/$root"/*/; do
		folder=$(basename "$dir")
		case " $layers " in
		*" $folder "*) ;;
		*) echo "$root/$folder: a folder that is not a listed layer (tools/check-layers.sh)"; bad=1; continue ;;
		esac
		# the layers this folder may include: itself and every one before it
		allowed=
		for l in $layers; do
			allowed="$allowed $l"
			[ "$l" = "$folder" ] && break
		done
		for f in "$dir"*.c "$dir"*.h; do
			[ -f "$f" ] || continue
			# quoted includes only: <...> are public or system headers
			sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
			while read -r inc; do
				case "$inc" in
				*/*) target=${inc%%/*} ;;
				*)
					# same folder, or a public header in include/
					[ -f "$dir$inc" ] || [ -f "$top/include/$inc" ] ||
						echo "$root/$folder/$(basename "$f"): includes \"$inc\", which is neither in its folder nor in include/"
					continue ;;
				esac
				case " $allowed " in
				*" $target "*) ;;
				*) echo "$root/$folder/$(basename "$f"): includes \"$inc\" from a layer above it ($target)" ;;
				esac
			done
		done
	done
}

out=$( { check src "$SRC_LAYERS"; check tools/vgpu "$VGPU_LAYERS"; } )
if [ -n "$out" ]; then
	echo "$out"
	bad=1
fi
[ $bad -eq 0 ] && echo "layers: src ($SRC_LAYERS) and tools/vgpu ($VGPU_LAYERS) include only downwards"
exit $bad
