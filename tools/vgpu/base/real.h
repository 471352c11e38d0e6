/*
 * The real libc entry points behind the vgpu's interposers, beyond the
 * vgpu_real_* set the device model uses (base/vgpu_device.h).  Each is resolved
 * once with dlsym(RTLD_NEXT) so the vgpu never calls itself; when a symbol is
 * missing (a libc without it) the raw system call stands in where one exists.
 */
#ifndef VGPU_REAL_H
#define VGPU_REAL_H

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

/* base/vgpu_device.h uses struct stat without including <sys/stat.h> */
#include "vgpu_device.h"

/* Marks the libc entry points the vgpu replaces: the build hides every
 * other symbol (-fvisibility=hidden). */
#define VGPU_INTERPOSE __attribute__((visibility("default")))

/* Entry points glibc exports but declares only under _FORTIFY_SOURCE or not
 * at all any more (the __xstat family predates glibc 2.33). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
			 size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);
void __chk_fail(void) __attribute__((noreturn));

int real_openat(int dirfd, const char *path, int flags, mode_t mode);
FILE *real_fopen(const char *path, const char *mode);
int real_stat(const char *path, struct stat *st);
int real_lstat(const char *path, struct stat *st);
int real_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int real_statx(int dirfd, const char *path, int flags, unsigned int mask,
	       struct statx *stx);
int real_faccessat(int dirfd, const char *path, int mode, int flags);
int real_access(const char *path, int mode);
int real_euidaccess(const char *path, int mode);
DIR *real_opendir(const char *path);
struct dirent *real_readdir(DIR *dir);
int real_closedir(DIR *dir);
void real_rewinddir(DIR *dir);
int real_scandir(const char *path, struct dirent ***list,
		 int (*filter)(const struct dirent *),
		 int (*compar)(const struct dirent **, const struct dirent **));
ssize_t real_readlinkat(int dirfd, const char *path, char *buf, size_t len);
char *real_realpath(const char *path, char *resolved);
int real_dup(int fd);
int real_dup2(int oldfd, int newfd);
int real_dup3(int oldfd, int newfd, int flags);
int real_close_range(unsigned int first, unsigned int last, int flags);
void *real_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr);
int real_fcntl_ptr(int fd, int cmd, void *arg);
ssize_t real_getxattr(const char *path, const char *name, void *value, size_t size);
ssize_t real_lgetxattr(const char *path, const char *name, void *value, size_t size);
ssize_t real_listxattr(const char *path, char *list, size_t size);
ssize_t real_llistxattr(const char *path, char *list, size_t size);

#endif /* VGPU_REAL_H */
