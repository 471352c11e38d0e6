; The GDS kernels of tests/test_vgpu_gds.c (amdgpu_cs: s[0:1] the output
; buffer, s2 the workgroup id X, v0 the work-item id, as vgpu_rig_dispatch
; sets them).  Rebuild the arrays there with
;   llc-19 -mtriple=amdgcn--amdpal -mcpu=gfx1100 -mattr=+wavefrontsize32 \
;     -filetype=obj -o gds.o gds.ll
; and each function's words of .text (trailing s_nop / s_code_end padding
; dropped); likewise with -mcpu=gfx1030 and with -mcpu=gfx902
; -mattr=+wavefrontsize64.  @g (addrspace 2, "region") lives in GDS: llc
; sets M0 to the kernel's GDS size (32: base 0, size 32) before each
; access.  Every access is an atomic: llc-19 fails to select region
; (GDS) loads and stores ("Cannot select" on the last one of a block), so
; init writes with exchanges and read reads with "or 0" / "add 0", %wg
; being 0 there (one workgroup).  The plain loads and stores are covered
; by the hand-assembled kernels of the test.

; Lane 0 initialises GDS bytes 4-19: a counter at 4, a word at 8, a
; maximum at 12 and the 64-bit word at 16 (0xffffffff).
define amdgpu_cs void @init(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %first = icmp eq i32 %tid, 0
  br i1 %first, label %st, label %end
st:
  %off = shl i32 %wg, 6
  %p = getelementptr i8, ptr addrspace(2) @g, i32 %off
  %p4 = getelementptr i8, ptr addrspace(2) %p, i32 4
  %p8 = getelementptr i8, ptr addrspace(2) %p, i32 8
  %p12 = getelementptr i8, ptr addrspace(2) %p, i32 12
  %p16 = getelementptr i8, ptr addrspace(2) %p, i32 16
  %x4 = atomicrmw xchg ptr addrspace(2) %p4, i32 0 monotonic
  %x8 = atomicrmw xchg ptr addrspace(2) %p8, i32 287454020 monotonic
  %x12 = atomicrmw xchg ptr addrspace(2) %p12, i32 0 monotonic
  %x16 = atomicrmw xchg ptr addrspace(2) %p16, i64 4294967295 monotonic
  br label %end
end:
  ret void
}

; Every lane of every wave: counter += 1, maximum = max(maximum, 64 * wg +
; tid), and the 64-bit word += 1.
define amdgpu_cs void @add(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %base = shl i32 %wg, 6
  %gid = add i32 %base, %tid
  %o1 = atomicrmw add ptr addrspace(2) getelementptr (i8, ptr addrspace(2) @g, i32 4), i32 1 monotonic
  %o2 = atomicrmw umax ptr addrspace(2) getelementptr (i8, ptr addrspace(2) @g, i32 12), i32 %gid monotonic
  %o3 = atomicrmw add ptr addrspace(2) getelementptr (i8, ptr addrspace(2) @g, i32 16), i64 1 monotonic
  ret void
}

; Lane 0 copies GDS bytes 4-23 to out[0..4].
define amdgpu_cs void @read(i32 inreg %lo, i32 inreg %hi, i32 inreg %wg, i32 %tid) {
  %a = zext i32 %lo to i64
  %b = zext i32 %hi to i64
  %c = shl i64 %b, 32
  %d = or i64 %a, %c
  %out = inttoptr i64 %d to ptr addrspace(1)
  %first = icmp eq i32 %tid, 0
  br i1 %first, label %ld, label %end
ld:
  %off = shl i32 %wg, 6
  %p = getelementptr i8, ptr addrspace(2) @g, i32 %off
  %p4 = getelementptr i8, ptr addrspace(2) %p, i32 4
  %p8 = getelementptr i8, ptr addrspace(2) %p, i32 8
  %p12 = getelementptr i8, ptr addrspace(2) %p, i32 12
  %p16 = getelementptr i8, ptr addrspace(2) %p, i32 16
  %w64 = zext i32 %wg to i64
  %v0 = atomicrmw or ptr addrspace(2) %p4, i32 %wg monotonic
  %v1 = atomicrmw or ptr addrspace(2) %p8, i32 %wg monotonic
  %v2 = atomicrmw or ptr addrspace(2) %p12, i32 %wg monotonic
  %v3 = atomicrmw add ptr addrspace(2) %p16, i64 %w64 monotonic
  store i32 %v0, ptr addrspace(1) %out
  %q1 = getelementptr i32, ptr addrspace(1) %out, i32 1
  store i32 %v1, ptr addrspace(1) %q1
  %q2 = getelementptr i32, ptr addrspace(1) %out, i32 2
  store i32 %v2, ptr addrspace(1) %q2
  %q3 = getelementptr i32, ptr addrspace(1) %out, i32 3
  store i64 %v3, ptr addrspace(1) %q3, align 4
  br label %end
end:
  ret void
}

@g = addrspace(2) global [8 x i32] undef, align 4
