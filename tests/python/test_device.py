"""amdbare.devices(), Device.info() and Device.memory()."""
import amdbare


def test_devices_lists_every_device():
    devs = amdbare.devices()
    try:
        assert len(devs) == amdbare.device_count() >= 1
        for i, d in enumerate(devs):
            assert isinstance(d, amdbare.Device)
            info = d.info()
            assert info["index"] == i and info["node"].startswith("/dev/dri/renderD")
            assert info["pci_vendor"] == 0x1002
    finally:
        for d in devs:
            d.close()


def test_info_and_memory(dev):
    info = dev.info()
    if amdbare.vgpu_loaded():
        assert info["is_virtual"] and info["virtual_profile"] == amdbare.vgpu_profile()
    assert info["gfx_target"].startswith("gfx")
    assert info["memory"]["vram"]["total"] > 0 and info["memory_error"] is None
    m = dev.memory()
    before = m["process"]["gtt"]
    with dev.alloc("3M", "gtt"):
        after = dev.memory()["process"]["gtt"]
    assert after - before == 3 << 20
    assert m["gtt"]["total"] >= m["gtt"]["usable"] > 0
    assert set(m["vram"]) == {"total", "usable", "used", "max_allocation"}
