// s_buffer_load_* through hand-built buffer resources (V#), for
// tests/test_vgpu_smem.c.  Kernarg: 0 out (u64), 16 V# A, 32 V# B.
// Writes 24 dwords to out: [0] b32 at 0 of A, [1] b32 at 0x100 of A,
// [2:3] b64 at 56 of A, [4:7] b128 at soffset 48 + 4 of A,
// [8:15] b256 at 32 of A, [16:23] b256 at 16 of B.
	.amdgcn_target "amdgcn-amd-amdhsa--gfx1103"
	.text
	.globl smem_buffer
	.p2align 8
	.type smem_buffer,@function
smem_buffer:
	s_load_b64 s[4:5], s[0:1], 0x0
	s_load_b128 s[8:11], s[0:1], 0x10
	s_load_b128 s[36:39], s[0:1], 0x20
	s_waitcnt lgkmcnt(0)
	s_mov_b32 s20, 48
	s_buffer_load_b32 s12, s[8:11], 0x0
	s_buffer_load_b32 s13, s[8:11], 0x100
	s_buffer_load_b64 s[14:15], s[8:11], 0x38
	s_buffer_load_b128 s[16:19], s[8:11], s20 offset:0x4
	s_buffer_load_b256 s[24:31], s[8:11], 0x20
	s_buffer_load_b256 s[40:47], s[36:39], 0x10
	s_waitcnt lgkmcnt(0)
	v_mov_b32 v0, 0
	v_mov_b32 v1, s12
	v_mov_b32 v2, s13
	v_mov_b32 v3, s14
	v_mov_b32 v4, s15
	v_mov_b32 v5, s16
	v_mov_b32 v6, s17
	v_mov_b32 v7, s18
	v_mov_b32 v8, s19
	v_mov_b32 v9, s24
	v_mov_b32 v10, s25
	v_mov_b32 v11, s26
	v_mov_b32 v12, s27
	v_mov_b32 v13, s28
	v_mov_b32 v14, s29
	v_mov_b32 v15, s30
	v_mov_b32 v16, s31
	v_mov_b32 v17, s40
	v_mov_b32 v18, s41
	v_mov_b32 v19, s42
	v_mov_b32 v20, s43
	v_mov_b32 v21, s44
	v_mov_b32 v22, s45
	v_mov_b32 v23, s46
	v_mov_b32 v24, s47
	global_store_b128 v0, v[1:4], s[4:5]
	global_store_b128 v0, v[5:8], s[4:5] offset:16
	global_store_b128 v0, v[9:12], s[4:5] offset:32
	global_store_b128 v0, v[13:16], s[4:5] offset:48
	global_store_b128 v0, v[17:20], s[4:5] offset:64
	global_store_b128 v0, v[21:24], s[4:5] offset:80
	s_endpgm
.Lend:
	.size smem_buffer, .Lend-smem_buffer

	.rodata
	.p2align 6
	.amdhsa_kernel smem_buffer
		.amdhsa_user_sgpr_kernarg_segment_ptr 1
		.amdhsa_kernarg_size 48
		.amdhsa_next_free_vgpr 25
		.amdhsa_next_free_sgpr 48
		.amdhsa_wavefront_size32 1
		.amdhsa_system_vgpr_workitem_id 0
		.amdhsa_float_denorm_mode_32 3
	.end_amdhsa_kernel
