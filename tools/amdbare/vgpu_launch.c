/*
 * `--vgpu PROFILE`: run this very command on amdbare's virtual device.
 *
 * The vgpu is an LD_PRELOAD library, and a preload only takes effect when a
 * program starts, so the CLI re-executes itself (/proc/self/exe, same
 * arguments) with LD_PRELOAD and AMDBARE_VGPU_PROFILE set.  When the vgpu is
 * already loaded (the test suite, or a user who preloaded it by hand) no
 * re-exec is needed: the vgpu resolves its profile lazily at the first open
 * of the device, so setting AMDBARE_VGPU_PROFILE now is enough.
 *
 * The re-exec goes through the program's real path (not /proc/self/exe,
 * which would name the process "exe" in ps and in the kernel's fault
 * reports), and in a build with AddressSanitizer it puts the ASan runtime
 * first in LD_PRELOAD, where ASan requires it to be.
 *
 * Two profiles exist to show what the library says on other machines: the
 * vgpu's "none" shows no DRM device at all, "foreign" a non-amdgpu (i915)
 * node.
 */
#include "cli.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VGPU_LIB_NAME "libamdbare-vgpu.so"
/* Set for the re-executed child: tells it the preload was asked for, so a
 * preload that silently failed (ld.so only warns) is an error instead of
 * an endless chain of re-execs. */
#define REEXEC_GUARD "AMDBARE_VGPU_REEXEC"

static const struct {
	const char *name;
	const char *display;
} profiles[] = {
	{"780m", "Radeon 780M"},
	{"890m", "Radeon 890M"},
	{"8060s", "Radeon 8060S"},
	{"860m", "Radeon 860M"},
	{"7900xtx", "Radeon RX 7900 XTX"},
	{"680m", "Radeon 680M"},
	{"deck", "Steam Deck"},
	{"6800xt", "Radeon RX 6800 XT"},
	{"raven", "Radeon Vega 11 (Raven)"},
	{"cezanne", "Radeon Vega 8 (Cezanne)"},
	{"mi50", "Radeon Instinct MI50"},
	{"mi210", "AMD Instinct MI210"},
};

/* Profiles of the vgpu that stand for "no usable device" rather than a
 * GPU (tools/vgpu/base/profiles.c). */
static const char *const device_less_profiles[] = {"none", "foreign"};

const char *vgpu_profile_list(void)
{
	return "780m, 890m, 8060s, 860m, 7900xtx; gfx10.3: 680m, deck, 6800xt; "
	       "gfx9: raven, cezanne, mi50, mi210 (and, to see what a machine without one looks like: none, foreign)";
}

bool vgpu_profile_known(const char *name)
{
	for (size_t i = 0; i < sizeof(device_less_profiles) / sizeof(device_less_profiles[0]); i++)
		if (strcmp(name, device_less_profiles[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(name, profiles[i].name) == 0)
			return true;
	return false;
}

bool vgpu_profile_has_device(const char *name)
{
	for (size_t i = 0; i < sizeof(device_less_profiles) / sizeof(device_less_profiles[0]); i++)
		if (strcmp(name, device_less_profiles[i]) == 0)
			return false;
	return true;
}

const char *vgpu_display_name(const char *profile)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profile, profiles[i].name) == 0)
			return profiles[i].display;
	return profile;
}

void vgpu_banner(char *buf, size_t len, const char *profile)
{
	snprintf(buf, len,
		 "virtual device: %s profile (amdbare vgpu) \xe2\x80\x94 nothing here ran on a real GPU",
		 vgpu_display_name(profile && profile[0] ? profile : "unknown"));
}

bool vgpu_preloaded(void)
{
	/* The vgpu exports this symbol for exactly this question (the test
	 * support asks it the same way). */
	return dlsym(RTLD_DEFAULT, "amdbare_vgpu_profile_name") != NULL;
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* AMDBARE_VGPU_LIB, else next to the executable (build tree), else
 * <exe dir>/../lib/amdbare/ (installed layout). */
static int find_vgpu_lib(char *out, size_t len)
{
	const char *env = getenv("AMDBARE_VGPU_LIB");
	if (env && env[0]) {
		if (!readable(env)) {
			cli_error("AMDBARE_VGPU_LIB=%s: %s", env, strerror(errno));
			return -ENOENT;
		}
		snprintf(out, len, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		int e = errno;
		cli_error("cannot find this program (/proc/self/exe): %s", strerror(e));
		return -e;
	}
	exe[n] = '\0';
	char *dir = dirname(exe);
	char beside[PATH_MAX + 64], installed[PATH_MAX + 64];
	snprintf(beside, sizeof(beside), "%s/" VGPU_LIB_NAME, dir);
	snprintf(installed, sizeof(installed), "%s/../lib/amdbare/" VGPU_LIB_NAME, dir);
	if (readable(beside)) {
		snprintf(out, len, "%s", beside);
		return 0;
	}
	if (readable(installed)) {
		snprintf(out, len, "%s", installed);
		return 0;
	}
	cli_error("the virtual device library was not found: looked at %s and %s "
		  "(set AMDBARE_VGPU_LIB to its path)", beside, installed);
	return -ENOENT;
}

/* The vgpu keeps device-global state per instance (AMDBARE_VGPU_INSTANCE,
 * default "default-<uid>") and refuses a second profile or other heap
 * sizes on the same instance.  A user switching `--vgpu 780m` to `--vgpu
 * 7900xtx` means another machine, so unless the instance was chosen
 * explicitly the CLI names one per profile and size overrides: runs of the
 * same configuration still share one device, as processes on one GPU do. */
static void choose_instance(const char *profile)
{
	static const char *const size_vars[] = {
		"AMDBARE_VGPU_VRAM_SIZE", "AMDBARE_VGPU_VIS_VRAM_SIZE", "AMDBARE_VGPU_GTT_SIZE",
	};
	const char *inst = getenv("AMDBARE_VGPU_INSTANCE");
	if (inst && inst[0])
		return;
	char name[160];
	size_t used = (size_t)snprintf(name, sizeof(name), "cli-%s-%u", profile, (unsigned)getuid());
	for (size_t i = 0; i < sizeof(size_vars) / sizeof(size_vars[0]); i++) {
		const char *v = getenv(size_vars[i]);
		if (!v || !v[0] || used + 2 >= sizeof(name))
			continue;
		name[used++] = '-';
		name[used++] = "vsg"[i];
		/* Keep it a valid shm name: no '/' nor anything exotic. */
		for (; *v && used + 1 < sizeof(name); v++)
			name[used++] = (isalnum((unsigned char)*v) || *v == '.') ? *v : '_';
		name[used] = '\0';
	}
	setenv("AMDBARE_VGPU_INSTANCE", name, 1);
}

/* Through the real path, so the process keeps its name (the kernel's
 * comm is the basename of the path execve was given); /proc/self/exe only
 * when that path is gone (the binary was replaced or deleted). */
static int reexec(char **argv)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		execv(exe, argv);
	}
	execv("/proc/self/exe", argv);
	cli_error("cannot re-execute myself (/proc/self/exe): %s", strerror(errno));
	return CLI_EXIT_FAILURE;
}

/* AddressSanitizer checks at start-up that its runtime is the first
 * library in the process ("ASan runtime does not come first in initial
 * library list"); LD_PRELOAD=<vgpu> would put the vgpu before it.  With a
 * shared ASan runtime, it goes first in LD_PRELOAD; with one linked into
 * the program there is no list to be first in, and the check is turned
 * off for the child instead.  Returns the runtime's path, or NULL. */
static const char *asan_runtime(void)
{
	void *init = dlsym(RTLD_DEFAULT, "__asan_init");
	if (!init)
		return NULL;
	Dl_info di;
	if (dladdr(init, &di) && di.dli_fname && strstr(di.dli_fname, ".so"))
		return di.dli_fname;
	const char *old = getenv("ASAN_OPTIONS");
	char opts[1024];
	snprintf(opts, sizeof(opts), "%s%sverify_asan_link_order=0", old && old[0] ? old : "",
		 old && old[0] ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
	return NULL;
}

int vgpu_launch(const char *profile, char **argv)
{
	if (!vgpu_profile_known(profile)) {
		cli_error("unknown vgpu profile '%s'; profiles: %s", profile, vgpu_profile_list());
		return CLI_EXIT_USAGE;
	}
	const char *guard = getenv(REEXEC_GUARD);
	bool second_pass = guard && strcmp(guard, profile) == 0;
	unsetenv(REEXEC_GUARD); /* never leak into programs we might start */
	setenv("AMDBARE_VGPU_PROFILE", profile, 1);
	choose_instance(profile);
	if (vgpu_preloaded())
		return CLI_EXIT_OK;
	char lib[PATH_MAX + 64];
	if (find_vgpu_lib(lib, sizeof(lib)) < 0)
		return CLI_EXIT_FAILURE;
	if (second_pass) {
		cli_error("the virtual device library %s was not loaded after re-executing with "
			  "LD_PRELOAD (see ld.so's message above)", lib);
		return CLI_EXIT_FAILURE;
	}
	/* Keep whatever else was preloaded; an ASan runtime goes first. */
	const char *old = getenv("LD_PRELOAD");
	const char *asan = asan_runtime();
	size_t len = strlen(lib) + (old ? strlen(old) : 0) + (asan ? strlen(asan) : 0) + 3;
	char *preload = malloc(len);
	if (!preload) {
		cli_error("out of memory");
		return CLI_EXIT_FAILURE;
	}
	snprintf(preload, len, "%s%s%s%s%s", asan ? asan : "", asan ? ":" : "", lib,
		 old && old[0] ? ":" : "", old && old[0] ? old : "");
	setenv("LD_PRELOAD", preload, 1);
	free(preload);
	setenv(REEXEC_GUARD, profile, 1);
	return reexec(argv);
}
