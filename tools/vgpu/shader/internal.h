/*
 * Inside the shader core: the state of one wave and of the workgroup it
 * belongs to, and the executors of each instruction family.  Every
 * executor returns 0, or -ECANCELED after reporting a fault.
 */
#ifndef VGPU_SHADER_INTERNAL_H
#define VGPU_SHADER_INTERNAL_H

#include "shader.h"
#include "exec/window.h"
#include "isa/isa.h"

#include <stdbool.h>
#include <stdint.h>

/* Scalar register file codes (gfx11 operand encoding) */
#define SREG_VCC_LO 106
#define SREG_VCC_HI 107
#define SREG_NULL 124
#define SREG_M0 125
#define SREG_EXEC_LO 126
#define SREG_EXEC_HI 127
#define SHADER_NUM_SREGS 128
/* Special sources */
#define SRC_VCCZ 251
#define SRC_EXECZ 252
#define SRC_SCC 253

enum wave_state { WAVE_RUN, WAVE_BARRIER, WAVE_DONE };

struct shader_wave {
	uint32_t s[SHADER_NUM_SREGS];  /* indexed by operand code; exec/vcc inside */
	uint32_t *v;                   /* v[reg * 64 + lane] */
	uint32_t nvgpr;
	bool scc;
	uint64_t pc;
	enum wave_state state;
	/* FLAT_SCRATCH: the address of the wave's scratch slot, which the SPI
	 * loads for a SCRATCH_EN wave (architected flat scratch); 0 without */
	uint64_t scratch_base;
	/* The MODE hardware register (FP_ROUND 3:0, FP_DENORM 7:4,
	 * DX10_CLAMP 8, IEEE 9, ..., FP16_OVFL 23), loaded from RSRC1 and
	 * changed by s_setreg, s_round_mode and s_denorm_mode (shader/sreg.c);
	 * the VALU's rounding and denormal handling is what it selects. */
	uint32_t mode;
	uint32_t trapsts;              /* TRAPSTS as s_setreg left it (0 at start) */
	uint8_t wave_id;               /* index of the wave in its workgroup */
};

/*
 * What an instruction's mnemonic selects, resolved once when the
 * instruction is decoded into the cache (shader_*_resolve), so executing
 * it compares no strings.  Each family's ids are private to its file; a
 * name the core has no executor for gets an id that raises the
 * illegal-instruction fault (docs/vgpu-shader.md), at the same point as a
 * failed name match did before.
 */
struct shader_valu_plan {          /* one VALU half (X, or VOPD's Y) */
	int16_t op;                    /* VOP_* (shader/valu.c) */
	uint8_t cmp, cmp_type;         /* v_cmp(x): comparison and type; 0: none */
	bool cmpx;                     /* the name has "cmpx_": writes EXEC */
};

struct shader_salu_plan {
	uint8_t op;                    /* SALU_* (shader/salu.c) */
	uint8_t sub;                   /* comparison / saveexec operation */
	bool wide;                     /* b64/i64/u64 form */
	bool sgn;                      /* signed compare */
	uint8_t shift;                 /* s_lshl<n>_add_u32, s_bitcmp0/1 */
};

/* GLOBAL/FLAT, DS, MUBUF, scratch: what the name says, or that it was
 * not understood (where in the executor that becomes a fault is kept) */
enum shader_mem_kind {
	MEM_UNNAMED,                   /* not the family's prefix */
	MEM_BAD,                       /* the prefix, in a form the core rejects as illegal */
	MEM_LOAD, MEM_STORE, MEM_ATOMIC,
	MEM_SUB_LOAD, MEM_SUB_STORE,   /* DS sub-dword forms */
	MEM_INV,                       /* buffer_gl0_inv / buffer_gl1_inv */
	/* DS forms beyond load/store/atomic (shader/ds.c) */
	MEM_DS_NOP, MEM_DS_PERMUTE, MEM_DS_BPERMUTE, MEM_DS_SWIZZLE, MEM_DS_APPEND,
	MEM_DS_CONSUME, MEM_DS_LOAD_ADDTID, MEM_DS_STORE_ADDTID,
	MEM_UNMODELLED                 /* named, known, and faulting with a reason */
};

struct shader_mem_plan {
	uint8_t kind;                  /* enum shader_mem_kind */
	uint8_t bytes;                 /* access width */
	uint8_t aop;                   /* atomic operation (shader/vmem.c) */
	bool flat, sext, wide, d16, d16_hi;
	bool two, st64, rtn;           /* DS: 2addr, stride64, _rtn_ */
	bool addtid;                   /* global_*_addtid_b32: SADDR + offset + 4 * lane */
	uint8_t ndw;                   /* DS: dwords per element */
	uint8_t fmt;                   /* MUBUF/MTBUF typed forms: components */
	const char *why;               /* MEM_UNMODELLED: what is not modelled */
};

/* Memory atomic operations (shader/atomic.c) */
enum shader_aop {
	AOP_NONE, AOP_ADD, AOP_SUB, AOP_RSUB, AOP_SWAP, AOP_CMPSWAP, AOP_AND, AOP_OR, AOP_XOR,
	AOP_MIN_U, AOP_MAX_U, AOP_MIN_I, AOP_MAX_I, AOP_INC, AOP_DEC, AOP_MSKOR, AOP_WRAP,
	AOP_CSUB, AOP_ADD_F, AOP_MIN_F, AOP_MAX_F, AOP_CMPSWAP_F
};
/* "add_u32", "cmpstore_f64", "min_i32"...: the operation (AOP_NONE if not
 * one) and whether it is 64-bit */
uint8_t shader_atomic_parse(const char *name, bool *wide);
/* Whether the operation takes a second data operand (compare value of
 * cmpswap, OR value of mskor, add-back value of wrap). */
bool shader_atomic_two_data(uint8_t op);
/* New memory value from the old one, data (the source) and data2 (the
 * second data operand); -1 for AOP_NONE. */
int shader_atomic_apply(uint8_t op, bool wide, uint64_t old, uint64_t data, uint64_t data2,
			uint64_t *out);

/* One decoded instruction, cached by address for the dispatch (the code
 * is not expected to change while it runs). */
struct shader_icache_entry {
	uint64_t pc;
	uint64_t gen;                  /* valid while equal to the core's gen */
	struct isa_inst inst;
	char base[48];                 /* mnemonic without _e32/_e64 */
	union {
		struct { struct shader_valu_plan x, y; } valu;
		struct shader_salu_plan salu;
		struct shader_mem_plan mem;
	} plan;
};

/* One VALU instruction (or VOPD half) computed but not yet written: the
 * per-lane results and the lane-mask result (shader/valu.c). */
struct shader_valu_half {
	int op;
	const struct isa_operand *vdst, *sdst;   /* VGPR result, SGPR mask result */
	bool cmpx;
	bool half16;                             /* f16 result: keep the high half */
	uint64_t val[64];
	uint64_t mask;
};

/* The sources of one VALU instruction, lane by lane (column k: source k,
 * the modifiers applied; unused columns 0), and v_fmac's old destination. */
struct shader_valu_inputs {
	uint64_t src[4][64];
	uint64_t old[64];
	unsigned zero_cols;            /* bit k: src[k] is all zero (all 64 lanes) */
};

/* Slots of the instruction cache (by dword address, direct mapped). */
#define SHADER_ICACHE_SLOTS 4096u

/* The calling thread's dispatch memory (shader/arena.c), grown to fit:
 * SHADER_ICACHE_SLOTS entries under a new generation, `nwaves` zeroed
 * waves whose v points at nvgpr x 64 VGPRs each (contents undefined until
 * init_wave), and at least lds_size bytes of LDS (undefined until the
 * workgroup clears it).  NULL when out of memory.  shader_arena_put ends
 * the dispatch's use. */
struct shader_arena {
	struct shader_icache_entry *icache;
	uint64_t gen;                  /* of the dispatch using it */
	uint8_t *lds;
	size_t lds_cap;
	struct shader_wave *waves;
	size_t waves_cap;
	uint32_t *vgprs;
	size_t vgprs_cap;
	bool busy, temporary;
};
struct shader_arena *shader_arena_get(unsigned nwaves, uint32_t nvgpr, uint32_t lds_size);
void shader_arena_put(struct shader_arena *a);

struct shader_core {
	struct exec_job *job;
	const struct exec_dispatch *d;
	unsigned lanes;                /* 32 or 64 */
	uint8_t *lds;
	uint32_t lds_size;
	struct shader_icache_entry *icache;
	uint64_t icache_gen;           /* this dispatch's generation (>= 1) */
	uint64_t pc;                   /* of the instruction being executed */
	struct shader_icache_entry *cur;
	/* The VM accesses of the vector-memory instruction being executed,
	 * under one hold of the memory lock (exec/window.h); opened and
	 * closed by each GLOBAL/FLAT/MUBUF/scratch executor */
	struct exec_vm_window vm;
	/* VALU working space (shader/valu.c), here rather than thread-local:
	 * a preloaded library's TLS costs a call per access */
	struct shader_valu_half valu_x, valu_y;
	struct shader_valu_inputs valu_in;
};

/* Mask of the lanes that take part (wave32 only uses the low half). */
uint64_t wave_exec(const struct shader_core *c, const struct shader_wave *w);
void wave_set_exec(const struct shader_core *c, struct shader_wave *w, uint64_t m);
uint64_t wave_vcc(const struct shader_core *c, const struct shader_wave *w);
void wave_set_vcc(const struct shader_core *c, struct shader_wave *w, uint64_t m);
/* A lane mask stored in scalar registers at `code` (1 or 2 registers). */
uint64_t wave_mask_read(const struct shader_core *c, const struct shader_wave *w, uint16_t code);
void wave_mask_write(const struct shader_core *c, struct shader_wave *w, uint16_t code, uint64_t m);

/* Fault naming the current PC and encoding. */
int shader_fault(struct shader_core *c, const char *why);
/* "illegal instruction": an encoding the core does not implement. */
int shader_illegal(struct shader_core *c);

/* Operand access (scalar side; VGPR operands are read per lane). */
int sop_read(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	     uint64_t *val);
int sop_write(struct shader_core *c, struct shader_wave *w, const struct isa_operand *op,
	      uint64_t val);
const struct isa_operand *inst_op(const struct isa_inst *in, enum isa_field f);

/* Whether a resolved plan has an executor (for shader_executes, shader.h) */
bool shader_salu_executes(const struct shader_icache_entry *e);
bool shader_valu_executes(const struct shader_icache_entry *e);
/* Resolvers: fill e->plan from e->base / e->inst, once per decode. */
void shader_salu_resolve(struct shader_icache_entry *e);
void shader_valu_resolve(struct shader_icache_entry *e);
void shader_vmem_resolve(struct shader_icache_entry *e);
void shader_ds_resolve(struct shader_icache_entry *e);
void shader_mubuf_resolve(struct shader_icache_entry *e);
void shader_scratch_resolve(struct shader_icache_entry *e);

int shader_exec_salu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
/* Hardware registers, messages and mode changes (shader/sreg.c):
 * s_getreg_b32, s_setreg_b32, s_setreg_imm32_b32, s_sendmsg_rtn_b32/b64,
 * s_round_mode, s_denorm_mode; `name` is the mnemonic. */
int shader_exec_sreg(struct shader_core *c, struct shader_wave *w, const struct isa_inst *in,
		     const char *name);
/* MODE from COMPUTE_PGM_RSRC1 (FLOAT_MODE, DX10_CLAMP, IEEE_MODE,
 * FP16_OVFL), as the SPI loads it into a new wave. */
uint32_t shader_mode_from_rsrc1(uint32_t rsrc1);
int shader_exec_smem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
int shader_exec_valu(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
int shader_exec_vmem(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);
/* MUBUF buffer_load/store through a V#. */
int shader_exec_mubuf(struct shader_core *c, struct shader_wave *w,
		      const struct shader_icache_entry *e);
/* scratch_load/store through the wave's slot (shader/scratch.c) */
int shader_exec_scratch(struct shader_core *c, struct shader_wave *w,
			const struct shader_icache_entry *e);
/* Gives wave `index` of workgroup number `wg` (linear, from 0) its scratch
 * slot: sets w->scratch_base (0 when the dispatch has no scratch). */
void shader_scratch_wave_init(const struct shader_core *c, struct shader_wave *w, uint64_t wg,
			      unsigned index, unsigned nwaves);
/* `n` bytes at lane `lane`'s private offset `off` in the wave's scratch
 * slot (a fault when the wave has no scratch or the access leaves the
 * lane's share) */
int shader_scratch_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
			  uint32_t off, void *buf, unsigned n, bool store);
/* Flat apertures (shader/aperture.c): the value of src_shared_base/
 * _limit and src_private_base/_limit (0, or -1 for another code), and a
 * FLAT access by lane `lane` at `va`: into LDS, the lane's scratch or
 * the VM by the aperture it falls in. */
int shader_aperture_source(uint16_t code, uint64_t *val);
int shader_flat_access(struct shader_core *c, const struct shader_wave *w, unsigned lane,
		       uint64_t va, void *buf, unsigned n, bool store);
/* shared by the vector-memory executors (shader/vmem.c) */
int vmem_width_of(const char *suffix, unsigned *bytes, bool *sext);
int vmem_check_vgprs(struct shader_core *c, const struct shader_wave *w,
		     const struct isa_operand *o);
int shader_exec_ds(struct shader_core *c, struct shader_wave *w,
		   const struct shader_icache_entry *e);

/* gfx11 unified formats (buffer and image FORMAT codes 1-63) and their
 * conversions (shader/mubuf.c) */
enum { NF_UNORM, NF_SNORM, NF_USCALED, NF_SSCALED, NF_UINT, NF_SINT, NF_FLOAT };
struct buf_format {
	uint8_t ncomp, bits, nf;       /* components of `bits` bits each */
	uint8_t packed;                /* 1: 2_10_10_10 (x 9:0, y 19:10, z 29:20, w 31:30) */
};
/* FORMAT code -> layout; ncomp 0: invalid or not modelled */
struct buf_format buf_format_of(unsigned code);
unsigned buf_format_bytes(const struct buf_format *f);
/* component raw bits <-> VGPR value (d16: the 16-bit one) */
uint32_t fmt_to_reg(const struct buf_format *f, uint32_t raw, bool d16);
uint32_t reg_to_fmt(const struct buf_format *f, uint32_t reg, bool d16);
/* MIMG storage-image instructions (shader/mimg.c) */
void shader_mimg_resolve(struct shader_icache_entry *e);
int shader_exec_mimg(struct shader_core *c, struct shader_wave *w,
		     const struct shader_icache_entry *e);

#endif /* VGPU_SHADER_INTERNAL_H */
