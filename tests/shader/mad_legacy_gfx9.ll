; The llc kernel of tests/test_vgpu_gfx9_shader.c's llc_mad_legacy
; (amdgpu_cs: s[0:1] the output buffer, s2 the workgroup id X, v0 the
; work-item id, as vgpu_rig_dispatch sets them).  Rebuild the array there
; with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx902 -filetype=obj \
;     -o mad_legacy_gfx9.o mad_legacy_gfx9.ll
; and the words of .text up to s_endpgm.
;
; llvm.amdgcn.fmul.legacy plus an fadd, with f32 denormals flushed: LLVM
; selects gfx9's v_mad_legacy_f32 for the pair.  a = lane - 3 (0 on lane
; 3), b = +inf on odd lanes and 2.5 on even ones, c = 0.5.
define amdgpu_cs void @mad(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) #0 {
  %a64 = zext i32 %lo to i64
  %b64 = zext i32 %hi to i64
  %c64 = shl i64 %b64, 32
  %d64 = or i64 %a64, %c64
  %out = inttoptr i64 %d64 to ptr addrspace(1)
  %t3 = sub i32 %tid, 3
  %a = sitofp i32 %t3 to float
  %odd = and i32 %tid, 1
  %isodd = icmp ne i32 %odd, 0
  %b = select i1 %isodd, float 0x7FF0000000000000, float 2.5
  %m = call float @llvm.amdgcn.fmul.legacy(float %a, float %b)
  %r = fadd float %m, 0.5
  %p = getelementptr float, ptr addrspace(1) %out, i32 %tid
  store float %r, ptr addrspace(1) %p
  ret void
}
declare float @llvm.amdgcn.fmul.legacy(float, float)
attributes #0 = { "denormal-fp-math-f32"="preserve-sign,preserve-sign" }
