/*
 * dlsym(RTLD_NEXT) lookups of the libc functions the vgpu interposes.
 *
 * Every pointer is resolved on first use, not in a constructor: other
 * libraries' constructors (and the sanitizer runtimes) may call open() or
 * stat() before ours has run.  Two threads racing on the first call both
 * store the same pointer, so a relaxed atomic is enough.  If a symbol is
 * missing, the raw system call stands in where one exists.
 */
#include "real.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static void *resolve(_Atomic(void *) *slot, const char *name)
{
	void *p = atomic_load_explicit(slot, memory_order_relaxed);
	if (!p) {
		p = dlsym(RTLD_NEXT, name);
		atomic_store_explicit(slot, p, memory_order_relaxed);
	}
	return p;
}

/* Declares a lazily resolved pointer `fp` of type `type` for `name`. */
#define REAL(type, name) \
	static _Atomic(void *) slot_##name; \
	__typeof__(type) fp = (__typeof__(type))resolve(&slot_##name, #name)

int vgpu_real_open(const char *path, int flags, mode_t mode)
{
	return real_openat(AT_FDCWD, path, flags, mode);
}

int real_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	REAL(int (*)(int, const char *, int, ...), openat);
	if (fp)
		return fp(dirfd, path, flags, mode);
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

int vgpu_real_close(int fd)
{
	REAL(int (*)(int), close);
	if (fp)
		return fp(fd);
	return (int)syscall(SYS_close, fd);
}

int vgpu_real_ioctl(int fd, unsigned long request, void *arg)
{
	REAL(int (*)(int, unsigned long, ...), ioctl);
	if (fp)
		return fp(fd, request, arg);
	return (int)syscall(SYS_ioctl, fd, request, arg);
}

void *vgpu_real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	REAL(void *(*)(void *, size_t, int, int, int, off_t), mmap);
	if (fp)
		return fp(addr, len, prot, flags, fd, off);
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int vgpu_real_munmap(void *addr, size_t len)
{
	REAL(int (*)(void *, size_t), munmap);
	if (fp)
		return fp(addr, len);
	return (int)syscall(SYS_munmap, addr, len);
}

int vgpu_real_fcntl(int fd, int cmd, long arg)
{
	return real_fcntl_ptr(fd, cmd, (void *)arg);
}

int real_fcntl_ptr(int fd, int cmd, void *arg)
{
	REAL(int (*)(int, int, ...), fcntl);
	if (fp)
		return fp(fd, cmd, arg);
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

int vgpu_real_fstat(int fd, struct stat *st)
{
	REAL(int (*)(int, struct stat *), fstat);
	if (fp)
		return fp(fd, st);
	return (int)syscall(SYS_fstat, fd, st);
}

FILE *real_fopen(const char *path, const char *mode)
{
	REAL(FILE *(*)(const char *, const char *), fopen);
	if (!fp) {
		errno = ENOSYS;
		return NULL;
	}
	return fp(path, mode);
}

int real_stat(const char *path, struct stat *st)
{
	return real_fstatat(AT_FDCWD, path, st, 0);
}

int real_lstat(const char *path, struct stat *st)
{
	return real_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int real_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	REAL(int (*)(int, const char *, struct stat *, int), fstatat);
	if (fp)
		return fp(dirfd, path, st, flags);
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
}

int real_statx(int dirfd, const char *path, int flags, unsigned int mask,
	       struct statx *stx)
{
	REAL(int (*)(int, const char *, int, unsigned int, struct statx *), statx);
	if (fp)
		return fp(dirfd, path, flags, mask, stx);
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, stx);
}

int real_faccessat(int dirfd, const char *path, int mode, int flags)
{
	REAL(int (*)(int, const char *, int, int), faccessat);
	if (fp)
		return fp(dirfd, path, mode, flags);
	return (int)syscall(SYS_faccessat, dirfd, path, mode);
}

int real_access(const char *path, int mode)
{
	REAL(int (*)(const char *, int), access);
	if (fp)
		return fp(path, mode);
	return (int)syscall(SYS_access, path, mode);
}

int real_euidaccess(const char *path, int mode)
{
	REAL(int (*)(const char *, int), euidaccess);
	if (fp)
		return fp(path, mode);
	return real_faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

DIR *real_opendir(const char *path)
{
	REAL(DIR *(*)(const char *), opendir);
	if (!fp) {
		errno = ENOSYS;
		return NULL;
	}
	return fp(path);
}

struct dirent *real_readdir(DIR *dir)
{
	REAL(struct dirent *(*)(DIR *), readdir);
	if (!fp) {
		errno = ENOSYS;
		return NULL;
	}
	return fp(dir);
}

int real_closedir(DIR *dir)
{
	REAL(int (*)(DIR *), closedir);
	if (!fp) {
		errno = ENOSYS;
		return -1;
	}
	return fp(dir);
}

void real_rewinddir(DIR *dir)
{
	REAL(void (*)(DIR *), rewinddir);
	if (fp)
		fp(dir);
}

int real_scandir(const char *path, struct dirent ***list,
		 int (*filter)(const struct dirent *),
		 int (*compar)(const struct dirent **, const struct dirent **))
{
	REAL(int (*)(const char *, struct dirent ***, int (*)(const struct dirent *),
		     int (*)(const struct dirent **, const struct dirent **)),
	     scandir);
	if (!fp) {
		errno = ENOSYS;
		return -1;
	}
	return fp(path, list, filter, compar);
}

ssize_t real_readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	REAL(ssize_t (*)(int, const char *, char *, size_t), readlinkat);
	if (fp)
		return fp(dirfd, path, buf, len);
	return syscall(SYS_readlinkat, dirfd, path, buf, len);
}

char *real_realpath(const char *path, char *resolved)
{
	REAL(char *(*)(const char *, char *), realpath);
	if (!fp) {
		errno = ENOSYS;
		return NULL;
	}
	return fp(path, resolved);
}

int real_dup(int fd)
{
	REAL(int (*)(int), dup);
	if (fp)
		return fp(fd);
	return (int)syscall(SYS_dup, fd);
}

int real_dup2(int oldfd, int newfd)
{
	REAL(int (*)(int, int), dup2);
	if (fp)
		return fp(oldfd, newfd);
	return (int)syscall(SYS_dup2, oldfd, newfd);
}

int real_dup3(int oldfd, int newfd, int flags)
{
	REAL(int (*)(int, int, int), dup3);
	if (fp)
		return fp(oldfd, newfd, flags);
	return (int)syscall(SYS_dup3, oldfd, newfd, flags);
}

void *real_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	REAL(void *(*)(void *, size_t, size_t, int, ...), mremap);
	if (fp)
		return fp(old, old_len, new_len, flags, new_addr);
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

int real_close_range(unsigned int first, unsigned int last, int flags)
{
	REAL(int (*)(unsigned int, unsigned int, int), close_range);
	if (fp)
		return fp(first, last, flags);
	return (int)syscall(SYS_close_range, first, last, flags);
}

ssize_t real_getxattr(const char *path, const char *name, void *value, size_t size)
{
	REAL(ssize_t (*)(const char *, const char *, void *, size_t), getxattr);
	if (fp)
		return fp(path, name, value, size);
	return syscall(SYS_getxattr, path, name, value, size);
}

ssize_t real_lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	REAL(ssize_t (*)(const char *, const char *, void *, size_t), lgetxattr);
	if (fp)
		return fp(path, name, value, size);
	return syscall(SYS_lgetxattr, path, name, value, size);
}

ssize_t real_listxattr(const char *path, char *list, size_t size)
{
	REAL(ssize_t (*)(const char *, char *, size_t), listxattr);
	if (fp)
		return fp(path, list, size);
	return syscall(SYS_listxattr, path, list, size);
}

ssize_t real_llistxattr(const char *path, char *list, size_t size)
{
	REAL(ssize_t (*)(const char *, char *, size_t), llistxattr);
	if (fp)
		return fp(path, list, size);
	return syscall(SYS_llistxattr, path, list, size);
}
