#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_vgpu_cmd: small valid command streams for
the compute ring (PM4) and the SDMA ring, in the target's input format
(byte 0: ring, even = compute, odd = SDMA; then the IB's dwords).  The
layouts follow the kernel's nvd.h / soc15d.h (PM4) and sdma_v6_0 packet
headers; addresses point into the two buffers the target maps."""
import os, struct, sys

IB_VA, DATA_VA = 0x400000, 0x800000
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus_vgpu_cmd")
os.makedirs(out, exist_ok=True)

def t3(op, body):            # PM4 type-3: count = body dwords - 1
    return [(3 << 30) | ((len(body) - 1) << 16) | (op << 8)] + body

def sh(reg, *vals):          # SET_SH_REG, reg as a dword offset
    return t3(0x76, [reg - 0x2C00] + list(vals))

def lo(a): return a & 0xffffffff
def hi(a): return a >> 32

def seed(name, ring, dws, tail=b""):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([ring]) + struct.pack("<%dI" % len(dws), *dws) + tail)

# ---- compute ring ----
seed("pm4-nop", 0, t3(0x10, [0]))
seed("pm4-write-data", 0, t3(0x37, [(5 << 8) | (1 << 20), lo(DATA_VA), hi(DATA_VA), 0xdeadbeef, 1]))
seed("pm4-release-mem", 0, t3(0x49, [0x14 | (5 << 8), (1 << 29), lo(DATA_VA + 64), hi(DATA_VA), 7, 0, 0]))
seed("pm4-wait-reg-mem", 0, t3(0x3C, [(1 << 4) | 3, lo(DATA_VA), hi(DATA_VA), 0, 0xffffffff, 4]))
seed("pm4-dma-data", 0, t3(0x50, [(1 << 31) | (3 << 29) | (3 << 20), lo(DATA_VA), hi(DATA_VA),
                                  lo(DATA_VA + 256), hi(DATA_VA), 64]))
seed("pm4-acquire-mem", 0, t3(0x58, [0, 0xffffffff, 0, 0xffffffff, 0, 0, 0xa]))
seed("pm4-event-write", 0, t3(0x46, [0x7 | (4 << 8)]))
seed("pm4-chain-ib", 0, t3(0x3F, [lo(IB_VA + 64), hi(IB_VA), 4]) + t3(0x10, [0] * 11) + t3(0x10, [0, 0, 0]))
# A dispatch of one wave running s_endpgm placed at IB_VA + 0x100.
code_off = 0x100
prog = (sh(0x2E0C, lo((IB_VA + code_off) >> 8), 0)          # COMPUTE_PGM_LO/HI
        + sh(0x2E12, 0xf0 << 12, 0x80)                         # RSRC1 FLOAT_MODE 0xf0; RSRC2 TGID_X
        + sh(0x2E07, 32, 1, 1)                                # NUM_THREAD_X/Y/Z
        + t3(0x15, [1, 1, 1, 1]))                             # DISPATCH_DIRECT
pad = (code_off // 4) - len(prog)
# The code sits inside a NOP's body, which the CP skips.
seed("pm4-dispatch-endpgm", 0, prog + t3(0x10, [0] * (pad - 1) + [0xBFB00000]))

# ---- SDMA ring ----
def sd(op, sub=0, extra=0): return (extra) | (sub << 8) | op
seed("sdma-nop", 1, [sd(0)])
seed("sdma-copy-linear", 1, [sd(1), 255, 0, lo(DATA_VA), hi(DATA_VA), lo(DATA_VA + 1024), hi(DATA_VA)])
seed("sdma-const-fill", 1, [sd(11, 0, 2 << 30), lo(DATA_VA), hi(DATA_VA), 0x5a5a5a5a, 1023])
seed("sdma-write", 1, [sd(2), lo(DATA_VA), hi(DATA_VA), 1, 0x11111111, 0x22222222])
seed("sdma-fence", 1, [sd(5), lo(DATA_VA + 16), hi(DATA_VA), 9])
seed("sdma-poll", 1, [sd(8, 0, (1 << 31) | (3 << 28)), lo(DATA_VA), hi(DATA_VA), 0, 0xffffffff, 0x10 | (4 << 16)])
seed("sdma-timestamp", 1, [sd(13, 2), lo(DATA_VA + 32), hi(DATA_VA)])
