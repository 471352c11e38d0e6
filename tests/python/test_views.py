"""Views alias GPU memory, and they are zero copy."""
import ctypes

import numpy as np
import pytest

import amdbare
from amdbare import _lib


def cpu_checksum(arr):
    return _lib.load().amdbare_checksum(arr.ctypes.data, arr.nbytes)


@pytest.mark.parametrize("domain", ["vram", "gtt"])
def test_numpy_write_seen_by_gpu_checksum(dev, domain):
    with dev.alloc("1M", domain) as buf:
        v = buf.numpy(np.uint32)
        v[:] = 0
        before = buf.checksum()
        v[:] = np.arange(v.size, dtype=np.uint32) * 2654435761
        after = buf.checksum()
        assert after != before
        assert after == cpu_checksum(v)
        v[12345] ^= 1  # a single bit flipped through numpy
        assert buf.checksum() == cpu_checksum(v) != after
        del v


@pytest.mark.parametrize("domain", ["vram", "gtt"])
def test_gpu_write_seen_by_numpy(dev, domain):
    with dev.alloc("256K", domain) as buf:
        v = buf.numpy(np.uint32)
        v[:] = 7
        buf.fill(0xDEADBEEF, offset=4096, size=8192)  # SDMA constant fill
        assert (v[1024:3072] == 0xDEADBEEF).all()
        assert (v[:1024] == 7).all() and (v[3072:] == 7).all()
        src = dev.alloc("256K", "gtt")
        s = src.numpy(np.float32)
        s[:] = np.linspace(0, 1, s.size, dtype=np.float32)
        buf.copy_from(src)  # SDMA copy
        assert np.array_equal(buf.numpy(np.float32), s)
        del v, s
        src.free()


def test_view_is_the_mapping_itself(dev):
    with dev.alloc("64K", "gtt") as buf:
        ptr = ctypes.c_void_p()
        assert _lib.load().amdbare_bo_cpu_map(buf.handle, ctypes.byref(ptr)) == 0
        a = buf.numpy(np.uint8)
        b = buf.numpy(np.float32, (4, 16), offset=256)
        assert a.ctypes.data == ptr.value
        assert b.ctypes.data == ptr.value + 256
        assert not a.flags.owndata and a.flags.writeable
        b[0, 0] = 1.0
        assert a[256:260].view(np.float32)[0] == 1.0
        del a, b


def vm_rss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_256mib_view_costs_no_rss(dev):
    size = 256 << 20
    before = vm_rss()
    with dev.alloc(size, "gtt") as buf:
        v = buf.numpy(np.float32)
        assert v.nbytes == size
        assert vm_rss() - before < 16 << 20
        # Reading a few values touches a few pages, not the 256 MiB a
        # copy would fill.
        assert v[:: 1 << 20].sum() == 0
        sub = v[1 << 20: 2 << 20].reshape(1024, 1024)
        assert sub.base is not None and np.shares_memory(sub, v)
        assert vm_rss() - before < 16 << 20
        del v, sub


def test_view_bounds_checked(dev):
    with dev.alloc(4096, "gtt") as buf:
        with pytest.raises(amdbare.InvalidArgumentError) as e:
            buf.numpy(np.float32, (2048,))
        assert e.value.errno == 22 and "4096" in str(e.value)
        with pytest.raises(amdbare.InvalidArgumentError):
            buf.numpy(np.uint8, offset=8192)


def test_no_cpu_access_buffer_has_no_view(dev):
    with dev.alloc("64K", "vram", flags=["no-cpu-access"]) as buf:
        with pytest.raises(amdbare.NotCPUVisibleError) as e:
            buf.numpy()
        assert e.value.errno == 1  # EPERM, from amdbare_bo_cpu_map
        assert "NO_CPU_ACCESS" in e.value.message or "CPU" in e.value.message


def test_placement_and_gpu_va(dev):
    with dev.alloc("2M", "vram") as buf:
        assert buf.domain == "vram"
        p = buf.placement
        assert p["requested"] == "vram" and p["domain"] == "vram"
        assert p["fell_back_to_gtt"] is False
        assert p["proc_vram_delta"] == 2 << 20
        assert buf.gpu_va != 0 and buf.gpu_va % 4096 == 0
    with dev.alloc("2M", "gtt", flags=("uswc",)) as buf:
        assert buf.domain == "gtt" and buf.placement["proc_gtt_delta"] == 2 << 20
