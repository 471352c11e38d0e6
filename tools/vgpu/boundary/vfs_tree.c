/*
 * The fake file tree: built from the active profile on first use (and again
 * if AMDBARE_VGPU_PROFILE changes, as tests do before touching the device),
 * and the path resolver that walks it the way the kernel's path walk would,
 * following our symlinks so that realpath() and "../" land where sysfs
 * would put them.
 */
#include "vfs.h"

#include "fdtable.h"
#include "base/real.h"
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENTRIES 128
#define MAX_OWNED 12
#define DRM_MAJOR 226

struct entry {
	char path[VFS_PATH_MAX];
	enum vfs_kind kind;  /* VFS_PASS marks a real directory we add to */
	mode_t perm;
	int minor;
	enum vfs_gen gen;
	char text[VFS_TEXT_MAX];
};

/* Recursive: the profile code may, on this thread, open files that come
 * back through our interposers while we hold the lock. */
static pthread_mutex_t tree_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct entry entries[MAX_ENTRIES];
static int nentries;
static char owned[MAX_OWNED][VFS_PATH_MAX];
static int nowned;
static char built_for[160];
static bool built;
static bool amd;             /* driver is amdgpu (not the "foreign" profile) */
static char dev_dir[VFS_PATH_MAX];
static dev_t devfs_dev, sysfs_dev, procfs_dev;
static gid_t render_gid;
static struct timespec build_time;

/* fork() while another thread holds the lock would leave the child's copy
 * locked forever: hold it across fork, release it on both sides. */
static void tree_prepare(void)
{
	pthread_mutex_lock(&tree_lock);
}

static void tree_release(void)
{
	pthread_mutex_unlock(&tree_lock);
}

/* A recursive mutex remembers its owner's tid, which the child no longer
 * has, so the child starts from a fresh one instead of unlocking. */
static void tree_child(void)
{
	static const pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
	memcpy(&tree_lock, &fresh, sizeof(fresh));
}

__attribute__((constructor)) static void tree_atfork(void)
{
	pthread_atfork(tree_prepare, tree_release, tree_child);
}

/* ---- building ---------------------------------------------------------- */

static struct entry *add(enum vfs_kind kind, mode_t perm, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct entry *add(enum vfs_kind kind, mode_t perm, const char *fmt, ...)
{
	static struct entry overflow;
	if (nentries >= MAX_ENTRIES) {
		vgpu_log("fake tree full; entry dropped");
		return &overflow;
	}
	struct entry *e = &entries[nentries++];
	memset(e, 0, sizeof(*e));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->path, sizeof(e->path), fmt, ap);
	va_end(ap);
	e->kind = kind;
	e->perm = perm;
	e->gen = GEN_TEXT;
	return e;
}

static void set_text(struct entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_text(struct entry *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

static void add_text(mode_t perm, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_text(mode_t perm, const char *path, const char *fmt, ...)
{
	struct entry *e = add(VFS_FILE, perm, "%s", path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

static void add_owned(const char *path)
{
	if (nowned < MAX_OWNED && strlen(path) < VFS_PATH_MAX)
		memcpy(owned[nowned++], path, strlen(path) + 1);
}

/* The gid of group "render" from /etc/group, or 0.  Read directly rather
 * than through getgrnam(): NSS modules may load libraries or talk to
 * daemons, which has no place inside an open() or stat(). */
static gid_t lookup_render_gid(void)
{
	int fd = vgpu_real_open("/etc/group", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	vgpu_real_close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		/* render:x:<gid>:members */
		if (strncmp(line, "render:", 7) != 0)
			continue;
		char *gid = strchr(line + 7, ':');
		return gid ? (gid_t)strtoul(gid + 1, NULL, 10) : 0;
	}
	return 0;
}

/* Per DRM minor: the sysfs directory drm_sysfs_device_add creates. */
static void add_minor_dir(const char *dev, const char *name, int minor)
{
	char p[2 * VFS_PATH_MAX];
	add(VFS_DIR, 0755, "%s/drm/%s", dev, name);
	snprintf(p, sizeof(p), "%s/drm/%s/dev", dev, name);
	add_text(0444, p, "%d:%d\n", DRM_MAJOR, minor);
	snprintf(p, sizeof(p), "%s/drm/%s/uevent", dev, name);
	add_text(0644, p, "MAJOR=%d\nMINOR=%d\nDEVNAME=dri/%s\nDEVTYPE=drm_minor\n",
		 DRM_MAJOR, minor, name);
	/* DEV/drm/<name>/device -> DEV; .../subsystem -> /sys/class/drm */
	set_text(add(VFS_LINK, 0777, "%s/drm/%s/device", dev, name), "../../../%s",
		 strrchr(dev, '/') + 1);
	set_text(add(VFS_LINK, 0777, "%s/drm/%s/subsystem", dev, name),
		 "../../../../../class/drm");
}

static void build_device(const struct vgpu_profile *p)
{
	unsigned int dom = 0, bus = 0;
	sscanf(p->pci_slot, "%x:%x", &dom, &bus);
	char root[64], path[2 * VFS_PATH_MAX];
	snprintf(root, sizeof(root), "/sys/devices/pci%04x:%02x", (dom & 0xffff), (bus & 0xff));
	if (snprintf(dev_dir, sizeof(dev_dir), "%s/%s", root, p->pci_slot) >= (int)sizeof(dev_dir))
		dev_dir[0] = '\0';
	const char *drv = p->driver_name;
	const char *dev = dev_dir;

	add(VFS_DIR, 0755, "/dev/dri");
	add(VFS_CHR, 0666, "/dev/dri/card0")->minor = VGPU_MINOR_PRIMARY;
	add(VFS_CHR, 0666, "/dev/dri/renderD128")->minor = VGPU_MINOR_RENDER;

	/* drm_sysfs: /sys/dev/char/226:N and /sys/class/drm/<name> */
	set_text(add(VFS_LINK, 0777, "/sys/dev/char/%d:%d", DRM_MAJOR, 0),
		 "../../devices/pci%04x:%02x/%s/drm/card0", dom, bus, p->pci_slot);
	set_text(add(VFS_LINK, 0777, "/sys/dev/char/%d:%d", DRM_MAJOR, 128),
		 "../../devices/pci%04x:%02x/%s/drm/renderD128", dom, bus, p->pci_slot);
	add(VFS_DIR, 0755, "/sys/class/drm");
	set_text(add(VFS_LINK, 0777, "/sys/class/drm/card0"),
		 "../../devices/pci%04x:%02x/%s/drm/card0", dom, bus, p->pci_slot);
	set_text(add(VFS_LINK, 0777, "/sys/class/drm/renderD128"),
		 "../../devices/pci%04x:%02x/%s/drm/renderD128", dom, bus, p->pci_slot);
	add_text(0444, "/sys/class/drm/version", "drm 1.1.0 20060810\n");

	/* The PCI function (drivers/pci/pci-sysfs.c, pci-driver.c uevent) */
	add(VFS_DIR, 0755, "%s", root);
	add(VFS_DIR, 0755, "%s", dev);
	snprintf(path, sizeof(path), "%s/uevent", dev);
	add_text(0644, path,
		 "DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
		 "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
		 drv, p->pci_class, p->pci_vendor, p->pci_device, p->subsys_vendor,
		 p->subsys_device, p->pci_slot, p->pci_vendor, p->pci_device,
		 p->subsys_vendor, p->subsys_device, (p->pci_class >> 16) & 0xff,
		 (p->pci_class >> 8) & 0xff, p->pci_class & 0xff);
	snprintf(path, sizeof(path), "%s/vendor", dev);
	add_text(0444, path, "0x%04x\n", p->pci_vendor);
	snprintf(path, sizeof(path), "%s/device", dev);
	add_text(0444, path, "0x%04x\n", p->pci_device);
	snprintf(path, sizeof(path), "%s/subsystem_vendor", dev);
	add_text(0444, path, "0x%04x\n", p->subsys_vendor);
	snprintf(path, sizeof(path), "%s/subsystem_device", dev);
	add_text(0444, path, "0x%04x\n", p->subsys_device);
	snprintf(path, sizeof(path), "%s/revision", dev);
	add_text(0444, path, "0x%02x\n", p->pci_revision);
	snprintf(path, sizeof(path), "%s/class", dev);
	add_text(0444, path, "0x%06x\n", p->pci_class);
	snprintf(path, sizeof(path), "%s/boot_vga", dev);
	add_text(0444, path, "1\n");
	add(VFS_FILE, 0644, "%s/config", dev)->gen = GEN_CONFIG;
	set_text(add(VFS_LINK, 0777, "%s/subsystem", dev), "../../../bus/pci");
	set_text(add(VFS_LINK, 0777, "%s/driver", dev), "../../../bus/pci/drivers/%s", drv);
	add(VFS_DIR, 0755, "%s/drm", dev);
	add_minor_dir(dev, "card0", 0);
	add_minor_dir(dev, "renderD128", 128);

	if (amd) {
		/* amdgpu_discovery_sysfs_init (Linux >= 5.17) */
		static const char *const parts[] = { "ip_discovery", "die", "0", "GC", "0" };
		char d[VFS_PATH_MAX];
		if (snprintf(d, sizeof(d), "%s", dev) >= (int)sizeof(d))
			return;
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			size_t l = strlen(d);
			snprintf(d + l, sizeof(d) - l, "/%s", parts[i]);
			add(VFS_DIR, 0755, "%s", d);
		}
		snprintf(path, sizeof(path), "%s/major", d);
		add_text(0444, path, "%u\n", p->gc_major);
		snprintf(path, sizeof(path), "%s/minor", d);
		add_text(0444, path, "%u\n", p->gc_minor);
		snprintf(path, sizeof(path), "%s/revision", d);
		add_text(0444, path, "%u\n", p->gc_rev);
		/* amdgpu_vram_mgr / gtt_mgr / amdgpu_pm attributes, live values */
		static const char *const attrs[] = {
			"mem_info_vram_total", "mem_info_vram_used",
			"mem_info_vis_vram_total", "mem_info_vis_vram_used",
			"mem_info_gtt_total", "mem_info_gtt_used", "gpu_busy_percent",
		};
		for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			struct entry *e = add(VFS_FILE, 0444, "%s/%s", dev, attrs[i]);
			e->gen = GEN_ATTR;
			set_text(e, "%s", attrs[i]);
		}
		/* debugfs (drm_debugfs_init: dri/<minor index> per minor;
		 * amdgpu_debugfs_init on the primary's): amdgpu_gpu_recover,
		 * whose read resets the GPU (gpu_recover_get) */
		add(VFS_PASS, 0, "/sys/kernel/debug");
		add(VFS_DIR, 0755, "/sys/kernel/debug/dri");
		add(VFS_DIR, 0755, "/sys/kernel/debug/dri/0");
		add(VFS_DIR, 0755, "/sys/kernel/debug/dri/128");
		struct entry *e = add(VFS_FILE, 0444, "/sys/kernel/debug/dri/0/amdgpu_gpu_recover");
		e->gen = GEN_ATTR;
		set_text(e, "%s", "amdgpu_gpu_recover");
		add_owned("/sys/kernel/debug/dri");
	}

	if (amd) {
		/* Module parameters (kernel/params.c: param_attr_show, "%d\n" /
		 * "%lu\n"): ttm's (ttm_tt.c, ttm_pool.c), amdgpu's gttsize
		 * (amdgpu_drv.c, mode 0600 so root-only in the kernel; readable
		 * here), and the DKMS driver's amdttm when it is installed. */
		static const char *const ttm_params[] = { "pages_limit", "dma32_pages_limit",
							  "page_pool_size" };
		const char *mods[2] = { "ttm", p->amdttm ? "amdttm" : NULL };
		for (int m = 0; m < 2 && mods[m]; m++) {
			add(VFS_DIR, 0755, "/sys/module/%s", mods[m]);
			add(VFS_DIR, 0755, "/sys/module/%s/parameters", mods[m]);
			for (size_t i = 0; i < sizeof(ttm_params) / sizeof(ttm_params[0]); i++) {
				struct entry *e = add(VFS_FILE, 0644, "/sys/module/%s/parameters/%s",
						      mods[m], ttm_params[i]);
				e->gen = GEN_ATTR;
				set_text(e, "module/%s/%s", mods[m], ttm_params[i]);
			}
			snprintf(path, sizeof(path), "/sys/module/%s", mods[m]);
			add_owned(path);
		}
		add(VFS_DIR, 0755, "/sys/module/amdgpu");
		add(VFS_DIR, 0755, "/sys/module/amdgpu/parameters");
		struct entry *e = add(VFS_FILE, 0600, "/sys/module/amdgpu/parameters/gttsize");
		e->gen = GEN_ATTR;
		set_text(e, "module/amdgpu/gttsize");
		add_owned("/sys/module/amdgpu");
		add(VFS_PASS, 0, "/sys/module");
	}

	/* The PCI bus's view: devices/<slot> and drivers/<drv>/<slot> */
	set_text(add(VFS_LINK, 0777, "/sys/bus/pci/devices/%s", p->pci_slot),
		 "../../../devices/pci%04x:%02x/%s", dom, bus, p->pci_slot);
	add(VFS_DIR, 0755, "/sys/bus/pci/drivers/%s", drv);
	set_text(add(VFS_LINK, 0777, "/sys/bus/pci/drivers/%s/%s", drv, p->pci_slot),
		 "../../../../devices/pci%04x:%02x/%s", dom, bus, p->pci_slot);

	add_owned(root);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", p->pci_slot);
	add_owned(path);
	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", drv);
	add_owned(path);
	/* Real directories that gain entries */
	add(VFS_PASS, 0, "/sys/devices");
	add(VFS_PASS, 0, "/sys/bus/pci/devices");
	add(VFS_PASS, 0, "/sys/bus/pci/drivers");
}

static dev_t dev_of(const char *path)
{
	struct stat st;
	return real_stat(path, &st) == 0 ? st.st_dev : 0;
}

/* Called with tree_lock held; `p` resolved by the caller outside it. */
static void build_locked(const char *key, const struct vgpu_profile *p)
{
	nentries = 0;
	nowned = 0;
	dev_dir[0] = '\0';
	snprintf(built_for, sizeof(built_for), "%s", key);
	built = true;
	if (p && !p->driver_name)
		p = NULL;  /* profile "none": no device at all */
	amd = p && strcmp(p->driver_name, "amdgpu") == 0;
	devfs_dev = dev_of("/dev");
	sysfs_dev = dev_of("/sys");
	procfs_dev = dev_of("/proc");
	render_gid = lookup_render_gid();
	clock_gettime(CLOCK_REALTIME, &build_time);

	add_owned("/dev/dri");
	add_owned("/sys/class/drm");
	add(VFS_PASS, 0, "/dev");
	add(VFS_PASS, 0, "/sys/class");
	add(VFS_PASS, 0, "/sys/dev/char");
	if (p)
		build_device(p);
	vgpu_log("fake tree for profile '%s': %d entries", p ? p->name : "none", nentries);
}

/* Makes sure the tree matches the current profile; takes tree_lock. */
static void lock_tree(void)
{
	/* What decides the tree's shape: the profile, and the kernel
	 * parameters that decide which modules are loaded. */
	const char *prof = getenv("AMDBARE_VGPU_PROFILE");
	const char *params = getenv("AMDBARE_VGPU_PARAMS"), *dkms = getenv("AMDBARE_VGPU_DKMS");
	char key[sizeof(built_for)];
	snprintf(key, sizeof(key), "%s|%s|%s", prof ? prof : "",
		 params && strstr(params, "amdttm.") ? "amdttm" : "", dkms ? dkms : "");
	pthread_mutex_lock(&tree_lock);
	if (built && strcmp(built_for, key) == 0)
		return;
	pthread_mutex_unlock(&tree_lock);

	const struct vgpu_profile *p = NULL;
	if (!prof || strcmp(prof, "none") != 0) {
		int err = 0;
		p = vgpu_profile_get(&err);
		if (!p)  /* base/profiles.c has said why on stderr */
			vgpu_log("profile '%s' unusable (%d): no virtual device", prof ? prof : "", err);
	}
	pthread_mutex_lock(&tree_lock);
	if (!built || strcmp(built_for, key) != 0)
		build_locked(key, p);
}

/* ---- lookups ----------------------------------------------------------- */

static const struct entry *find_locked(const char *path)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(entries[i].path, path) == 0)
			return &entries[i];
	return NULL;
}

static bool under(const char *path, const char *root)
{
	size_t n = strlen(root);
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool owned_locked(const char *path)
{
	for (int i = 0; i < nowned; i++)
		if (under(path, owned[i]))
			return true;
	/* Every DRM char device number belongs to the vgpu while it is active */
	return strncmp(path, "/sys/dev/char/226:", 18) == 0;
}

bool vfs_owned(const char *path)
{
	lock_tree();
	bool r = owned_locked(path);
	pthread_mutex_unlock(&tree_lock);
	return r;
}

bool vfs_candidate(const char *path)
{
	if (!path || path[0] != '/')
		return false;
	while (*path == '/')
		path++;
	static const char *const tops[] = { "dev", "sys", "proc" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(tops[i]);
		if (strncmp(path, tops[i], n) == 0 && (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

bool vfs_deny_open(void)
{
	const char *v = getenv("AMDBARE_VGPU_DENY_OPEN");
	return v && v[0] && strcmp(v, "0") != 0;
}

static ino_t hash_ino(const char *path)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *c = path; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	return (ino_t)((h & 0x7fffffffffffull) | 0x100000);
}

/*
 * Walks `in` component by component, following our symlinks (the last one
 * only if follow_last).  Components that are not ours are appended as they
 * are: the real kernel resolves those.  Returns 0 or -errno.
 */
static int resolve_locked(const char *in, bool follow_last, char *out, bool *via_link)
{
	char rest[2 * VFS_PATH_MAX], cur[VFS_PATH_MAX], cand[VFS_PATH_MAX];
	size_t curlen = 0;
	int hops = 0;
	if (strlen(in) >= sizeof(rest))
		return -ENAMETOOLONG;
	strcpy(rest, in);
	cur[0] = '\0';
	const char *p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != '/')
			q++;
		size_t clen = (size_t)(q - p);
		const char *after = q;
		while (*after == '/')
			after++;
		bool last = *after == '\0';
		if (clen == 1 && p[0] == '.') {
			p = q;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			/* Leaving one of our directories: the kernel could not
			 * walk that part, so the caller must pass on our result. */
			if (find_locked(cur) || owned_locked(cur))
				*via_link = true;
			char *s = strrchr(cur, '/');
			if (s)
				*s = '\0';
			curlen = strlen(cur);
			p = q;
			continue;
		}
		if (curlen + 1 + clen >= sizeof(cand))
			return -ENAMETOOLONG;
		memcpy(cand, cur, curlen);
		cand[curlen] = '/';
		memcpy(cand + curlen + 1, p, clen);
		cand[curlen + 1 + clen] = '\0';
		const struct entry *e = find_locked(cand);
		/* "link/" is followed even by lstat, as in the kernel's walk */
		if (e && e->kind == VFS_LINK && (!last || follow_last || *q == '/')) {
			char tmp[2 * VFS_PATH_MAX];
			if (++hops > 40)
				return -ELOOP;
			int n = snprintf(tmp, sizeof(tmp), "%s/%s", e->text, after);
			if (n < 0 || (size_t)n >= sizeof(tmp))
				return -ENAMETOOLONG;
			if (e->text[0] == '/') {
				cur[0] = '\0';
				curlen = 0;
			}
			strcpy(rest, tmp);
			p = rest;
			*via_link = true;
			continue;
		}
		if (!last && owned_locked(cand)) {
			if (!e)
				return -ENOENT;
			if (e->kind == VFS_FILE || e->kind == VFS_CHR)
				return -ENOTDIR;
		}
		memcpy(cur, cand, curlen + 1 + clen + 1);
		curlen += 1 + clen;
		p = q;
	}
	if (curlen == 0)
		strcpy(out, "/");
	else
		memcpy(out, cur, curlen + 1);
	return 0;
}

static void set_err(struct vfs_node *node, int err)
{
	node->kind = VFS_ERR;
	node->err = err;
}

void vfs_node_memfd_name(int minor, char *out, size_t cap)
{
	const char *inst = getenv("AMDBARE_VGPU_INSTANCE");
	char def[32];
	if (!inst || !*inst) {
		snprintf(def, sizeof(def), "default-%u", (unsigned)getuid());
		inst = def;
	}
	snprintf(out, cap, "%s@%s", minor == VGPU_MINOR_RENDER ? "vgpu-renderD128" : "vgpu-card0",
		 inst);
}

/* /proc/<pid>/{fd,fdinfo}/<n> of another process: when that fd is a render
 * node of this vgpu instance (its memfd's name says so), the link names
 * the node and fdinfo carries the driver's part, as the kernel shows them
 * to any process of the same user (proc_fd_link, seq_show).  A card node
 * or another instance's fd passes through as the memfd it really is. */
static bool lookup_other_proc(int pid, const char *s, int flags, struct vfs_node *node)
{
	bool info;
	if (strncmp(s, "fdinfo/", 7) == 0) {
		info = true;
		s += 7;
	} else if (strncmp(s, "fd/", 3) == 0) {
		info = false;
		s += 3;
	} else {
		return false;
	}
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	long fd = strtol(s, &end, 10);
	if (*end != '\0' || fd > 0x7fffffff)
		return false;
	char link[64], target[256], want[VFS_NODE_MEMFD_MAX + 32], name[VFS_NODE_MEMFD_MAX];
	snprintf(link, sizeof(link), "/proc/%d/fd/%ld", pid, fd);
	ssize_t n = real_readlinkat(AT_FDCWD, link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = 0;
	vfs_node_memfd_name(VGPU_MINOR_RENDER, name, sizeof(name));
	snprintf(want, sizeof(want), "/memfd:%s (deleted)", name);
	if (strcmp(target, want) != 0)
		return false;
	lock_tree();  /* procfs_dev and devfs_dev are set when the tree is built */
	pthread_mutex_unlock(&tree_lock);
	node->fd = (int)fd;
	node->dev = procfs_dev;
	node->ino = hash_ino(link);
	if (info) {
		node->kind = VFS_FDINFO;
		node->other_pid = pid;
		node->mode = S_IFREG | 0444;
	} else if (flags & VFS_FOLLOW) {
		node->kind = VFS_CHR;
		node->minor = VGPU_MINOR_RENDER;
		snprintf(node->path, sizeof(node->path), "/dev/dri/renderD128");
		node->mode = S_IFCHR | (vfs_deny_open() ? 0660 : 0666);
		node->dev = devfs_dev;
		node->ino = hash_ino(node->path);
	} else {
		node->kind = VFS_LINK;
		node->mode = S_IFLNK | 0700;
		snprintf(node->text, sizeof(node->text), "/dev/dri/renderD128");
	}
	return true;
}

/* /proc/{self,thread-self,<pid>}/{fdinfo,fd}/<n> for a node fd */
static bool lookup_proc(const char *path, int flags, struct vfs_node *node)
{
	const char *s = path + strlen("/proc/");
	char *end;
	if (strncmp(s, "self/", 5) == 0) {
		s += 5;
	} else if (strncmp(s, "thread-self/", 12) == 0) {
		s += 12;
	} else {
		long pid = strtol(s, &end, 10);
		if (end == s || *end != '/' || pid <= 0 || pid > 0x7fffffff)
			return false;
		if (pid != (long)getpid())
			return lookup_other_proc((int)pid, end + 1, flags, node);
		s = end + 1;
	}
	bool info;
	if (strncmp(s, "fdinfo/", 7) == 0) {
		info = true;
		s += 7;
	} else if (strncmp(s, "fd/", 3) == 0) {
		info = false;
		s += 3;
	} else {
		return false;
	}
	if (*s < '0' || *s > '9')
		return false;
	long fd = strtol(s, &end, 10);
	if (*end != '\0' || fd > 0x7fffffff)
		return false;
	struct fd_desc *d = fdtable_get((int)fd);
	if (!d)
		return false;
	int minor = d->minor;
	fdtable_put(d);
	lock_tree();  /* procfs_dev and devfs_dev are set when the tree is built */
	pthread_mutex_unlock(&tree_lock);
	node->fd = (int)fd;
	node->dev = procfs_dev;
	node->ino = hash_ino(path);
	if (info) {
		node->kind = VFS_FDINFO;
		node->mode = S_IFREG | 0444;
	} else if (flags & VFS_FOLLOW) {
		/* The magic link leads to the device node itself. */
		node->kind = VFS_CHR;
		node->minor = minor;
		snprintf(node->path, sizeof(node->path), minor == VGPU_MINOR_RENDER ?
			 "/dev/dri/renderD128" : "/dev/dri/card0");
		node->mode = S_IFCHR | (vfs_deny_open() ? 0660 : 0666);
		node->dev = devfs_dev;
		node->ino = hash_ino(node->path);
	} else {
		node->kind = VFS_LINK;
		node->mode = S_IFLNK | 0700;
		snprintf(node->text, sizeof(node->text), minor == VGPU_MINOR_RENDER ?
			 "/dev/dri/renderD128" : "/dev/dri/card0");
	}
	return true;
}

enum vfs_kind vfs_lookup(const char *path, int flags, struct vfs_node *node)
{
	memset(node, 0, sizeof(*node));
	node->kind = VFS_PASS;
	if (!vfs_candidate(path) || strlen(path) >= VFS_PATH_MAX) {
		if (path && strlen(path) < VFS_PATH_MAX)
			strcpy(node->path, path);
		else
			node->path[0] = '\0';
		return VFS_PASS;
	}
	strcpy(node->path, path);
	if (strcmp(path, "/proc/cmdline") == 0 || strcmp(path, "/proc/meminfo") == 0) {
		/* The machine the profile describes: its command line (module
		 * parameters) and its RAM, not the host's. */
		lock_tree();
		bool ours = amd;
		dev_t pdev = procfs_dev;
		pthread_mutex_unlock(&tree_lock);
		if (ours) {
			node->kind = VFS_FILE;
			node->mode = 0444;
			node->gen = GEN_ATTR;
			node->dev = pdev;
			node->ino = hash_ino(path);
			snprintf(node->text, sizeof(node->text), "proc/%s", path + 6);
		}
		return node->kind;
	}
	if (strncmp(path, "/proc/", 6) == 0) {
		lookup_proc(path, flags, node);
		return node->kind;
	}

	char canon[VFS_PATH_MAX];
	bool via_link = false, dyn_attr = false;
	lock_tree();
	int r = resolve_locked(path, flags & VFS_FOLLOW, canon, &via_link);
	if (r == 0)
		strcpy(node->canon, canon);
	if (r < 0) {
		set_err(node, -r);
	} else if (!owned_locked(canon)) {
		if (via_link)
			strcpy(node->path, canon);
	} else {
		strcpy(node->path, canon);
		const struct entry *e = find_locked(canon);
		const char *slash = strrchr(canon, '/');
		if (e) {
			node->kind = e->kind;
			node->mode = e->perm;
			node->minor = e->minor;
			node->gen = e->gen;
			memcpy(node->text, e->text, sizeof(node->text));
		} else if (amd && dev_dir[0] && slash &&
			   (size_t)(slash - canon) == strlen(dev_dir) &&
			   strncmp(canon, dev_dir, strlen(dev_dir)) == 0) {
			/* Maybe an attribute the device model knows (checked below,
			 * outside the lock). */
			dyn_attr = true;
			node->kind = VFS_FILE;
			node->mode = 0444;
			node->gen = GEN_ATTR;
			snprintf(node->text, sizeof(node->text), "%s", slash + 1);
		} else {
			set_err(node, ENOENT);
		}
		if (node->kind != VFS_ERR) {
			node->dev = strncmp(canon, "/dev/", 5) == 0 ? devfs_dev : sysfs_dev;
			node->ino = hash_ino(canon);
		}
		switch (node->kind) {
		case VFS_DIR: node->mode |= S_IFDIR; break;
		case VFS_FILE: node->mode |= S_IFREG; break;
		case VFS_LINK: node->mode |= S_IFLNK; break;
		case VFS_CHR:
			node->mode = S_IFCHR | (vfs_deny_open() ? 0660 : 0666);
			break;
		default: break;
		}
	}
	pthread_mutex_unlock(&tree_lock);
	/* "file/" names a directory that is not there (link_path_walk) */
	size_t plen = strlen(path);
	if (plen > 1 && path[plen - 1] == '/' &&
	    (node->kind == VFS_CHR || node->kind == VFS_FILE)) {
		set_err(node, ENOTDIR);
		dyn_attr = false;
	}
	if (dyn_attr) {
		char probe[256];
		if (vgpu_dev_sysfs_read(node->text, probe, sizeof(probe)) < 0)
			set_err(node, ENOENT);
	}
	return node->kind;
}

bool vfs_is_merge_dir(const char *dir)
{
	lock_tree();
	const struct entry *e = find_locked(dir);
	bool r = e && e->kind == VFS_PASS;
	pthread_mutex_unlock(&tree_lock);
	return r;
}

bool vfs_child(const char *dir, int idx, char *name, size_t cap,
	       unsigned char *d_type, ino_t *ino)
{
	size_t dl = strlen(dir);
	bool found = false;
	lock_tree();
	for (int i = 0; i < nentries && !found; i++) {
		const struct entry *e = &entries[i];
		if (e->kind == VFS_PASS || strncmp(e->path, dir, dl) != 0 ||
		    e->path[dl] != '/' || strchr(e->path + dl + 1, '/'))
			continue;
		if (idx-- > 0)
			continue;
		snprintf(name, cap, "%s", e->path + dl + 1);
		*d_type = e->kind == VFS_DIR ? DT_DIR : e->kind == VFS_CHR ? DT_CHR :
			  e->kind == VFS_LINK ? DT_LNK : DT_REG;
		*ino = hash_ino(e->path);
		found = true;
	}
	pthread_mutex_unlock(&tree_lock);
	return found;
}

/* ---- stat ---------------------------------------------------------------- */

void vfs_fill_stat(const struct vfs_node *node, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = node->dev;
	st->st_ino = node->ino;
	st->st_mode = node->mode;
	st->st_nlink = S_ISDIR(node->mode) ? 2 : 1;
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_blksize = 4096;
	st->st_atim = st->st_mtim = st->st_ctim = build_time;
	switch (node->kind) {
	case VFS_CHR:
		st->st_rdev = makedev(DRM_MAJOR, node->minor);
		st->st_gid = render_gid;
		break;
	case VFS_FILE:
		st->st_size = 4096;  /* sysfs reports a page for every attribute */
		break;
	case VFS_LINK:
		st->st_size = (off_t)strlen(node->text);
		break;
	default:
		break;
	}
}

void vfs_fill_node_fd_stat(int minor, struct stat *st)
{
	struct vfs_node n;
	vfs_lookup(minor == VGPU_MINOR_RENDER ? "/dev/dri/renderD128" : "/dev/dri/card0",
		   VFS_FOLLOW, &n);
	if (n.kind != VFS_CHR) {
		/* The profile changed under an open fd: still a DRM node. */
		n.kind = VFS_CHR;
		n.minor = minor;
		n.mode = S_IFCHR | 0666;
	}
	vfs_fill_stat(&n, st);
}

void vfs_fill_statx(const struct vfs_node *node, struct statx *stx)
{
	struct stat st;
	vfs_fill_stat(node, &st);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = (uint64_t)st.st_size;
	stx->stx_blocks = (uint64_t)st.st_blocks;
	stx->stx_atime.tv_sec = st.st_atim.tv_sec;
	stx->stx_atime.tv_nsec = (uint32_t)st.st_atim.tv_nsec;
	stx->stx_mtime = stx->stx_ctime = stx->stx_atime;
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
}
