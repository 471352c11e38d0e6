/*
 * The ELF side of the code-object loader: header identity, LOAD segments,
 * the metadata note, symbols and dynamic relocations.
 *
 * libelf reads the structures, but every offset and size is checked here
 * against the image before anything is read through it: a code object is
 * input, and a hostile one must fail with a message, not crash.
 */
#include "internal.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef EM_AMDGPU
#define EM_AMDGPU 224
#endif

/* [off, off+len) inside [0, size), without overflow. */
static bool in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int check_ident(amdbare_codeobj *co)
{
	const uint8_t *id = co->image;
	if (co->size < sizeof(Elf64_Ehdr) || memcmp(id, ELFMAG, SELFMAG) != 0)
		return ab_set_error(ENOEXEC, "%s: not an ELF file (%zu bytes)", co->source, co->size);
	if (id[EI_CLASS] != ELFCLASS64 || id[EI_DATA] != ELFDATA2LSB)
		return ab_set_error(ENOEXEC, "%s: not a 64-bit little-endian ELF (class %u, data %u)",
				    co->source, id[EI_CLASS], id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return ab_set_error(ENOEXEC, "%s: ELF ident version %u", co->source, id[EI_VERSION]);
	if (id[EI_OSABI] != AB_ELFOSABI_AMDGPU_HSA)
		return ab_set_error(ENOEXEC, "%s: OS ABI %u is not AMDGPU HSA (%u)", co->source,
				    id[EI_OSABI], AB_ELFOSABI_AMDGPU_HSA);
	switch (id[EI_ABIVERSION]) {
	case AB_ABIVERSION_V4: co->version = 4; break;
	case AB_ABIVERSION_V5: co->version = 5; break;
	case AB_ABIVERSION_V6: co->version = 6; break;
	default:
		return ab_set_error(ENOEXEC, "%s: ABI version %u is not code object v4, v5 or v6 "
				    "(2, 3, 4); rebuild with -mcode-object-version=5",
				    co->source, id[EI_ABIVERSION]);
	}
	co->abi_version = id[EI_ABIVERSION];
	return 0;
}

static int check_header(amdbare_codeobj *co, ab_elf_view *v)
{
	GElf_Ehdr *h = &v->ehdr;
	if (h->e_machine != EM_AMDGPU)
		return ab_set_error(ENOEXEC, "%s: e_machine %u is not EM_AMDGPU (%u)", co->source,
				    h->e_machine, EM_AMDGPU);
	if (h->e_type == ET_REL)
		return ab_set_error(ENOEXEC, "%s: a relocatable object (ET_REL); link it first "
				    "with ld.lld -shared", co->source);
	if (h->e_type != ET_DYN)
		return ab_set_error(ENOEXEC, "%s: e_type %u is not ET_DYN", co->source, h->e_type);
	if (h->e_version != EV_CURRENT)
		return ab_set_error(EINVAL, "%s: e_version %u", co->source, h->e_version);

	co->e_flags = h->e_flags;
	uint32_t mach = h->e_flags & AB_EF_MACH_MASK;
	const char *name = ab_codeobj_mach_name(mach);
	if (!name)
		return ab_set_error(EINVAL, "%s: unknown processor 0x%03x in e_flags 0x%x",
				    co->source, mach, h->e_flags);
	uint32_t generic = h->e_flags >> AB_EF_GENERIC_VERSION_SHIFT;
	bool is_generic = strstr(name, "-generic") != NULL;
	if (is_generic && (co->version < 6 || generic == 0))
		return ab_set_error(EINVAL, "%s: generic target %s needs code object v6 and a "
				    "generic version (have v%u, generic version %u)",
				    co->source, name, co->version, generic);
	if (!is_generic && generic != 0)
		return ab_set_error(EINVAL, "%s: generic version %u on the non-generic target %s",
				    co->source, generic, name);
	uint32_t known = AB_EF_MACH_MASK | AB_EF_XNACK_MASK | AB_EF_SRAMECC_MASK |
			 (0xffu << AB_EF_GENERIC_VERSION_SHIFT);
	if (h->e_flags & ~known)
		return ab_set_error(EINVAL, "%s: unknown bits 0x%x in e_flags 0x%x", co->source,
				    h->e_flags & ~known, h->e_flags);
	snprintf(co->processor, sizeof(co->processor), "%s", name);
	co->xnack_on = (h->e_flags & AB_EF_XNACK_MASK) == 0x300;
	co->sramecc_on = (h->e_flags & AB_EF_SRAMECC_MASK) == 0xc00;
	/* The target id in the form amdhsa.target uses: features appear only
	 * when the object sets them on or off ("any" and "unsupported" are
	 * left out), sramecc before xnack as LLVM orders them. */
	static const char *const onoff[4] = { "", "", "-", "+" };
	uint32_t sr = (h->e_flags & AB_EF_SRAMECC_MASK) >> 10;
	uint32_t xn = (h->e_flags & AB_EF_XNACK_MASK) >> 8;
	snprintf(co->target, sizeof(co->target), "amdgcn-amd-amdhsa--%s%s%s%s%s", name,
		 sr >= 2 ? ":sramecc" : "", onoff[sr], xn >= 2 ? ":xnack" : "", onoff[xn]);
	return 0;
}

static int read_segments(amdbare_codeobj *co, ab_elf_view *v)
{
	size_t n;
	if (elf_getphdrnum(v->elf, &n) != 0)
		return ab_set_error(EINVAL, "%s: bad program header table: %s", co->source,
				    elf_errmsg(-1));
	if (n == 0)
		return ab_set_error(EINVAL, "%s: no program headers (not a linked code object)",
				    co->source);
	if (v->ehdr.e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_bounds(v->ehdr.e_phoff, (uint64_t)n * sizeof(Elf64_Phdr), co->size))
		return ab_set_error(EINVAL, "%s: program header table (%zu entries at offset %llu) "
				    "outside the file", co->source, n,
				    (unsigned long long)v->ehdr.e_phoff);
	bool have_exec = false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(v->elf, (int)i, &ph))
			return ab_set_error(EINVAL, "%s: program header %zu: %s", co->source, i,
					    elf_errmsg(-1));
		if (ph.p_type == PT_NOTE) {
			if (!in_bounds(ph.p_offset, ph.p_filesz, co->size))
				return ab_set_error(EINVAL, "%s: PT_NOTE %zu (offset %llu, %llu bytes) "
						    "outside the file", co->source, i,
						    (unsigned long long)ph.p_offset,
						    (unsigned long long)ph.p_filesz);
			continue;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (co->n_segments == AB_CODEOBJ_MAX_SEGMENTS)
			return ab_set_error(EINVAL, "%s: more than %d LOAD segments", co->source,
					    AB_CODEOBJ_MAX_SEGMENTS);
		if (!in_bounds(ph.p_offset, ph.p_filesz, co->size) || ph.p_filesz > ph.p_memsz ||
		    ph.p_memsz > AB_CODEOBJ_MAX_SIZE || ph.p_vaddr > AB_CODEOBJ_MAX_SIZE ||
		    ph.p_vaddr + ph.p_memsz > AB_CODEOBJ_MAX_SIZE)
			return ab_set_error(EINVAL, "%s: LOAD segment %zu (offset %llu, file %llu, "
					    "vaddr 0x%llx, mem %llu) is outside the file or larger "
					    "than %u MiB", co->source, i,
					    (unsigned long long)ph.p_offset,
					    (unsigned long long)ph.p_filesz,
					    (unsigned long long)ph.p_vaddr,
					    (unsigned long long)ph.p_memsz, AB_CODEOBJ_MAX_SIZE >> 20);
		ab_segment s = { ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz, ph.p_flags };
		for (uint32_t j = 0; j < co->n_segments; j++) {
			const ab_segment *o = &co->segments[j];
			if (s.memsz && o->memsz && s.vaddr < o->vaddr + o->memsz &&
			    o->vaddr < s.vaddr + s.memsz)
				return ab_set_error(EINVAL, "%s: LOAD segment %zu (vaddr 0x%llx) "
						    "overlaps another (vaddr 0x%llx)", co->source, i,
						    (unsigned long long)s.vaddr,
						    (unsigned long long)o->vaddr);
		}
		co->segments[co->n_segments++] = s;
		if (s.vaddr + s.memsz > co->image_span)
			co->image_span = s.vaddr + s.memsz;
		if ((s.flags & PF_X) && s.filesz)
			have_exec = true;
	}
	if (!have_exec)
		return ab_set_error(EINVAL, "%s: no executable LOAD segment", co->source);
	return 0;
}

/* Walks the notes of one PT_NOTE segment for NT_AMDGPU_METADATA. */
static int scan_notes(amdbare_codeobj *co, ab_elf_view *v, uint64_t off, uint64_t len)
{
	uint64_t pos = 0;
	while (len - pos >= 12) {
		uint32_t namesz, descsz, type;
		const uint8_t *p = co->image + off + pos;
		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		uint64_t name_pad = ((uint64_t)namesz + 3) & ~3ull;
		uint64_t desc_pad = ((uint64_t)descsz + 3) & ~3ull;
		uint64_t at = off + pos;
		if (name_pad > len - pos - 12 || desc_pad > len - pos - 12 - name_pad)
			return ab_set_error(EINVAL, "%s: note at offset %llu (name %u, desc %u bytes) "
					    "runs past its segment", co->source,
					    (unsigned long long)at, namesz, descsz);
		const char *name = (const char *)p + 12;
		if (namesz == 7 && memcmp(name, "AMDGPU", 7) == 0 && type == AB_NT_AMDGPU_METADATA) {
			if (v->note_desc)
				return ab_set_error(EINVAL, "%s: a second NT_AMDGPU_METADATA note at "
						    "offset %llu", co->source, (unsigned long long)at);
			v->note_desc = p + 12 + name_pad;
			v->note_size = descsz;
			v->note_offset = (size_t)(at + 12 + name_pad);
		}
		pos += 12 + name_pad + desc_pad;
	}
	return 0;
}

static int find_notes(amdbare_codeobj *co, ab_elf_view *v)
{
	size_t n;
	if (elf_getphdrnum(v->elf, &n) != 0)
		return ab_set_error(EINVAL, "%s: %s", co->source, elf_errmsg(-1));
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(v->elf, (int)i, &ph))
			return ab_set_error(EINVAL, "%s: program header %zu: %s", co->source, i,
					    elf_errmsg(-1));
		if (ph.p_type != PT_NOTE)
			continue;
		int r = scan_notes(co, v, ph.p_offset, ph.p_filesz);
		if (r)
			return r;
	}
	if (!v->note_desc)
		return ab_set_error(EINVAL, "%s: no NT_AMDGPU_METADATA note (code object v3+ "
				    "metadata is required)", co->source);
	if (v->note_size == 0)
		return ab_set_error(EINVAL, "%s: empty NT_AMDGPU_METADATA note at offset %zu",
				    co->source, v->note_offset);
	return 0;
}

/* Section headers: bounds of every section with file bytes, and the
 * symbol table to use. */
static int read_sections(amdbare_codeobj *co, ab_elf_view *v)
{
	if (elf_getshdrnum(v->elf, &v->n_sections) != 0)
		return ab_set_error(EINVAL, "%s: bad section header table: %s", co->source,
				    elf_errmsg(-1));
	if (v->n_sections > 0 && (v->ehdr.e_shentsize != sizeof(Elf64_Shdr) ||
				  !in_bounds(v->ehdr.e_shoff,
					     (uint64_t)v->n_sections * sizeof(Elf64_Shdr), co->size)))
		return ab_set_error(EINVAL, "%s: section header table (%zu entries at offset %llu) "
				    "outside the file", co->source, v->n_sections,
				    (unsigned long long)v->ehdr.e_shoff);
	Elf_Scn *dynsym = NULL;
	for (size_t i = 1; i < v->n_sections; i++) {
		Elf_Scn *scn = elf_getscn(v->elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return ab_set_error(EINVAL, "%s: section %zu: %s", co->source, i, elf_errmsg(-1));
		if (sh.sh_type != SHT_NOBITS && !in_bounds(sh.sh_offset, sh.sh_size, co->size))
			return ab_set_error(EINVAL, "%s: section %zu (offset %llu, %llu bytes) outside "
					    "the file", co->source, i, (unsigned long long)sh.sh_offset,
					    (unsigned long long)sh.sh_size);
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM ||
		    sh.sh_type == SHT_RELA) {
			uint64_t es = sh.sh_type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Sym);
			if (sh.sh_entsize != es || sh.sh_size % es)
				return ab_set_error(EINVAL, "%s: section %zu: entry size %llu, size %llu "
						    "(expected multiples of %llu)", co->source, i,
						    (unsigned long long)sh.sh_entsize,
						    (unsigned long long)sh.sh_size,
						    (unsigned long long)es);
			if (sh.sh_link == 0 || sh.sh_link >= v->n_sections)
				return ab_set_error(EINVAL, "%s: section %zu links to section %u, "
						    "which does not exist", co->source, i, sh.sh_link);
			GElf_Shdr link;
			Elf_Scn *ls = elf_getscn(v->elf, sh.sh_link);
			uint32_t want = sh.sh_type == SHT_RELA ? 0 : SHT_STRTAB;
			if (!ls || !gelf_getshdr(ls, &link) ||
			    (want ? link.sh_type != want
				  : link.sh_type != SHT_DYNSYM && link.sh_type != SHT_SYMTAB))
				return ab_set_error(EINVAL, "%s: section %zu links to section %u of the "
						    "wrong type", co->source, i, sh.sh_link);
		}
		if (sh.sh_type == SHT_SYMTAB)
			v->symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dynsym = scn;
		else if (sh.sh_type == SHT_REL && sh.sh_size)
			return ab_set_error(EINVAL, "%s: section %zu has REL relocations; AMDGPU uses "
					    "RELA only", co->source, i);
	}
	if (!v->symtab)
		v->symtab = dynsym;
	if (!v->symtab)
		return ab_set_error(EINVAL, "%s: no symbol table (.symtab or .dynsym)", co->source);
	return 0;
}

int ab_codeobj_read_elf(amdbare_codeobj *co, ab_elf_view *v)
{
	int r = check_ident(co);
	if (r)
		return r;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return ab_set_error(ENOSYS, "libelf: %s", elf_errmsg(-1));
	v->elf = elf_memory((char *)co->image, co->size);
	if (!v->elf || elf_kind(v->elf) != ELF_K_ELF || !gelf_getehdr(v->elf, &v->ehdr))
		return ab_set_error(EINVAL, "%s: libelf cannot read it: %s", co->source,
				    elf_errmsg(-1));
	if ((r = check_header(co, v)) || (r = read_segments(co, v)) ||
	    (r = find_notes(co, v)) || (r = read_sections(co, v)))
		return r;
	return 0;
}

const uint8_t *ab_codeobj_at_vaddr(const amdbare_codeobj *co, uint64_t vaddr, uint64_t len,
				   bool exec)
{
	for (uint32_t i = 0; i < co->n_segments; i++) {
		const ab_segment *s = &co->segments[i];
		if (vaddr < s->vaddr || !in_bounds(vaddr - s->vaddr, len, s->filesz))
			continue;
		if (exec && !(s->flags & PF_X))
			return NULL;
		return co->image + s->offset + (vaddr - s->vaddr);
	}
	return NULL;
}

int ab_codeobj_find_kd_symbol(amdbare_codeobj *co, ab_elf_view *v, const char *name,
			      uint64_t *vaddr)
{
	GElf_Shdr sh;
	Elf_Data *d;
	if (!gelf_getshdr(v->symtab, &sh) || !(d = elf_getdata(v->symtab, NULL)))
		return ab_set_error(EINVAL, "%s: cannot read the symbol table: %s", co->source,
				    elf_errmsg(-1));
	size_t n = d->d_size / sizeof(Elf64_Sym);
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(d, (int)i, &sym))
			return ab_set_error(EINVAL, "%s: symbol %zu: %s", co->source, i, elf_errmsg(-1));
		const char *s = elf_strptr(v->elf, sh.sh_link, sym.st_name);
		if (!s || strcmp(s, name) != 0)
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_size != AB_KD_SIZE ||
		    sym.st_shndx == SHN_UNDEF)
			return ab_set_error(EINVAL, "%s: symbol %s is not a defined 64-byte object "
					    "(type %u, size %llu, section %u)", co->source, name,
					    GELF_ST_TYPE(sym.st_info), (unsigned long long)sym.st_size,
					    sym.st_shndx);
		*vaddr = sym.st_value;
		return 0;
	}
	return -ENOENT;
}

static int read_rela_section(amdbare_codeobj *co, ab_elf_view *v, Elf_Scn *scn,
			     const GElf_Shdr *sh, size_t idx)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	Elf_Scn *symscn = elf_getscn(v->elf, sh->sh_link);
	GElf_Shdr symsh;
	Elf_Data *sd;
	if (!d || !symscn || !gelf_getshdr(symscn, &symsh) || !(sd = elf_getdata(symscn, NULL)))
		return ab_set_error(EINVAL, "%s: relocation section %zu: %s", co->source, idx,
				    elf_errmsg(-1));
	size_t n = d->d_size / sizeof(Elf64_Rela);
	size_t nsyms = sd->d_size / sizeof(Elf64_Sym);
	if (n > AB_CODEOBJ_MAX_RELOCS - co->n_relocs)
		return ab_set_error(EINVAL, "%s: more than %d relocations", co->source,
				    AB_CODEOBJ_MAX_RELOCS);
	ab_reloc *nr = realloc(co->relocs, (co->n_relocs + n + 1) * sizeof(*nr));
	if (!nr)
		return ab_set_error(ENOMEM, "%s: out of memory for %zu relocations", co->source, n);
	co->relocs = nr;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela ra;
		if (!gelf_getrela(d, (int)i, &ra))
			return ab_set_error(EINVAL, "%s: relocation %zu of section %zu: %s",
					    co->source, i, idx, elf_errmsg(-1));
		ab_reloc *rl = &co->relocs[co->n_relocs];
		memset(rl, 0, sizeof(*rl));
		rl->offset = ra.r_offset;
		rl->type = (uint32_t)GELF_R_TYPE(ra.r_info);
		rl->addend = ra.r_addend;
		size_t si = GELF_R_SYM(ra.r_info);
		uint64_t patch = rl->type == AB_R_AMDGPU_NONE ? 0 : 8;
		if (rl->type != AB_R_AMDGPU_NONE && rl->type != AB_R_AMDGPU_RELATIVE64 &&
		    rl->type != AB_R_AMDGPU_ABS64)
			return ab_set_error(ENOTSUP, "%s: relocation %zu of section %zu at vaddr "
					    "0x%llx has type %u; only R_AMDGPU_NONE, _ABS64 and "
					    "_RELATIVE64 are supported", co->source, i, idx,
					    (unsigned long long)ra.r_offset, rl->type);
		bool inside = false;
		for (uint32_t s = 0; s < co->n_segments && patch; s++)
			if (rl->offset >= co->segments[s].vaddr &&
			    in_bounds(rl->offset - co->segments[s].vaddr, patch, co->segments[s].memsz))
				inside = true;
		if (patch && !inside)
			return ab_set_error(EINVAL, "%s: relocation %zu of section %zu patches vaddr "
					    "0x%llx, outside every LOAD segment", co->source, i, idx,
					    (unsigned long long)ra.r_offset);
		if (si) {
			GElf_Sym sym;
			if (si >= nsyms || !gelf_getsym(sd, (int)si, &sym))
				return ab_set_error(EINVAL, "%s: relocation %zu of section %zu names "
						    "symbol %zu of %zu", co->source, i, idx, si, nsyms);
			const char *name = elf_strptr(v->elf, symsh.sh_link, sym.st_name);
			snprintf(rl->sym_name, sizeof(rl->sym_name), "%s", name ? name : "?");
			rl->sym_defined = sym.st_shndx != SHN_UNDEF;
			rl->sym_value = sym.st_value;
			if (rl->type == AB_R_AMDGPU_ABS64 && !rl->sym_defined)
				return ab_set_error(ENOTSUP, "%s: relocation %zu at vaddr 0x%llx needs "
						    "the undefined symbol %s (no dynamic linking)",
						    co->source, i, (unsigned long long)ra.r_offset,
						    rl->sym_name);
		} else if (rl->type == AB_R_AMDGPU_ABS64) {
			rl->sym_defined = true; /* S = 0: absolute addend */
		}
		co->n_relocs++;
	}
	return 0;
}

int ab_codeobj_read_relocs(amdbare_codeobj *co, ab_elf_view *v)
{
	for (size_t i = 1; i < v->n_sections; i++) {
		Elf_Scn *scn = elf_getscn(v->elf, i);
		GElf_Shdr sh;
		if (!scn || !gelf_getshdr(scn, &sh))
			return ab_set_error(EINVAL, "%s: section %zu: %s", co->source, i, elf_errmsg(-1));
		/* Only the dynamic relocations the loader must apply;
		 * non-allocated RELA sections (--emit-relocs) are the linker's
		 * record, already resolved. */
		if (sh.sh_type != SHT_RELA || !(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0)
			continue;
		int r = read_rela_section(co, v, scn, &sh, i);
		if (r)
			return r;
	}
	return 0;
}
