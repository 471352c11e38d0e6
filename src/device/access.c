/*
 * Explaining why a DRM node could not be opened.  The usual cause on a
 * desktop distribution is a user missing from the group that owns the render
 * node ("render" on Debian/Ubuntu/Fedora, set by udev), which is worth
 * spelling out with the fix.
 */
#include "enum.h"
#include "util/error.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Permission problem: name the owning group and how to join it.  A node
 * owned by root's group (no udev rule applied, or a container) must not
 * lead to "join group root": then the fix is the usual render group. */
static int access_error(const char *node, int err)
{
	struct stat st;
	if (stat(node, &st) != 0)
		return ab_set_error(err,
				    "cannot open %s: %s. The render node is normally owned by group "
				    "\"render\": run `sudo usermod -aG render $USER`, then log out and "
				    "in again", node, strerror(err));
	const struct group *gr = getgrgid(st.st_gid);
	unsigned mode = (unsigned)(st.st_mode & 07777);
	if (gr && gr->gr_name && st.st_gid != 0)
		return ab_set_error(err,
				    "cannot open %s: %s. The node belongs to group \"%s\" (mode %04o) "
				    "and this user is not allowed to open it: run `sudo usermod -aG %s "
				    "$USER`, then log out and in again", node, strerror(err),
				    gr->gr_name, mode, gr->gr_name);
	return ab_set_error(err,
			    "cannot open %s: %s. The node belongs to %s%s%s (gid %u, mode %04o), "
			    "not to the usual group \"render\": check the udev rules (or the "
			    "container's device permissions), then run `sudo usermod -aG render "
			    "$USER` and log out and in again", node, strerror(err),
			    gr && gr->gr_name ? "group \"" : "an unnamed group",
			    gr && gr->gr_name ? gr->gr_name : "", gr && gr->gr_name ? "\"" : "",
			    (unsigned)st.st_gid, mode);
}

int ab_open_error(const char *node, int err)
{
	if (err == EACCES || err == EPERM)
		return access_error(node, err);
	if (err == ENOENT)
		return ab_set_error(err, "cannot open %s: %s (no such DRM node)", node, strerror(err));
	return ab_set_error(err, "cannot open %s: %s", node, strerror(err));
}
