#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_vgpu_pm4 and fuzz_vgpu_sdma (input: the
IB's dwords, no ring byte) and the same streams, with their ring byte, as
extra seeds of fuzz_vgpu_cmd.  It first carries over every seed of
corpus_vgpu_cmd (make-vgpu-cmd-seeds.py) without its ring byte, then adds
streams for packets and fields those seeds do not touch: SET_UCONFIG_REG,
SET_SH_REG_INDEX, WRITE_DATA to one address, DMA_DATA fill, 64-bit and
clock RELEASE_MEM, an IB2 chain, dispatches with user SGPRs, scratch,
wave64 and a shader that loads, loops and stores; SDMA TRAP, timestamps,
HDP flush, a bounded poll and multi-dword writes.  The shader code was
assembled with llvm-mc-19 -mcpu=gfx1103 (encodings noted).  Memory map as
fuzz_vgpu_job.h: IB at 0x400000, data at 0x800000."""
import os, struct

here = os.path.dirname(os.path.abspath(__file__))
IB_VA, DATA_VA = 0x400000, 0x800000
cmd_dir = os.path.join(here, "corpus_vgpu_cmd")
pm4_dir = os.path.join(here, "corpus_vgpu_pm4")
sdma_dir = os.path.join(here, "corpus_vgpu_sdma")
for d in (pm4_dir, sdma_dir):
    os.makedirs(d, exist_ok=True)

# 1. the end-to-end seeds without their ring byte (even: compute)
for name in sorted(os.listdir(cmd_dir)):
    data = open(os.path.join(cmd_dir, name), "rb").read()
    if not data:
        continue
    dst = pm4_dir if data[0] % 2 == 0 else sdma_dir
    open(os.path.join(dst, name), "wb").write(data[1:])

def t3(op, body):
    return [(3 << 30) | ((len(body) - 1) << 16) | (op << 8)] + body

def sh(reg, *vals):
    return t3(0x76, [reg - 0x2C00] + list(vals))

def lo(a): return a & 0xffffffff
def hi(a): return a >> 32

def seed(name, ring, dws):
    raw = struct.pack("<%dI" % len(dws), *dws)
    open(os.path.join(pm4_dir if ring == 0 else sdma_dir, name), "wb").write(raw)
    open(os.path.join(cmd_dir, name), "wb").write(bytes([ring]) + raw)

def words(bs):
    assert len(bs) % 4 == 0
    return list(struct.unpack("<%dI" % (len(bs) // 4), bytes(bs)))

# ---- PM4 ----
seed("pm4-set-uconfig", 0, t3(0x79, [0x10, 0]))
seed("pm4-set-sh-index", 0, t3(0x9B, [0x2E40 - 0x2C00, 1, 2]))
seed("pm4-write-one-addr", 0, t3(0x37, [(5 << 8) | (1 << 16), lo(DATA_VA), hi(DATA_VA), 1, 2, 3]))
seed("pm4-dma-fill", 0, t3(0x50, [(2 << 29) | (3 << 20), 0xa5a5a5a5, 0, lo(DATA_VA), hi(DATA_VA), 256]))
seed("pm4-release-mem-64", 0, t3(0x49, [0x14 | (5 << 8), (2 << 29), lo(DATA_VA + 8), hi(DATA_VA), 7, 8, 0]))
seed("pm4-release-mem-clock", 0, t3(0x49, [0x14 | (5 << 8), (3 << 29), lo(DATA_VA + 8), hi(DATA_VA), 0, 0, 0]))
# IB1 -> IB2 (at IB_VA + 64) -> an IB3 the CP refuses
ib2 = t3(0x3F, [lo(IB_VA + 128), hi(IB_VA), 4])
body = t3(0x3F, [lo(IB_VA + 64), hi(IB_VA), len(ib2)])
body += t3(0x10, [0] * (16 - len(body) - 1))
seed("pm4-chain-ib2-ib3", 0, body + ib2 + t3(0x10, [0] * (16 - len(ib2) - 1)) + t3(0x10, [0, 0, 0]))

CODE = 0x100
def dispatch(name, code, rsrc2=0x80 | (2 << 1), initiator=1 | (1 << 15), extra=(), dim=(1, 1, 1),
             threads=(32, 1, 1)):
    prog = (sh(0x2E0C, lo((IB_VA + CODE) >> 8), 0)
            + sh(0x2E12, 0xf0 << 12, rsrc2)
            + sh(0x2E07, *threads)
            + sh(0x2E40, lo(DATA_VA), hi(DATA_VA))
            + list(extra)
            + t3(0x15, list(dim) + [initiator]))
    pad = CODE // 4 - len(prog)
    code_dw = words(code)
    seed(name, 0, prog + t3(0x10, [0] * (pad - 1) + code_dw))

store = [0xff, 0x02, 0x02, 0x7e, 0x34, 0x12, 0, 0,   # v_mov_b32 v1, 0x1234
         0x00, 0x02, 0x04, 0x7e,                     # v_mov_b32 v2, s0
         0x01, 0x02, 0x06, 0x7e,                     # v_mov_b32 v3, s1
         0x00, 0x00, 0x6a, 0xdc, 0x02, 0x01, 0x7c, 0x00,  # global_store_b32 v[2:3], v1, off
         0x00, 0x00, 0xb0, 0xbf]                     # s_endpgm
dispatch("pm4-dispatch-store", store)
dispatch("pm4-dispatch-store-wave64", store, initiator=1, threads=(64, 1, 1))
dispatch("pm4-dispatch-grid", store, dim=(2, 2, 1), threads=(8, 2, 1))
loop = [0xc0, 0x00, 0x82, 0xbe,                      # s_mov_b32 s2, 64
        0x02, 0x81, 0x82, 0x80,                      # loop: s_sub_u32 s2, s2, 1
        0x02, 0x80, 0x07, 0xbf,                      # s_cmp_lg_u32 s2, 0
        0xfd, 0xff, 0xa2, 0xbf,                      # s_cbranch_scc1 loop
        0xc0, 0x00, 0x00, 0xf4, 0, 0, 0, 0xf8,       # s_load_b32 s3, s[0:1], 0x0
        0x07, 0xfc, 0x89, 0xbf,                      # s_waitcnt lgkmcnt(0)
        0x03, 0x02, 0x02, 0x7e,                      # v_mov_b32 v1, s3
        0x00, 0x02, 0x04, 0x7e,                      # v_mov_b32 v2, s0
        0x01, 0x02, 0x06, 0x7e,                      # v_mov_b32 v3, s1
        0x04, 0x00, 0x6a, 0xdc, 0x02, 0x01, 0x7c, 0x00,  # global_store_b32 v[2:3], v1, off offset:4
        0x00, 0x00, 0xb0, 0xbf]                      # s_endpgm
dispatch("pm4-dispatch-loop-load-store", loop)
dispatch("pm4-dispatch-hang", [0xff, 0xff, 0xa0, 0xbf])  # s_branch -1: ends by the watchdog
# scratch: RSRC2.SCRATCH_EN, TMPRING_SIZE (WAVES 1, WAVESIZE 1), base in the data BO
dispatch("pm4-dispatch-scratch", store, rsrc2=1 | 0x80 | (2 << 1),
         extra=sh(0x2E18, 1 | (1 << 12)) + sh(0x2E10, lo((DATA_VA + 0x10000) >> 8), 0))

# ---- SDMA ----
def sd(op, sub=0, extra=0): return extra | (sub << 8) | op
seed("sdma-trap", 1, [sd(6), 0])
seed("sdma-timestamp-set-get", 1, [sd(13, 0), 0, 0, sd(13, 1), lo(DATA_VA + 8), hi(DATA_VA)])
seed("sdma-hdp-flush", 1, [sd(8, 0, (1 << 26) | (3 << 28)), 0, 0, 0, 0, 0x10 | (4 << 16)])
seed("sdma-poll-bounded", 1, [sd(8, 0, (1 << 31) | (3 << 28)), lo(DATA_VA), hi(DATA_VA), 1, 0xffffffff,
                              0x10 | (3 << 16)])
seed("sdma-write-multi", 1, [sd(2), lo(DATA_VA), hi(DATA_VA), 3, 1, 2, 3, 4])
seed("sdma-nop-count", 1, [sd(0, 0, 2 << 16), 0, 0, sd(5), lo(DATA_VA), hi(DATA_VA), 1])
seed("sdma-copy-then-fence", 1, [sd(1), 63, 0, lo(DATA_VA), hi(DATA_VA), lo(DATA_VA + 4096), hi(DATA_VA),
                                 sd(5), lo(DATA_VA + 16), hi(DATA_VA), 2])
seed("sdma-fill-bytes", 1, [sd(11, 0, 0), lo(DATA_VA), hi(DATA_VA), 0x7f, 99])
