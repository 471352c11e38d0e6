"""use_vgpu(), python3 -m amdbare, the README's and docs' examples."""
import json
import os
import re
import subprocess

import pytest

import amdbare
from conftest import BUILD, TOP, run_python


@pytest.mark.vgpu
def test_use_vgpu_reexecs_and_says_so():
    code = ("import amdbare, os\n"
            "amdbare.use_vgpu('890m')\n"
            "d = amdbare.Device()\n"
            "print('ON', d.info()['virtual_profile'], amdbare.vgpu_loaded(),"
            " 'AMDBARE_VGPU_REEXEC' in os.environ)\n")
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert "ON 890m True False" in r.stdout
    assert "re-executing" in r.stderr and "890m" in r.stderr


@pytest.mark.vgpu
def test_use_vgpu_preloaded_selects_profile_without_reexec():
    r = run_python("import amdbare; amdbare.use_vgpu('8060s');"
                   "print(amdbare.Device().info()['virtual_profile'])", preload=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "8060s" and "re-executing" not in r.stderr


def test_use_vgpu_refuses_after_a_real_gpu(monkeypatch):
    # No real GPU here: the guard is exercised through the state a real
    # Device() records (core._opened["real"]).
    monkeypatch.setitem(amdbare.core._opened, "real", True)
    with pytest.raises(amdbare.VirtualDeviceError, match="already opened a real GPU"):
        amdbare.use_vgpu("780m")


@pytest.mark.vgpu
def test_use_vgpu_refuses_another_profile_once_open(dev):
    prof = dev.info()["virtual_profile"]
    other = "890m" if prof != "890m" else "780m"
    with pytest.raises(amdbare.VirtualDeviceError, match="already opened the virtual device"):
        amdbare.use_vgpu(other)
    with pytest.raises(amdbare.VirtualDeviceError, match="unknown vgpu profile"):
        amdbare.use_vgpu("potato")


@pytest.mark.vgpu
def test_use_vgpu_from_stdin_cannot_reexec():
    env = dict(os.environ, PYTHONPATH=os.path.join(TOP, "python"),
               AMDBARE_VGPU_LIB=os.path.join(BUILD, "libamdbare-vgpu.so"))
    env.pop("LD_PRELOAD", None)
    r = subprocess.run(["/usr/bin/python3", "-"], input="import amdbare\n"
                       "amdbare.use_vgpu('780m')\n", env=env, capture_output=True, text=True)
    assert r.returncode != 0 and "cannot be re-executed" in r.stderr


@pytest.mark.vgpu
def test_module_info_json_matches_cli():
    py = run_python(["-m", "amdbare", "--vgpu", "780m", "info", "--json"])
    assert py.returncode == 0, py.stderr
    env = dict(os.environ, AMDBARE_VGPU_INSTANCE="pytest-cli2-%d" % os.getpid())
    env.pop("LD_PRELOAD", None)
    cli = subprocess.run([os.path.join(BUILD, "amdbare"), "--vgpu", "780m", "info", "--json"],
                         env=env, capture_output=True, text=True)
    for f in os.listdir("/dev/shm"):
        if f.startswith("amdbare-vgpu-pytest-cli2-%d" % os.getpid()):
            os.unlink(os.path.join("/dev/shm", f))
    assert cli.returncode == 0, cli.stderr
    a, b = json.loads(py.stdout), json.loads(cli.stdout)
    assert a["notice"] == b["notice"] and a["virtual"] is b["virtual"] is True
    da, db = a["devices"][0], b["devices"][0]
    assert set(da) == set(db)
    for k in da:
        if k not in ("process",):  # its client id differs from process to process
            assert da[k] == db[k], k
    assert set(da["process"]) == set(db["process"])


@pytest.mark.vgpu
def test_module_load_and_demo():
    r = run_python(["-m", "amdbare", "--vgpu", "780m", "load", "examples/tiny.safetensors",
                    "--place", "embed*=gtt", "--json"])
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["proof"]["usage_matches"] and d["proof"]["verified"] == 2
    assert {t["name"]: t["domain"] for t in d["tensors"]} == {"embed.weight": "gtt",
                                                             "lm_head.weight": "vram"}
    r = run_python(["-m", "amdbare", "--vgpu", "780m", "demo"])
    assert r.returncode == 0, r.stderr + r.stdout
    assert r.stdout.startswith("virtual device: Radeon 780M profile")
    assert re.search(r"max \|y - numpy\| = 0\b", r.stdout)
    r = run_python(["-m", "amdbare", "frobnicate"])
    assert r.returncode == 2 and "unknown command" in r.stderr


def cli_has_doctor():
    r = subprocess.run([os.path.join(BUILD, "amdbare"), "doctor", "--help"],
                       capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    return "unknown command 'doctor'" not in r.stderr


@pytest.mark.vgpu
def test_module_doctor_delegates_to_the_cli():
    r = run_python(["-m", "amdbare", "--vgpu", "780m", "doctor"])
    if cli_has_doctor():
        # The CLI's own doctor ran: its exit code and output are passed on.
        assert "not supported by this build" not in r.stderr
        assert r.stdout or r.stderr
    else:
        assert r.returncode == 1
        assert "not supported by this build" in r.stderr and "doctor" in r.stderr
    # A CLI that is not there at all says so too.
    r = run_python(["-m", "amdbare", "doctor"], {"AMDBARE_CLI": "/nonexistent/amdbare"})
    assert r.returncode != 0


def python_blocks(path):
    text = open(os.path.join(TOP, path)).read()
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.mark.vgpu
def test_readme_python_runs_as_written(tmp_path):
    blocks = [b for b in python_blocks("README.md") if "import amdbare" in b]
    assert len(blocks) == 1
    code = blocks[0]
    assert len(code.strip().splitlines()) == 5
    script = tmp_path / "readme.py"
    script.write_text(code)
    r = run_python([str(script)])
    assert r.returncode == 0, r.stderr
    assert "re-executing" in r.stderr  # started without the vgpu, as a user would
    assert "vram" in r.stdout.lower()


@pytest.mark.vgpu
def test_docs_python_examples_run_as_written(tmp_path):
    blocks = [b for b in python_blocks("docs/python.md") if b.startswith("import amdbare")]
    assert len(blocks) >= 3
    for i, code in enumerate(blocks):
        script = tmp_path / ("doc%d.py" % i)
        script.write_text(code)
        r = run_python([str(script)])
        assert r.returncode == 0, "docs/python.md example %d:\n%s\n%s" % (i, code, r.stderr)


def test_pip_install_of_the_package(tmp_path):
    """`pip install ./python` builds and installs a package that imports and
    finds the library (no network: the build backend must be installed)."""
    import shutil
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("PYTHONPATH", None)
    probes = [subprocess.run(["/usr/bin/python3"] + args, env=env, capture_output=True)
              for args in (["-c", "import setuptools"], ["-m", "pip", "--version"])]
    if any(p.returncode for p in probes):
        pytest.skip("pip or setuptools is not installed for /usr/bin/python3")
    src = tmp_path / "src"
    shutil.copytree(os.path.join(TOP, "python"), src,
                    ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    r = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "-q", "--no-index",
                        "--no-build-isolation", "--no-deps", "--target",
                        str(tmp_path / "site"), str(src)], env=env, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    env["PYTHONPATH"] = str(tmp_path / "site")
    env["AMDBARE_LIBRARY"] = os.path.join(BUILD, "libamdbare.so")
    r = subprocess.run(["/usr/bin/python3", "-c", "import amdbare; print(amdbare.__file__, "
                        "amdbare.library_path())"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert str(tmp_path / "site") in r.stdout and "libamdbare.so" in r.stdout


@pytest.mark.vgpu
def test_domains_example_marks_rows_emulated():
    r = run_python(["examples/domains.py", "--vgpu", "780m", "--size", "4M", "--reps", "1"])
    assert r.returncode == 0, r.stderr
    rows = [ln for ln in r.stdout.splitlines() if ln.startswith(("vram ", "gtt "))]
    assert len(rows) == 4
    assert all(ln.rstrip().endswith("emulated") for ln in rows)
    assert "EMULATED" in r.stdout.splitlines()[0]
    assert any("uswc" in ln for ln in rows) and any("cpu-access" in ln for ln in rows)
