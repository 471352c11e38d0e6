# Shared part of the gfx10.3 and gfx9 oracle tests (tests/test_isa_llvm_gfx103.sh,
# tests/test_isa_llvm_gfx9.sh), sourced after they set top and disasm:
# skips when the LLVM 19 tools are missing, counts pass/fail, fails when
# vgpu-disasm is not built, makes $tmp (removed on exit) and defines
#   objdump_norm FILE MCPU [WAVE]  llvm-objdump-19's disassembly of FILE as
#                                  "<hex offset>: <WORDS> <text>" lines
#                                  (WAVE: -mattr=+wavefrontsizeWAVE)
#   ours_norm ARGS...              vgpu-disasm ARGS... in the same form
#   compare NAME LLVM OURS         pass when the two files are the same
# The caller ends with echo "$passed passed, $failed failed".
# llvm and our tool are ordinary programs: never run them with the vgpu.
unset LD_PRELOAD

if ! command -v llvm-objdump-19 >/dev/null 2>&1 || ! command -v llvm-mc-19 >/dev/null 2>&1; then
	echo "SKIP: llvm-objdump-19/llvm-mc-19 not installed (apt-get install llvm-19)"
	echo "0 passed, 0 failed"
	exit 0
fi
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }
if [ ! -x "$disasm" ]; then
	fail "$disasm not built"
	echo "$passed passed, $failed failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

objdump_norm() {
	llvm-objdump-19 -d --mcpu="$2" ${3:+--mattr=+wavefrontsize$3} "$1" | awk '
	/^[ \t]+[^ \t].*\/\/ [0-9A-F]+: / {
		i = index($0, "//");
		text = substr($0, 1, i - 1);
		rest = substr($0, i + 3);
		sub(/ *<[^>]*> *$/, "", rest);
		# an odd SGPR as a wave64 lane mask: LLVM aligns it down, as we
		# do, and says so in a trailing comment
		sub(/ *; Warning: SGPR_64: scalar reg isn.t aligned [0-9]+$/, "", rest);
		n = split(rest, f, " ");
		addr = f[1]; sub(/:$/, "", addr); sub(/^0+/, "", addr);
		if (addr == "") addr = "0";
		words = "";
		for (k = 2; k <= n; k++) words = words " " f[k];
		gsub(/[ \t]+/, " ", text); sub(/^ /, "", text); sub(/ $/, "", text);
		if (text ~ /^\.long /) text = "<illegal>";
		print tolower(addr) ":" words " " text;
	}'
}
ours_norm() {
	"$disasm" "$@" | sed -e 's/<illegal encoding 0x[0-9a-f]*>/<illegal>/' \
		-e 's/[ \t][ \t]*/ /g' -e 's/ $//'
}
compare() {
	if [ ! -s "$2" ]; then
		fail "$1: llvm-objdump-19 printed nothing"
	elif cmp -s "$2" "$3"; then
		echo "ok   $1 ($(wc -l <"$2") instructions)"
		pass
	else
		fail "$1 differs from llvm-objdump-19 (< llvm, > vgpu-disasm):"
		diff "$2" "$3" | head -n 40
	fi
}
