// gemv.cl - y = alpha * W * x + beta * y, W of shape [N, K] row-major (as
// model files store a weight matrix), f32 accumulation.
//
// Bandwidth-bound: every byte of W is read exactly once, 16 bytes per
// work-item per load.  A workgroup of 256 work-items = 8 waves owns 16
// consecutive rows; each wave owns 2 of them (x is loaded once for both).
// Lanes stride along K; the 32 partial sums of a row are added through
// LDS after the loop (the vgpu has no DPP; on hardware this costs one
// barrier per workgroup, nothing per element).  Grid: ceil(N / 16).
// One kernel per W type; x's and y's types are flags (x is read as 16
// bytes per chunk either way).  gemv_q8_0 (at the end) reads W as GGUF
// Q8_0 blocks.  See docs/kernels.md.
#pragma OPENCL EXTENSION cl_khr_fp16 : enable

// flags (src/linalg/internal.h keeps the same values)
#define VF_VEC 1u        // W rows and x are 16-byte aligned: vector loads
#define VF_BETA 2u       // beta != 0: read y
#define VF_X_SHIFT 2u    // x type: 0 f32, 1 f16, 2 bf16
#define VF_Y_SHIFT 4u    // y type: 0 f32, 1 f16, 2 bf16
#define T_F32 0u
#define T_F16 1u
#define T_BF16 2u

#define ROWS_PER_WAVE 2
#define WAVES 8
#define ROWS_PER_GROUP (ROWS_PER_WAVE * WAVES)

static inline void wg_barrier(void)
{
	__builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
	__builtin_amdgcn_s_barrier();
	__builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
}

static inline float lo16(uint u, uint t)
{
	return t == T_F16 ? (float)__builtin_astype((ushort)u, half)
			  : __builtin_astype(u << 16, float);
}

static inline float hi16(uint u, uint t)
{
	return t == T_F16 ? (float)__builtin_astype((ushort)(u >> 16), half)
			  : __builtin_astype(u & 0xffff0000u, float);
}

static inline float elem(global const void *p, size_t i, uint t)
{
	if (t == T_F32)
		return ((global const float *)p)[i];
	return lo16(((global const ushort *)p)[i], t);
}

static inline ushort f32_to_bf16(float f)
{
	uint u = __builtin_astype(f, uint);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return (ushort)((u >> 16) | 0x40u);
	u += 0x7fffu + ((u >> 16) & 1u);
	return (ushort)(u >> 16);
}

static inline void store_elem(global void *p, size_t i, uint t, float v)
{
	if (t == T_F32)
		((global float *)p)[i] = v;
	else if (t == T_F16)
		((global ushort *)p)[i] = __builtin_astype((half)v, ushort);
	else
		((global ushort *)p)[i] = f32_to_bf16(v);
}

// x[k .. k + n) as floats (n = 8 for 16-bit W, 4 for f32 W) with 16-byte
// loads (the chunk is 16-byte aligned when the vector path runs).  A
// 16-bit x only comes with 16-bit W (the library allows x in f32 or W's
// type), so it is always read 8 at a time.
static inline void x_chunk(global const void *x, uint k, uint n, uint t, float *o)
{
	if (t == T_F32) {
		global const float4 *p = (global const float4 *)((global const float *)x + k);
		for (uint i = 0; i < n / 4; i++) {
			float4 v = p[i];
			o[4 * i] = v.x; o[4 * i + 1] = v.y; o[4 * i + 2] = v.z; o[4 * i + 3] = v.w;
		}
		return;
	}
	uint4 v = *(global const uint4 *)((global const ushort *)x + k);
	uint w[4] = {v.x, v.y, v.z, v.w};
	for (uint i = 0; i < 4; i++) {
		o[2 * i] = lo16(w[i], t);
		o[2 * i + 1] = hi16(w[i], t);
	}
}

// The reduction and the store, shared by the three kernels.
static inline void finish(local float *red, float part[ROWS_PER_WAVE], global void *y,
			  uint N, uint row0, uint flags, float alpha, float beta)
{
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint lane = tid & 31, wave = tid >> 5;
	for (uint r = 0; r < ROWS_PER_WAVE; r++)
		red[(wave * ROWS_PER_WAVE + r) * 32 + lane] = part[r];
	wg_barrier();
	if (tid < ROWS_PER_GROUP) {
		uint row = row0 + tid;
		float s = 0.0f;
		for (uint l = 0; l < 32; l++)
			s += red[tid * 32 + l];
		if (row < N) {
			uint yt = (flags >> VF_Y_SHIFT) & 3;
			float v = alpha * s;
			if (flags & VF_BETA)
				v += beta * elem(y, row, yt);
			store_elem(y, row, yt, v);
		}
	}
}

// 16-bit weights (f16 or bf16, `wt`): 8 elements per 16-byte load.
static inline void gemv16(global const ushort *w, global const void *x, global void *y,
			  uint N, uint K, uint ldw, uint flags, float alpha, float beta,
			  uint wt, local float *red)
{
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint lane = tid & 31, wave = tid >> 5;
	uint row0 = __builtin_amdgcn_workgroup_id_x() * ROWS_PER_GROUP;
	uint xt = (flags >> VF_X_SHIFT) & 3;
	float part[ROWS_PER_WAVE];
	global const ushort *wr[ROWS_PER_WAVE];
	bool ok[ROWS_PER_WAVE];
	for (uint r = 0; r < ROWS_PER_WAVE; r++) {
		uint row = row0 + wave * ROWS_PER_WAVE + r;
		ok[r] = row < N;
		wr[r] = w + (size_t)(ok[r] ? row : 0) * ldw;
		part[r] = 0.0f;
	}
	uint kv = 0;
	if (flags & VF_VEC) {
		kv = K & ~7u;
		for (uint k = lane * 8; k < kv; k += 256) {
			float xf[8];
			x_chunk(x, k, 8, xt, xf);
			for (uint r = 0; r < ROWS_PER_WAVE; r++) {
				if (!ok[r])
					continue;
				uint4 v = *(global const uint4 *)(wr[r] + k);
				uint ww[4] = {v.x, v.y, v.z, v.w};
				float s = part[r];
				for (uint i = 0; i < 4; i++) {
					s = __builtin_fmaf(lo16(ww[i], wt), xf[2 * i], s);
					s = __builtin_fmaf(hi16(ww[i], wt), xf[2 * i + 1], s);
				}
				part[r] = s;
			}
		}
	}
	for (uint k = kv + lane; k < K; k += 32) {
		float xv = elem(x, k, xt);
		for (uint r = 0; r < ROWS_PER_WAVE; r++)
			if (ok[r])
				part[r] = __builtin_fmaf(lo16(wr[r][k], wt), xv, part[r]);
	}
	finish(red, part, y, N, row0, flags, alpha, beta);
}

#define GEMV_ARGS global const ushort *w, global const void *x, global void *y, \
	uint N, uint K, uint ldw, uint flags, float alpha, float beta

kernel __attribute__((reqd_work_group_size(256, 1, 1)))
void gemv_f16(GEMV_ARGS)
{
	local float red[ROWS_PER_GROUP * 32];
	gemv16(w, x, y, N, K, ldw, flags, alpha, beta, T_F16, red);
}

kernel __attribute__((reqd_work_group_size(256, 1, 1)))
void gemv_bf16(GEMV_ARGS)
{
	local float red[ROWS_PER_GROUP * 32];
	gemv16(w, x, y, N, K, ldw, flags, alpha, beta, T_BF16, red);
}

// f32 weights: 4 elements per 16-byte load.
kernel __attribute__((reqd_work_group_size(256, 1, 1)))
void gemv_f32(global const float *w, global const void *x, global void *y,
	      uint N, uint K, uint ldw, uint flags, float alpha, float beta)
{
	local float red[ROWS_PER_GROUP * 32];
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint lane = tid & 31, wave = tid >> 5;
	uint row0 = __builtin_amdgcn_workgroup_id_x() * ROWS_PER_GROUP;
	uint xt = (flags >> VF_X_SHIFT) & 3;
	float part[ROWS_PER_WAVE];
	global const float *wr[ROWS_PER_WAVE];
	bool ok[ROWS_PER_WAVE];
	for (uint r = 0; r < ROWS_PER_WAVE; r++) {
		uint row = row0 + wave * ROWS_PER_WAVE + r;
		ok[r] = row < N;
		wr[r] = w + (size_t)(ok[r] ? row : 0) * ldw;
		part[r] = 0.0f;
	}
	uint kv = 0;
	if (flags & VF_VEC) {
		kv = K & ~3u;
		for (uint k = lane * 4; k < kv; k += 128) {
			float xf[4];
			x_chunk(x, k, 4, T_F32, xf); // f32 W: x is f32
			for (uint r = 0; r < ROWS_PER_WAVE; r++) {
				if (!ok[r])
					continue;
				float4 v = *(global const float4 *)(wr[r] + k);
				float s = part[r];
				s = __builtin_fmaf(v.x, xf[0], s);
				s = __builtin_fmaf(v.y, xf[1], s);
				s = __builtin_fmaf(v.z, xf[2], s);
				s = __builtin_fmaf(v.w, xf[3], s);
				part[r] = s;
			}
		}
	}
	for (uint k = kv + lane; k < K; k += 32) {
		float xv = elem(x, k, xt);
		for (uint r = 0; r < ROWS_PER_WAVE; r++)
			if (ok[r])
				part[r] = __builtin_fmaf(wr[r][k], xv, part[r]);
	}
	finish(red, part, y, N, row0, flags, alpha, beta);
}

// GGUF (ggml) Q8_0 weights: each row is K / 32 blocks of 34 bytes, an f16
// scale d followed by 32 int8 quants q, element = d * q; rows ldw / 32
// blocks apart (ldw, K multiples of 32: the host checks).  A lane takes a
// whole block per step (lanes stride along the row by blocks), so the
// scale is read once per 32 weights and x's 32 elements are shared by the
// wave's two rows.  34-byte blocks are only 2-byte aligned (the host
// requires an even W offset), so W is read as 17 ushorts per block, never
// wider: the quants come out two per load, low byte first (little-endian
// storage order), sign-extended.  The block's products are summed first
// and scaled once (d * sum), which is exact reordering of d * q * x up to
// f32 rounding.  x and y are f32 (the host checks); VF_VEC means x is
// 16-byte aligned (float4 loads).
#define Q8_BLOCK 32u
#define Q8_USHORTS 17u // 34 bytes

static inline float q8_lo(uint u)
{
	return (float)(int)(char)(u & 0xffu);
}

static inline float q8_hi(uint u)
{
	return (float)(int)(char)((u >> 8) & 0xffu);
}

kernel __attribute__((reqd_work_group_size(256, 1, 1)))
void gemv_q8_0(GEMV_ARGS)
{
	local float red[ROWS_PER_GROUP * 32];
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint lane = tid & 31, wave = tid >> 5;
	uint row0 = __builtin_amdgcn_workgroup_id_x() * ROWS_PER_GROUP;
	uint nb = K / Q8_BLOCK;
	size_t stride = (size_t)(ldw / Q8_BLOCK) * Q8_USHORTS;
	global const float *xf32 = (global const float *)x;
	float part[ROWS_PER_WAVE];
	global const ushort *wr[ROWS_PER_WAVE];
	bool ok[ROWS_PER_WAVE];
	// wr[r] walks the row: the lane's first block, then 32 blocks per
	// step (a pointer increment, not b * 17 per step: the 64-bit
	// multiply clang emits for that, v_mul_hi_u32_u24, is not in the
	// vgpu)
	uint lane_off = lane * Q8_USHORTS;
	for (uint r = 0; r < ROWS_PER_WAVE; r++) {
		uint row = row0 + wave * ROWS_PER_WAVE + r;
		ok[r] = row < N;
		wr[r] = w + (size_t)(ok[r] ? row : 0) * stride + lane_off;
		part[r] = 0.0f;
	}
	for (uint b = lane; b < nb; b += 32) {
		float xv[Q8_BLOCK];
		uint k0 = b * Q8_BLOCK;
		if (flags & VF_VEC) {
			x_chunk(x, k0, 32, T_F32, xv);
		} else {
			for (uint i = 0; i < Q8_BLOCK; i++)
				xv[i] = xf32[k0 + i];
		}
		for (uint r = 0; r < ROWS_PER_WAVE; r++) {
			if (!ok[r])
				continue;
			global const ushort *blk = wr[r];
			float d = (float)__builtin_astype(blk[0], half);
			float s = 0.0f;
			for (uint i = 0; i < Q8_BLOCK / 2; i++) {
				uint q2 = blk[1 + i];
				s = __builtin_fmaf(q8_lo(q2), xv[2 * i], s);
				s = __builtin_fmaf(q8_hi(q2), xv[2 * i + 1], s);
			}
			part[r] = __builtin_fmaf(d, s, part[r]);
		}
		for (uint r = 0; r < ROWS_PER_WAVE; r++)
			wr[r] += 32 * Q8_USHORTS;
	}
	finish(red, part, y, N, row0, flags, alpha, beta);
}
