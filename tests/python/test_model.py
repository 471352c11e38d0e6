"""Models: tensors, zero-copy views where the CPU can map them, copies
through SDMA where it cannot, plan and proof; GEMM/GEMV on them."""

import numpy as np
import pytest

import amdbare


def file_tensors(path):
    import json
    import struct
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    hdr = json.loads(raw[8:8 + n])
    out = {}
    for name, d in hdr.items():
        if name == "__metadata__":
            continue
        dt = {"F32": np.float32, "F16": np.float16}[d["dtype"]]
        a, b = d["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + a: 8 + n + b], dtype=dt).reshape(d["shape"])
    return out


def test_tensors_and_views(dev, tiny_model):
    ref = file_tensors(tiny_model)
    with dev.load(tiny_model, place=["embed*=gtt"]) as m:
        assert m.tensors == ["embed.weight", "lm_head.weight"]
        assert len(m) == 2 and "embed.weight" in m
        e, h = m["embed.weight"], m["lm_head.weight"]
        assert (e.dtype, e.shape, e.domain) == ("f32", (64, 32), "gtt")
        assert (h.dtype, h.shape, h.domain) == ("f16", (64, 32), "vram")
        assert e.placed_by == "embed*" and h.placed_by is None
        assert h.gpu_va and e.gpu_va and h.gpu_va != e.gpu_va
        for t in (e, h):
            v = t.numpy()
            assert v.dtype == ref[t.name].dtype and v.shape == ref[t.name].shape
            assert np.array_equal(v, ref[t.name])
            info = m._info(t.name)
            assert v.ctypes.data == info.cpu_ptr  # the loaded bytes themselves
            c = t.to_numpy()
            assert np.array_equal(c, v) and not np.shares_memory(c, v)
            del v
        plan, proof = m.plan(), m.proof()
        assert plan["fits"] and plan["tensors"] == 2 and plan["vram"]["tensors"] == 1
        assert proof["usage_matches"] is True
        assert proof["verified"] == 2 and proof["mismatched"] == 0
        assert proof["loaded_gtt"] == 64 * 32 * 4 and proof["loaded_vram"] == 64 * 32 * 2


def test_numpy_write_into_tensor_seen_by_gpu(dev, tiny_model):
    with dev.load(tiny_model) as m:
        t = m["lm_head.weight"]
        v = t.numpy()
        v[0, 0] = 3.0
        x = np.zeros(32, np.float32)
        x[0] = 1.0
        y = dev.gemv(t, x)  # the GPU reads the weight where it was loaded
        assert y[0] == 3.0 and np.array_equal(y[1:], v[1:, 0].astype(np.float32))
        del v


def test_invisible_vram_raises_and_copies_through_sdma(dev, tiny_model):
    ref = file_tensors(tiny_model)
    with dev.load(tiny_model, stage_vram=True) as m:
        t = m["lm_head.weight"]
        assert t.domain == "vram" and not t.cpu_visible
        with pytest.raises(amdbare.NotCPUVisibleError) as e:
            t.numpy()
        assert "to_numpy" in str(e.value)
        assert np.array_equal(t.to_numpy(), ref["lm_head.weight"])
        assert m.proof()["bytes_staged"] >= t.nbytes


@pytest.mark.vgpu
def test_dgpu_without_resizable_bar():
    """On the 7900 XTX profile (256 MiB of 24 GiB visible) the loader fills
    VRAM through the staging ring: numpy() refuses, to_numpy() copies."""
    from conftest import run_python
    code = r'''
import amdbare, numpy as np
d = amdbare.Device()
assert d.info()["virtual_profile"] == "7900xtx"
m = d.load("examples/tiny.safetensors")
t = m["lm_head.weight"]
try:
    t.numpy(); print("VIEW")
except amdbare.NotCPUVisibleError as e:
    print("REFUSED", e.errno)
print("COPY", t.to_numpy().shape, t.domain, m.proof()["verified"])
'''
    r = run_python(code, {"AMDBARE_VGPU_PROFILE": "7900xtx"}, preload=True)
    assert r.returncode == 0, r.stderr
    assert "REFUSED 1" in r.stdout and "COPY (64, 32) vram 2" in r.stdout


def test_gemm_gemv_operand_kinds(dev, tiny_model, tmp_path):
    rng = np.random.default_rng(1)
    a = (rng.integers(-8, 9, (5, 32)) / 16).astype(np.float16)
    with dev.load(tiny_model) as m:
        w = m["lm_head.weight"]
        W = w.to_numpy().astype(np.float32)
        ref = a.astype(np.float32) @ W.T
        # numpy operands (copied into GTT), a Tensor used where it lies.
        assert np.allclose(dev.gemm(a, w, trans_b=True), ref, atol=1e-3)
        # A view of amdbare memory is used in place.
        with dev.alloc(4096, "vram") as buf:
            av = buf.numpy(np.float16, a.shape)
            av[...] = a
            assert np.allclose(dev.gemm(av, w, trans_b=True), ref, atol=1e-3)
            # A Buffer: a packed matrix of the other operand's dtype.
            out = dev.gemm(buf, w, trans_b=True, m=5)
            assert np.allclose(out, ref, atol=1e-3)
            del av
        # alpha, beta and c.
        c = np.ones((5, 64), np.float32)
        out = dev.gemm(a, w, trans_b=True, alpha=2.0, beta=0.5, c=c)
        assert np.allclose(out, 2 * ref + 0.5, atol=1e-3)
        x = (rng.integers(-8, 9, 32) / 16).astype(np.float32)
        assert np.allclose(dev.gemv(w, x), W @ x, atol=1e-3)
        assert np.allclose(dev.gemv(W, x), W @ x, atol=1e-3)
        f16 = dev.gemv(w, x.astype(np.float16), out_dtype="f16")
        assert f16.dtype == np.float16 and np.allclose(f16, W @ x, atol=1e-2)
