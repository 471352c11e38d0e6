"""Threads: buffers and models used from several threads at once."""
import threading

import numpy as np
import pytest

import amdbare
from amdbare import _lib


def run_threads(n, fn):
    errors = []

    def wrap(i):
        try:
            fn(i)
        except BaseException as e:  # reported below, with the thread's index
            errors.append((i, e))
    ts = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errors, errors


def test_threads_alloc_view_checksum_free(dev):
    def work(i):
        for it in range(6):
            with dev.alloc(64 << 10, "vram" if (i + it) % 2 else "gtt") as buf:
                v = buf.numpy(np.uint32)
                v[:] = np.arange(v.size, dtype=np.uint32) * (i + 1) + it
                assert buf.checksum() == _lib.load().amdbare_checksum(v.ctypes.data, v.nbytes)
                buf.fill(i)
                assert (v == i).all()
                del v
    run_threads(4, work)
    assert dev.memory()["process"]["vram"] == 0


def test_threads_share_one_model(dev, tiny_model):
    with dev.load(tiny_model) as m:
        w = m["lm_head.weight"]
        W = w.to_numpy().astype(np.float32)

        def work(i):
            x = np.full(32, (i + 1) / 16, np.float32)
            for _ in range(3):
                assert np.allclose(dev.gemv(w, x), W @ x, atol=1e-3)
                v = m["embed.weight"].numpy()
                assert v.shape == (64, 32)
                del v
        run_threads(4, work)


def test_one_buffer_many_threads_serialised(dev):
    """Calls on one Buffer from several threads take its lock in turn (the C
    library allows one thread at a time per buffer)."""
    with dev.alloc(1 << 20, "gtt") as buf:
        sums = []

        def work(i):
            for _ in range(5):
                sums.append(buf.checksum())
        v = buf.numpy(np.uint8)
        v[:] = 3
        run_threads(4, work)
        assert len(set(sums)) == 1 and len(sums) == 20
        del v


def test_close_while_another_thread_is_inside_a_call(dev):
    """close() is refused while a call on one of the device's buffers runs in
    another thread; nothing is freed under it."""
    buf = dev.alloc(1 << 20, "gtt")
    entered, release = threading.Event(), threading.Event()
    result = {}

    def slow_call():
        # Hold the buffer as a real call would (amdbare.core._Use).
        with amdbare.core._Use(buf, "test"):
            entered.set()
            release.wait(10)
            result["sum"] = _lib.load().amdbare_bo_size(buf.handle)
    t = threading.Thread(target=slow_call)
    t.start()
    assert entered.wait(10)
    with pytest.raises(amdbare.BusyError) as e:
        dev.close()
    assert "running in other threads" in str(e.value)
    release.set()
    t.join()
    assert result["sum"] == 1 << 20
    dev.close()
    assert buf.freed


def test_deferred_free_never_blocks_the_thread_dropping_the_view(dev):
    """The last view of a buffer in a deferred free goes while another
    thread holds the buffer's lock: the dropping thread goes on, and the free
    happens once the lock is released."""
    import gc
    import time
    with dev.alloc("64K", "gtt") as buf:
        v = buf.numpy()
    held, release = threading.Event(), threading.Event()

    def hold():
        with buf._lock:
            held.set()
            release.wait(10)
    t = threading.Thread(target=hold)
    t.start()
    assert held.wait(10)
    del v
    gc.collect()
    assert not buf.freed  # the lock is held elsewhere: the free waits for it
    release.set()
    t.join()
    for _ in range(500):
        if buf.freed:
            break
        time.sleep(0.01)
    assert buf.freed
