"""ctypes bindings of libamdbare's public C API (include/amdbare*.h).

Every structure here mirrors one of the C headers field for field; the test
suite compiles a C program that prints each field's offset and each
structure's size and compares them with these definitions
(tests/python/test_abi.py), so a header change that is not carried over
here fails loudly instead of corrupting memory.

The library is found, in order: $AMDBARE_LIBRARY; the build tree this
package sits in (<top>/python/amdbare -> <top>/build/libamdbare.so); the
library directory `make install` recorded in _install_paths.py; the
dynamic loader's own search (libamdbare.so.0).
"""
import ctypes
import os

c_bool = ctypes.c_bool
c_char_p = ctypes.c_char_p
c_double = ctypes.c_double
c_float = ctypes.c_float
c_int = ctypes.c_int
c_size_t = ctypes.c_size_t
c_uint8 = ctypes.c_uint8
c_uint16 = ctypes.c_uint16
c_uint32 = ctypes.c_uint32
c_uint64 = ctypes.c_uint64
c_int64 = ctypes.c_int64
c_void_p = ctypes.c_void_p

SONAME = "libamdbare.so.0"

# enum amdbare_domain / amdbare_bo_flag / amdbare_va_perm (amdbare.h)
DOMAIN_GTT = 0x2
DOMAIN_VRAM = 0x4
BO_CPU_ACCESS = 1 << 0
BO_NO_CPU_ACCESS = 1 << 1
BO_USWC = 1 << 2
BO_CLEARED = 1 << 3
BO_VM_ALWAYS_VALID = 1 << 6
VA_READ = 1 << 0
VA_WRITE = 1 << 1
# enum amdbare_model_policy / amdbare_model_flag (amdbare_model.h)
MODEL_VRAM_THEN_GTT = 0
MODEL_VRAM_ONLY = 1
MODEL_GTT_ONLY = 2
MODEL_NO_VERIFY = 1 << 0
MODEL_STAGE_VRAM = 1 << 1
MODEL_O_DIRECT = 1 << 2


class DeviceInfo(ctypes.Structure):
    c_name = "amdbare_device_info"
    _fields_ = [
        ("node_path", ctypes.c_char * 64),
        ("pci_bus", ctypes.c_char * 32),
        ("pci_vendor", c_uint16),
        ("pci_device", c_uint16),
        ("pci_revision", c_uint8),
        ("marketing_name", ctypes.c_char * 128),
        ("family_id", c_uint32),
        ("chip_external_rev", c_uint32),
        ("gc_major", c_uint32),
        ("gc_minor", c_uint32),
        ("gc_revision", c_uint32),
        ("gfx_target", ctypes.c_char * 16),
        ("is_apu", c_bool),
        ("cu_count", c_uint32),
        ("num_shader_engines", c_uint32),
        ("wave_size", c_uint32),
        ("wave64_supported", c_bool),
        ("max_engine_clock_mhz", c_uint32),
        ("max_memory_clock_mhz", c_uint32),
        ("vram_bit_width", c_uint32),
        ("drm_major", c_uint32),
        ("drm_minor", c_uint32),
        ("drm_patchlevel", c_uint32),
        ("is_virtual", c_bool),
        ("virtual_profile", ctypes.c_char * 32),
    ]


class HeapInfo(ctypes.Structure):
    c_name = "amdbare_heap_info"
    _fields_ = [("total", c_uint64), ("usable", c_uint64), ("used", c_uint64),
                ("max_allocation", c_uint64)]


class MemoryInfo(ctypes.Structure):
    c_name = "amdbare_memory_info"
    _fields_ = [
        ("vram", HeapInfo),
        ("visible_vram", HeapInfo),
        ("gtt", HeapInfo),
        ("num_evictions", c_uint64),
        ("num_bytes_moved", c_uint64),
        ("num_vram_cpu_page_faults", c_uint64),
    ]


class ProcessUsage(ctypes.Structure):
    c_name = "amdbare_process_usage"
    _fields_ = [
        ("has_vram", c_bool), ("has_gtt", c_bool), ("has_cpu", c_bool),
        ("has_visible_vram", c_bool), ("has_evicted_vram", c_bool),
        ("has_requested_vram", c_bool), ("has_requested_gtt", c_bool),
        ("vram", c_uint64), ("gtt", c_uint64), ("cpu", c_uint64),
        ("visible_vram", c_uint64), ("evicted_vram", c_uint64),
        ("requested_vram", c_uint64), ("requested_gtt", c_uint64),
        ("client_id", c_uint64),
    ]


class GttCeiling(ctypes.Structure):
    c_name = "amdbare_gtt_ceiling"
    _fields_ = [
        ("limit_bytes", c_uint64), ("source", ctypes.c_int), ("source_name", ctypes.c_char_p),
        ("gtt_follows_pages_limit", c_bool), ("has_meminfo", c_bool),
        ("mem_total", c_uint64), ("mem_available", c_uint64),
        ("swap_total", c_uint64), ("swap_free", c_uint64),
        ("has_pages_limit", c_bool), ("pages_limit", c_uint64),
        ("pages_limit_given", c_bool), ("amdttm", c_bool),
        ("has_gttsize", c_bool), ("gttsize_mib", c_int64),
        ("has_cmdline", c_bool), ("cmdline", ctypes.c_char * 512),
    ]


class BoCreateInfo(ctypes.Structure):
    c_name = "amdbare_bo_create_info"
    _fields_ = [("size", c_uint64), ("alignment", c_uint64), ("domains", c_uint32),
                ("flags", c_uint32)]


class Placement(ctypes.Structure):
    c_name = "amdbare_placement"
    _fields_ = [
        ("requested_domains", c_uint32),
        ("actual_domain", c_uint32),
        ("fell_back_to_gtt", c_bool),
        ("cpu_visible", c_bool),
        ("migrated", c_bool),
        ("proc_vram_delta", c_int64),
        ("proc_gtt_delta", c_int64),
        ("proc_cpu_delta", c_int64),
        ("global_vram_delta", c_int64),
        ("global_visible_vram_delta", c_int64),
        ("global_gtt_delta", c_int64),
        ("evictions_delta", c_uint64),
        ("cpu_page_faults_delta", c_uint64),
        ("confidence", c_int),
        ("evidence", ctypes.c_char * 160),
    ]


class ModelProgress(ctypes.Structure):
    c_name = "amdbare_model_progress"
    _fields_ = [
        ("bytes_done", c_uint64), ("bytes_total", c_uint64),
        ("vram_done", c_uint64), ("vram_total", c_uint64),
        ("gtt_done", c_uint64), ("gtt_total", c_uint64),
        ("tensors_done", c_uint32), ("tensors_total", c_uint32),
        ("elapsed_s", c_double),
        ("file", c_char_p),
        ("tensor", c_char_p),
    ]


PROGRESS_FN = ctypes.CFUNCTYPE(c_int, ctypes.POINTER(ModelProgress), c_void_p)


class ModelOptions(ctypes.Structure):
    c_name = "amdbare_model_options"
    _fields_ = [
        ("policy", c_uint32),
        ("placements", ctypes.POINTER(c_char_p)),
        ("n_placements", c_size_t),
        ("vram_headroom", c_uint64),
        ("gtt_headroom", c_uint64),
        ("vram_limit", c_uint64),
        ("gtt_limit", c_uint64),
        ("alignment", c_uint32),
        ("flags", c_uint32),
        ("chunk_size", c_uint64),
        ("staging_size", c_uint64),
        ("progress", PROGRESS_FN),
        ("progress_user", c_void_p),
    ]


class DomainPlan(ctypes.Structure):
    c_name = "amdbare_model_domain_plan"
    _fields_ = [
        ("tensors", c_uint32), ("bytes", c_uint64), ("reserved", c_uint64),
        ("buffers", c_uint32), ("budget", c_uint64), ("headroom", c_uint64),
        ("room", c_uint64),
    ]


class ModelPlan(ctypes.Structure):
    c_name = "amdbare_model_plan"
    _fields_ = [
        ("files", c_uint32),
        ("tensors", c_uint32),
        ("bytes", c_uint64),
        ("policy", c_uint32),
        ("overridden", c_uint32),
        ("vram_staged", c_bool),
        ("staging_bytes", c_uint64),
        ("vram", DomainPlan),
        ("gtt", DomainPlan),
        ("fits", c_bool),
        ("refusal", ctypes.c_char * 384),
    ]


class ModelProof(ctypes.Structure):
    c_name = "amdbare_model_proof"
    _fields_ = [
        ("loaded", c_bool),
        ("have_process_usage", c_bool),
        ("proc_vram_delta", c_int64), ("proc_gtt_delta", c_int64),
        ("global_vram_delta", c_int64), ("global_gtt_delta", c_int64),
        ("held_vram", c_uint64), ("held_gtt", c_uint64),
        ("loaded_vram", c_uint64), ("loaded_gtt", c_uint64),
        ("usage_matches", c_bool),
        ("verify_skipped", c_bool),
        ("verify_note", ctypes.c_char * 160),
        ("verified", c_uint32), ("mismatched", c_uint32),
        ("verify_seconds", c_double),
        ("bytes_read", c_uint64),
        ("bytes_staged", c_uint64),
        ("stream_seconds", c_double),
        ("used_o_direct", c_bool),
    ]


class TensorInfo(ctypes.Structure):
    c_name = "amdbare_tensor_info"
    _fields_ = [
        ("name", c_char_p),
        ("dtype", c_int),
        ("n_dims", c_uint32),
        ("shape", c_uint64 * 8),
        ("nbytes", c_uint64),
        ("file", c_char_p),
        ("file_offset", c_uint64),
        ("domain", c_uint32),
        ("placed_by", c_char_p),
        ("bo", c_void_p),
        ("bo_offset", c_uint64),
        ("gpu_va", c_uint64),
        ("cpu_ptr", c_void_p),
        ("checksum", c_uint64),
        ("verified", c_bool),
    ]


class TensorRef(ctypes.Structure):
    c_name = "amdbare_tensor_ref"
    _fields_ = [("bo", c_void_p), ("offset", c_uint64), ("dtype", c_int)]


class GemmDesc(ctypes.Structure):
    c_name = "amdbare_gemm_desc"
    _fields_ = [
        ("m", c_uint32), ("n", c_uint32), ("k", c_uint32),
        ("trans_a", c_bool), ("trans_b", c_bool),
        ("lda", c_uint32), ("ldb", c_uint32), ("ldc", c_uint32),
        ("alpha", c_float), ("beta", c_float),
        ("a", TensorRef), ("b", TensorRef), ("c", TensorRef),
    ]


class GemvDesc(ctypes.Structure):
    c_name = "amdbare_gemv_desc"
    _fields_ = [
        ("n", c_uint32), ("k", c_uint32), ("ldw", c_uint32),
        ("alpha", c_float), ("beta", c_float),
        ("w", TensorRef), ("x", TensorRef), ("y", TensorRef),
    ]


STRUCTS = [DeviceInfo, HeapInfo, MemoryInfo, ProcessUsage, GttCeiling, BoCreateInfo, Placement,
           ModelProgress, ModelOptions, DomainPlan, ModelPlan, ModelProof, TensorInfo,
           TensorRef, GemmDesc, GemvDesc]

P = ctypes.POINTER
_pp = P(c_void_p)

# name: (restype, argtypes).  Handles are opaque c_void_p.
_PROTOTYPES = {
    "amdbare_last_error": (c_char_p, []),
    "amdbare_device_count": (c_int, []),
    "amdbare_device_open": (c_int, [c_int, _pp]),
    "amdbare_device_close": (None, [c_void_p]),
    "amdbare_device_get_info": (None, [c_void_p, P(DeviceInfo)]),
    "amdbare_device_query_memory": (c_int, [c_void_p, P(MemoryInfo)]),
    "amdbare_device_query_process_usage": (c_int, [c_void_p, P(ProcessUsage)]),
    "amdbare_device_query_gtt_ceiling": (c_int, [c_void_p, P(GttCeiling)]),
    "amdbare_bo_create": (c_int, [c_void_p, P(BoCreateInfo), _pp]),
    "amdbare_bo_free": (c_int, [c_void_p]),
    "amdbare_bo_size": (c_uint64, [c_void_p]),
    "amdbare_bo_cpu_map": (c_int, [c_void_p, _pp]),
    "amdbare_bo_gpu_map": (c_int, [c_void_p, c_uint32, P(c_uint64)]),
    "amdbare_bo_gpu_va": (c_uint64, [c_void_p]),
    "amdbare_bo_get_placement": (c_int, [c_void_p, P(Placement)]),
    "amdbare_bo_touch": (c_int, [c_void_p, c_uint8]),
    "amdbare_domain_name": (c_char_p, [c_uint32]),
    "amdbare_parse_size": (c_int, [c_char_p, P(c_uint64)]),
    "amdbare_dtype_name": (c_char_p, [c_int]),
    "amdbare_dtype_from_name": (c_int, [c_char_p, P(c_int)]),
    "amdbare_dtype_block": (c_int, [c_int, P(c_uint32), P(c_uint32)]),
    "amdbare_copy": (c_int, [c_void_p, c_void_p, c_uint64, c_void_p, c_uint64, c_uint64]),
    "amdbare_fill": (c_int, [c_void_p, c_void_p, c_uint64, c_uint64, c_uint32]),
    "amdbare_checksum": (c_uint64, [c_void_p, c_size_t]),
    "amdbare_checksum_gpu": (c_int, [c_void_p, c_void_p, c_uint64, c_uint64, P(c_uint64)]),
    "amdbare_model_options_init": (None, [P(ModelOptions)]),
    "amdbare_model_open": (c_int, [c_void_p, P(c_char_p), c_size_t, P(ModelOptions), _pp]),
    "amdbare_model_get_plan": (c_int, [c_void_p, P(ModelPlan)]),
    "amdbare_model_load": (c_int, [c_void_p]),
    "amdbare_model_get_proof": (c_int, [c_void_p, P(ModelProof)]),
    "amdbare_model_tensor_count": (c_size_t, [c_void_p]),
    "amdbare_model_tensor": (c_int, [c_void_p, c_size_t, P(TensorInfo)]),
    "amdbare_model_find": (c_int, [c_void_p, c_char_p, P(TensorInfo)]),
    "amdbare_model_free": (None, [c_void_p]),
    "amdbare_gemm": (c_int, [c_void_p, P(GemmDesc)]),
    "amdbare_gemv": (c_int, [c_void_p, P(GemvDesc)]),
}


def _package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def library_candidates():
    """The paths tried, in order (the last one is a bare soname)."""
    out = []
    env = os.environ.get("AMDBARE_LIBRARY")
    if env:
        return [env]
    top = os.path.dirname(os.path.dirname(_package_dir()))
    out.append(os.path.join(top, "build", "libamdbare.so"))
    try:
        from . import _install_paths  # written by `make install`
        out.append(os.path.join(_install_paths.LIBDIR, SONAME))
    except ImportError:
        pass
    out.append(SONAME)
    return out


_lib = None
_lib_path = None


def load():
    """The loaded library (ctypes.CDLL), loading it on first use."""
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    from .errors import LibraryNotFoundError
    tried = []
    for path in library_candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + " (absent)")
            if os.environ.get("AMDBARE_LIBRARY"):
                break
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
            continue
        for name, (res, args) in _PROTOTYPES.items():
            fn = getattr(lib, name)
            fn.restype = res
            fn.argtypes = args
        _lib, _lib_path = lib, path
        return lib
    raise LibraryNotFoundError(
        "libamdbare was not found; tried: " + "; ".join(tried) +
        ". Build it (make) or set AMDBARE_LIBRARY to its path.")


def library_path():
    load()
    return _lib_path


def last_error():
    msg = load().amdbare_last_error()
    return msg.decode("utf-8", "replace") if msg else ""


def text(raw):
    """A C char array or char * as str ('' for NULL)."""
    if raw is None:
        return ""
    if isinstance(raw, bytes):
        return raw.decode("utf-8", "replace")
    return bytes(raw).split(b"\0", 1)[0].decode("utf-8", "replace")
