// gemm.cl - C = alpha * op(A) * op(B) + beta * C, row-major, f32 accumulation.
//
// Three kernels, one per input type (the hot loop differs):
//   gemm_f16, gemm_bf16  gfx11: WMMA (v_wmma_f32_16x16x16_{f16,bf16},
//                        wave32); gfx10.3 and gfx9 (no WMMA):
//                        v_dot2_f32_f16 for f16 where the target has it
//                        (gfx103x, gfx906/908/90a), else and for bf16
//                        each half widened to f32 and v_fma_f32; all:
//                        workgroup 128, tile 64x64, K step 32
//   gemm_f32             FMA: workgroup 256, tile 64x64, K step 16,
//                        4x4 outputs per work-item
// Grid: (ceil(N / 64), ceil(M / 64)) workgroups.  Transposes, the output
// type and whether 128-bit loads are allowed travel in `flags` (uniform
// branches outside the inner product).  Design and numbers: docs/kernels.md.
//
// Built by `make kernels` with clang-19 -nogpulib (no OpenCL builtin
// library: ids and barriers come from clang builtins).
#pragma OPENCL EXTENSION cl_khr_fp16 : enable

// flags (src/linalg/internal.h keeps the same values)
#define GF_TRANS_A 1u   // A stored K x M
#define GF_TRANS_B 2u   // B stored N x K
#define GF_VEC_A 4u     // A's base and lda allow 16-byte loads
#define GF_VEC_B 8u
#define GF_BETA 16u     // beta != 0: read C
#define GF_OUT_SHIFT 5u // output type: 0 f32, 1 f16, 2 bf16
#define OUT_F32 0u
#define OUT_F16 1u
#define OUT_BF16 2u

typedef half v16h __attribute__((ext_vector_type(16)));
typedef short v16s __attribute__((ext_vector_type(16)));
typedef float v8f __attribute__((ext_vector_type(8)));
typedef uint v8u __attribute__((ext_vector_type(8)));

static inline void wg_barrier(void)
{
	__builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
	__builtin_amdgcn_s_barrier();
	__builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
}

static inline float f16_to_f32(ushort u)
{
	return (float)__builtin_astype(u, half);
}

static inline ushort f32_to_f16(float f)
{
	half h = (half)f;  // v_cvt_f16_f32: round to nearest even
	return __builtin_astype(h, ushort);
}

static inline float bf16_to_f32(ushort u)
{
	return __builtin_astype((uint)u << 16, float);
}

// Round to nearest even; a NaN stays a (quiet) NaN.
static inline ushort f32_to_bf16(float f)
{
	uint u = __builtin_astype(f, uint);
	if ((u & 0x7fffffffu) > 0x7f800000u)
		return (ushort)((u >> 16) | 0x40u);
	u += 0x7fffu + ((u >> 16) & 1u);
	return (ushort)(u >> 16);
}

static inline float load_out(global const void *c, size_t i, uint t)
{
	if (t == OUT_F32)
		return ((global const float *)c)[i];
	ushort u = ((global const ushort *)c)[i];
	return t == OUT_F16 ? f16_to_f32(u) : bf16_to_f32(u);
}

static inline void store_out(global void *c, size_t i, uint t, float v)
{
	if (t == OUT_F32)
		((global float *)c)[i] = v;
	else
		((global ushort *)c)[i] = t == OUT_F16 ? f32_to_f16(v) : f32_to_bf16(v);
}

// ---- 16-bit inputs: tiles (shared), then WMMA (gfx11) or dot (gfx10.3) ------

#define BM 64
#define BN 64
#define BK 32
// LDS row pitch in 16-bit elements: 32 + 8 keeps every row 16-byte aligned
// (ds_load_b128) and shifts consecutive rows by 16 bytes, so the 16 lanes
// reading 16 rows of a fragment spread over the banks.
#define LDSP 40

// A 64 x 32 tile (rows r0.., k k0..) of a 16-bit operand goes to LDS as
// [row][k].  The operand is stored either with k contiguous (element
// (r, k) at g[r * ld + k]) or with rows contiguous (at g[k * ld + r]).
// Full, 16-byte aligned tiles travel as two 16-byte loads per work-item
// (128 work-items x 32 bytes = the tile), fetched into registers one tile
// ahead (tile16_fetch) and written to LDS after the barrier (tile16_put),
// so the loads of the next tile are in flight while the WMMAs of this one
// run.  Edge tiles take tile16_edge: guarded element loads, straight to
// LDS.
struct tile_regs {
	uint4 v0, v1;
};

static inline struct tile_regs tile16_fetch(global const ushort *g, uint ld, uint r0,
					    uint k0, bool kcontig, uint tid)
{
	struct tile_regs t;
	if (kcontig) {
		// chunks tid and tid + 128: rows r and r + 32, 8 k each
		uint r = tid >> 2, kk = (tid & 3) * 8;
		global const ushort *p = g + (size_t)(r0 + r) * ld + k0 + kk;
		t.v0 = *(global const uint4 *)p;
		t.v1 = *(global const uint4 *)(p + (size_t)32 * ld);
	} else {
		// 8 rows x 2 consecutive k
		uint kk = (tid >> 3) * 2, r = (tid & 7) * 8;
		global const ushort *p = g + (size_t)(k0 + kk) * ld + r0 + r;
		t.v0 = *(global const uint4 *)p;
		t.v1 = *(global const uint4 *)(p + ld);
	}
	return t;
}

static inline void tile16_put(local ushort *s, struct tile_regs t, bool kcontig, uint tid)
{
	if (kcontig) {
		uint r = tid >> 2, kk = (tid & 3) * 8;
		*(local uint4 *)(s + r * LDSP + kk) = t.v0;
		*(local uint4 *)(s + (r + 32) * LDSP + kk) = t.v1;
		return;
	}
	// transposed on the way in: 8 dwords, each (k, k+1) of one row, so
	// LDS sees only 32-bit stores
	uint kk = (tid >> 3) * 2, r = (tid & 7) * 8;
	uint w0[4] = {t.v0.x, t.v0.y, t.v0.z, t.v0.w}, w1[4] = {t.v1.x, t.v1.y, t.v1.z, t.v1.w};
#pragma unroll
	for (uint j = 0; j < 4; j++) {
		*(local uint *)(s + (r + 2 * j) * LDSP + kk) = (w0[j] & 0xffff) | w1[j] << 16;
		*(local uint *)(s + (r + 2 * j + 1) * LDSP + kk) = (w0[j] >> 16) | (w1[j] & 0xffff0000u);
	}
}

// Edge tile: guarded element loads with zero fill, a dword (two k) at a
// time and not unrolled, so that this rarely used path does not hold
// dozens of loads in flight (and their VGPRs).
static inline void tile16_edge(local ushort *s, global const ushort *g, uint ld, uint r0,
			       uint k0, uint R, uint K, bool kcontig, uint tid)
{
	if (kcontig) {
		for (uint i = 0; i < 2; i++) {
			uint r = (tid >> 2) + 32 * i, kk = (tid & 3) * 8, gr = r0 + r;
			local uint *d = (local uint *)(s + r * LDSP + kk);
			global const ushort *row = g + (size_t)(gr < R ? gr : 0) * ld;
#pragma unroll 1
			for (uint j = 0; j < 8; j += 2) {
				uint gk = k0 + kk + j;
				uint lo = gr < R && gk < K ? row[gk] : 0;
				uint hi = gr < R && gk + 1 < K ? row[gk + 1] : 0;
				d[j / 2] = lo | hi << 16;
			}
		}
		return;
	}
	uint kk = (tid >> 3) * 2, r = (tid & 7) * 8, gk = k0 + kk;
#pragma unroll 1
	for (uint j = 0; j < 8; j++) {
		uint gr = r0 + r + j;
		uint lo = gr < R && gk < K ? g[(size_t)gk * ld + gr] : 0;
		uint hi = gr < R && gk + 1 < K ? g[(size_t)(gk + 1) * ld + gr] : 0;
		*(local uint *)(s + (r + j) * LDSP + kk) = lo | hi << 16;
	}
}

#if defined(__GFX11__)
// 16 consecutive 16-bit elements of a fragment row, from LDS.
static inline v8u frag_from_lds(local const ushort *p)
{
	uint4 lo = ((local const uint4 *)p)[0];
	uint4 hi = ((local const uint4 *)p)[1];
	return (v8u)(lo, hi);
}

// Writes one 16 x 16 accumulator (lane l, element v = row 2v + l/16,
// column l % 16) to C at (row0, col0), clipped to M x N.
static inline void store_acc(global void *c, v8f acc, uint row0, uint col0, uint lane,
			     uint M, uint N, uint ldc, uint ot, bool use_beta,
			     float alpha, float beta)
{
	uint col = col0 + (lane & 15);
	if (col >= N)
		return;
#pragma unroll
	for (uint v = 0; v < 8; v++) {
		uint row = row0 + 2 * v + (lane >> 4);
		if (row < M) {
			size_t o = (size_t)row * ldc + col;
			float val = alpha * acc[v];
			if (use_beta)
				val += beta * load_out(c, o, ot);
			store_out(c, o, ot, val);
		}
	}
}

#define WMMA_F16(a, b, c) __builtin_amdgcn_wmma_f32_16x16x16_f16_w32( \
	__builtin_astype(a, v16h), __builtin_astype(b, v16h), c)
#define WMMA_BF16(a, b, c) __builtin_amdgcn_wmma_f32_16x16x16_bf16_w32( \
	__builtin_astype(a, v16s), __builtin_astype(b, v16s), c)

// One kernel per WMMA flavour; everything else is shared.  Waves are
// arranged 2 x 2 over the 64 x 64 tile; each owns 32 x 32 = 2 x 2 WMMA
// accumulators (32 VGPRs).
#define GEMM_WMMA_KERNEL(NAME, WMMA)                                            \
kernel __attribute__((reqd_work_group_size(128, 1, 1)))                        \
void NAME(global const ushort *a, global const ushort *b, global void *c,      \
	  uint M, uint N, uint K, uint lda, uint ldb, uint ldc, uint flags,     \
	  float alpha, float beta)                                              \
{                                                                               \
	/* 16-byte aligned: fragments are read with ds_load_b128 */            \
	local ushort As[BM * LDSP] __attribute__((aligned(16)));                \
	local ushort Bs[BN * LDSP] __attribute__((aligned(16)));                \
	uint tid = __builtin_amdgcn_workitem_id_x();                            \
	uint lane = tid & 31, wave = tid >> 5;                                  \
	uint wm = wave >> 1, wn = wave & 1;                                     \
	uint m0 = __builtin_amdgcn_workgroup_id_y() * BM;                       \
	uint n0 = __builtin_amdgcn_workgroup_id_x() * BN;                       \
	bool a_kc = !(flags & GF_TRANS_A), b_kc = (flags & GF_TRANS_B) != 0;    \
	v8f acc00 = 0, acc01 = 0, acc10 = 0, acc11 = 0;                         \
	uint r = lane & 15;                                                     \
	/* rows of this tile inside M / N and 16-byte loads allowed: the   */ \
	/* K steps before the last partial one use the prefetched path     */ \
	bool a_rows = (flags & GF_VEC_A) && m0 + BM <= M;                       \
	bool b_rows = (flags & GF_VEC_B) && n0 + BN <= N;                       \
	struct tile_regs ra, rb;                                                \
	if (a_rows && BK <= K)                                                  \
		ra = tile16_fetch(a, lda, m0, 0, a_kc, tid);                    \
	if (b_rows && BK <= K)                                                  \
		rb = tile16_fetch(b, ldb, n0, 0, b_kc, tid);                    \
	for (uint k0 = 0; k0 < K; k0 += BK) {                                   \
		bool k_full = k0 + BK <= K;                                     \
		if (a_rows && k_full)                                           \
			tile16_put(As, ra, a_kc, tid);                          \
		else                                                            \
			tile16_edge(As, a, lda, m0, k0, M, K, a_kc, tid);       \
		if (b_rows && k_full)                                           \
			tile16_put(Bs, rb, b_kc, tid);                          \
		else                                                            \
			tile16_edge(Bs, b, ldb, n0, k0, N, K, b_kc, tid);       \
		wg_barrier();                                                   \
		/* next tile's loads, in flight during the WMMAs below */       \
		uint kn = k0 + BK;                                              \
		if (a_rows && kn + BK <= K)                                     \
			ra = tile16_fetch(a, lda, m0, kn, a_kc, tid);           \
		if (b_rows && kn + BK <= K)                                     \
			rb = tile16_fetch(b, ldb, n0, kn, b_kc, tid);           \
		_Pragma("unroll")                                               \
		for (uint ks = 0; ks < BK; ks += 16) {                          \
			v8u fa0 = frag_from_lds(As + (wm * 32 + r) * LDSP + ks);      \
			v8u fa1 = frag_from_lds(As + (wm * 32 + 16 + r) * LDSP + ks); \
			v8u fb0 = frag_from_lds(Bs + (wn * 32 + r) * LDSP + ks);      \
			v8u fb1 = frag_from_lds(Bs + (wn * 32 + 16 + r) * LDSP + ks); \
			acc00 = WMMA(fa0, fb0, acc00);                          \
			acc01 = WMMA(fa0, fb1, acc01);                          \
			acc10 = WMMA(fa1, fb0, acc10);                          \
			acc11 = WMMA(fa1, fb1, acc11);                          \
		}                                                               \
		wg_barrier();                                                   \
	}                                                                       \
	uint ot = (flags >> GF_OUT_SHIFT) & 3;                                  \
	bool ub = (flags & GF_BETA) != 0;                                       \
	uint rm = m0 + wm * 32, cn = n0 + wn * 32;                              \
	store_acc(c, acc00, rm, cn, lane, M, N, ldc, ot, ub, alpha, beta);      \
	store_acc(c, acc01, rm, cn + 16, lane, M, N, ldc, ot, ub, alpha, beta); \
	store_acc(c, acc10, rm + 16, cn, lane, M, N, ldc, ot, ub, alpha, beta); \
	store_acc(c, acc11, rm + 16, cn + 16, lane, M, N, ldc, ot, ub, alpha, beta); \
}

GEMM_WMMA_KERNEL(gemm_f16, WMMA_F16)
GEMM_WMMA_KERNEL(gemm_bf16, WMMA_BF16)
#elif defined(__GFX10__) || defined(__GFX9__)
// ---- gfx10.3 and gfx9 kernels (16-bit inputs, no WMMA) ---------------------

// The same workgroup (128), tile (64 x 64), K step (32), LDS layout and
// global loads as the WMMA kernels above (tile16_fetch/put/edge), so the
// host plans both alike; only the inner product differs.  Work-item
// (tx = tid % 16, ty = tid / 16) owns the 8 x 4 outputs at rows ty + 8i
// and columns tx + 16j (32 f32 accumulators): strided, so the lanes of a
// wave read 16 different B rows and 2 different A rows of LDS per load.
// Per 8 k (one 16-byte LDS read per row: 8 of A, 4 of B) it does 32 x 4
// two-element products:
//   f16   v_dot2_f32_f16 (every gfx103x has it: dot7-insts): a.x*b.x +
//         a.y*b.y + acc in f32, products exact;
//   bf16  no bf16 dot before gfx11 (dot9-insts): each half widened to f32
//         (a shift or a mask, exact) and two v_fma_f32.
// wave32 like gfx11: the LDS reductions and tile maps assume nothing
// about the wave size, and RDNA2's SIMDs are 32 wide (wave64 runs as two
// passes); gfx9 has wave64 only and runs the same code as 2 waves per
// workgroup; see docs/kernels.md.
typedef half v2h __attribute__((ext_vector_type(2)));

#if defined(__GFX10__) || defined(__gfx906__) || defined(__gfx908__) || defined(__gfx90a__)
static inline float dot2_f16(uint a, uint b, float acc)
{
	return __builtin_amdgcn_fdot2(__builtin_astype(a, v2h), __builtin_astype(b, v2h), acc,
				      false);
}
#else
// gfx900/902/904/909/90c have no f16 dot (clang-19: fdot2 needs
// dot10-insts): each half converted to f32 (v_cvt_f32_f16, exact) and two
// v_fma_f32, the same sums in f32.  Packed f16 FMA (v_pk_fma_f16) would
// accumulate in f16, so it is not used.
static inline float dot2_f16(uint a, uint b, float acc)
{
	acc = __builtin_fmaf((float)__builtin_astype((ushort)a, half),
			     (float)__builtin_astype((ushort)b, half), acc);
	return __builtin_fmaf((float)__builtin_astype((ushort)(a >> 16), half),
			      (float)__builtin_astype((ushort)(b >> 16), half), acc);
}
#endif

static inline float dot2_bf16(uint a, uint b, float acc)
{
	acc = __builtin_fmaf(__builtin_astype(a << 16, float), __builtin_astype(b << 16, float), acc);
	return __builtin_fmaf(__builtin_astype(a & 0xffff0000u, float),
			      __builtin_astype(b & 0xffff0000u, float), acc);
}

#define GEMM_DOT_KERNEL(NAME, DOT2)                                             \
kernel __attribute__((reqd_work_group_size(128, 1, 1)))                        \
void NAME(global const ushort *a, global const ushort *b, global void *c,      \
	  uint M, uint N, uint K, uint lda, uint ldb, uint ldc, uint flags,     \
	  float alpha, float beta)                                              \
{                                                                               \
	local ushort As[BM * LDSP] __attribute__((aligned(16)));                \
	local ushort Bs[BN * LDSP] __attribute__((aligned(16)));                \
	uint tid = __builtin_amdgcn_workitem_id_x();                            \
	uint tx = tid & 15, ty = tid >> 4;                                      \
	uint m0 = __builtin_amdgcn_workgroup_id_y() * BM;                       \
	uint n0 = __builtin_amdgcn_workgroup_id_x() * BN;                       \
	bool a_kc = !(flags & GF_TRANS_A), b_kc = (flags & GF_TRANS_B) != 0;    \
	float acc[8][4];                                                        \
	for (uint i = 0; i < 8; i++)                                            \
		for (uint j = 0; j < 4; j++)                                    \
			acc[i][j] = 0.0f;                                       \
	bool a_rows = (flags & GF_VEC_A) && m0 + BM <= M;                       \
	bool b_rows = (flags & GF_VEC_B) && n0 + BN <= N;                       \
	struct tile_regs ra, rb;                                                \
	if (a_rows && BK <= K)                                                  \
		ra = tile16_fetch(a, lda, m0, 0, a_kc, tid);                    \
	if (b_rows && BK <= K)                                                  \
		rb = tile16_fetch(b, ldb, n0, 0, b_kc, tid);                    \
	for (uint k0 = 0; k0 < K; k0 += BK) {                                   \
		bool k_full = k0 + BK <= K;                                     \
		if (a_rows && k_full)                                           \
			tile16_put(As, ra, a_kc, tid);                          \
		else                                                            \
			tile16_edge(As, a, lda, m0, k0, M, K, a_kc, tid);       \
		if (b_rows && k_full)                                           \
			tile16_put(Bs, rb, b_kc, tid);                          \
		else                                                            \
			tile16_edge(Bs, b, ldb, n0, k0, N, K, b_kc, tid);       \
		wg_barrier();                                                   \
		uint kn = k0 + BK;                                              \
		if (a_rows && kn + BK <= K)                                     \
			ra = tile16_fetch(a, lda, m0, kn, a_kc, tid);           \
		if (b_rows && kn + BK <= K)                                     \
			rb = tile16_fetch(b, ldb, n0, kn, b_kc, tid);           \
		for (uint ks = 0; ks < BK; ks += 8) {                           \
			uint4 av[8], bv[4];                                     \
			_Pragma("unroll")                                       \
			for (uint i = 0; i < 8; i++)                            \
				av[i] = *(local const uint4 *)(As + (ty + 8 * i) * LDSP + ks); \
			_Pragma("unroll")                                       \
			for (uint j = 0; j < 4; j++)                            \
				bv[j] = *(local const uint4 *)(Bs + (tx + 16 * j) * LDSP + ks); \
			_Pragma("unroll")                                       \
			for (uint i = 0; i < 8; i++)                            \
				_Pragma("unroll")                               \
				for (uint j = 0; j < 4; j++) {                  \
					float s = acc[i][j];                    \
					s = DOT2(av[i].x, bv[j].x, s);          \
					s = DOT2(av[i].y, bv[j].y, s);          \
					s = DOT2(av[i].z, bv[j].z, s);          \
					s = DOT2(av[i].w, bv[j].w, s);          \
					acc[i][j] = s;                          \
				}                                               \
		}                                                               \
		wg_barrier();                                                   \
	}                                                                       \
	uint ot = (flags >> GF_OUT_SHIFT) & 3;                                  \
	bool ub = (flags & GF_BETA) != 0;                                       \
	for (uint i = 0; i < 8; i++)                                            \
		for (uint j = 0; j < 4; j++) {                                  \
			uint row = m0 + ty + 8 * i, col = n0 + tx + 16 * j;     \
			if (row < M && col < N) {                               \
				size_t o = (size_t)row * ldc + col;             \
				float val = alpha * acc[i][j];                  \
				if (ub)                                         \
					val += beta * load_out(c, o, ot);       \
				store_out(c, o, ot, val);                       \
			}                                                       \
		}                                                               \
}

GEMM_DOT_KERNEL(gemm_f16, dot2_f16)
GEMM_DOT_KERNEL(gemm_bf16, dot2_bf16)

#if defined(__gfx90a__)
// gfx90a (MI200): gemm_f16_mfma, the same arguments, grid, workgroup (128
// = 2 waves), tile (64 x 64), K step and LDS tiles as gemm_f16, the inner
// product on the matrix cores: wave w owns columns 32w..32w+31 of the
// tile as two 32 x 32 blocks (rows 0-31 and 32-63), each accumulated by
// v_mfma_f32_32x32x8f16 per 8 k.  Register layout (AMD's matrix
// instruction calculator, CDNA2): lane l holds A[l % 32][4(l / 32) ..
// +3] and B[4(l / 32) .. +3][l % 32] (8 bytes of an LDS row each), and D
// element [8(r / 4) + 4(l / 32) + r % 4][l % 32] in register r.  f16
// products are exact; each MFMA adds 8 of them to the f32 accumulator
// (the hardware's order within those 8 is not documented: see
// docs/kernels.md for the bound).  The library selects it for f16 on
// gfx90a (linalg/gemm.c).
typedef float v16f __attribute__((ext_vector_type(16)));
typedef half v4h __attribute__((ext_vector_type(4)));

kernel __attribute__((reqd_work_group_size(128, 1, 1)))
void gemm_f16_mfma(global const ushort *a, global const ushort *b, global void *c,
		   uint M, uint N, uint K, uint lda, uint ldb, uint ldc, uint flags,
		   float alpha, float beta)
{
	local ushort As[BM * LDSP] __attribute__((aligned(16)));
	local ushort Bs[BN * LDSP] __attribute__((aligned(16)));
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint wv = tid >> 6, l = tid & 63, li = l & 31, lk = (l >> 5) * 4;
	uint m0 = __builtin_amdgcn_workgroup_id_y() * BM;
	uint n0 = __builtin_amdgcn_workgroup_id_x() * BN;
	bool a_kc = !(flags & GF_TRANS_A), b_kc = (flags & GF_TRANS_B) != 0;
	v16f acc0 = 0.0f, acc1 = 0.0f;
	bool a_rows = (flags & GF_VEC_A) && m0 + BM <= M;
	bool b_rows = (flags & GF_VEC_B) && n0 + BN <= N;
	struct tile_regs ra, rb;
	if (a_rows && BK <= K)
		ra = tile16_fetch(a, lda, m0, 0, a_kc, tid);
	if (b_rows && BK <= K)
		rb = tile16_fetch(b, ldb, n0, 0, b_kc, tid);
	for (uint k0 = 0; k0 < K; k0 += BK) {
		bool k_full = k0 + BK <= K;
		if (a_rows && k_full)
			tile16_put(As, ra, a_kc, tid);
		else
			tile16_edge(As, a, lda, m0, k0, M, K, a_kc, tid);
		if (b_rows && k_full)
			tile16_put(Bs, rb, b_kc, tid);
		else
			tile16_edge(Bs, b, ldb, n0, k0, N, K, b_kc, tid);
		wg_barrier();
		uint kn = k0 + BK;
		if (a_rows && kn + BK <= K)
			ra = tile16_fetch(a, lda, m0, kn, a_kc, tid);
		if (b_rows && kn + BK <= K)
			rb = tile16_fetch(b, ldb, n0, kn, b_kc, tid);
#pragma unroll
		for (uint ks = 0; ks < BK; ks += 8) {
			uint2 a0 = *(local const uint2 *)(As + li * LDSP + ks + lk);
			uint2 a1 = *(local const uint2 *)(As + (32 + li) * LDSP + ks + lk);
			uint2 bv = *(local const uint2 *)(Bs + (32 * wv + li) * LDSP + ks + lk);
			v4h bh = __builtin_astype(bv, v4h);
			acc0 = __builtin_amdgcn_mfma_f32_32x32x8f16(__builtin_astype(a0, v4h), bh,
								    acc0, 0, 0, 0);
			acc1 = __builtin_amdgcn_mfma_f32_32x32x8f16(__builtin_astype(a1, v4h), bh,
								    acc1, 0, 0, 0);
		}
		wg_barrier();
	}
	uint ot = (flags >> GF_OUT_SHIFT) & 3;
	bool ub = (flags & GF_BETA) != 0;
	uint col = n0 + 32 * wv + li;
	float d[32];
#pragma unroll
	for (uint r = 0; r < 16; r++) {
		d[r] = acc0[r];
		d[16 + r] = acc1[r];
	}
#pragma unroll
	for (uint r = 0; r < 32; r++) {
		uint row = m0 + 32 * (r >> 4) + 8 * ((r & 15) >> 2) + (l >> 5) * 4 + (r & 3);
		if (row < M && col < N) {
			size_t o = (size_t)row * ldc + col;
			float val = alpha * d[r];
			if (ub)
				val += beta * load_out(c, o, ot);
			store_out(c, o, ot, val);
		}
	}
}
#endif
#else
#error "gemm.cl: no 16-bit GEMM for this target (WMMA needs gfx11, the dot path gfx10.3 or gfx9)"
#endif

// ---- f32 kernel -------------------------------------------------------------

#define FBK 16
#define FP 68   // LDS pitch in floats: 64 + 4 keeps float4 alignment

// Copies the 64 x 16 tile (rows r0.., k k0..) of an f32 operand into LDS
// as [k][row] (rows contiguous, what the inner product reads as float4).
// 256 work-items, 256 chunks of 4 elements: one each.
static inline void tile32_to_lds(local float *s, global const float *g, uint ld,
				 uint r0, uint k0, uint R, uint K, bool kcontig,
				 bool vec, uint tid)
{
	bool full = vec && r0 + 64 <= R && k0 + FBK <= K;
	if (kcontig) {
		uint r = tid >> 2, kk = (tid & 3) * 4;
		float e[4];
		if (full) {
			float4 v = *(global const float4 *)(g + (size_t)(r0 + r) * ld + k0 + kk);
			e[0] = v.x; e[1] = v.y; e[2] = v.z; e[3] = v.w;
		} else {
			for (uint j = 0; j < 4; j++) {
				uint gr = r0 + r, gk = k0 + kk + j;
				e[j] = gr < R && gk < K ? g[(size_t)gr * ld + gk] : 0.0f;
			}
		}
		for (uint j = 0; j < 4; j++)
			s[(kk + j) * FP + r] = e[j];
	} else {
		uint kk = tid >> 4, r = (tid & 15) * 4;
		float4 v;
		if (full) {
			v = *(global const float4 *)(g + (size_t)(k0 + kk) * ld + r0 + r);
		} else {
			float e[4];
			for (uint j = 0; j < 4; j++) {
				uint gr = r0 + r + j, gk = k0 + kk;
				e[j] = gr < R && gk < K ? g[(size_t)gk * ld + gr] : 0.0f;
			}
			v = (float4)(e[0], e[1], e[2], e[3]);
		}
		*(local float4 *)(s + kk * FP + r) = v;
	}
}

kernel __attribute__((reqd_work_group_size(256, 1, 1)))
void gemm_f32(global const float *a, global const float *b, global void *c,
	      uint M, uint N, uint K, uint lda, uint ldb, uint ldc, uint flags,
	      float alpha, float beta)
{
	local float As[FBK * FP] __attribute__((aligned(16))); // read as float4
	local float Bs[FBK * FP] __attribute__((aligned(16)));
	uint tid = __builtin_amdgcn_workitem_id_x();
	uint tx = tid & 15, ty = tid >> 4;
	uint m0 = __builtin_amdgcn_workgroup_id_y() * 64;
	uint n0 = __builtin_amdgcn_workgroup_id_x() * 64;
	bool a_kc = !(flags & GF_TRANS_A), b_kc = (flags & GF_TRANS_B) != 0;
	float acc[4][4];
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			acc[i][j] = 0.0f;
	for (uint k0 = 0; k0 < K; k0 += FBK) {
		tile32_to_lds(As, a, lda, m0, k0, M, K, a_kc, (flags & GF_VEC_A) != 0, tid);
		tile32_to_lds(Bs, b, ldb, n0, k0, N, K, b_kc, (flags & GF_VEC_B) != 0, tid);
		wg_barrier();
		for (uint kk = 0; kk < FBK; kk++) {
			float4 av = *(local const float4 *)(As + kk * FP + ty * 4);
			float4 bv = *(local const float4 *)(Bs + kk * FP + tx * 4);
			float ar[4] = {av.x, av.y, av.z, av.w};
			float br[4] = {bv.x, bv.y, bv.z, bv.w};
			for (int i = 0; i < 4; i++)
				for (int j = 0; j < 4; j++)
					acc[i][j] = __builtin_fmaf(ar[i], br[j], acc[i][j]);
		}
		wg_barrier();
	}
	uint ot = (flags >> GF_OUT_SHIFT) & 3;
	bool use_beta = (flags & GF_BETA) != 0;
	for (uint i = 0; i < 4; i++)
		for (uint j = 0; j < 4; j++) {
			uint row = m0 + ty * 4 + i, col = n0 + tx * 4 + j;
			if (row < M && col < N) {
				size_t o = (size_t)row * ldc + col;
				float val = alpha * acc[i][j];
				if (use_beta)
					val += beta * load_out(c, o, ot);
				store_out(c, o, ot, val);
			}
		}
}
