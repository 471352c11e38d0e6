/*
 * Explaining why a DRM node could not be opened.  The usual cause on a
 * desktop distribution is a user missing from the group that owns the render
 * node ("render" on Debian/Ubuntu/Fedora), which is worth spelling out.
 */
#include "device_enum.h"
#include "error.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int ab_open_error(const char *node, int err)
{
	if (err == EACCES || err == EPERM) {
		struct stat st;
		char group[64] = "";
		unsigned mode = 0;
		if (stat(node, &st) == 0) {
			mode = st.st_mode & 07777;
			struct group *gr = getgrgid(st.st_gid);
			if (gr && gr->gr_name)
				snprintf(group, sizeof(group), "\"%s\"", gr->gr_name);
			else
				snprintf(group, sizeof(group), "gid %u (usually \"render\")",
					 (unsigned)st.st_gid);
		} else {
			snprintf(group, sizeof(group), "(unknown; usually \"render\")");
		}
		const char *name = group;
		/* The fix names the group itself when we know it. */
		char fix_group[64];
		if (group[0] == '"') {
			snprintf(fix_group, sizeof(fix_group), "%.*s", (int)strlen(group) - 2, group + 1);
		} else {
			snprintf(fix_group, sizeof(fix_group), "render");
		}
		return ab_set_error(err,
				    "cannot open %s: %s. The node is owned by group %s (mode %04o) and "
				    "this user may not open it: run `sudo usermod -aG %s $USER`, then "
				    "log out and in again",
				    node, strerror(err), name, mode, fix_group);
	}
	if (err == ENOENT)
		return ab_set_error(err, "cannot open %s: %s (no such DRM node)", node, strerror(err));
	return ab_set_error(err, "cannot open %s: %s", node, strerror(err));
}
