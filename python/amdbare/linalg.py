"""Device.gemm / Device.gemv: operands as Tensors, Buffers or ndarrays.

Each operand becomes a (buffer, byte offset, dtype, shape) reference, the
form amdbare_gemm/amdbare_gemv take (amdbare_linalg.h):
  - a Tensor: where the model put it (VRAM or GTT, CPU-visible or not);
  - an ndarray that is a C-contiguous view of amdbare memory (Buffer.numpy,
    Tensor.numpy, or a slice of one): that memory, in place, no copy;
  - any other ndarray: copied into a fresh GTT buffer for the call;
  - a Buffer: a packed row-major matrix whose dtype is the other operand's
    and whose row count follows from its size (or from m= / n=).
The result is written into a GTT buffer and returned as a new ndarray.
"""
import errno

import numpy as np

from . import _lib as L
from .core import (Buffer, Tensor, _DTYPE_OF_NUMPY, _Use, _check, _find_view, dtype_code,
                   dtype_name)
from .errors import InvalidArgumentError


def _bad(msg):
    return InvalidArgumentError(msg, errno.EINVAL)


class _Operand:
    def __init__(self, bo, offset, dtype, shape, owner=None, temp=None):
        self.bo, self.offset, self.dtype, self.shape = bo, offset, dtype, shape
        self.owner = owner      # Buffer or Model whose lock the call holds
        self.temp = temp        # a staging Buffer freed after the call

    def ref(self):
        return L.TensorRef(self.bo, self.offset, dtype_code(self.dtype))


def _from_array(dev, arr, name, dtype=None):
    arr = np.asarray(arr)
    holder = _find_view(arr)
    if (holder is not None and arr.flags.c_contiguous and
            holder.owner._device is dev):
        dt = dtype or _DTYPE_OF_NUMPY.get(arr.dtype)
        if dt is None:
            raise _bad("%s: numpy dtype %s has no GEMM type (float32, float16; bf16 "
                       "data as uint16 with dtype='bf16')" % (name, arr.dtype))
        off = arr.__array_interface__["data"][0] - holder.bo_cpu
        return _Operand(holder.bo, off, dt, arr.shape, owner=holder.owner)
    dt = dtype or _DTYPE_OF_NUMPY.get(arr.dtype)
    if dt is None:
        if arr.dtype.kind in "iub":
            arr = arr.astype(np.float32)
            dt = "f32"
        else:
            raise _bad("%s: numpy dtype %s has no GEMM type (float32, float16)"
                       % (name, arr.dtype))
    arr = np.ascontiguousarray(arr)
    nbytes = max(arr.nbytes, 4)
    tmp = dev.alloc((nbytes + 4095) & ~4095, "gtt")
    v = tmp.numpy(np.uint8, (arr.nbytes,))
    v[:] = arr.reshape(-1).view(np.uint8)
    del v
    return _Operand(tmp.handle, 0, dt, arr.shape, owner=tmp, temp=tmp)


def _from_tensor(t, name):
    info = t.model._info(t.name)
    if t.nbytes and not info.bo:
        raise _bad("%s: tensor %s is not loaded" % (name, t.name))
    return _Operand(info.bo, info.bo_offset, t.dtype, t.shape, owner=t.model)


def _resolve(dev, x, name, dtype=None):
    if isinstance(x, Tensor):
        return _from_tensor(x, name)
    if isinstance(x, Buffer):
        return None
    return _from_array(dev, x, name, dtype)


def _buffer_operand(buf, dtype, rows, cols, name):
    item = _itemsize(dtype)
    if rows is None:
        rows = buf.size // (cols * item)
    if rows < 1:
        raise _bad("%s: a buffer of %d bytes holds no row of %d %s elements"
                   % (name, buf.size, cols, dtype))
    return _Operand(buf.handle, 0, dtype, (rows, cols), owner=buf)


def _run(dev, ops, out_shape, out_dtype, init, call, fill_desc):
    """Allocates the output, runs the C call with every owner locked, copies
    the result out, frees the staging buffers."""
    item = np.dtype({"f32": np.float32, "f16": np.float16, "bf16": np.uint16}[out_dtype])
    item_size = item.itemsize
    nbytes = int(np.prod(out_shape)) * item_size
    out_buf = dev.alloc((max(nbytes, 4) + 4095) & ~4095, "gtt")
    temps = [o.temp for o in ops if o.temp is not None] + [out_buf]
    try:
        v = out_buf.numpy(item, out_shape)
        if init is not None:
            v[...] = init
        del v
        c = _Operand(out_buf.handle, 0, out_dtype, out_shape, owner=out_buf)
        desc = fill_desc(c)
        owners = {}
        for o in ops + [c]:
            owners[id(o.owner)] = o.owner
        uses = [_Use(owners[k], call) for k in sorted(owners)]
        entered = []
        try:
            for u in uses:
                u.__enter__()
                entered.append(u)
            fn = getattr(L.load(), "amdbare_" + call)
            _check(fn(dev._st.handle, desc), call)
        finally:
            for u in reversed(entered):
                u.__exit__()
        v = out_buf.numpy(item, out_shape)
        result = np.array(v, copy=True)
        del v
        return result
    finally:
        for t in temps:
            t.free()


def _itemsize(dtype):
    return np.dtype({"f32": np.float32, "f16": np.float16, "bf16": np.uint16}[dtype]).itemsize


def gemm(dev, a, b, trans_a, trans_b, alpha, beta, c, out_dtype, m, n, k):
    A = _resolve(dev, a, "a")
    B = _resolve(dev, b, "b")
    if A is None and B is None:
        raise _bad("gemm: a and b cannot both be Buffers (their shapes are unknown); give "
                   "one as a view: buf.numpy(np.float16, (m, k))")
    for op, nm in ((A, "a"), (B, "b")):
        if op is not None and len(op.shape) != 2:
            raise _bad("gemm: %s must be 2-D, got shape %r" % (nm, op.shape))
    if A is None:
        K = B.shape[1] if trans_b else B.shape[0]
        rows = m if m is not None else a.size // (K * _itemsize(B.dtype))
        A = _Operand(a.handle, 0, B.dtype, (K, rows) if trans_a else (rows, K), owner=a)
    if B is None:
        K = A.shape[0] if trans_a else A.shape[1]
        cols = n if n is not None else b.size // (K * _itemsize(A.dtype))
        B = _Operand(b.handle, 0, A.dtype, (cols, K) if trans_b else (K, cols), owner=b)
    M, K = (A.shape[1], A.shape[0]) if trans_a else A.shape
    K2, N = (B.shape[1], B.shape[0]) if trans_b else B.shape
    if K2 != K:
        raise _bad("gemm: inner dimensions differ: op(a) is %dx%d, op(b) is %dx%d"
                   % (M, K, K2, N))
    init = None
    if c is not None:
        init = np.asarray(c)
        if init.shape != (M, N):
            raise _bad("gemm: c has shape %r, expected %r" % (init.shape, (M, N)))
    elif beta:
        raise _bad("gemm: beta != 0 needs c=")

    def desc(C):
        g = L.GemmDesc(m=M, n=N, k=K, trans_a=trans_a, trans_b=trans_b,
                       alpha=alpha, beta=beta)
        g.a, g.b, g.c = A.ref(), B.ref(), C.ref()
        return L.ctypes.byref(g)
    return _run(dev, [A, B], (M, N), out_dtype, init, "gemm", desc)


def gemv(dev, w, x, alpha, beta, y, out_dtype, n):
    X = _resolve(dev, x, "x")
    W = _resolve(dev, w, "w")
    if X is None:
        if W is None:
            raise _bad("gemv: w and x cannot both be Buffers")
        X = _buffer_operand(x, "f32" if W.dtype == "q8_0" else W.dtype, 1,
                            W.shape[-1], "x")
    K = int(np.prod(X.shape))
    if W is None:
        W = _buffer_operand(w, X.dtype, n, K, "w")
    if len(W.shape) != 2:
        raise _bad("gemv: w must be 2-D (N x K), got shape %r" % (W.shape,))
    N, K2 = W.shape
    if K2 != K:
        raise _bad("gemv: w is %dx%d but x has %d elements" % (N, K2, K))
    init = None
    if y is not None:
        init = np.asarray(y).reshape(N)
    elif beta:
        raise _bad("gemv: beta != 0 needs y=")

    def desc(Y):
        v = L.GemvDesc(n=N, k=K, alpha=alpha, beta=beta)
        v.w, v.x, v.y = W.ref(), X.ref(), Y.ref()
        return L.ctypes.byref(v)
    return _run(dev, [W, X], (N,), out_dtype, init, "gemv", desc)


__all__ = ["gemm", "gemv", "dtype_name"]
