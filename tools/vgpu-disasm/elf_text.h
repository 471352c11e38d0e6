/* Minimal ELF64 reader: finds the .text section of a code object. */
#ifndef VGPU_DISASM_ELF_TEXT_H
#define VGPU_DISASM_ELF_TEXT_H

#include <stddef.h>

/* 0 and the section's bytes and address, or -ENOEXEC (not ELF64 LE) /
 * -ENOENT (no .text) / -EOVERFLOW (a header points outside the file). */
int elf_text_section(const unsigned char *file, size_t size,
		     const unsigned char **text, size_t *text_size,
		     unsigned long long *addr);

#endif
