"""pytest fixtures of the Python package's tests (run by tests/test_python.sh
on the vgpu: LD_PRELOAD of libamdbare-vgpu.so, its own instance)."""
import os
import subprocess
import sys
import uuid

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "python"))

import amdbare  # noqa: E402

BUILD = os.environ.get("AMDBARE_BUILD", os.path.join(TOP, "build"))
VGPU_LIB = os.path.join(BUILD, "libamdbare-vgpu.so")


def pytest_configure(config):
    config.addinivalue_line("markers", "vgpu: needs the virtual device preloaded")


def pytest_collection_modifyitems(config, items):
    if amdbare.vgpu_loaded():
        return
    skip = pytest.mark.skip(reason="needs the vgpu (this run is on a real device)")
    for it in items:
        if "vgpu" in it.keywords:
            it.add_marker(skip)


@pytest.fixture
def dev():
    d = amdbare.Device()
    yield d
    d.close()


@pytest.fixture
def tiny_model():
    return os.path.join(TOP, "examples", "tiny.safetensors")


def run_python(code_or_args, env_extra=None, preload=False, cwd=TOP, timeout=300):
    """Runs /usr/bin/python3 in a child on a fresh vgpu instance (removed
    afterwards).  Without `preload` the child starts with no vgpu loaded, as
    a user's script does."""
    inst = "pytest-%d-%s" % (os.getpid(), uuid.uuid4().hex[:8])
    env = dict(os.environ)
    env.pop("AMDBARE_VGPU_PROFILE", None)
    env.pop("AMDBARE_VGPU_REEXEC", None)
    if preload:
        env["LD_PRELOAD"] = VGPU_LIB
    else:
        env.pop("LD_PRELOAD", None)
    env["AMDBARE_VGPU_INSTANCE"] = inst
    env["AMDBARE_VGPU_LIB"] = VGPU_LIB
    env["PYTHONPATH"] = os.path.join(TOP, "python")
    env.update(env_extra or {})
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    try:
        return subprocess.run([sys.executable] + args, env=env, cwd=cwd, capture_output=True,
                              text=True, timeout=timeout)
    finally:
        for f in os.listdir("/dev/shm"):
            if f.startswith("amdbare-vgpu-" + inst):
                try:
                    os.unlink(os.path.join("/dev/shm", f))
                except OSError:
                    pass
