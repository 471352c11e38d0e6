"""A view keeps its buffer, model and device alive; free/close under live
views is refused or deferred; never a use-after-free."""
import gc
import weakref

import numpy as np
import pytest

import amdbare


def test_view_keeps_buffer_and_device_alive():
    dev = amdbare.Device()
    buf = dev.alloc("64K", "gtt")
    v = buf.numpy(np.uint32)
    v[:] = 0x01020304
    wb, wd = weakref.ref(buf), weakref.ref(dev)
    del buf, dev
    gc.collect()
    assert wb() is not None and wd() is not None  # held by the view
    assert not wd().closed
    assert (v == 0x01020304).all()  # still mapped, still the same bytes
    sl = v[10:20]
    del v
    gc.collect()
    assert wb() is not None  # a slice of a view holds it too
    sl[:] = 5
    assert wb().checksum(40, 40) == amdbare._lib.load().amdbare_checksum(sl.ctypes.data, 40)
    del sl
    gc.collect()
    assert wb() is None and wd() is None  # last view gone: all released


def test_free_refused_while_views_live(dev):
    buf = dev.alloc("64K", "vram")
    v = buf.numpy()
    with pytest.raises(amdbare.BusyError) as e:
        buf.free()
    assert e.value.errno == 16 and "1 numpy view" in str(e.value)
    v[:] = 9  # the memory is still there
    assert not buf.freed
    del v
    buf.free()
    assert buf.freed
    with pytest.raises(amdbare.ClosedError):
        buf.numpy()
    buf.free()  # twice is fine


def test_with_block_defers_free_until_views_go(dev):
    used0 = dev.memory()["process"]["vram"]
    with dev.alloc("1M", "vram") as buf:
        v = buf.numpy(np.uint8)
    # Left the block with a live view: not freed, still usable through v.
    assert not buf.freed
    assert dev.memory()["process"]["vram"] == used0 + (1 << 20)
    v[:] = 1
    assert int(v.sum()) == 1 << 20
    with pytest.raises(amdbare.ClosedError):
        buf.numpy()  # no new views of a buffer on its way out
    del v
    gc.collect()
    assert buf.freed
    assert dev.memory()["process"]["vram"] == used0


def test_device_close_refused_while_views_live(tiny_model):
    dev = amdbare.Device()
    buf = dev.alloc("64K", "gtt")
    m = dev.load(tiny_model)
    t = m["embed.weight"].numpy()
    v = buf.numpy()
    with pytest.raises(amdbare.BusyError):
        dev.close()
    del v
    with pytest.raises(amdbare.BusyError):
        dev.close()  # the tensor view still lives
    assert float(t[0, 0]) == float(t[0, 0])
    del t
    dev.close()
    assert dev.closed and buf.freed
    with pytest.raises(amdbare.ClosedError):
        buf.numpy()
    with pytest.raises(amdbare.ClosedError):
        m["embed.weight"]
    with pytest.raises(amdbare.ClosedError):
        dev.alloc(4096, "gtt")
    dev.close()


def test_tensor_view_keeps_model_alive(dev, tiny_model):
    m = dev.load(tiny_model)
    ref = m["lm_head.weight"].to_numpy()
    v = m["lm_head.weight"].numpy()
    wm = weakref.ref(m)
    del m
    gc.collect()
    assert wm() is not None
    assert np.array_equal(v, ref)
    with pytest.raises(amdbare.BusyError):
        wm().free()
    del v
    gc.collect()
    assert wm() is None


def test_model_with_block_defers(dev, tiny_model):
    with dev.load(tiny_model) as m:
        v = m["embed.weight"].numpy()
    assert np.isfinite(v).all()
    del v
    gc.collect()
    with pytest.raises(amdbare.ClosedError):
        m["embed.weight"].numpy()
