"""python3 -m amdbare [--vgpu PROFILE] [--device N] info|load|doctor|demo ...

The CLI's commands, from Python:
  info [--json]       device identity and memory (the JSON is `amdbare info --json`'s)
  load FILE... [...]  plan, load and proof of a model (`amdbare load`'s options)
  demo [--keep]       a small generated model: load, proof, one GEMV checked
                      against numpy
  doctor [...]        runs the C CLI's `amdbare doctor` (found beside the
                      library, or $AMDBARE_CLI); a CLI without that command
                      makes this fail with "not supported by this build"
Exit codes as the CLI's: 0 ok, 1 the device or the kernel said no, 2 usage.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from . import _lib as L
from . import core, vgpu
from .errors import Error

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _err(msg):
    sys.stderr.write("amdbare: %s\n" % msg)


def _size(n):
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div:
            return "%.2f %s" % (n / div, unit)
    return "%d B" % n


# The CLI's display names (tools/amdbare/vgpu_launch.c).
_DISPLAY = {"780m": "Radeon 780M", "890m": "Radeon 890M", "8060s": "Radeon 8060S",
            "860m": "Radeon 860M", "7900xtx": "Radeon RX 7900 XTX", "680m": "Radeon 680M",
            "deck": "Steam Deck", "6800xt": "Radeon RX 6800 XT",
            "raven": "Radeon Vega 11 (Raven)", "cezanne": "Radeon Vega 8 (Cezanne)",
            "mi50": "Radeon Instinct MI50"}


def _banner(info):
    """The CLI's first line on the vgpu (vgpu_banner), or None."""
    if info.get("is_virtual"):
        prof = info.get("virtual_profile") or "unknown"
        return ("virtual device: %s profile (amdbare vgpu) \u2014 nothing here ran on a real GPU"
                % _DISPLAY.get(prof, prof))
    return None


def find_cli():
    """$AMDBARE_CLI, else `amdbare` beside the library in use (build tree),
    else the bindir `make install` recorded, else $PATH."""
    env = os.environ.get("AMDBARE_CLI")
    if env:
        return env
    cands = []
    try:
        path = L.library_path()
        if os.sep in path:
            cands.append(os.path.join(os.path.dirname(os.path.realpath(path)), "amdbare"))
    except Error:
        pass
    try:
        from . import _install_paths
        cands.append(os.path.join(_install_paths.BINDIR, "amdbare"))
    except ImportError:
        pass
    for c in cands:
        if os.access(c, os.X_OK):
            return c
    return shutil.which("amdbare")


def cmd_info(dev_index, args):
    p = argparse.ArgumentParser(prog="python3 -m amdbare info")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(args)
    indexes = [dev_index] if dev_index is not None else range(core.device_count())
    infos = []
    for i in indexes:
        with core.Device(i) as d:
            infos.append(d.info())
    virt = next((x for x in infos if x["is_virtual"]), None)
    if a.json:
        doc = {"notice": _banner(virt) if virt else None, "virtual": bool(virt),
               "amdbare_version": "%d.%d" % (0, 1), "devices": infos}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return EXIT_OK
    if virt:
        print(_banner(virt))
    for x in infos:
        print("device %d: %s%s" % (x["index"], x["node"], "  (virtual device (vgpu profile %s))"
                                   % x["virtual_profile"] if x["is_virtual"] else ""))
        print("  name          %s" % x["marketing_name"])
        print("  PCI           %s rev %02x, bus %s" % (x["pci_id"], x["pci_revision"],
                                                       x["pci_bus"]))
        print("  gfx target    %s (GC %s)" % (x["gfx_target"] or "unknown", x["gc_version"]))
        print("  kind          %s" % ("APU (VRAM is a carve-out of system RAM)" if x["is_apu"]
                                     else "dGPU (own VRAM)"))
        print("  compute       %d CUs, wave%d" % (x["cu_count"], x["wave_size"]))
        m = x["memory"]
        if m:
            for k in ("vram", "visible_vram", "gtt"):
                h = m[k]
                print("  %-13s %s used of %s (usable %s)" % (k.replace("_", " "), _size(h["used"]),
                                                           _size(h["total"]), _size(h["usable"])))
        else:
            print("  memory: not available (%s)" % x["memory_error"])
    return EXIT_OK


def _load_parser(prog):
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--policy", choices=sorted(core.POLICIES), default=None)
    p.add_argument("--place", action="append", default=[], metavar="PAT=DOMAIN")
    p.add_argument("--vram-limit", default="0")
    p.add_argument("--gtt-limit", default="0")
    p.add_argument("--no-verify", action="store_true")
    p.add_argument("--stage-vram", action="store_true")
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true")
    return p


def _print_plan(plan):
    print("plan: %d tensors, %s, policy %s%s" % (plan["tensors"], _size(plan["bytes"]),
                                                 plan["policy"], "" if plan["fits"]
                                                 else " \u2014 does not fit"))
    for k in ("vram", "gtt"):
        d = plan[k]
        print("  %-4s %4d tensors  %10s  in %d buffer%s (budget %s)" % (
            k.upper(), d["tensors"], _size(d["bytes"]), d["buffers"],
            "s" * (d["buffers"] != 1), _size(d["budget"])))


def _print_proof(proof):
    print("proof: fdinfo vram %+d B, gtt %+d B; held vram %d B, gtt %d B: %s" % (
        proof["proc_vram_delta"], proof["proc_gtt_delta"], proof["held_vram"],
        proof["held_gtt"], "usage matches" if proof["usage_matches"] else "usage differs"))
    if proof["verify_skipped"]:
        print("       GPU checksums skipped (%s)" % (proof["verify_note"] or "--no-verify"))
    else:
        print("       GPU checksums: %d verified, %d mismatched" % (proof["verified"],
                                                                   proof["mismatched"]))


def _load(dev, a):
    return dev.load(a.files, place=a.place or None, policy=a.policy,
                    progress=not a.quiet and not a.json and sys.stderr.isatty(),
                    verify=not a.no_verify, stage_vram=a.stage_vram,
                    vram_limit=a.vram_limit, gtt_limit=a.gtt_limit)


def cmd_load(dev_index, args):
    p = _load_parser("python3 -m amdbare load")
    p.add_argument("files", nargs="+")
    a = p.parse_args(args)
    with core.Device(dev_index or 0) as dev:
        info = dev.info()
        if not a.json and _banner(info):
            print(_banner(info))
        with _load(dev, a) as m:
            tensors = []
            for name in m.tensors:
                t = m[name]
                tensors.append({"name": name, "dtype": t.dtype, "shape": list(t.shape),
                                "domain": t.domain, "gpu_va": t.gpu_va,
                                "verified": t.verified})
            plan, proof = m.plan(), m.proof()
        ok = proof["usage_matches"] and not proof["mismatched"]
        if a.json:
            print(json.dumps({"notice": _banner(info), "plan": plan, "tensors": tensors,
                              "proof": proof}, indent=2))
        else:
            _print_plan(plan)
            for t in tensors[:16]:
                print("  %-40s %-5s %-16s %-4s 0x%x" % (t["name"], t["dtype"], t["shape"],
                                                      t["domain"].upper(), t["gpu_va"]))
            _print_proof(proof)
    return EXIT_OK if ok else EXIT_FAILURE


def cmd_demo(dev_index, args):
    p = _load_parser("python3 -m amdbare demo")
    p.add_argument("--keep", action="store_true", help="keep the generated model")
    a = p.parse_args(args)
    from .safetensors import write_safetensors
    tmp = tempfile.mkdtemp(prefix="amdbare-demo-")
    path = os.path.join(tmp, "demo.safetensors")
    rng = np.random.default_rng(7)
    # Small multiples of 1/16: exact in f16, so the GPU and numpy agree to
    # f32 rounding.
    w = (rng.integers(-8, 9, size=(256, 512)) / 16.0).astype(np.float16)
    write_safetensors(path, {
        "embed.weight": (rng.integers(-8, 9, size=(128, 512)) / 16.0).astype(np.float32),
        "layer0.weight": w,
        "lm_head.weight": (rng.integers(-8, 9, size=(128, 256)) / 16.0).astype(np.float16),
    })
    a.files = [path]
    if not a.place and a.policy is None:
        a.place = ["embed*=gtt"]
    try:
        with core.Device(dev_index or 0) as dev:
            info = dev.info()
            if _banner(info):
                print(_banner(info))
            with _load(dev, a) as m:
                _print_plan(m.plan())
                proof = m.proof()
                _print_proof(proof)
                t = m["layer0.weight"]
                x = (rng.integers(-8, 9, size=512) / 16.0).astype(np.float32)
                y = dev.gemv(t, x)
                ref = w.astype(np.float32) @ x
                err = float(np.max(np.abs(y - ref)))
                print("GEMV on %s with layer0.weight where it was loaded (%s, GPU 0x%x): "
                      "max |y - numpy| = %g" % (info["gfx_target"], t.domain.upper(), t.gpu_va,
                                                err))
                ok = err <= 1e-3 and proof["usage_matches"] and not proof["mismatched"]
    finally:
        if a.keep:
            print("model kept: %s" % path)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return EXIT_OK if ok else EXIT_FAILURE


def cmd_doctor(globals_, args):
    cli = find_cli()
    if not cli:
        _err("doctor: not supported by this build: the amdbare CLI was not found (beside "
             "the library, in the install's bindir, on $PATH; set AMDBARE_CLI)")
        return EXIT_FAILURE
    probe = subprocess.run([cli, "doctor", "--help"], capture_output=True, text=True)
    if "unknown command 'doctor'" in probe.stderr:
        _err("doctor: not supported by this build: %s has no `doctor` command" % cli)
        return EXIT_FAILURE
    sys.stdout.flush()
    return subprocess.run([cli] + globals_ + ["doctor"] + args).returncode


COMMANDS = {"info": cmd_info, "load": cmd_load, "demo": cmd_demo, "doctor": None}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    profile = os.environ.get("AMDBARE_VGPU") or None
    dev_index = None
    while argv and argv[0].startswith("-"):
        opt = argv.pop(0)
        if opt in ("-h", "--help"):
            print(__doc__.strip())
            return EXIT_OK
        if opt == "--vgpu" and argv:
            profile = argv.pop(0)
        elif opt.startswith("--vgpu="):
            profile = opt.split("=", 1)[1]
        elif opt == "--device" and argv:
            dev_index = int(argv.pop(0))
        else:
            _err("unknown option '%s' (python3 -m amdbare --help)" % opt)
            return EXIT_USAGE
    if not argv or argv[0] not in COMMANDS:
        _err("%s (commands: %s)" % ("unknown command '%s'" % argv[0] if argv else
                                    "no command", ", ".join(COMMANDS)))
        return EXIT_USAGE
    cmd, args = argv[0], argv[1:]
    if cmd == "doctor":
        # The CLI does its own --vgpu.
        g = (["--vgpu", profile] if profile else []) + \
            (["--device", str(dev_index)] if dev_index is not None else [])
        return cmd_doctor(g, args)
    try:
        if profile:
            vgpu.use_vgpu(profile)
        return COMMANDS[cmd](dev_index, args)
    except Error as e:
        _err(str(e))
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
