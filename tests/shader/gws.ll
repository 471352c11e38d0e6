; The GWS kernels of tests/test_vgpu_gws.c (amdgpu_cs: s[0:1] the output
; buffer, s2 the workgroup id X, v0 the work-item id, as vgpu_rig_dispatch
; sets them).  Rebuild the arrays there with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx1100 -mattr=+wavefrontsize32 \
;     -filetype=obj -o gws.o gws.ll
; and each function's words of .text (trailing s_nop padding dropped);
; likewise with -mcpu=gfx1030 and with -mcpu=gfx902 -mattr=+wavefrontsize64.

; Grid-wide barrier: every lane adds 1 to out[0]; wave 0 of workgroup 0
; initialises GWS resource 0 for `nwaves` waves; after ds_gws_barrier every
; wave stores what it reads in out[0] to out[1 + wave].
define amdgpu_cs void @barrier(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a = zext i32 %lo to i64
  %b = zext i32 %hi to i64
  %c = shl i64 %b, 32
  %d = or i64 %a, %c
  %out = inttoptr i64 %d to ptr addrspace(1)
  %old = atomicrmw add ptr addrspace(1) %out, i32 1 monotonic
  %w0 = icmp eq i32 %wg, 0
  %t0 = icmp ult i32 %tid, 32
  %first = and i1 %w0, %t0
  br i1 %first, label %init, label %bar
init:
  call void @llvm.amdgcn.ds.gws.init(i32 7, i32 0)
  br label %bar
bar:
  fence syncscope("agent") release
  call void @llvm.amdgcn.ds.gws.barrier(i32 7, i32 0)
  fence syncscope("agent") acquire
  %v = load atomic i32, ptr addrspace(1) %out monotonic, align 4
  %wv = lshr i32 %tid, 5
  %wg2 = shl i32 %wg, 1
  %idx0 = add i32 %wg2, %wv
  %idx = add i32 %idx0, 1
  %p = getelementptr i32, ptr addrspace(1) %out, i32 %idx
  store i32 %v, ptr addrspace(1) %p
  ret void
}

; Semaphores: workgroups 0 and 1 wait (sema_p on resource 2) for the value
; workgroup 2 stores to out[1] before its sema_br 2 (or release_all in
; @release), then store it to out[2 + wg].
define amdgpu_cs void @sema(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a = zext i32 %lo to i64
  %b = zext i32 %hi to i64
  %c = shl i64 %b, 32
  %d = or i64 %a, %c
  %out = inttoptr i64 %d to ptr addrspace(1)
  %p1 = getelementptr i32, ptr addrspace(1) %out, i32 1
  %prod = icmp eq i32 %wg, 2
  br i1 %prod, label %producer, label %consumer
producer:
  store atomic i32 85, ptr addrspace(1) %p1 monotonic, align 4
  fence syncscope("agent") release
  call void @llvm.amdgcn.ds.gws.sema.br(i32 2, i32 2)
  ret void
consumer:
  call void @llvm.amdgcn.ds.gws.sema.p(i32 2)
  fence syncscope("agent") acquire
  %v = load atomic i32, ptr addrspace(1) %p1 monotonic, align 4
  %i = add i32 %wg, 2
  %q = getelementptr i32, ptr addrspace(1) %out, i32 %i
  store i32 %v, ptr addrspace(1) %q
  ret void
}

define amdgpu_cs void @release(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a = zext i32 %lo to i64
  %b = zext i32 %hi to i64
  %c = shl i64 %b, 32
  %d = or i64 %a, %c
  %out = inttoptr i64 %d to ptr addrspace(1)
  %p1 = getelementptr i32, ptr addrspace(1) %out, i32 1
  %prod = icmp eq i32 %wg, 2
  br i1 %prod, label %producer, label %consumer
producer:
  store atomic i32 86, ptr addrspace(1) %p1 monotonic, align 4
  fence syncscope("agent") release
  call void @llvm.amdgcn.ds.gws.sema.release.all(i32 2)
  ret void
consumer:
  call void @llvm.amdgcn.ds.gws.sema.p(i32 2)
  fence syncscope("agent") acquire
  %v = load atomic i32, ptr addrspace(1) %p1 monotonic, align 4
  %i = add i32 %wg, 2
  %q = getelementptr i32, ptr addrspace(1) %out, i32 %i
  store i32 %v, ptr addrspace(1) %q
  ret void
}

; A semaphore P nothing releases: the deadlock the vgpu reports.
define amdgpu_cs void @stuck(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  call void @llvm.amdgcn.ds.gws.sema.p(i32 0)
  ret void
}

; A resource past a one-resource partition.
define amdgpu_cs void @outside(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  call void @llvm.amdgcn.ds.gws.sema.v(i32 1)
  ret void
}
declare void @llvm.amdgcn.ds.gws.init(i32, i32)
declare void @llvm.amdgcn.ds.gws.barrier(i32, i32)
declare void @llvm.amdgcn.ds.gws.sema.p(i32)
declare void @llvm.amdgcn.ds.gws.sema.v(i32)
declare void @llvm.amdgcn.ds.gws.sema.br(i32, i32)
declare void @llvm.amdgcn.ds.gws.sema.release.all(i32)
