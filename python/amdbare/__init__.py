"""amdbare: AMD GPU memory from Python, over libamdbare (ctypes, no compiled
extension; needs only Python 3 and numpy).

    import amdbare
    amdbare.use_vgpu("780m")               # only where there is no AMD GPU
    dev = amdbare.Device()
    buf = dev.alloc("64M", "vram")
    a = buf.numpy("float32")               # zero-copy view of the buffer

See docs/python.md.
"""
from . import _lib
from .core import (FLAGS, POLICIES, Buffer, Device, Model, Tensor, device_count, devices,
                   dtype_code, dtype_name)
from .errors import (AccessError, BusyError, ClosedError, Error, InvalidArgumentError,
                     LibraryNotFoundError, NoDeviceError, NotCPUVisibleError, NotFoundError,
                     NotSupportedError, OutOfMemoryError, TensorNotFoundError,
                     VirtualDeviceError)
from .vgpu import use_vgpu, vgpu_loaded, vgpu_profile

__version__ = "0.1"


def library_path():
    """The path of the libamdbare.so this process loaded."""
    return _lib.library_path()


__all__ = [
    "Device", "Buffer", "Model", "Tensor", "devices", "device_count", "use_vgpu",
    "vgpu_loaded", "vgpu_profile", "library_path", "dtype_name", "dtype_code", "FLAGS",
    "POLICIES", "Error", "AccessError", "BusyError", "ClosedError", "InvalidArgumentError",
    "LibraryNotFoundError", "NoDeviceError", "NotCPUVisibleError", "NotFoundError",
    "NotSupportedError", "OutOfMemoryError", "TensorNotFoundError", "VirtualDeviceError",
]
