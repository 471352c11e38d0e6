"""The exceptions of the amdbare package.

Every failure of a library call raises a subclass of `Error` that carries the
call's errno (positive, as in the `errno` module) and the library's own
message (amdbare_last_error(): what failed, with the device node, sizes and
what the kernel said).
"""
import errno as _errno
import os


class Error(Exception):
    """A failed amdbare operation: `.errno` and `.message`."""

    def __init__(self, message, errno=0, call=None):
        self.errno = errno
        self.message = message
        self.call = call
        text = message
        if errno:
            text = "%s [%s]" % (message, _errno.errorcode.get(errno, str(errno)))
        super().__init__(text)


class NotFoundError(Error, LookupError):
    """Something named does not exist (ENOENT): a file, a tensor, a node."""


class NoDeviceError(NotFoundError):
    """No amdgpu device (ENODEV, or ENOENT when opening one)."""


class TensorNotFoundError(NotFoundError, KeyError):
    """model[name] for a name the model does not hold."""


class AccessError(Error):
    """The device or the buffer refuses this access (EACCES / EPERM)."""


class InvalidArgumentError(Error, ValueError):
    """Bad sizes, shapes, dtypes, flags (EINVAL, ERANGE, EOVERFLOW)."""


class OutOfMemoryError(Error, MemoryError):
    """A heap or a budget is full, or the model does not fit (ENOMEM, ENOSPC, E2BIG)."""


class BusyError(Error):
    """Refused while something still uses the object (EBUSY): live numpy views."""


class ClosedError(Error):
    """The buffer, model or device was freed or closed (EBADF)."""


class NotSupportedError(Error):
    """Not supported by this device or this build (ENOTSUP / EOPNOTSUPP)."""


class NotCPUVisibleError(AccessError):
    """The memory cannot be mapped by the CPU (CPU-invisible VRAM, NO_CPU_ACCESS)."""


class LibraryNotFoundError(Error, OSError):
    """libamdbare.so could not be loaded."""


class VirtualDeviceError(Error):
    """use_vgpu() cannot put this process on the virtual device."""


_BY_ERRNO = {
    _errno.ENOENT: NotFoundError,
    _errno.ENODEV: NoDeviceError,
    _errno.EACCES: AccessError,
    _errno.EPERM: AccessError,
    _errno.EINVAL: InvalidArgumentError,
    _errno.ERANGE: InvalidArgumentError,
    _errno.EOVERFLOW: InvalidArgumentError,
    _errno.ENOMEM: OutOfMemoryError,
    _errno.ENOSPC: OutOfMemoryError,
    _errno.E2BIG: OutOfMemoryError,
    _errno.EBUSY: BusyError,
    _errno.EBADF: ClosedError,
    _errno.ENOTSUP: NotSupportedError,
    _errno.EOPNOTSUPP: NotSupportedError,
}


def from_errno(err, message, call=None, cls=None):
    """The exception for a negative or positive errno (`cls` overrides the
    class the errno maps to)."""
    err = abs(err)
    cls = cls or _BY_ERRNO.get(err, Error)
    if not message:
        message = "%s: %s" % (call or "amdbare", os.strerror(err))
    return cls(message, err, call)
