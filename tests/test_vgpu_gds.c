/*
 * GDS memory on the vgpu: a submission whose BO list holds a GDS BO gets
 * a GDS partition (drm/gds.c), and the shader core executes the DS
 * loads, stores and atomics with the gds bit on the chip's GDS memory
 * (shader/ds.c ds_gds, exec/gds_mem.c).  The kernels are what llc-19
 * makes of region (addrspace 2) atomics for gfx1100, gfx1030 (680m) and
 * gfx902 (raven) (tests/shader/gds.ll), and hand-assembled gfx11 code
 * for the addressing edges.  Only the vgpu has run them.
 */
#include "vgpu_rig.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <amdgpu.h>
#include <amdgpu_drm.h>

static const uint32_t gfx11_add[] = {
	0xca100081, 0x02020080, 0xd6460004, 0x04010c02, 0x7e000281, 0x7e020280,
	0xbefd00a0, 0xd8020004, 0x00000203, 0xd822000c, 0x00000403, 0xd9020010,
	0x00000003, 0xbfb00000,
};

static const uint32_t gfx11_init[] = {
	0xbe80007e, 0x7d940080, 0xbfa50012, 0x84008602, 0xbf870009, 0xca100080,
	0x02020000, 0x7e0802ff, 0x11223344, 0x7e0002c1, 0x7e020280, 0xbefd00a0,
	0xd8b60004, 0x05000203, 0xd8b60008, 0x04000403, 0xbf89fff1, 0xd8b6000c,
	0x02000203, 0xd9b60010, 0x00000003, 0xbfb00000,
};

static const uint32_t gfx11_read[] = {
	0xbe83007e, 0x7d940080, 0xbfa50014, 0x84038602, 0xca100002, 0x03040080,
	0x7e0a0203, 0xbefd00a0, 0xd8aa0004, 0x00000305, 0xd8aa0008, 0x01000305,
	0xd8aa000c, 0x02000305, 0xbf89fff0, 0xd9820010, 0x05000305, 0xbf89fc17,
	0xdc720000, 0x00000004, 0xbf89fc07, 0xdc6e000c, 0x00000504, 0xbf800000,
	0xbfb60003, 0xbfb00000,
};

static const uint32_t gfx103_add[] = {
	0x7e040281, 0x7e060280, 0xd7460004, 0x04010c02, 0x7e000281, 0x7e020280,
	0xbefc03a0, 0xd8020004, 0x00000203, 0xd822000c, 0x00000403, 0xd9020010,
	0x00000003, 0xbf810000,
};

static const uint32_t gfx103_init[] = {
	0xbe80037e, 0x7da40080, 0xbf880011, 0x8f008602, 0x7e040280, 0x7e060200,
	0x7e0802ff, 0x11223344, 0x7e0002c1, 0x7e020280, 0xbefc03a0, 0xd8b60004,
	0x05000203, 0xd8b60008, 0x04000403, 0xbf8cff1f, 0xd8b6000c, 0x02000203,
	0xd9b60010, 0x00000003, 0xbf810000,
};

static const uint32_t gfx103_read[] = {
	0xbe83037e, 0x7da40080, 0xbf880014, 0x8f038602, 0x7e060202, 0x7e0a0203,
	0x7e080280, 0xbefc03a0, 0xd8aa0004, 0x00000305, 0xd8aa0008, 0x01000305,
	0xd8aa000c, 0x02000305, 0xbf8cff0f, 0xd9820010, 0x05000305, 0xbf8cc17f,
	0xdc7c8000, 0x00000004, 0xbf8cc07f, 0xdc74800c, 0x00000504, 0xbf810000,
};

static const uint32_t gfx9_add[] = {
	0xd1fd0002, 0x04010c02, 0x7e000281, 0x7e060280, 0xbefc00a0, 0xbf800000,
	0xd8010004, 0x00000003, 0xbf8ccf0f, 0x7e000281, 0x7e020280, 0xd811000c,
	0x00000203, 0xd8810010, 0x00000003, 0xbf810000,
};

static const uint32_t gfx9_init[] = {
	0x7d940080, 0xbe80206a, 0xbf880013, 0x8e008602, 0x7e040280, 0x7e060200,
	0xbefc00a0, 0xbf800000, 0xd85b0004, 0x00000203, 0xbf8cc07f, 0x7e0002ff,
	0x11223344, 0xd85b0008, 0x00000003, 0xbf8cc00f, 0x7e0002c1, 0x7e020280,
	0xd85b000c, 0x02000203, 0xd8db0010, 0x00000003, 0xbf810000,
};

static const uint32_t gfx9_read[] = {
	0x7d940080, 0xbe84206a, 0xbf880015, 0x8e038602, 0x7e080280, 0x7e060202,
	0x7e0a0203, 0xbefc00a0, 0xbf800000, 0xd8550004, 0x00000305, 0xd8550008,
	0x01000305, 0xd855000c, 0x02000305, 0xbf8ccf0f, 0xd8c10010, 0x05000305,
	0xbf8cc17f, 0xdc788000, 0x00000004, 0xbf8cc07f, 0xdc74800c, 0x00000504,
	0xbf810000,
};


/* Hand-assembled gfx11 (llvm-mc-19 -mcpu=gfx1100):
 * base:   s_mov_b32 m0, 0x100010 (gds_base 16, gds_size 16);
 *         ds_store_b32 v2(=0), v1(=0x1234abcd) offset:4 gds  -> GDS byte 20;
 *         s_mov_b32 m0, 32; ds_load_b32 v3, v2 offset:20 gds;
 *         s_mov_b32 exec_lo, 1 (only lane 0 loaded: gfx11 GDS is one lane
 *         wide, the others' v3 is what it was); global_store_b32 v2, v3,
 *         s[0:1]
 * size:   s_mov_b32 m0, 8; ds_load_b32 v3, v2(=0) offset:8 gds  (bytes 8-11
 *         of an 8-byte window)
 * window: s_mov_b32 m0, 0x10000010 (base 4096, size 16); ds_load_b32 v3,
 *         v2(=0) gds  (past a 4 KiB partition) */
static const uint32_t edge_base[] = {
	0xbefd00ff, 0x00100010, 0x7e0202ff, 0x1234abcd, 0x7e040280, 0xd8360004,
	0x00000102, 0xbf89fc07, 0xbefd00a0, 0xd8da0014, 0x03000002, 0xbf89fc07,
	0xbefe0081, 0xdc6a0000, 0x00000302, 0xbf8903f7, 0xbfb00000,
};

static const uint32_t edge_size[] = {
	0xbefd0088, 0x7e040280, 0xd8da0008, 0x03000002, 0xbf89fc07, 0xbfb00000,
};

static const uint32_t edge_window[] = {
	0xbefd00ff, 0x10000010, 0x7e040280, 0xd8da0000, 0x03000002, 0xbf89fc07,
	0xbfb00000,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))


struct gds_kernels {
	const uint32_t *init, *add, *read;
	size_t n_init, n_add, n_read;
	bool wave64;
};

/* init (one workgroup), add (4 workgroups of 64 work-items: 8 waves of
 * 32 or 4 of 64), read (one workgroup) in three submissions: GDS keeps
 * its contents between them, as the chip's does.  `adders` is how many
 * lanes took part in the atomics, `max` the largest id among them. */
static void expect_counts(const struct gds_kernels *k, uint32_t adders, uint32_t max)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	uint32_t threads = k->wave64 ? 64 : 32;
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(k->init, k->n_init, 1, threads, k->wave64,
						&out, log, sizeof(log)), 0,
		     "%s", log);
	cr_assert_eq(vgpu_rig_run_logged(k->add, k->n_add, 4, 64, k->wave64,
						&out, log, sizeof(log)), 0, "%s", log);
	cr_assert_eq(vgpu_rig_run_logged(k->read, k->n_read, 1, threads, k->wave64,
						&out, log, sizeof(log)), 0,
		     "%s", log);
	const uint32_t *o = out->cpu;
	uint64_t wide = 0xffffffffull + adders;
	cr_expect_eq(o[0], adders, "counter %u, want %u", o[0], adders);
	cr_expect_eq(o[1], 0x11223344u, "word %#x", o[1]);
	cr_expect_eq(o[2], max, "maximum %u, want %u", o[2], max);
	cr_expect_eq(o[3], (uint32_t)wide, "64-bit low %#x", o[3]);
	cr_expect_eq(o[4], (uint32_t)(wide >> 32), "64-bit high %#x", o[4]);
}

TestSuite(vgpu_gds, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

/* gfx11: "GDS / GWS is now only a single lane wide" (RDNA3 ISA): of
 * every wave only its first active lane adds, so 8 waves add 8, and the
 * maximum is the last wave's first lane, 7 * 32. */
Test(vgpu_gds, llc_region_atomics_first_lane_only)
{
	struct gds_kernels k = { gfx11_init, gfx11_add, gfx11_read, N(gfx11_init), N(gfx11_add),
				 N(gfx11_read), false };
	expect_counts(&k, 8, 7 * 32);
}

/* M0[31:16] is the window's base: a store at byte 4 of the window based
 * at 16 is byte 20 of the partition. */
Test(vgpu_gds, m0_base_offsets_the_window)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(edge_base, N(edge_base), 1, 32, false,
						&out, log, sizeof(log)), 0, "%s",
		     log);
	cr_expect_eq(((const uint32_t *)out->cpu)[0], 0x1234abcdu, "read %#x",
		     ((const uint32_t *)out->cpu)[0]);
}

/* What the guides leave open faults, naming it. */
Test(vgpu_gds, access_past_m0_size_is_a_fault)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(edge_size, N(edge_size), 1, 32, false,
						&out, log, sizeof(log)),
		     -ECANCELED);
	cr_expect(strstr(log, "GDS bytes [8, 12)") && strstr(log, "GDS size of 8 bytes"), "%s",
		  log);
}

Test(vgpu_gds, window_past_partition_is_a_fault)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(edge_window, N(edge_window), 1, 32, false,
						&out, log, sizeof(log)),
		     -ECANCELED);
	cr_expect(strstr(log, "base 4096, size 16") && strstr(log, "partition of 4096 bytes"),
		  "%s", log);
}

/* Without a GDS BO the job's VMID has no GDS partition (GDS_VMID size 0). */
Test(vgpu_gds, no_partition_without_gds_bo)
{
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(edge_base, N(edge_base), 1, 32, false,
						&out, log, sizeof(log)),
		     -ECANCELED);
	cr_expect(strstr(log, "no GDS partition"), "%s", log);
}

/* ---- gfx10.3 (680m, GC 10.3.3) and gfx9 (raven, GC 9.1.0) -------------- */

TestSuite(vgpu_gds_gfx103, .init = vgpu_rig_setup_680m, .fini = vgpu_rig_teardown);
TestSuite(vgpu_gds_gfx9, .init = vgpu_rig_setup_raven, .fini = vgpu_rig_teardown);

/* Before gfx11 every active lane takes part: 256 adds, maximum 255. */
Test(vgpu_gds_gfx103, llc_region_atomics_every_lane)
{
	struct gds_kernels k = { gfx103_init, gfx103_add, gfx103_read, N(gfx103_init),
				 N(gfx103_add), N(gfx103_read), false };
	expect_counts(&k, 256, 255);
}

Test(vgpu_gds_gfx9, llc_region_atomics_every_lane)
{
	struct gds_kernels k = { gfx9_init, gfx9_add, gfx9_read, N(gfx9_init), N(gfx9_add),
				 N(gfx9_read), true };
	expect_counts(&k, 256, 255);
}

/* What stays a fault with a GDS (and GWS and OA) partition: the forms the
 * guides leave undefined on GDS, and ds_ordered_count, whose ordering
 * rule they do not pin down; the reason names what is missing. */
static void expect_fault_both(const uint32_t *code, size_t n, const char *what,
			      const char *what2)
{
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GWS, 64);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_OA, 16);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(code, n, 1, 32, false,
						&out, log, sizeof(log)), -ECANCELED);
	cr_expect(strstr(log, what), "want \"%s\" in: %s", what, log);
	if (what2)
		cr_expect(strstr(log, what2), "want \"%s\" in: %s", what2, log);
}

static void expect_fault(const uint32_t *code, size_t n, const char *what)
{
	expect_fault_both(code, n, what, NULL);
}

/* s_mov_b32 m0, 32; v_mov_b32 v0, 1; <op> gds; s_endpgm */
#define GDS_OP(a, b) { 0xbefd00a0, 0x7e000281, a, b, 0xbf89fc07, 0xbfb00000 }

Test(vgpu_gds, ordered_count_is_a_fault_naming_the_undefined_order)
{
	static const uint32_t code[] = GDS_OP(0xd8fe0304, 0x01000000); /* offset:772 */
	expect_fault_both(code, N(code), "ds_ordered_count: GDS ordered count is not modelled (the "
			  "ISA guides order requests by wave creation",
			  "config registers; AMD's rocJITsu simulator does not execute it either)");
}

Test(vgpu_gds, append_on_gds_is_a_fault)
{
	static const uint32_t code[] = GDS_OP(0xd8fa0000, 0x01000000);
	expect_fault(code, N(code), "ds_append with the gds bit: GDS append/consume");
}

Test(vgpu_gds, addtid_is_lds_only)
{
	static const uint32_t addtid[] = GDS_OP(0xdac60000, 0x01000000);
	expect_fault(addtid, N(addtid), "ds_load_addtid_b32 with the gds bit: the opcode is LDS only");
}

Test(vgpu_gds, swizzle_is_lds_only)
{
	static const uint32_t swizzle[] = GDS_OP(0xd8d6041f, 0x01000000);
	expect_fault(swizzle, N(swizzle), "ds_swizzle_b32 with the gds bit: the opcode is LDS only");
}

/* Plain forms on GDS (llvm-mc-19 -mcpu=gfx1100): m0 = 64; v0 = 8;
 * ds_store_2addr_b32 v0, v1(=0x11), v2(=0x22) offset0:1 offset1:3 gds
 * (bytes 12 and 20); ds_load_2addr_b32 v[4:5] of the same; ds_load_u8 v6,
 * v0 offset:4 gds; from lane 0: global_store_b96 of v[4:6]. */
Test(vgpu_gds, two_address_and_sub_dword_forms)
{
	static const uint32_t code[] = {
		0xbefd00c0, 0x7e020291, 0x7e0402a2, 0x7e000288, 0xd83a0301, 0x00020100,
		0xbf89fc07, 0xd8de0301, 0x04000000, 0xd8ea0004, 0x06000000, 0xbf89fc07,
		0xbefe0081, 0x7e000280, 0xdc720000, 0x00000400, 0xbf8903f7, 0xbfb00000,
	};
	static const uint32_t want[] = { 0x11, 0x22, 0x11 };
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(code, N(code), 1, 32, false,
						&out, log, sizeof(log)), 0, "%s", log);
	vgpu_rig_expect_words(out, want, N(want));
}

/* GDS is one memory per chip: what one process's jobs leave in it another
 * process's job reads.  The device is opened before the fork (the vgpu
 * instance is named per opening process: see vgpu_test_use_profile); the
 * child runs init and add (8 waves) with its own GDS BO and exits; the
 * parent then runs read with another GDS BO (both partitions start at
 * GDS byte 0). */
TestSuite(vgpu_gds_processes, .init = vgpu_rig_setup, .fini = vgpu_rig_teardown);

Test(vgpu_gds_processes, another_process_reads_what_one_left)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
		struct rig_buf *out;
		char log[4096];
		int r = vgpu_rig_run_logged(gfx11_init, N(gfx11_init), 1, 32, false,
							&out, log, sizeof(log));
		if (r == 0)
			r = vgpu_rig_run_logged(gfx11_add, N(gfx11_add), 4, 64, false,
								&out, log, sizeof(log));
		_exit(r == 0 ? 0 : 1);
	}
	int status = 0;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child failed (%#x)", status);
	vgpu_rig_on_chip_bo(AMDGPU_GEM_DOMAIN_GDS, 4096);
	struct rig_buf *out;
	char log[4096];
	cr_assert_eq(vgpu_rig_run_logged(gfx11_read, N(gfx11_read), 1, 32, false,
						&out, log, sizeof(log)), 0, "%s",
		     log);
	const uint32_t *o = out->cpu;
	cr_expect_eq(o[0], 8, "counter %u", o[0]);
	cr_expect_eq(o[1], 0x11223344u);
	cr_expect_eq(o[2], 7 * 32, "maximum %u", o[2]);
}
