/*
 * Code-object loader internals shared by the files of codeobj/.
 *
 * Loading copies the caller's bytes into `image`, opens it with libelf's
 * elf_memory, and fills the structure below; after a successful load the
 * ELF handle is closed again: everything later calls need (segments,
 * relocations, kernels) has been validated and copied out.
 */
#ifndef AB_CODEOBJ_INTERNAL_H
#define AB_CODEOBJ_INTERNAL_H

#include "amdbare.h"
#include "msgpack.h"

#include <gelf.h>
#include <stdint.h>

/* AMDGPU ELF constants (AMDGPUUsage "ELF Code Object"). */
#define AB_ELFOSABI_AMDGPU_HSA 64
#define AB_ABIVERSION_V4 2
#define AB_ABIVERSION_V5 3
#define AB_ABIVERSION_V6 4
#define AB_EF_MACH_MASK 0xffu
#define AB_EF_XNACK_MASK 0x300u
#define AB_EF_SRAMECC_MASK 0xc00u
#define AB_EF_GENERIC_VERSION_SHIFT 24
#define AB_NT_AMDGPU_METADATA 32
#define AB_R_AMDGPU_NONE 0
#define AB_R_AMDGPU_ABS64 3
#define AB_R_AMDGPU_RELATIVE64 13

#define AB_KD_SIZE 64
#define AB_KD_ALIGN 64
#define AB_ENTRY_ALIGN 256
/* Bounds that keep a hostile object from asking for absurd work. */
#define AB_CODEOBJ_MAX_SIZE (256u << 20)
#define AB_CODEOBJ_MAX_KERNELS 4096
#define AB_CODEOBJ_MAX_ARGS 1024          /* per kernel */
#define AB_CODEOBJ_MAX_TOTAL_ARGS 16384   /* bounds the O(n^2) overlap check */
#define AB_CODEOBJ_MAX_RELOCS 65536
#define AB_CODEOBJ_MAX_SEGMENTS 64

typedef struct ab_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags;               /* PF_* */
} ab_segment;

typedef struct ab_reloc {
	uint64_t offset;              /* vaddr patched */
	uint32_t type;
	bool sym_defined;
	uint64_t sym_value;
	int64_t addend;
	char sym_name[64];
} ab_reloc;

struct amdbare_codeobj {
	char source[256];             /* path, or "<memory>" */
	uint8_t *image;
	size_t size;
	uint32_t e_flags, abi_version, version;
	char processor[32];           /* "gfx1103", "gfx11-generic" */
	char target[96];              /* "amdgcn-amd-amdhsa--gfx1103" */
	bool xnack_on, sramecc_on;

	ab_segment segments[AB_CODEOBJ_MAX_SEGMENTS];
	uint32_t n_segments;
	uint64_t image_span;          /* highest vaddr+memsz of the LOAD segments */

	ab_reloc *relocs;
	uint32_t n_relocs;

	amdbare_kernel_info *kernels;
	uint32_t n_kernels;
	/* NUL-terminated copies of metadata strings.  Sized once from the
	 * note (a msgpack string of L bytes takes at least L+1 note bytes),
	 * so it never moves and pointers into it stay valid. */
	char *strings;
	size_t strings_len, strings_cap;
	amdbare_kernel_arg *args;     /* all kernels' args, one block */
	uint32_t n_args;
};

/* codeobj/elf.c: ELF header, segments, symbols, notes, relocations. */
typedef struct ab_elf_view {
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t n_sections;
	Elf_Scn *symtab;              /* .symtab, else .dynsym */
	const uint8_t *note_desc;     /* NT_AMDGPU_METADATA descriptor */
	size_t note_size;
	size_t note_offset;           /* file offset of note_desc */
} ab_elf_view;

int ab_codeobj_read_elf(amdbare_codeobj *co, ab_elf_view *v);
/* The symbol's value by name; -ENOENT when absent, -EINVAL when it is not
 * an object of size 64. */
int ab_codeobj_find_kd_symbol(amdbare_codeobj *co, ab_elf_view *v, const char *name,
			      uint64_t *vaddr);
/* File bytes at vaddr..vaddr+len if wholly inside one LOAD segment's file
 * part (and executable when `exec`); NULL otherwise. */
const uint8_t *ab_codeobj_at_vaddr(const amdbare_codeobj *co, uint64_t vaddr,
				   uint64_t len, bool exec);
int ab_codeobj_read_relocs(amdbare_codeobj *co, ab_elf_view *v);

/* codeobj/target.c */
const char *ab_codeobj_mach_name(uint32_t mach);
bool ab_codeobj_generic_covers(const char *generic, const char *processor);

/* codeobj/metadata.c: amdhsa.* from the note into co->kernels. */
int ab_codeobj_parse_metadata(amdbare_codeobj *co, const ab_elf_view *v);
/* A NUL-terminated copy of a msgpack string node in co->strings. */
const char *ab_codeobj_intern(amdbare_codeobj *co, const ab_mp_node *n);

/* codeobj/descriptor.c: the 64-byte kernel descriptor of kernel k. */
int ab_codeobj_read_descriptor(amdbare_codeobj *co, ab_elf_view *v, amdbare_kernel_info *k);
/* Metadata against descriptor: sizes agree, args in bounds, no overlap. */
int ab_codeobj_check_kernel(const amdbare_codeobj *co, const amdbare_kernel_info *k);

#endif
