; The image_msaa_load kernels of tests/test_vgpu_msaa_load.c (amdgpu_cs:
; s[0:1] the buffer whose first 32 bytes are the image's T#, output from
; byte 256, s2 the workgroup id X, v0 the work-item id, as vgpu_rig_dispatch
; sets them).  Each texel (x, y) = (tid % 8, tid / 8) of an 8x8 MSAA image
; (32_UINT; store4f and load4h: 32_FLOAT).  Rebuild the arrays there with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=CPU -mattr=+wavefrontsize32 \
;     -filetype=obj -o msaa_load.o msaa_load.ll
; and each function's words of .text up to its s_endpgm: store8, store2
; and load2 with -mcpu=gfx1103, load8 with -mcpu=gfx1150 (LLVM's
; AMDGPUImageIntrinsicOptimizer merges its loads into image_msaa_load) and
; with -mcpu=gfx1103 (it does not on parts with MSAALoadDstSelBug: eight
; image_load), load2 also with -mcpu=gfx1150.

; sample s of texel tid holds 1000 + 8 * tid + s
define amdgpu_cs void @store8(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %b0 = add i32 %base, 1000
  %f0 = bitcast i32 %b0 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f0, i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %b1 = add i32 %base, 1001
  %f1 = bitcast i32 %b1 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f1, i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  %b2 = add i32 %base, 1002
  %f2 = bitcast i32 %b2 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f2, i32 1, i32 %x, i32 %y, i32 2, <8 x i32> %rsrc, i32 0, i32 0)
  %b3 = add i32 %base, 1003
  %f3 = bitcast i32 %b3 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f3, i32 1, i32 %x, i32 %y, i32 3, <8 x i32> %rsrc, i32 0, i32 0)
  %b4 = add i32 %base, 1004
  %f4 = bitcast i32 %b4 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f4, i32 1, i32 %x, i32 %y, i32 4, <8 x i32> %rsrc, i32 0, i32 0)
  %b5 = add i32 %base, 1005
  %f5 = bitcast i32 %b5 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f5, i32 1, i32 %x, i32 %y, i32 5, <8 x i32> %rsrc, i32 0, i32 0)
  %b6 = add i32 %base, 1006
  %f6 = bitcast i32 %b6 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f6, i32 1, i32 %x, i32 %y, i32 6, <8 x i32> %rsrc, i32 0, i32 0)
  %b7 = add i32 %base, 1007
  %f7 = bitcast i32 %b7 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f7, i32 1, i32 %x, i32 %y, i32 7, <8 x i32> %rsrc, i32 0, i32 0)
  ret void
}

; sample s of texel tid holds 1000 + 8 * tid + s
define amdgpu_cs void @store2(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %b0 = add i32 %base, 1000
  %f0 = bitcast i32 %b0 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f0, i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %b1 = add i32 %base, 1001
  %f1 = bitcast i32 %b1 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f1, i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  ret void
}

; out[64 + 8 * tid + s] = sample s of texel tid, s < 8
define amdgpu_cs void @load8(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %v0 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %v1 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  %v2 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 2, <8 x i32> %rsrc, i32 0, i32 0)
  %v3 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 3, <8 x i32> %rsrc, i32 0, i32 0)
  %v4 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 4, <8 x i32> %rsrc, i32 0, i32 0)
  %v5 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 5, <8 x i32> %rsrc, i32 0, i32 0)
  %v6 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 6, <8 x i32> %rsrc, i32 0, i32 0)
  %v7 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 7, <8 x i32> %rsrc, i32 0, i32 0)
  %i0 = add i32 %base, 64
  %e0 = getelementptr i32, ptr addrspace(1) %gp, i32 %i0
  store i32 %v0, ptr addrspace(1) %e0
  %i1 = add i32 %base, 65
  %e1 = getelementptr i32, ptr addrspace(1) %gp, i32 %i1
  store i32 %v1, ptr addrspace(1) %e1
  %i2 = add i32 %base, 66
  %e2 = getelementptr i32, ptr addrspace(1) %gp, i32 %i2
  store i32 %v2, ptr addrspace(1) %e2
  %i3 = add i32 %base, 67
  %e3 = getelementptr i32, ptr addrspace(1) %gp, i32 %i3
  store i32 %v3, ptr addrspace(1) %e3
  %i4 = add i32 %base, 68
  %e4 = getelementptr i32, ptr addrspace(1) %gp, i32 %i4
  store i32 %v4, ptr addrspace(1) %e4
  %i5 = add i32 %base, 69
  %e5 = getelementptr i32, ptr addrspace(1) %gp, i32 %i5
  store i32 %v5, ptr addrspace(1) %e5
  %i6 = add i32 %base, 70
  %e6 = getelementptr i32, ptr addrspace(1) %gp, i32 %i6
  store i32 %v6, ptr addrspace(1) %e6
  %i7 = add i32 %base, 71
  %e7 = getelementptr i32, ptr addrspace(1) %gp, i32 %i7
  store i32 %v7, ptr addrspace(1) %e7
  ret void
}

; out[64 + 8 * tid + s] = sample s of texel tid, s < 2
define amdgpu_cs void @load2(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %v0 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %v1 = call i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  %i0 = add i32 %base, 64
  %e0 = getelementptr i32, ptr addrspace(1) %gp, i32 %i0
  store i32 %v0, ptr addrspace(1) %e0
  %i1 = add i32 %base, 65
  %e1 = getelementptr i32, ptr addrspace(1) %gp, i32 %i1
  store i32 %v1, ptr addrspace(1) %e1
  ret void
}

; 32_FLOAT image: sample s of texel tid holds 8 * tid + s
define amdgpu_cs void @store4f(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %b0 = add i32 %base, 0
  %f0 = uitofp i32 %b0 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f0, i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %b1 = add i32 %base, 1
  %f1 = uitofp i32 %b1 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f1, i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  %b2 = add i32 %base, 2
  %f2 = uitofp i32 %b2 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f2, i32 1, i32 %x, i32 %y, i32 2, <8 x i32> %rsrc, i32 0, i32 0)
  %b3 = add i32 %base, 3
  %f3 = uitofp i32 %b3 to float
  call void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float %f3, i32 1, i32 %x, i32 %y, i32 3, <8 x i32> %rsrc, i32 0, i32 0)
  ret void
}

; d16: out[64 + 8 * tid + s] = sample s of texel tid as half, widened to float
define amdgpu_cs void @load4h(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %l = zext i32 %lo to i64
  %h = zext i32 %hi to i64
  %hs = shl i64 %h, 32
  %a = or i64 %l, %hs
  %cp = inttoptr i64 %a to ptr addrspace(4)
  %rsrc = load <8 x i32>, ptr addrspace(4) %cp, align 32
  %gp = inttoptr i64 %a to ptr addrspace(1)
  %x = and i32 %tid, 7
  %y = lshr i32 %tid, 3
  %base = shl i32 %tid, 3
  %v0 = call half @llvm.amdgcn.image.load.2dmsaa.f16.i32(i32 1, i32 %x, i32 %y, i32 0, <8 x i32> %rsrc, i32 0, i32 0)
  %w0 = fpext half %v0 to float
  %v1 = call half @llvm.amdgcn.image.load.2dmsaa.f16.i32(i32 1, i32 %x, i32 %y, i32 1, <8 x i32> %rsrc, i32 0, i32 0)
  %w1 = fpext half %v1 to float
  %v2 = call half @llvm.amdgcn.image.load.2dmsaa.f16.i32(i32 1, i32 %x, i32 %y, i32 2, <8 x i32> %rsrc, i32 0, i32 0)
  %w2 = fpext half %v2 to float
  %v3 = call half @llvm.amdgcn.image.load.2dmsaa.f16.i32(i32 1, i32 %x, i32 %y, i32 3, <8 x i32> %rsrc, i32 0, i32 0)
  %w3 = fpext half %v3 to float
  %i0 = add i32 %base, 64
  %e0 = getelementptr float, ptr addrspace(1) %gp, i32 %i0
  store float %w0, ptr addrspace(1) %e0
  %i1 = add i32 %base, 65
  %e1 = getelementptr float, ptr addrspace(1) %gp, i32 %i1
  store float %w1, ptr addrspace(1) %e1
  %i2 = add i32 %base, 66
  %e2 = getelementptr float, ptr addrspace(1) %gp, i32 %i2
  store float %w2, ptr addrspace(1) %e2
  %i3 = add i32 %base, 67
  %e3 = getelementptr float, ptr addrspace(1) %gp, i32 %i3
  store float %w3, ptr addrspace(1) %e3
  ret void
}

declare void @llvm.amdgcn.image.store.2dmsaa.f32.i32(float, i32, i32, i32, i32, <8 x i32>, i32, i32)
declare i32 @llvm.amdgcn.image.load.2dmsaa.i32.i32(i32, i32, i32, i32, <8 x i32>, i32, i32)
declare half @llvm.amdgcn.image.load.2dmsaa.f16.i32(i32, i32, i32, i32, <8 x i32>, i32, i32)
