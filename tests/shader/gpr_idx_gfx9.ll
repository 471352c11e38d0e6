; The llc kernel of tests/test_vgpu_gfx9_shader.c's llc_vgpr_index_mode
; (amdgpu_cs: s[0:1] the output buffer, s2 the workgroup id X, v0 the
; work-item id, as vgpu_rig_dispatch sets them).  Rebuild the array there
; with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx902 -amdgpu-vgpr-index-mode \
;     -amdgpu-use-divergent-register-indexing -filetype=obj \
;     -o gpr_idx_gfx9.o gpr_idx_gfx9.ll
; and the words of .text up to s_endpgm.
;
; A <4 x i32> in VGPRs indexed by a per-lane value: with those options
; LLVM reads and writes the element through gfx9's VGPR index mode
; (s_set_gpr_idx_on ... gpr_idx(SRC0) / gpr_idx(DST), a v_mov_b32,
; s_set_gpr_idx_off) in a readfirstlane loop over the distinct indices.
; Lane l: v = {l, l + 100, l + 200, l + 300}; e = v[l & 3];
; v[(l >> 4) & 3] = e; stores v.
define amdgpu_cs void @gi(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a64 = zext i32 %lo to i64
  %b64 = zext i32 %hi to i64
  %c64 = shl i64 %b64, 32
  %d64 = or i64 %a64, %c64
  %out = inttoptr i64 %d64 to ptr addrspace(1)
  %v0 = insertelement <4 x i32> poison, i32 %tid, i32 0
  %v1 = shufflevector <4 x i32> %v0, <4 x i32> poison, <4 x i32> zeroinitializer
  %v2 = add <4 x i32> %v1, <i32 0, i32 100, i32 200, i32 300>
  %i = and i32 %tid, 3
  %e = extractelement <4 x i32> %v2, i32 %i
  %j = lshr i32 %tid, 4
  %j2 = and i32 %j, 3
  %v3 = insertelement <4 x i32> %v2, i32 %e, i32 %j2
  %p = getelementptr <4 x i32>, ptr addrspace(1) %out, i32 %tid
  store <4 x i32> %v3, ptr addrspace(1) %p
  ret void
}
