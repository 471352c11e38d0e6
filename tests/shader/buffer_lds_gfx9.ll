; The llc kernel of tests/test_vgpu_gfx9_shader.c's llc_buffer_load_lds
; (amdgpu_cs: s[0:1] the output buffer, s2 the workgroup id X, v0 the
; work-item id, as vgpu_rig_dispatch sets them; one wave64).  Rebuild the
; array there with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx902 -filetype=obj \
;     -o buffer_lds_gfx9.o buffer_lds_gfx9.ll
; and the words of .text up to s_endpgm.
;
; LLVM's llvm.amdgcn.raw.buffer.load.lds, which it lowers on gfx9 to
; buffer_load_dword/ubyte ... lds with M0 = the LDS base: a V# over the
; output buffer (4096 bytes), then each lane loads the dword at
; 0x400 + 4 * tid + 8 (voffset 4 * tid, soffset 0x400, imm offset 8) into
; LDS at @lds + 16, and the byte at 0x800 + tid (imm offset 0) into
; LDS at @lds + 384.  The LDS array (192 dwords) is zeroed first and
; dumped after, lane l writing LDS dwords l, l + 64 and l + 128 to the
; same dwords of out: where each value landed is left for the test to
; check.
@lds = internal addrspace(3) global [192 x i32] poison, align 16

define amdgpu_cs void @k(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %z0 = getelementptr i32, ptr addrspace(3) @lds, i32 %tid
  store i32 0, ptr addrspace(3) %z0
  %t64 = add i32 %tid, 64
  %z1 = getelementptr i32, ptr addrspace(3) @lds, i32 %t64
  store i32 0, ptr addrspace(3) %z1
  %t128 = add i32 %tid, 128
  %z2 = getelementptr i32, ptr addrspace(3) @lds, i32 %t128
  store i32 0, ptr addrspace(3) %z2
  fence syncscope("workgroup") release
  call void @llvm.amdgcn.s.barrier()
  fence syncscope("workgroup") acquire
  %h = and i32 %hi, 65535
  %r0 = insertelement <4 x i32> poison, i32 %lo, i32 0
  %r1 = insertelement <4 x i32> %r0, i32 %h, i32 1
  %r2 = insertelement <4 x i32> %r1, i32 4096, i32 2
  %r3 = insertelement <4 x i32> %r2, i32 163756, i32 3
  %voff = shl i32 %tid, 2
  call void @llvm.amdgcn.raw.buffer.load.lds(<4 x i32> %r3, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @lds, i32 16), i32 4, i32 %voff, i32 1024, i32 8, i32 0)
  call void @llvm.amdgcn.raw.buffer.load.lds(<4 x i32> %r3, ptr addrspace(3) getelementptr (i8, ptr addrspace(3) @lds, i32 384), i32 1, i32 %tid, i32 2048, i32 0, i32 0)
  call void @llvm.amdgcn.s.waitcnt(i32 0)
  fence syncscope("workgroup") release
  call void @llvm.amdgcn.s.barrier()
  fence syncscope("workgroup") acquire
  %a = load volatile i32, ptr addrspace(3) %z0
  %b = load volatile i32, ptr addrspace(3) %z1
  %c = load volatile i32, ptr addrspace(3) %z2
  %a64 = zext i32 %lo to i64
  %b64 = zext i32 %hi to i64
  %c64 = shl i64 %b64, 32
  %d64 = or i64 %a64, %c64
  %out = inttoptr i64 %d64 to ptr addrspace(1)
  %p0 = getelementptr i32, ptr addrspace(1) %out, i32 %tid
  store i32 %a, ptr addrspace(1) %p0
  %p1 = getelementptr i32, ptr addrspace(1) %out, i32 %t64
  store i32 %b, ptr addrspace(1) %p1
  %p2 = getelementptr i32, ptr addrspace(1) %out, i32 %t128
  store i32 %c, ptr addrspace(1) %p2
  ret void
}
declare void @llvm.amdgcn.raw.buffer.load.lds(<4 x i32>, ptr addrspace(3), i32, i32, i32, i32, i32)
declare void @llvm.amdgcn.s.barrier()
declare void @llvm.amdgcn.s.waitcnt(i32)
