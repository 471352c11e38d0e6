/* ELF64 section lookup by hand (the vgpu does not use libelf): header →
 * section header table → section-name string table → ".text". */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "elf_text.h"

static uint64_t rd(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

int elf_text_section(const unsigned char *f, size_t size,
		     const unsigned char **text, size_t *text_size,
		     unsigned long long *addr)
{
	if (size < 64 || memcmp(f, "\177ELF", 4) || f[4] != 2 || f[5] != 1)
		return -ENOEXEC;
	uint64_t shoff = rd(f + 40, 8);
	unsigned shentsize = (unsigned)rd(f + 58, 2), shnum = (unsigned)rd(f + 60, 2);
	unsigned shstrndx = (unsigned)rd(f + 62, 2);
	if (shentsize < 64 || shstrndx >= shnum || shoff > size ||
	    (uint64_t)shnum * shentsize > size - shoff)
		return -EOVERFLOW;
	const unsigned char *strsh = f + shoff + (uint64_t)shstrndx * shentsize;
	uint64_t stroff = rd(strsh + 24, 8), strsize = rd(strsh + 32, 8);
	if (stroff > size || strsize > size - stroff)
		return -EOVERFLOW;
	for (unsigned i = 0; i < shnum; i++) {
		const unsigned char *sh = f + shoff + (uint64_t)i * shentsize;
		uint64_t name = rd(sh, 4);
		if (name >= strsize || strsize - name < 6 ||
		    memcmp(f + stroff + name, ".text", 6))
			continue;
		uint64_t off = rd(sh + 24, 8), sz = rd(sh + 32, 8);
		if (off > size || sz > size - off)
			return -EOVERFLOW;
		*text = f + off;
		*text_size = (size_t)sz;
		*addr = rd(sh + 16, 8);
		return 0;
	}
	return -ENOENT;
}
