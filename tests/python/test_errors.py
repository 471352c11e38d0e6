"""Errors raise amdbare.Error subclasses carrying the errno and the
library's message."""
import errno

import numpy as np
import pytest

import amdbare


def test_library_errors_carry_errno_and_message(dev):
    with pytest.raises(amdbare.InvalidArgumentError) as e:
        dev.alloc(4096, "gtt", flags=["cpu-access", "no-cpu-access"])
    assert e.value.errno == errno.EINVAL
    assert e.value.message  # the library's own text
    assert isinstance(e.value, amdbare.Error) and isinstance(e.value, ValueError)
    with pytest.raises(amdbare.OutOfMemoryError) as e:
        dev.alloc(1 << 50, "vram")
    assert e.value.errno == errno.E2BIG and e.value.message


def test_python_side_validation(dev):
    with pytest.raises(amdbare.InvalidArgumentError):
        dev.alloc(4096, "sram")
    with pytest.raises(amdbare.InvalidArgumentError):
        dev.alloc(4096, "gtt", flags=["fast"])
    with pytest.raises(amdbare.InvalidArgumentError) as e:
        dev.alloc("12Q", "gtt")
    assert e.value.errno == errno.EINVAL


def test_model_errors(dev, tiny_model, tmp_path):
    with pytest.raises(amdbare.NotFoundError) as e:
        dev.load(str(tmp_path / "absent.safetensors"))
    assert e.value.errno == errno.ENOENT and "absent.safetensors" in e.value.message
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{oops}  ")
    with pytest.raises(amdbare.InvalidArgumentError) as e:
        dev.load(str(bad))
    assert "bad.safetensors" in e.value.message
    with dev.load(tiny_model) as m:
        with pytest.raises(amdbare.TensorNotFoundError) as e:
            m["nope"]
        assert isinstance(e.value, KeyError) and "nope" in e.value.message
    with pytest.raises(amdbare.OutOfMemoryError) as e:
        dev.load(tiny_model, policy="vram", vram_limit=4096)
    assert e.value.errno == errno.ENOSPC
    with pytest.raises(amdbare.InvalidArgumentError):
        dev.load(tiny_model, policy="fastest")


def test_progress_callback_abort(dev, tiny_model):
    seen = []

    def cb(p):
        seen.append(p["bytes_done"])
        return 1  # abort

    with pytest.raises(amdbare.Error) as e:
        dev.load(tiny_model, progress=cb)
    assert e.value.errno == errno.ECANCELED and seen


def test_progress_callback_exception_propagates(dev, tiny_model):
    def cb(p):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        dev.load(tiny_model, progress=cb)
    # The failed load freed everything: the device closes cleanly.
    assert dev.memory()["process"]["vram"] == 0


def test_gemm_shape_errors(dev):
    with pytest.raises(amdbare.InvalidArgumentError) as e:
        dev.gemm(np.ones((2, 3), np.float32), np.ones((4, 5), np.float32))
    assert "inner dimensions" in str(e.value)
    with pytest.raises(amdbare.InvalidArgumentError):
        dev.gemv(np.ones((4, 8), np.float32), np.ones(7, np.float32))


def test_no_device_error_is_typed():
    assert issubclass(amdbare.NoDeviceError, amdbare.NotFoundError)
    e = amdbare.errors.from_errno(-errno.EBUSY, "x")
    assert isinstance(e, amdbare.BusyError) and e.errno == errno.EBUSY
