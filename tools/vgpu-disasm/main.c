/* vgpu-disasm: the vgpu's decoder as a disassembler, so tests can hold
 * it against llvm-objdump-19.
 *   vgpu-disasm [--mcpu=gfxNNNN] FILE [--raw] [--offset N]
 *   vgpu-disasm [--mcpu=gfxNNNN] --lines
 * --mcpu picks the ISA generation: gfx11xx (the default, gfx1100) or
 * gfx1030..gfx1036 (gfx10.3, what llvm-objdump-19 --mcpu=gfx1030 prints)
 * or gfx900, gfx902, gfx909, gfx90c (gfx9, as llvm-objdump-19 --mcpu=gfx900
 * prints it), gfx906 (gfx9 with gfx906's opcodes) and gfx90a (gfx9 with
 * gfx90a's opcodes; no MFMA, no AccVGPR forms), always wave64;
 * --wave64 prints lane masks as SGPR pairs (-mattr=+wavefrontsize64);
 * --wave32 (the default for gfx10.3/gfx11) is refused for gfx9.
 * FILE is an ELF64 code object (its .text is disassembled) or, with --raw,
 * plain instruction words.  Prints "<byte offset hex>: <hex words> <text>";
 * an unknown encoding prints "<illegal encoding 0x...>" and the exit status
 * is then 1.
 * --lines reads lines of comma-separated bytes ("0x01,0x05,0x0a,0x06", the
 * form of LLVM's MC disassembler tests) from stdin and prints one line per
 * input line: the text of the instruction(s) the bytes hold (several
 * joined by " ;; ").  An undecodable dword is skipped as llvm-mc skips it
 * (it warns "invalid instruction encoding" and goes on 4 bytes later), so
 * what follows is decoded on its own; a line with nothing decodable prints
 * "<illegal>", a line that holds no bytes an empty line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/isa.h"
#include "elf_text.h"

static enum isa_gen gen = ISA_GEN_GFX11;
static int wave64, wave32;

static int format(const struct isa_inst *in, char *buf, size_t cap)
{
	return wave64 ? isa_format_wave64(in, buf, cap) : isa_format(in, buf, cap);
}

static int usage(void)
{
	fprintf(stderr, "usage: vgpu-disasm [--mcpu=gfx11xx|gfx103x|gfx90x] [--wave64|--wave32] FILE [--raw] [--offset N] | --lines\n");
	return 2;
}

/* --mcpu=: gfx11xx / gfx115x -> gfx11, gfx1030..gfx1036 -> gfx10.3 */
static int set_mcpu(const char *cpu)
{
	if (!strncmp(cpu, "gfx11", 5) && strlen(cpu) == 7) {
		gen = ISA_GEN_GFX11;
		return 0;
	}
	if (!strncmp(cpu, "gfx103", 6) && strlen(cpu) == 7 && cpu[6] >= '0' && cpu[6] <= '6') {
		gen = ISA_GEN_GFX103;
		return 0;
	}
	/* gfx9: gfx900's tables for the targets llvm-objdump-19 prints the
	 * same (gen_optable_gfx9.py --compare), gfx906 and gfx90a with their
	 * own opcodes */
	static const char *const gfx9[] = {"gfx900", "gfx902", "gfx909", "gfx90c", "gfx906",
					   "gfx90a"};
	for (size_t i = 0; i < sizeof gfx9 / sizeof gfx9[0]; i++) {
		if (!strcmp(cpu, gfx9[i])) {
			gen = i == 4 ? ISA_GEN_GFX906 : i == 5 ? ISA_GEN_GFX90A : ISA_GEN_GFX9;
			return 0;
		}
	}
	if (!strcmp(cpu, "gfx904") || !strcmp(cpu, "gfx908")) {
		fprintf(stderr, "vgpu-disasm: --mcpu=%s: not covered (gfx904: fma_mix without "
			"gfx906's dot products; gfx908: MFMA and AccVGPRs)\n", cpu);
		return -1;
	}
	fprintf(stderr, "vgpu-disasm: --mcpu=%s: not a gfx11, gfx10.3 or gfx9 target\n", cpu);
	return -1;
}

/* --lines: see the file comment */
static int disasm_lines(void)
{
	char line[4096];
	while (fgets(line, sizeof line, stdin)) {
		unsigned char bytes[64];
		size_t nb = 0;
		for (char *p = line; *p && nb < sizeof bytes;) {
			char *end;
			unsigned long v = strtoul(p, &end, 0);
			if (end == p) {
				p++;
				continue;
			}
			bytes[nb++] = (unsigned char)v;
			p = end;
		}
		uint32_t words[16];
		size_t nw = nb / 4;
		memcpy(words, bytes, nw * 4);
		unsigned printed = 0;
		for (size_t i = 0; i < nw;) {
			struct isa_inst in;
			char txt[256];
			int n = isa_decode_gen(gen, words + i, nw - i, &in);
			if (n < 0) {
				i++;
				continue;
			}
			format(&in, txt, sizeof txt);
			printf("%s%s", printed++ ? " ;; " : "", txt);
			i += (size_t)n;
		}
		printf("%s\n", nw && !printed ? "<illegal>" : "");
	}
	return 0;
}

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0, n;
	if (!f)
		return NULL;
	do {
		if (len == cap) {
			unsigned char *nb = realloc(buf, cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	*size = len;
	return buf;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int raw = 0;
	unsigned long long base = 0, start = 0;
	int lines = 0;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--mcpu=", 7)) {
			if (set_mcpu(argv[i] + 7))
				return 2;
		} else if (!strcmp(argv[i], "--wave64"))
			wave64 = 1;
		else if (!strcmp(argv[i], "--wave32"))
			wave32 = 1;
		else if (!strcmp(argv[i], "--lines"))
			lines = 1;
		else if (!strcmp(argv[i], "--raw"))
			raw = 1;
		else if (!strcmp(argv[i], "--offset") && i + 1 < argc)
			start = strtoull(argv[++i], NULL, 0);
		else if (argv[i][0] == '-' || path)
			return usage();
		else
			path = argv[i];
	}
	if (wave32 && wave64)
		return usage();
	if (gen == ISA_GEN_GFX9 || gen == ISA_GEN_GFX906 || gen == ISA_GEN_GFX90A) {
		if (wave32) {
			fprintf(stderr, "vgpu-disasm: --wave32: gfx9 runs wave64 only\n");
			return 2;
		}
		wave64 = 1;
	}
	if (lines)
		return path || raw || start ? usage() : disasm_lines();
	if (!path)
		return usage();
	size_t size;
	unsigned char *file = read_file(path, &size);
	if (!file) {
		fprintf(stderr, "vgpu-disasm: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	const unsigned char *text = file;
	size_t text_size = size;
	if (!raw) {
		int rc = elf_text_section(file, size, &text, &text_size, &base);
		if (rc) {
			fprintf(stderr, "vgpu-disasm: %s: no usable ELF64 .text (%s); use --raw for plain words\n",
				path, strerror(-rc));
			free(file);
			return 2;
		}
	}
	if (start > text_size)
		start = text_size;
	size_t nwords = (text_size - start) / 4;
	uint32_t *words = malloc(nwords * 4 + 4);
	if (!words) {
		free(file);
		return 2;
	}
	memcpy(words, text + start, nwords * 4);   /* little-endian host */
	int bad = 0;
	for (size_t i = 0; i < nwords;) {
		struct isa_inst in;
		char txt[256];
		int n = isa_decode_gen(gen, words + i, nwords - i, &in);
		printf("%llx:", (unsigned long long)(base + start + i * 4));
		if (n < 0) {
			printf(" %08X <illegal encoding 0x%08x>\n", words[i], words[i]);
			bad = 1;
			i++;
			continue;
		}
		for (int k = 0; k < n; k++)
			printf(" %08X", words[i + k]);
		format(&in, txt, sizeof txt);
		printf(" %s\n", txt);
		i += (size_t)n;
	}
	free(words);
	free(file);
	return bad;
}
