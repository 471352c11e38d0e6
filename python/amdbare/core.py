"""Devices, buffers, models and tensors over libamdbare (ctypes).

Lifetimes.  A numpy view made by Buffer.numpy() or Tensor.numpy() is an
ndarray whose base is a small `_View` object; the `_View` holds the Buffer
or the Model, which holds the Device.  So while any view (or any slice of a
view) lives, the memory it points to stays mapped.  Buffer.free(),
Model.free() and Device.close() raise BusyError while views live; leaving a
`with` block instead defers the free until the last view is gone.  Nothing
is ever freed under a live view.

Threads.  The C library lets several threads use one device, but a buffer or
a model belongs to one thread at a time: every call on a Buffer or Model
takes that object's lock, and every call counts itself in the device's
`busy` count, so close() from another thread is refused while a call runs
instead of freeing memory under it.  ctypes releases the GIL during C calls,
so threads working on different buffers run in parallel.
"""
import ctypes
import errno
import os
import sys
import threading
import weakref

import numpy as np

from . import _lib as L
from .errors import (BusyError, ClosedError, Error, InvalidArgumentError, NoDeviceError,
                     NotCPUVisibleError, TensorNotFoundError, from_errno)

# ---- module state -------------------------------------------------------------------

_state_lock = threading.Lock()
# What this process has opened so far: use_vgpu() refuses to switch a
# process that already talked to a real GPU.
_opened = {"real": False, "virtual_profile": None}


def _check(rc, call, cls=None):
    if rc < 0:
        raise from_errno(rc, L.last_error(), call, cls)
    return rc


def _bytes(s):
    return s.encode() if isinstance(s, str) else s


# ---- domains, flags, dtypes ---------------------------------------------------------

_DOMAIN_NAMES = {L.DOMAIN_VRAM: "vram", L.DOMAIN_GTT: "gtt",
                 L.DOMAIN_VRAM | L.DOMAIN_GTT: "vram|gtt", 0: "unknown"}

# The CLI's flag names (tools/amdbare/report_bars.c).
FLAGS = {
    "cpu-access": L.BO_CPU_ACCESS,
    "no-cpu-access": L.BO_NO_CPU_ACCESS,
    "uswc": L.BO_USWC,
    "cleared": L.BO_CLEARED,
    "vm-always-valid": L.BO_VM_ALWAYS_VALID,
}

POLICIES = {"vram-then-gtt": L.MODEL_VRAM_THEN_GTT, "vram": L.MODEL_VRAM_ONLY,
            "gtt": L.MODEL_GTT_ONLY}

# amdbare dtype name -> numpy dtype of a view.  bf16 and the f8 types have no
# numpy type: their views hold the raw bits (uint16 / uint8).  Block-quantized
# GGUF types are viewed as their stored bytes (see Tensor.numpy).
_NUMPY_OF = {
    "f32": np.float32, "f16": np.float16, "f64": np.float64, "bf16": np.uint16,
    "f8_e4m3": np.uint8, "f8_e5m2": np.uint8, "bool": np.bool_,
    "u8": np.uint8, "i8": np.int8, "u16": np.uint16, "i16": np.int16,
    "u32": np.uint32, "i32": np.int32, "u64": np.uint64, "i64": np.int64,
}
_DTYPE_OF_NUMPY = {np.dtype(np.float32): "f32", np.dtype(np.float16): "f16"}


def _domain_name(bits):
    return _DOMAIN_NAMES.get(bits, "0x%x" % bits)


def _parse_domain(domain):
    if isinstance(domain, int):
        return domain
    bits = 0
    for part in str(domain).replace("|", ",").split(","):
        part = part.strip().lower()
        if part == "vram":
            bits |= L.DOMAIN_VRAM
        elif part == "gtt":
            bits |= L.DOMAIN_GTT
        else:
            raise InvalidArgumentError("unknown domain %r (vram, gtt or vram|gtt)" % domain,
                                       errno.EINVAL)
    return bits


def _parse_flags(flags):
    if isinstance(flags, int):
        return flags
    if isinstance(flags, str):
        flags = [f for f in flags.split(",") if f]
    bits = 0
    for f in flags:
        key = str(f).strip().lower().replace("_", "-")
        if key not in FLAGS:
            raise InvalidArgumentError("unknown buffer flag %r (%s)" % (f, ", ".join(FLAGS)),
                                       errno.EINVAL)
        bits |= FLAGS[key]
    return bits


def _parse_size(size):
    if isinstance(size, (int, np.integer)):
        return int(size)
    out = ctypes.c_uint64()
    _check(L.load().amdbare_parse_size(_bytes(str(size)), ctypes.byref(out)), "size")
    return out.value


def dtype_name(code):
    return L.text(L.load().amdbare_dtype_name(code))


def dtype_code(name):
    out = ctypes.c_int()
    _check(L.load().amdbare_dtype_from_name(_bytes(name), ctypes.byref(out)),
           "dtype %r" % name)
    return out.value


def _dtype_block(code):
    be, bb = ctypes.c_uint32(), ctypes.c_uint32()
    _check(L.load().amdbare_dtype_block(code, ctypes.byref(be), ctypes.byref(bb)), "dtype")
    return be.value, bb.value


# ---- views ----------------------------------------------------------------------------

class _View:
    """The base object of every numpy view: numpy reads __array_interface__
    and keeps this object as the array's base, so the view keeps `owner`
    (a Buffer or a Model) alive."""

    __slots__ = ("__array_interface__", "owner", "bo", "bo_cpu", "ptr", "nbytes",
                 "__weakref__")

    def __init__(self, owner, bo, bo_cpu, ptr, nbytes, dtype, shape):
        self.owner = owner
        self.bo = bo            # C handle of the buffer the bytes lie in
        self.bo_cpu = bo_cpu    # CPU address of that buffer's byte 0
        self.ptr = ptr
        self.nbytes = nbytes
        self.__array_interface__ = {
            "version": 3, "data": (ptr, False), "shape": tuple(shape),
            "typestr": np.dtype(dtype).str, "strides": None,
        }


def _find_view(arr):
    """The _View an ndarray's memory comes from, or None."""
    base = arr
    while isinstance(base, np.ndarray):
        base = base.base
    return base if isinstance(base, _View) else None


class _Owner:
    """What Buffer and Model share: a lock, the set of live views, the
    deferred free of a `with` block left while views lived."""

    def _init_owner(self, device):
        self._device = device
        self._st = device._st
        self._lock = threading.RLock()
        self._views = weakref.WeakSet()
        self._deferred = False

    def live_views(self):
        """How many numpy views of this object exist now."""
        return sum(1 for _ in self._views)

    def _new_view(self, bo, bo_cpu, ptr, nbytes, dtype, shape):
        holder = _View(self, bo, bo_cpu, ptr, nbytes, dtype, shape)
        arr = np.asarray(holder)
        self._views.add(holder)
        return arr

    def _refuse_if_views(self, what):
        n = self.live_views()
        if n:
            raise BusyError("%s: %d numpy view%s still point%s into its memory; delete them "
                            "first, or leave a `with` block, which frees when the last view "
                            "goes" % (what, n, "s" if n != 1 else "", "" if n != 1 else "s"),
                            errno.EBUSY)

    def _defer_until_views_gone(self):
        self._deferred = True
        for holder in list(self._views):
            weakref.finalize(holder, self._view_gone)

    def _view_gone(self):
        # Runs as a finalizer, in whatever thread dropped the last reference
        # or ran the garbage collector -- possibly one that holds the
        # device's lock while another thread holds this object's lock and
        # waits for the device's.  So it never blocks on this object's lock:
        # when the lock is taken, a short-lived thread waits for it instead.
        if self._lock.acquire(blocking=False):
            try:
                self._release_if_deferred()
            finally:
                self._lock.release()
        else:
            threading.Thread(target=self._release_deferred_blocking, daemon=True).start()

    def _release_deferred_blocking(self):
        with self._lock:
            self._release_if_deferred()

    def _release_if_deferred(self):
        if self._deferred and self.live_views() == 0 and not self._released():
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        with self._lock:
            if self._released():
                return False
            if self.live_views():
                self._defer_until_views_gone()
            else:
                self._release()
        return False


class _DevState:
    """The C device handle and everything opened on it, shared with the
    finalizers (which must not hold the Python objects)."""

    def __init__(self, handle):
        self.handle = handle
        self.lock = threading.RLock()
        self.closed = False
        self.bos = {}       # C handle -> True, buffers not yet freed
        self.models = {}    # C handle -> True
        self.busy = 0       # calls in progress on buffers/models of this device

    def begin(self, what):
        with self.lock:
            if self.closed:
                raise ClosedError("%s: the device was closed" % what, errno.EBADF)
            self.busy += 1

    def end(self):
        with self.lock:
            self.busy -= 1


def _free_bo(st, handle):
    with st.lock:
        if st.bos.pop(handle, None) and not st.closed:
            L.load().amdbare_bo_free(handle)


def _free_model(st, handle):
    with st.lock:
        if st.models.pop(handle, None) and not st.closed:
            L.load().amdbare_model_free(handle)


def _close_device(st):
    """Frees what is left (models first: they own buffers of their own),
    then closes the device.  Runs from Device.close() or as a finalizer."""
    with st.lock:
        if st.closed:
            return
        lib = L.load()
        for h in list(st.models):
            lib.amdbare_model_free(h)
        st.models.clear()
        for h in list(st.bos):
            lib.amdbare_bo_free(h)
        st.bos.clear()
        lib.amdbare_device_close(st.handle)
        st.closed = True


class _Use:
    """`with _Use(owner, "what"):` around a C call on a buffer or a model:
    counts the call on the device and holds the owner's lock."""

    def __init__(self, owner, what):
        self.owner, self.what = owner, what

    def __enter__(self):
        self.owner._st.begin(self.what)
        self.owner._lock.acquire()
        if self.owner._released() or self.owner._deferred:
            self.owner._lock.release()
            self.owner._st.end()
            raise ClosedError("%s: already freed" % self.what, errno.EBADF)
        return self

    def __exit__(self, *exc):
        self.owner._lock.release()
        self.owner._st.end()
        return False


# ---- buffers --------------------------------------------------------------------------

class Buffer(_Owner):
    """A GEM buffer (Device.alloc): `.domain`, `.gpu_va`, `.placement`,
    `.numpy(dtype, shape)` (zero copy), `.free()`, a context manager."""

    def __init__(self, device, handle, requested):
        self._init_owner(device)
        self._handle = handle
        self._requested = requested
        self.size = L.load().amdbare_bo_size(handle)
        self._cpu = None
        self._fin = weakref.finalize(self, _free_bo, self._st, handle)

    def _released(self):
        return not self._fin.alive

    def _release(self):
        self._fin()

    def __repr__(self):
        if self._released() or self._st.closed:
            return "<amdbare.Buffer %d bytes, freed>" % self.size
        try:
            return "<amdbare.Buffer %d bytes in %s at GPU 0x%x>" % (self.size, self.domain,
                                                                     self.gpu_va)
        except Error:  # freed by another thread meanwhile, or in a deferred free
            return "<amdbare.Buffer %d bytes>" % self.size

    @property
    def handle(self):
        """The C handle (amdbare_bo *) as an integer, for ctypes callers."""
        return self._handle

    @property
    def device(self):
        return self._device

    @property
    def freed(self):
        return self._released()

    def _placement(self):
        p = L.Placement()
        with _Use(self, "placement"):
            _check(L.load().amdbare_bo_get_placement(self._handle, ctypes.byref(p)),
                   "placement")
        return p

    @property
    def domain(self):
        """Where the buffer is: "vram" or "gtt" (measured, see .placement)."""
        return _domain_name(self._placement().actual_domain)

    @property
    def placement(self):
        """Where it landed and how that was measured: a dict of the C
        library's amdbare_placement."""
        p = self._placement()
        return {
            "requested": _domain_name(p.requested_domains),
            "domain": _domain_name(p.actual_domain),
            "fell_back_to_gtt": p.fell_back_to_gtt,
            "cpu_visible": p.cpu_visible,
            "migrated": p.migrated,
            "proc_vram_delta": p.proc_vram_delta,
            "proc_gtt_delta": p.proc_gtt_delta,
            "proc_cpu_delta": p.proc_cpu_delta,
            "global_vram_delta": p.global_vram_delta,
            "global_visible_vram_delta": p.global_visible_vram_delta,
            "global_gtt_delta": p.global_gtt_delta,
            "evictions_delta": p.evictions_delta,
            "cpu_page_faults_delta": p.cpu_page_faults_delta,
            "confidence": ("exact", "likely", "unknown")[p.confidence]
            if 0 <= p.confidence <= 2 else str(p.confidence),
            "evidence": L.text(p.evidence),
        }

    @property
    def gpu_va(self):
        with _Use(self, "gpu_va"):
            return L.load().amdbare_bo_gpu_va(self._handle)

    def _cpu_map(self):
        if self._cpu is None:
            ptr = ctypes.c_void_p()
            rc = L.load().amdbare_bo_cpu_map(self._handle, ctypes.byref(ptr))
            if rc == -errno.EPERM:
                raise NotCPUVisibleError(L.last_error(), errno.EPERM, "cpu_map")
            _check(rc, "cpu_map")
            self._cpu = ptr.value
        return self._cpu

    def numpy(self, dtype=np.uint8, shape=None, offset=0):
        """A zero-copy ndarray over the buffer's CPU mapping (bytes
        [offset, offset + size of shape)).  `shape` defaults to as many
        elements as fit.  Writes go straight to the buffer's memory."""
        dt = np.dtype(dtype)
        offset = int(offset)
        if offset < 0 or offset > self.size:
            raise InvalidArgumentError("offset %d outside the buffer of %d bytes"
                                       % (offset, self.size), errno.EINVAL)
        if shape is None:
            shape = ((self.size - offset) // dt.itemsize,)
        elif isinstance(shape, (int, np.integer)):
            shape = (int(shape),)
        shape = tuple(int(s) for s in shape)
        if any(s < 0 for s in shape):
            raise InvalidArgumentError("negative dimension in shape %r" % (shape,), errno.EINVAL)
        nbytes = int(np.prod(shape, dtype=np.uint64)) * dt.itemsize
        if offset + nbytes > self.size:
            raise InvalidArgumentError(
                "a view of shape %r of %s needs %d bytes from offset %d; the buffer has %d"
                % (shape, dt, nbytes, offset, self.size), errno.EINVAL)
        with _Use(self, "numpy"):
            base = self._cpu_map()
            return self._new_view(self._handle, base, base + offset, nbytes, dt, shape)

    def fill(self, value, offset=0, size=None):
        """Fills bytes [offset, offset+size) with the 32-bit `value` on the
        GPU (SDMA constant fill; offset and size multiples of 4)."""
        size = self.size - offset if size is None else size
        with _Use(self, "fill"):
            _check(L.load().amdbare_fill(self._st.handle, self._handle, offset, size,
                                         value & 0xFFFFFFFF), "fill")

    def checksum(self, offset=0, size=None):
        """The amdbare checksum of bytes [offset, offset+size), computed by
        the GPU over its own view of the memory (amdbare_util.h)."""
        size = self.size - offset if size is None else size
        out = ctypes.c_uint64()
        with _Use(self, "checksum"):
            _check(L.load().amdbare_checksum_gpu(self._st.handle, self._handle, offset, size,
                                                 ctypes.byref(out)), "checksum_gpu")
        return out.value

    def copy_from(self, src, dst_offset=0, src_offset=0, size=None):
        """GPU copy (SDMA) of `size` bytes from Buffer `src`."""
        size = min(self.size - dst_offset, src.size - src_offset) if size is None else size
        owners = sorted({id(self): self, id(src): src}.items())
        uses = [_Use(o, "copy") for _, o in owners]
        for u in uses:
            u.__enter__()
        try:
            _check(L.load().amdbare_copy(self._st.handle, self._handle, dst_offset,
                                         src._handle, src_offset, size), "copy")
        finally:
            for u in reversed(uses):
                u.__exit__()

    def touch(self, pattern=0):
        """Writes every page from the CPU and re-measures the placement (this
        is where the kernel migrates a buffer out of CPU-invisible VRAM)."""
        with _Use(self, "touch"):
            _check(L.load().amdbare_bo_touch(self._handle, pattern & 0xFF), "touch")

    def free(self):
        """Frees the buffer now.  Raises BusyError while numpy views of it
        live (a `with` block defers instead)."""
        with self._lock:
            if self._released():
                return
            self._refuse_if_views("Buffer.free")
            self._release()


# ---- models and tensors ------------------------------------------------------------

class Tensor:
    """One loaded tensor: `.dtype`, `.shape`, `.domain`, `.gpu_va`,
    `.numpy()` (zero copy), `.to_numpy()` (a copy)."""

    def __init__(self, model, name):
        self._model = model
        self.name = name
        info = model._info(name)
        self.dtype = dtype_name(info.dtype)
        self.shape = tuple(int(info.shape[i]) for i in range(info.n_dims))
        self.nbytes = info.nbytes
        self.domain = _domain_name(info.domain)
        self.gpu_va = info.gpu_va
        self.offset = info.bo_offset
        self.file = L.text(info.file)
        self.placed_by = L.text(info.placed_by) or None
        self.checksum = info.checksum
        self.verified = info.verified
        self.cpu_visible = bool(info.cpu_ptr)

    def __repr__(self):
        return "<amdbare.Tensor %s %s%s in %s at GPU 0x%x>" % (
            self.name, self.dtype, list(self.shape), self.domain, self.gpu_va)

    @property
    def model(self):
        return self._model

    def _view_layout(self):
        """numpy dtype and shape of the view: the element type, or for
        block-quantized types the stored bytes, rows kept."""
        code = dtype_code(self.dtype)
        be, bb = _dtype_block(code)
        if be == 1 and self.dtype in _NUMPY_OF:
            return np.dtype(_NUMPY_OF[self.dtype]), self.shape
        if not self.shape:
            return np.dtype(np.uint8), (self.nbytes,)
        inner = self.shape[-1] // be * bb
        return np.dtype(np.uint8), self.shape[:-1] + (inner,)

    def numpy(self):
        """A zero-copy view of the tensor where it was loaded.  Raises
        NotCPUVisibleError when the CPU cannot map that memory (VRAM filled
        through the staging ring: CPU-invisible VRAM); use to_numpy()."""
        m = self._model
        with _Use(m, "Tensor.numpy"):
            info = m._info(self.name)
            if self.nbytes and not info.cpu_ptr:
                raise NotCPUVisibleError(
                    "tensor %s lies in %s the CPU cannot map (it was filled through the GTT "
                    "staging ring and SDMA); Tensor.to_numpy() copies it out through SDMA"
                    % (self.name, "VRAM" if info.domain == L.DOMAIN_VRAM else "memory"),
                    errno.EPERM, "Tensor.numpy")
            dt, shape = self._view_layout()
            if not self.nbytes:
                return np.empty(shape, dtype=dt)  # no bytes to alias
            ptr = info.cpu_ptr
            return m._new_view(info.bo, ptr - info.bo_offset, ptr, self.nbytes, dt, shape)

    def to_numpy(self):
        """A copy in ordinary memory: from the CPU mapping when there is
        one, else through an SDMA copy into a GTT buffer."""
        if self.cpu_visible:
            v = self.numpy()
            try:
                return np.array(v, copy=True)
            finally:
                del v
        dt, shape = self._view_layout()
        out = np.empty(shape, dtype=dt)
        if not self.nbytes:
            return out
        m = self._model
        dev = m._device
        size = (self.nbytes + 3) & ~3
        tmp = dev.alloc(size, "gtt")
        try:
            with _Use(m, "Tensor.to_numpy"):
                info = m._info(self.name)
                with _Use(tmp, "Tensor.to_numpy"):
                    _check(L.load().amdbare_copy(dev._st.handle, tmp._handle, 0, info.bo,
                                                 info.bo_offset, self.nbytes), "copy")
            v = tmp.numpy(np.uint8, (self.nbytes,))
            out.reshape(-1).view(np.uint8)[:] = v
            del v
        finally:
            tmp.free()
        return out


def _plan_dict(p):
    def dom(d):
        return {"tensors": d.tensors, "bytes": d.bytes, "reserved": d.reserved,
                "buffers": d.buffers, "budget": d.budget, "headroom": d.headroom,
                "room": d.room}
    policy = {v: k for k, v in POLICIES.items()}.get(p.policy, str(p.policy))
    return {"files": p.files, "tensors": p.tensors, "bytes": p.bytes, "policy": policy,
            "overridden": p.overridden, "vram_staged": p.vram_staged,
            "staging_bytes": p.staging_bytes, "vram": dom(p.vram), "gtt": dom(p.gtt),
            "fits": p.fits, "refusal": L.text(p.refusal)}


class Model(_Owner):
    """A model loaded by Device.load: `.tensors` (names), `model[name]`,
    `.plan()`, `.proof()`, `.free()`, a context manager."""

    def __init__(self, device, handle):
        self._init_owner(device)
        self._handle = handle
        self._fin = weakref.finalize(self, _free_model, self._st, handle)
        lib = L.load()
        info = L.TensorInfo()
        names = []
        for i in range(lib.amdbare_model_tensor_count(handle)):
            _check(lib.amdbare_model_tensor(handle, i, ctypes.byref(info)), "model_tensor")
            names.append(L.text(info.name))
        self.tensors = names

    def _released(self):
        return not self._fin.alive

    def _release(self):
        self._fin()

    def __repr__(self):
        return "<amdbare.Model %d tensors%s>" % (len(self.tensors),
                                                 " (freed)" if self._released() else "")

    @property
    def device(self):
        return self._device

    def _info(self, name):
        info = L.TensorInfo()
        rc = L.load().amdbare_model_find(self._handle, _bytes(name), ctypes.byref(info))
        if rc == -errno.ENOENT:
            raise TensorNotFoundError(L.last_error(), errno.ENOENT, "model[%r]" % name)
        _check(rc, "model_find")
        return info

    def __getitem__(self, name):
        with _Use(self, "model[%r]" % name):
            return Tensor(self, name)

    def __contains__(self, name):
        return name in self.tensors

    def __iter__(self):
        return iter(self.tensors)

    def __len__(self):
        return len(self.tensors)

    def plan(self):
        p = L.ModelPlan()
        with _Use(self, "plan"):
            _check(L.load().amdbare_model_get_plan(self._handle, ctypes.byref(p)), "plan")
        return _plan_dict(p)

    def proof(self):
        p = L.ModelProof()
        with _Use(self, "proof"):
            _check(L.load().amdbare_model_get_proof(self._handle, ctypes.byref(p)), "proof")
        return {
            "loaded": p.loaded, "have_process_usage": p.have_process_usage,
            "proc_vram_delta": p.proc_vram_delta, "proc_gtt_delta": p.proc_gtt_delta,
            "global_vram_delta": p.global_vram_delta, "global_gtt_delta": p.global_gtt_delta,
            "held_vram": p.held_vram, "held_gtt": p.held_gtt,
            "loaded_vram": p.loaded_vram, "loaded_gtt": p.loaded_gtt,
            "usage_matches": p.usage_matches, "verify_skipped": p.verify_skipped,
            "verify_note": L.text(p.verify_note), "verified": p.verified,
            "mismatched": p.mismatched, "verify_seconds": p.verify_seconds,
            "bytes_read": p.bytes_read, "bytes_staged": p.bytes_staged,
            "stream_seconds": p.stream_seconds, "used_o_direct": p.used_o_direct,
        }

    def free(self):
        """Frees every buffer of the model.  Raises BusyError while numpy
        views of its tensors live (a `with` block defers instead)."""
        with self._lock:
            if self._released():
                return
            self._refuse_if_views("Model.free")
            self._release()


# ---- the device -----------------------------------------------------------------------

def device_count():
    """How many amdgpu devices have a render node (raises when none)."""
    rc = L.load().amdbare_device_count()
    if rc < 0:
        raise from_errno(rc, L.last_error(), "device_count", NoDeviceError)
    return rc


def devices():
    """Every amdgpu device, opened."""
    return [Device(i) for i in range(device_count())]


def _heap(h):
    return {"total": h.total, "usable": h.usable, "used": h.used,
            "max_allocation": h.max_allocation}


def _memory_dict(m):
    return {"vram": _heap(m.vram), "visible_vram": _heap(m.visible_vram), "gtt": _heap(m.gtt),
            "num_evictions": m.num_evictions, "num_bytes_moved": m.num_bytes_moved,
            "num_vram_cpu_page_faults": m.num_vram_cpu_page_faults}


def _usage_dict(u):
    def key(has, v):
        return v if has else None
    return {"vram": key(u.has_vram, u.vram),
            "visible_vram": key(u.has_visible_vram, u.visible_vram),
            "gtt": key(u.has_gtt, u.gtt), "cpu": key(u.has_cpu, u.cpu),
            "evicted_vram": key(u.has_evicted_vram, u.evicted_vram),
            "requested_vram": key(u.has_requested_vram, u.requested_vram),
            "requested_gtt": key(u.has_requested_gtt, u.requested_gtt),
            "client_id": u.client_id}


class Device:
    """An opened amdgpu device (its render node)."""

    def __init__(self, index=0):
        lib = L.load()
        h = ctypes.c_void_p()
        rc = lib.amdbare_device_open(int(index), ctypes.byref(h))
        if rc < 0:
            cls = NoDeviceError if -rc in (errno.ENOENT, errno.ENODEV) else None
            raise from_errno(rc, L.last_error(), "Device(%d)" % index, cls)
        self.index = int(index)
        self._st = _DevState(h.value)
        self._fin = weakref.finalize(self, _close_device, self._st)
        self._owners = weakref.WeakSet()
        self._raw = L.DeviceInfo()
        lib.amdbare_device_get_info(h.value, ctypes.byref(self._raw))
        with _state_lock:
            if self._raw.is_virtual:
                _opened["virtual_profile"] = L.text(self._raw.virtual_profile)
            else:
                _opened["real"] = True

    def __repr__(self):
        return "<amdbare.Device %d %s %s%s>" % (
            self.index, L.text(self._raw.node_path), L.text(self._raw.gfx_target),
            " (virtual %s)" % L.text(self._raw.virtual_profile) if self._raw.is_virtual else "")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def is_virtual(self):
        return bool(self._raw.is_virtual)

    def _begin(self, what):
        self._st.begin(what)

    def info(self):
        """The device's entry of `amdbare info --json` (the same keys and
        values: identity, compute, clocks, memory, the GTT ceiling and its
        source, this process's usage)."""
        self._begin("info")
        try:
            lib, h, r = L.load(), self._st.handle, self._raw
            d = {
                "index": self.index, "node": L.text(r.node_path),
                "marketing_name": L.text(r.marketing_name),
                "pci_id": "%04x:%04x" % (r.pci_vendor, r.pci_device),
                "pci_vendor": r.pci_vendor, "pci_device": r.pci_device,
                "pci_revision": r.pci_revision, "pci_bus": L.text(r.pci_bus),
                "gfx_target": L.text(r.gfx_target) or None,
                "gc_version": "%d.%d.%d" % (r.gc_major, r.gc_minor, r.gc_revision),
                "family_id": r.family_id, "chip_external_rev": r.chip_external_rev,
                "kind": "apu" if r.is_apu else "dgpu", "is_apu": r.is_apu,
                "is_virtual": r.is_virtual,
                "virtual_profile": L.text(r.virtual_profile) if r.is_virtual else None,
                "cu_count": r.cu_count, "num_shader_engines": r.num_shader_engines,
                "wave_size": r.wave_size, "wave64_supported": r.wave64_supported,
                "max_engine_clock_mhz": r.max_engine_clock_mhz,
                "max_memory_clock_mhz": r.max_memory_clock_mhz,
                "vram_bit_width": r.vram_bit_width,
                "driver_version": "%d.%d.%d" % (r.drm_major, r.drm_minor, r.drm_patchlevel),
            }
            m = L.MemoryInfo()
            rc = lib.amdbare_device_query_memory(h, ctypes.byref(m))
            d["memory"], d["memory_error"] = ((_memory_dict(m), None) if rc == 0
                                              else (None, L.last_error()))
            c = L.GttCeiling()
            rc = lib.amdbare_device_query_gtt_ceiling(h, ctypes.byref(c))
            d["gtt_ceiling"] = ({"limit_bytes": c.limit_bytes,
                                 "limit_source": L.text(c.source_name)} if rc == 0 else None)
            u = L.ProcessUsage()
            rc = lib.amdbare_device_query_process_usage(h, ctypes.byref(u))
            if rc == 0:
                d["process"], d["process_error"] = _usage_dict(u), None
            else:
                d["process"] = None
                d["process_error"] = ("no memory keys in fdinfo (kernel older than 5.19)"
                                      if rc == -errno.ENODATA else L.last_error())
            return d
        finally:
            self._st.end()

    def memory(self):
        """Heaps (total, usable, used, max_allocation of VRAM, visible VRAM
        and GTT), the kernel's counters, and this process's fdinfo usage
        under "process" (None where the kernel printed no key)."""
        self._begin("memory")
        try:
            lib, h = L.load(), self._st.handle
            m = L.MemoryInfo()
            _check(lib.amdbare_device_query_memory(h, ctypes.byref(m)), "query_memory")
            d = _memory_dict(m)
            u = L.ProcessUsage()
            rc = lib.amdbare_device_query_process_usage(h, ctypes.byref(u))
            d["process"] = _usage_dict(u) if rc == 0 else None
            return d
        finally:
            self._st.end()

    def alloc(self, size, domain="vram", flags=(), alignment=0):
        """A GEM buffer of `size` bytes (an int or "256M") in "vram", "gtt"
        or "vram|gtt", with flags from FLAGS ("cpu-access", "uswc", ...).
        It is GPU-mapped read/write at once, so .gpu_va is its address."""
        ci = L.BoCreateInfo(size=_parse_size(size), alignment=int(alignment),
                            domains=_parse_domain(domain), flags=_parse_flags(flags))
        lib = L.load()
        h = ctypes.c_void_p()
        self._begin("alloc")
        try:
            with self._st.lock:
                _check(lib.amdbare_bo_create(self._st.handle, ctypes.byref(ci),
                                             ctypes.byref(h)), "alloc")
                self._st.bos[h.value] = True
            va = ctypes.c_uint64()
            rc = lib.amdbare_bo_gpu_map(h.value, L.VA_READ | L.VA_WRITE, ctypes.byref(va))
            if rc < 0:
                err = from_errno(rc, L.last_error(), "gpu_map")
                _free_bo(self._st, h.value)
                raise err
            buf = Buffer(self, h.value, ci.domains)
        finally:
            self._st.end()
        self._owners.add(buf)
        return buf

    def load(self, paths, place=None, policy=None, progress=False, verify=True,
             stage_vram=False, vram_limit=0, gtt_limit=0):
        """Opens, plans and loads model files (safetensors, GGUF, a shard
        index; several paths make one model).  `place`: "PATTERN=DOMAIN"
        overrides (a list, or a dict {pattern: domain}); `policy`:
        "vram-then-gtt" (default), "vram" or "gtt"; `progress`: True prints
        progress on stderr, a callable gets a dict after every chunk."""
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        cpaths = (ctypes.c_char_p * len(paths))(*[_bytes(os.fspath(p)) for p in paths])
        opt = L.ModelOptions()
        lib = L.load()
        lib.amdbare_model_options_init(ctypes.byref(opt))
        if policy is not None:
            if policy not in POLICIES:
                raise InvalidArgumentError("unknown policy %r (%s)" % (policy, ", ".join(POLICIES)),
                                           errno.EINVAL)
            opt.policy = POLICIES[policy]
        if isinstance(place, dict):
            place = ["%s=%s" % kv for kv in place.items()]
        elif isinstance(place, str):
            place = [place]
        if place:
            cplace = (ctypes.c_char_p * len(place))(*[_bytes(p) for p in place])
            opt.placements = ctypes.cast(cplace, ctypes.POINTER(ctypes.c_char_p))
            opt.n_placements = len(place)
        if not verify:
            opt.flags |= L.MODEL_NO_VERIFY
        if stage_vram:
            opt.flags |= L.MODEL_STAGE_VRAM
        opt.vram_limit, opt.gtt_limit = _parse_size(vram_limit), _parse_size(gtt_limit)
        failure = []
        if progress:
            user_fn = progress if callable(progress) else _print_progress

            def trampoline(p, _user):
                try:
                    pr = p.contents
                    d = {k: getattr(pr, k) for k, _ in L.ModelProgress._fields_}
                    d["file"], d["tensor"] = L.text(pr.file), L.text(pr.tensor)
                    return 1 if user_fn(d) else 0
                except BaseException as e:  # an exception aborts the load
                    failure.append(e)
                    return 1
            opt.progress = L.PROGRESS_FN(trampoline)
        h = ctypes.c_void_p()
        self._begin("load")
        try:
            _check(lib.amdbare_model_open(self._st.handle, cpaths, len(paths),
                                          ctypes.byref(opt), ctypes.byref(h)), "model_open")
            with self._st.lock:
                self._st.models[h.value] = True
            rc = lib.amdbare_model_load(h.value)
            if rc < 0:
                err = from_errno(rc, L.last_error(), "model_load")
                _free_model(self._st, h.value)
                if failure:
                    raise failure[0]
                raise err
            model = Model(self, h.value)
        finally:
            self._st.end()
        if progress is True:
            sys.stderr.write("\n")
        self._owners.add(model)
        return model

    # ---- linear algebra ----------------------------------------------------------

    def gemm(self, a, b, trans_a=False, trans_b=False, alpha=1.0, beta=0.0, c=None,
             out_dtype="f32", m=None, n=None, k=None):
        """C = alpha * op(A) op(B) + beta * C on the GPU; returns C (M x N)
        as a new ndarray.  A and B are Tensors, Buffers (packed row-major
        matrices of the other operand's dtype) or ndarrays (used in place
        when they are views of amdbare memory, else copied into GTT)."""
        from .linalg import gemm
        return gemm(self, a, b, trans_a, trans_b, alpha, beta, c, out_dtype, m, n, k)

    def gemv(self, w, x, alpha=1.0, beta=0.0, y=None, out_dtype="f32", n=None):
        """y = alpha * W x + beta * y on the GPU, W N x K (a Tensor, Buffer
        or ndarray; Q8_0 tensors as loaded), x of K elements; returns y."""
        from .linalg import gemv
        return gemv(self, w, x, alpha, beta, y, out_dtype, n)

    # ---- closing -----------------------------------------------------------------

    def close(self):
        """Frees the device's buffers and models and closes it.  Raises
        BusyError while numpy views into any of them live or while another
        thread is inside a call on them."""
        st = self._st
        with st.lock:
            if st.closed:
                return
            for o in list(self._owners):
                if not o._released():
                    o._refuse_if_views("Device.close")
            if st.busy:
                raise BusyError("Device.close: %d call%s on its buffers or models still "
                                "running in other threads" % (st.busy, "s" * (st.busy != 1)),
                                errno.EBUSY)
            for o in list(self._owners):
                o._fin.detach()
            self._fin()

    @property
    def closed(self):
        return self._st.closed


def _print_progress(p):
    total = p["bytes_total"] or 1
    sys.stderr.write("\rloading %5.1f%%  %d/%d tensors  %s" % (
        100.0 * p["bytes_done"] / total, p["tensors_done"], p["tensors_total"],
        (p["tensor"] or "")[:40].ljust(40)))
    sys.stderr.flush()
    return 0


__all__ = ["Device", "Buffer", "Model", "Tensor", "devices", "device_count", "Error",
           "FLAGS", "POLICIES"]
