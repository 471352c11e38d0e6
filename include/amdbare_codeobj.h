/*
 * amdbare code objects: AMDGPU ELF kernels (code object v4, v5 and v6
 * generic targets) as clang/lld produce them.
 *
 * Loading parses and validates the whole object up front (ELF header,
 * segments, sections, symbols, every kernel descriptor, the
 * NT_AMDGPU_METADATA msgpack note and the consistency between them), so
 * that everything read afterwards through the accessors is already checked.
 * A rejection returns -ENOEXEC (not an AMDGPU code object, or a version we
 * do not read) or -EINVAL (malformed), with a message naming the file, the
 * kernel and the byte offset of what was wrong.
 *
 * Include through amdbare.h.
 */
#ifndef AMDBARE_CODEOBJ_H
#define AMDBARE_CODEOBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct amdbare_codeobj amdbare_codeobj;

/* What a kernel argument is (".value_kind").  Hidden kinds are filled by
 * the dispatcher, not by the caller. */
enum amdbare_arg_kind {
	AMDBARE_ARG_UNKNOWN = 0,  /* a kind this library does not know: the
				   * string is in value_kind_name; a dispatcher
				   * must refuse such a kernel */
	AMDBARE_ARG_BY_VALUE,
	AMDBARE_ARG_GLOBAL_BUFFER,
	AMDBARE_ARG_DYNAMIC_SHARED_POINTER,
	AMDBARE_ARG_SAMPLER,
	AMDBARE_ARG_IMAGE,
	AMDBARE_ARG_PIPE,
	AMDBARE_ARG_QUEUE,
	AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_X,
	AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Y,
	AMDBARE_ARG_HIDDEN_GLOBAL_OFFSET_Z,
	AMDBARE_ARG_HIDDEN_NONE,
	AMDBARE_ARG_HIDDEN_PRINTF_BUFFER,
	AMDBARE_ARG_HIDDEN_HOSTCALL_BUFFER,
	AMDBARE_ARG_HIDDEN_DEFAULT_QUEUE,
	AMDBARE_ARG_HIDDEN_COMPLETION_ACTION,
	AMDBARE_ARG_HIDDEN_MULTIGRID_SYNC_ARG,
	AMDBARE_ARG_HIDDEN_BLOCK_COUNT_X,
	AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Y,
	AMDBARE_ARG_HIDDEN_BLOCK_COUNT_Z,
	AMDBARE_ARG_HIDDEN_GROUP_SIZE_X,
	AMDBARE_ARG_HIDDEN_GROUP_SIZE_Y,
	AMDBARE_ARG_HIDDEN_GROUP_SIZE_Z,
	AMDBARE_ARG_HIDDEN_REMAINDER_X,
	AMDBARE_ARG_HIDDEN_REMAINDER_Y,
	AMDBARE_ARG_HIDDEN_REMAINDER_Z,
	AMDBARE_ARG_HIDDEN_GRID_DIMS,
	AMDBARE_ARG_HIDDEN_HEAP_V1,
	AMDBARE_ARG_HIDDEN_DYNAMIC_LDS_SIZE,
	AMDBARE_ARG_HIDDEN_PRIVATE_BASE,
	AMDBARE_ARG_HIDDEN_SHARED_BASE,
	AMDBARE_ARG_HIDDEN_QUEUE_PTR,
};

/* ".address_space" of pointer arguments. */
enum amdbare_addr_space {
	AMDBARE_AS_NONE = 0,      /* absent (not a pointer) */
	AMDBARE_AS_PRIVATE,
	AMDBARE_AS_GLOBAL,
	AMDBARE_AS_CONSTANT,
	AMDBARE_AS_LOCAL,
	AMDBARE_AS_GENERIC,
	AMDBARE_AS_REGION,
};

/* ".access" / ".actual_access". */
enum amdbare_access {
	AMDBARE_ACCESS_NONE = 0,  /* absent */
	AMDBARE_ACCESS_READ_ONLY,
	AMDBARE_ACCESS_WRITE_ONLY,
	AMDBARE_ACCESS_READ_WRITE,
};

typedef struct amdbare_kernel_arg {
	const char *name;            /* ".name", NULL when absent */
	const char *type_name;       /* ".type_name", NULL when absent */
	uint32_t offset;             /* in the kernarg segment */
	uint32_t size;
	enum amdbare_arg_kind kind;
	const char *value_kind_name; /* the metadata's string, always set */
	bool hidden;                 /* a hidden_* kind (filled by the dispatcher) */
	enum amdbare_addr_space address_space;
	enum amdbare_access access, actual_access;
	uint32_t pointee_align;      /* 0 when absent */
	bool is_const, is_restrict, is_volatile, is_pipe;
} amdbare_kernel_arg;

/* Bits of kernel_code_properties (amdhsa kernel descriptor). */
enum amdbare_kcp_bit {
	AMDBARE_KCP_PRIVATE_SEGMENT_BUFFER = 1u << 0,
	AMDBARE_KCP_DISPATCH_PTR = 1u << 1,
	AMDBARE_KCP_QUEUE_PTR = 1u << 2,
	AMDBARE_KCP_KERNARG_SEGMENT_PTR = 1u << 3,
	AMDBARE_KCP_DISPATCH_ID = 1u << 4,
	AMDBARE_KCP_FLAT_SCRATCH_INIT = 1u << 5,
	AMDBARE_KCP_PRIVATE_SEGMENT_SIZE = 1u << 6,
	AMDBARE_KCP_WAVEFRONT_SIZE32 = 1u << 10,
	AMDBARE_KCP_USES_DYNAMIC_STACK = 1u << 11,
};

typedef struct amdbare_kernel_info {
	const char *name;            /* ".name" */
	const char *symbol;          /* ".symbol", "<name>.kd" */

	/* The 64-byte kernel descriptor, field by field. */
	uint64_t descriptor_vaddr;   /* where it is in the code object */
	uint32_t group_segment_fixed_size;   /* static LDS bytes */
	uint32_t private_segment_fixed_size; /* scratch bytes per work-item */
	uint32_t kernarg_size;
	int64_t kernel_code_entry_byte_offset; /* from the descriptor */
	uint64_t entry_vaddr;        /* descriptor_vaddr + that offset */
	uint32_t compute_pgm_rsrc1, compute_pgm_rsrc2, compute_pgm_rsrc3;
	uint16_t kernel_code_properties;
	uint16_t kernarg_preload;    /* bits 0-6 length (dwords), 7-15 offset */

	/* Decoded from the descriptor. */
	uint32_t user_sgpr_enables;  /* kernel_code_properties bits 0-6 */
	uint32_t user_sgpr_count;    /* COMPUTE_PGM_RSRC2.USER_SGPR_COUNT */
	bool wave32;                 /* WAVEFRONT_SIZE32 */
	bool workgroup_id_x, workgroup_id_y, workgroup_id_z, workgroup_info; /* RSRC2 */
	uint32_t workitem_id_dims;   /* RSRC2.ENABLE_VGPR_WORKITEM_ID + 1 */
	bool private_segment;        /* RSRC2.ENABLE_PRIVATE_SEGMENT (scratch) */
	uint32_t lds_size;           /* group_segment_fixed_size */

	/* From the metadata. */
	const amdbare_kernel_arg *args;
	uint32_t arg_count;
	uint32_t kernarg_segment_size, kernarg_segment_align;
	uint32_t wavefront_size;     /* 32 or 64 */
	uint32_t sgpr_count, vgpr_count, agpr_count;
	uint32_t sgpr_spill_count, vgpr_spill_count;
	uint32_t reqd_workgroup_size[3];     /* 0,0,0 when absent */
	uint32_t workgroup_size_hint[3];     /* 0,0,0 when absent */
	uint32_t max_flat_workgroup_size;
	bool uses_dynamic_stack;
	bool has_unknown_arg_kind;   /* some arg has AMDBARE_ARG_UNKNOWN */
} amdbare_kernel_info;

/* Parses a code object from memory (copied; the caller's buffer may be
 * freed afterwards).  -ENOEXEC: not an ELF64 little-endian EM_AMDGPU
 * object for the HSA OS ABI, or an ABI version other than v4/v5/v6;
 * -EINVAL: malformed (message: what, where); -ENOMEM. */
int amdbare_codeobj_load_memory(const void *data, size_t size, amdbare_codeobj **out);

/* The same from a file (read whole; the message names the path). */
int amdbare_codeobj_load_file(const char *path, amdbare_codeobj **out);

/* Frees; NULL is accepted.  Uploaded copies (amdbare_codeobj_upload) are
 * independent buffers and stay valid. */
void amdbare_codeobj_free(amdbare_codeobj *co);

/* The full target id, "amdgcn-amd-amdhsa--gfx1103" (with ":xnack+"-style
 * features when the object has them), and the bare processor "gfx1103"
 * (or a generic one such as "gfx11-generic"). */
const char *amdbare_codeobj_target(const amdbare_codeobj *co);
const char *amdbare_codeobj_processor(const amdbare_codeobj *co);

/* 4, 5 or 6. */
uint32_t amdbare_codeobj_version(const amdbare_codeobj *co);

/* Kernels, in metadata order. */
uint32_t amdbare_codeobj_kernel_count(const amdbare_codeobj *co);
/* NULL when index is out of range. */
const amdbare_kernel_info *amdbare_codeobj_kernel_at(const amdbare_codeobj *co, uint32_t index);
/* By ".name" or by ".symbol" ("copy" or "copy.kd").  -ENOENT with the
 * available names in the message. */
int amdbare_codeobj_find_kernel(const amdbare_codeobj *co, const char *name,
				const amdbare_kernel_info **out);

struct amdbare_device_info;
/* Can this object run on that device?  0 yes; -ENOTSUP "code object is for
 * gfx1100, device is gfx1103" (a generic target covers its family: e.g.
 * gfx11-generic runs on gfx1100-1103 and gfx1150-1153; objects demanding
 * xnack or sramecc on are refused since amdbare cannot read the device's
 * mode); -EINVAL for NULL arguments or a device whose target is unknown. */
int amdbare_codeobj_check_device(const amdbare_codeobj *co,
				 const struct amdbare_device_info *info);

struct amdbare_device;
struct amdbare_bo;
/* Copies the loadable segments (the whole image, vaddr 0 at the start)
 * into a new GTT buffer, CPU-mapped, GPU-mapped READ|EXECUTE, and applies
 * the dynamic relocations (R_AMDGPU_RELATIVE64, R_AMDGPU_ABS64 against a
 * defined symbol; any other type is refused with -ENOTSUP naming it).  A
 * kernel's descriptor is then at *code_va + descriptor_vaddr and its code at
 * *code_va + entry_vaddr (256-byte aligned).  The device is checked first
 * (amdbare_codeobj_check_device).  Free the buffer with amdbare_bo_free. */
int amdbare_codeobj_upload(const amdbare_codeobj *co, struct amdbare_device *dev,
			   struct amdbare_bo **code_bo, uint64_t *code_va);

#ifdef __cplusplus
}
#endif

#endif /* AMDBARE_CODEOBJ_H */
