#!/bin/sh
# Tests of the command-line tool build/amdbare (POSIX sh).
#
# Run by tests/run-tests.sh with AMDBARE_BUILD=<abs build dir> and, in vgpu
# mode, LD_PRELOAD=<vgpu> and a per-program AMDBARE_VGPU_INSTANCE.  Every
# CLI run below gets its own vgpu instance (device-global state), so that
# one run's buffers never blur another's deltas.  Ends with "N passed, N
# failed"; exits non-zero on any failure.
t_base=clitest
. "$(dirname "$0")/lib/common.sh"

if [ ! -x "$CLI" ]; then
	rc=127
	: >"$tmp/out"
	: >"$tmp/err"
	bad "cli-built" "$CLI is not built"
	t_finish
fi

# ---- usage, help, version: no device needed --------------------------------

run "$CLI" --version
if [ $rc -eq 0 ] && out_has '^amdbare [0-9]*\.[0-9]*'; then ok version; else bad version "no version line"; fi

run "$CLI" help
if [ $rc -eq 0 ] && out_has 'info' && out_has 'alloc' && out_has 'exit codes'; then
	ok help
else
	bad help "help must list the commands and exit codes"
fi

run "$CLI" alloc --help
if [ $rc -eq 0 ] && out_has '--domain' && out_has 'vm-always-valid'; then
	ok alloc-help
else
	bad alloc-help "alloc --help"
fi

run "$CLI" frobnicate
if [ $rc -eq 2 ] && err_has "^amdbare: unknown command 'frobnicate'"; then
	ok unknown-command
else
	bad unknown-command "expected exit 2 and a message"
fi

run "$CLI"
if [ $rc -eq 2 ] && err_has 'usage:'; then ok no-command; else bad no-command "expected exit 2 with usage"; fi

run "$CLI" --device x info
if [ $rc -eq 2 ] && err_has 'not a device index'; then ok bad-device-index; else bad bad-device-index "expected exit 2"; fi

run "$CLI" info --bogus
if [ $rc -eq 2 ] && err_has "unknown option '--bogus'"; then ok info-bad-option; else bad info-bad-option "expected exit 2"; fi

# Bad values are usage errors (exit 2) caught before any device is opened.
run "$CLI" alloc --domain vram --size 12Q
if [ $rc -eq 2 ] && err_has "size '12Q'"; then ok bad-size; else bad bad-size "expected exit 2 naming the size"; fi

run "$CLI" alloc --domain vram --size 0
if [ $rc -eq 2 ] && err_has "'0': below the minimum of 1 B"; then ok zero-size; else bad zero-size "expected exit 2"; fi

run "$CLI" alloc --domain vrma --size 64M
if [ $rc -eq 2 ] && err_has "domain 'vrma'"; then ok bad-domain; else bad bad-domain "expected exit 2 naming the domain"; fi

run "$CLI" alloc --domain vram --size 64M --flags uswc,shiny
if [ $rc -eq 2 ] && err_has "unknown flag 'shiny'"; then ok bad-flag; else bad bad-flag "expected exit 2 naming the flag"; fi

run "$CLI" alloc --domain vram
if [ $rc -eq 2 ] && err_has 'required'; then ok missing-size; else bad missing-size "expected exit 2"; fi

run "$CLI" alloc --domain vram --size
if [ $rc -eq 2 ] && err_has 'needs a value'; then ok missing-value; else bad missing-value "expected exit 2"; fi

run "$CLI" --vgpu bogus info
if [ $rc -eq 2 ] && err_has "unknown vgpu profile 'bogus'" && err_has '780m, 890m, 8060s, 860m, 7900xtx'; then
	ok vgpu-bogus
else
	bad vgpu-bogus "expected exit 2 listing the profiles"
fi

bare AMDBARE_VGPU=bogus "$CLI" info
if [ $rc -eq 2 ] && err_has "unknown vgpu profile 'bogus'"; then ok vgpu-env-bogus; else bad vgpu-env-bogus "expected exit 2"; fi

if [ "$mode" != vgpu ]; then
	# On a real GPU (check-hw): the device answers, in JSON that parses.
	bare "$CLI" info --json
	if [ $rc -eq 0 ] && [ "$(json 'd["devices"][0]["memory"]["vram"]["total"] > 0')" = True ]; then
		ok hw-info-json
	else
		bad hw-info-json "info --json on the real device"
	fi
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi

# ---- info on the preloaded vgpu (default profile: 780m) --------------------

cli "$CLI" info
if [ $rc -eq 0 ] && out_has 'gfx1103' && out_has 'GC 11.0.1' && out_has 'virtual device (vgpu profile 780m)' &&
	first_line_has '^virtual device: Radeon 780M profile (amdbare vgpu)' && out_has 'APU' &&
	out_has 'visible VRAM' && out_has 'GTT' && out_has 'this process (fdinfo)' && out_has 'evictions'; then
	ok info-text
else
	bad info-text "expected the gfx target, the virtual notice first, the heaps"
fi

cli "$CLI" info --json
if [ $rc -eq 0 ] && [ "$(json 'd["devices"][0]["memory"]["vram"]["total"]')" = 17179869184 ] &&
	[ "$(json 'd["devices"][0]["gfx_target"]')" = gfx1103 ] &&
	[ "$(json 'd["virtual"] and d["devices"][0]["is_virtual"]')" = True ] &&
	[ "$(json 'd["devices"][0]["virtual_profile"]')" = 780m ] &&
	first_line_has 'virtual device: Radeon 780M'; then
	ok info-json
else
	bad info-json "expected parseable JSON with vram total 16 GiB"
fi

cli "$CLI" --device 1 info
if [ $rc -eq 1 ] && err_has 'there is 1 amdgpu device'; then ok device-out-of-range; else bad device-out-of-range "expected exit 1"; fi

cli "$CLI" --device 0 info --json
if [ $rc -eq 0 ] && [ "$(json 'len(d["devices"])')" = 1 ]; then ok device-0; else bad device-0 "expected one device"; fi

# ---- the CLI's own --vgpu re-exec (nothing preloaded) ----------------------

bare AMDBARE_VGPU_LIB="$build/libamdbare-vgpu.so" "$CLI" --vgpu 890m info
if [ $rc -eq 0 ] && first_line_has '^virtual device: Radeon 890M profile' && out_has 'gfx1150'; then
	ok vgpu-reexec
else
	bad vgpu-reexec "--vgpu 890m without a preload must re-exec on the vgpu"
fi

# Found next to the executable when AMDBARE_VGPU_LIB is not set.
n=$((n + 1))
run env -u LD_PRELOAD -u AMDBARE_VGPU_LIB AMDBARE_VGPU_INSTANCE="$base-$n" "$CLI" --vgpu 8060s info --json
if [ $rc -eq 0 ] && [ "$(json 'd["devices"][0]["gfx_target"]')" = gfx1151 ]; then
	ok vgpu-lib-beside-exe
else
	bad vgpu-lib-beside-exe "the vgpu next to the executable"
fi

bare AMDBARE_VGPU=780m "$CLI" info
if [ $rc -eq 0 ] && first_line_has '^virtual device: Radeon 780M'; then ok vgpu-env; else bad vgpu-env "AMDBARE_VGPU=780m"; fi

bare AMDBARE_VGPU_LIB=/nonexistent/libamdbare-vgpu.so "$CLI" --vgpu 780m info
if [ $rc -eq 1 ] && err_has 'AMDBARE_VGPU_LIB=/nonexistent'; then ok vgpu-lib-missing; else bad vgpu-lib-missing "expected exit 1"; fi

# A preload that ld.so ignores must not turn into an endless re-exec.
echo 'not a shared object' >"$tmp/junk.so"
bare AMDBARE_VGPU_LIB="$tmp/junk.so" "$CLI" --vgpu 780m info
if [ $rc -eq 1 ] && err_has 'was not loaded after re-executing'; then
	ok vgpu-preload-failed
else
	bad vgpu-preload-failed "expected exit 1 naming the library"
fi

# Without an explicit instance the CLI picks one per profile and size
# overrides, so switching profiles works (the vgpu refuses a second profile
# on one instance).  A unique GTT size keeps these instances to this run.
gtt=$((3221225472 + ($$ % 1000) * 4096))
cleanup_cli_instances() { rm -f /dev/shm/amdbare-vgpu-cli-*-g"$gtt" 2>/dev/null; }
run env -u LD_PRELOAD -u AMDBARE_VGPU_INSTANCE AMDBARE_VGPU_GTT_SIZE=$gtt "$CLI" --vgpu 780m info
rc1=$rc
run env -u LD_PRELOAD -u AMDBARE_VGPU_INSTANCE AMDBARE_VGPU_GTT_SIZE=$gtt "$CLI" --vgpu 7900xtx info
cleanup_cli_instances
if [ $rc1 -eq 0 ] && [ $rc -eq 0 ] && first_line_has 'Radeon RX 7900 XTX'; then
	ok vgpu-switch-profile
else
	bad vgpu-switch-profile "780m then 7900xtx must both run"
fi

# An explicit instance is kept: a second profile on it is the vgpu's
# refusal, reported as such (not as "no GPU here, try the vgpu").
n=$((n + 1))
run env -u LD_PRELOAD AMDBARE_VGPU_INSTANCE="$base-$n" "$CLI" --vgpu 780m info
run env -u LD_PRELOAD AMDBARE_VGPU_INSTANCE="$base-$n" "$CLI" --vgpu 7900xtx info
if [ $rc -eq 1 ] && err_has 'already runs profile 780m' && err_has '^amdbare: ' &&
	! err_has 'run on the virtual device instead'; then
	ok vgpu-instance-conflict
else
	bad vgpu-instance-conflict "expected exit 1 pointing at the vgpu's message"
fi

# ---- no device ------------------------------------------------------------

cli "$CLI" --vgpu none info
if [ $rc -eq 1 ] && err_has '^amdbare: ' && err_has 'amdbare --vgpu 780m info'; then
	ok no-device-hint
else
	bad no-device-hint "expected exit 1 with the run-on-the-virtual-device hint"
fi

bare "$CLI" --vgpu none alloc --domain gtt --size 1M
if [ $rc -eq 1 ] && err_has 'amdbare --vgpu 780m info'; then ok no-device-alloc; else bad no-device-alloc "expected exit 1 with the hint"; fi

cli "$CLI" --vgpu foreign info
if [ $rc -eq 1 ] && err_has 'i915'; then ok foreign-driver; else bad foreign-driver "expected exit 1 naming i915"; fi

# ---- alloc ----------------------------------------------------------------

cli "$CLI" alloc --domain vram --size 64M --touch
if [ $rc -eq 0 ] && first_line_has '^virtual device:' && out_has 'placed in     VRAM' &&
	out_has 'fallback      no' && out_has 'evidence' && out_has 'this process  vram +64.00 MiB' &&
	out_has 'while allocated' && out_has 'back to the baseline' && ! out_has 'WARNING'; then
	ok alloc-vram-text
else
	bad alloc-vram-text "expected VRAM, +64 MiB in fdinfo, back to baseline"
fi

cli "$CLI" alloc --domain vram --size 64M --touch --gpu-map --json
if [ $rc -eq 0 ] && [ "$(json 'd["created"]["placement"]["actual_domain"]')" = VRAM ] &&
	[ "$(json 'd["touched"]["placement"]["actual_domain"]')" = VRAM ] &&
	[ "$(json 'd["created"]["placement"]["proc_vram_delta"]')" = 67108864 ] &&
	[ "$(json 'd["gpu_va"] > 0')" = True ] &&
	[ "$(json 'd["while_allocated"]["process"]["vram"] - d["baseline"]["process"]["vram"]')" = 67108864 ] &&
	[ "$(json 'd["while_allocated"]["memory"]["vram"]["used"] - d["baseline"]["memory"]["vram"]["used"]')" = 67108864 ] &&
	[ "$(json 'd["fallback"]')" = False ] &&
	[ "$(json 'd["process_back_to_baseline"] and d["device_back_to_baseline"]')" = True ]; then
	ok alloc-vram-json
else
	bad alloc-vram-json "expected VRAM placement, a GPU VA and usage back to baseline"
fi

cli "$CLI" alloc --domain gtt --size 32M --flags uswc --json
if [ $rc -eq 0 ] && [ "$(json 'd["created"]["placement"]["actual_domain"]')" = GTT ] &&
	[ "$(json 'd["request"]["flags"]')" = uswc ]; then
	ok alloc-gtt
else
	bad alloc-gtt "expected GTT"
fi

# 64 MiB of VRAM cannot hold 128 MiB: amdgpu_gem_create_ioctl retries with
# VRAM|GTT, the buffer lands in GTT.  Loud, but not an error...
cli AMDBARE_VGPU_VRAM_SIZE=64M "$CLI" alloc --domain vram --size 128M
if [ $rc -eq 0 ] && out_has 'WARNING: asked for VRAM, the kernel placed it in GTT' &&
	out_has 'placed in     GTT' && out_has 'fallback      YES'; then
	ok alloc-fallback
else
	bad alloc-fallback "expected the fallback to GTT, reported as a warning with exit 0"
fi

cli AMDBARE_VGPU_VRAM_SIZE=64M "$CLI" alloc --domain vram --size 128M --json
if [ $rc -eq 0 ] && [ "$(json 'd["fallback"] and d["created"]["placement"]["fell_back_to_gtt"]')" = True ] &&
	[ "$(json 'd["created"]["placement"]["actual_domain"]')" = GTT ]; then
	ok alloc-fallback-json
else
	bad alloc-fallback-json "expected fallback true in JSON"
fi

# ... unless --strict.
cli AMDBARE_VGPU_VRAM_SIZE=64M "$CLI" alloc --domain vram --size 128M --strict
if [ $rc -eq 1 ] && out_has 'WARNING: asked for VRAM' && err_has '--strict'; then
	ok alloc-fallback-strict
else
	bad alloc-fallback-strict "expected exit 1 under --strict"
fi

# 7900 XTX: 24 GiB VRAM, only 256 MiB CPU-visible.  A 512 MiB buffer lies in
# invisible VRAM; the CPU touch faults it out (to GTT: it cannot fit the
# visible window).
cli "$CLI" --vgpu 7900xtx alloc --domain vram --size 512M --touch
if [ $rc -eq 0 ] && first_line_has 'Radeon RX 7900 XTX' && out_has 'CPU-invisible part' &&
	out_has 'migrated      yes'; then
	ok alloc-migration-text
else
	bad alloc-migration-text "expected creation in invisible VRAM, then migration"
fi

cli "$CLI" --vgpu 7900xtx alloc --domain vram --size 512M --touch --json
if [ $rc -eq 0 ] && [ "$(json 'd["created"]["placement"]["actual_domain"]')" = VRAM ] &&
	[ "$(json 'd["created"]["placement"]["cpu_visible"]')" = False ] &&
	[ "$(json 'd["touched"]["placement"]["migrated"]')" = True ] &&
	[ "$(json 'd["touched"]["placement"]["cpu_page_faults_delta"] > 0')" = True ]; then
	ok alloc-migration-json
else
	bad alloc-migration-json "expected invisible VRAM, then a migration with CPU page faults"
fi

cli "$CLI" alloc --domain vram --size 64M --flags cpu-access,no-cpu-access
if [ $rc -eq 2 ] && err_has 'contradict'; then ok alloc-flag-conflict; else bad alloc-flag-conflict "expected exit 2"; fi

# Larger than the whole GTT: the library's own check, a runtime failure.
cli "$CLI" alloc --domain gtt --size 1T
if [ $rc -eq 1 ] && err_has '^amdbare: '; then ok alloc-too-big; else bad alloc-too-big "expected exit 1 with a message"; fi

# ---- the main job -----------------------------------------------------------

n=$((n + 1))
run env -u LD_PRELOAD AMDBARE_VGPU_INSTANCE="$base-$n" AMDBARE_VGPU_LIB="$build/libamdbare-vgpu.so" \
	sh "$top/tools/run-main-job.sh" "$build"
# (Asked without the vgpu: this shell itself runs with it preloaded.)
if env -u LD_PRELOAD sh -c 'ls /sys/class/drm/renderD*/device/driver' >/dev/null 2>&1; then
	# A machine with DRM nodes: whichever branch ran, it must have succeeded.
	if [ $rc -eq 0 ]; then ok main-job; else bad main-job "tools/run-main-job.sh failed"; fi
elif [ $rc -eq 0 ] && out_has 'no amdgpu GPU found: running on the virtual Radeon 780M (vgpu)' &&
	out_has 'gfx1103' && out_has '0 mismatches' &&
	out_has 'against a CPU reference from the file' && out_has 'ok (exactly the model'; then
	ok main-job
else
	bad main-job "expected the vgpu info, the demo's proof (fdinfo, 0 checksum mismatches) and its checked GEMV"
fi

t_finish
