; The llc kernel of tests/test_vgpu_gs_regs.c (amdgpu_cs: s[0:1] the output
; buffer, s2 the workgroup id X, v0 the work-item id, as vgpu_rig_dispatch
; sets them).  Rebuild the array there with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx1100 -mattr=+wavefrontsize32 \
;     -filetype=obj -o gs_regs.o gs_regs.ll
; and the words of .text up to s_endpgm (the s_code_end padding dropped).

; Streamout-style counters in gfx11's GDS GS registers, as Mesa's
; ac_nir_to_llvm.c calls the intrinsics (offset: byte offset from
; GDS_STRMOUT_DWORDS_WRITTEN_0), from one lane of the wave.
define amdgpu_cs void @counters(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a = zext i32 %lo to i64
  %b = zext i32 %hi to i64
  %c = shl i64 %b, 32
  %d = or i64 %a, %c
  %out = inttoptr i64 %d to ptr addrspace(1)
  %first = icmp eq i32 %tid, 0
  br i1 %first, label %add, label %end
add:
  %r0 = call i32 @llvm.amdgcn.ds.add.gs.reg.rtn.i32(i32 40, i32 8)
  %r1 = call i32 @llvm.amdgcn.ds.sub.gs.reg.rtn.i32(i32 3, i32 12)
  %r2 = call i64 @llvm.amdgcn.ds.add.gs.reg.rtn.i64(i32 1000, i32 36)
  store i32 %r0, ptr addrspace(1) %out
  %o1 = getelementptr i32, ptr addrspace(1) %out, i32 1
  store i32 %r1, ptr addrspace(1) %o1
  %o2 = getelementptr i64, ptr addrspace(1) %out, i32 1
  store i64 %r2, ptr addrspace(1) %o2
  br label %end
end:
  ret void
}
declare i32 @llvm.amdgcn.ds.add.gs.reg.rtn.i32(i32, i32 immarg)
declare i32 @llvm.amdgcn.ds.sub.gs.reg.rtn.i32(i32, i32 immarg)
declare i64 @llvm.amdgcn.ds.add.gs.reg.rtn.i64(i32, i32 immarg)
