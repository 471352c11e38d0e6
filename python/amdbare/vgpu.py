"""amdbare.use_vgpu(): put this Python process on amdbare's virtual device.

The virtual device (tools/vgpu, libamdbare-vgpu.so) is an LD_PRELOAD
library, and a preload takes effect only when a program starts.  So, like
the CLI's --vgpu (tools/amdbare/vgpu_launch.c), use_vgpu() re-executes the
interpreter with the same arguments, LD_PRELOAD and AMDBARE_VGPU_PROFILE
set, and says so on stderr.  When the vgpu is already loaded (the test
suite, or a preload by hand) it only selects the profile: the vgpu reads it
at the first open of the device.
"""
import ctypes
import os
import sys

from . import _lib as L
from . import core
from .errors import VirtualDeviceError

LIB_NAME = "libamdbare-vgpu.so"
# Set for the re-executed interpreter, so that a preload that silently
# failed (ld.so only warns) is an error instead of an endless chain of
# re-executions.
REEXEC_GUARD = "AMDBARE_VGPU_REEXEC"
PROFILES = ("780m", "890m", "8060s", "860m", "7900xtx", "680m", "deck", "6800xt", "none",
            "foreign", "raven", "cezanne", "mi50")


def vgpu_loaded():
    """True when the virtual device library is loaded in this process (it
    exports amdbare_vgpu_profile_name for exactly this question)."""
    try:
        ctypes.CDLL(None).amdbare_vgpu_profile_name
        return True
    except AttributeError:
        return False


def vgpu_profile():
    """The profile the loaded vgpu serves, or None without the vgpu."""
    if not vgpu_loaded():
        return None
    fn = ctypes.CDLL(None).amdbare_vgpu_profile_name
    fn.restype = ctypes.c_char_p
    name = fn()
    return name.decode() if name else None


def find_vgpu_library():
    """$AMDBARE_VGPU_LIB, else beside the libamdbare.so in use (build tree),
    else <libdir>/amdbare/ (installed layout)."""
    env = os.environ.get("AMDBARE_VGPU_LIB")
    if env:
        if not os.access(env, os.R_OK):
            raise VirtualDeviceError("AMDBARE_VGPU_LIB=%s is not readable" % env)
        return env
    tried = []
    libdir = None
    try:
        path = L.library_path()
        if os.sep in path:
            libdir = os.path.dirname(os.path.realpath(path))
    except Exception:
        pass
    cands = []
    if libdir:
        cands += [os.path.join(libdir, LIB_NAME), os.path.join(libdir, "amdbare", LIB_NAME)]
    try:
        from . import _install_paths
        cands.append(os.path.join(_install_paths.LIBDIR, "amdbare", LIB_NAME))
    except ImportError:
        pass
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cands.append(os.path.join(top, "build", LIB_NAME))
    for c in cands:
        if os.access(c, os.R_OK):
            return c
        tried.append(c)
    raise VirtualDeviceError("the virtual device library was not found: looked at %s "
                             "(set AMDBARE_VGPU_LIB to its path)" % ", ".join(tried))


def _choose_instance(profile):
    # The CLI's instance naming (vgpu_launch.c choose_instance), so that a
    # script and `amdbare --vgpu` runs see one and the same virtual machine.
    if os.environ.get("AMDBARE_VGPU_INSTANCE"):
        return
    name = "cli-%s-%d" % (profile, os.getuid())
    for var, tag in (("AMDBARE_VGPU_VRAM_SIZE", "v"), ("AMDBARE_VGPU_VIS_VRAM_SIZE", "s"),
                     ("AMDBARE_VGPU_GTT_SIZE", "g")):
        v = os.environ.get(var)
        if v:
            name += "-" + tag + "".join(ch if ch.isalnum() or ch == "." else "_" for ch in v)
    os.environ["AMDBARE_VGPU_INSTANCE"] = name


def use_vgpu(profile="780m", quiet=False):
    """Runs this process on the virtual device with `profile` (780m, 890m,
    8060s, 860m, 7900xtx; 680m, deck and 6800xt are gfx10.3 devices whose
    jobs the vgpu does not execute; raven, cezanne and mi50 likewise gfx9
    ones; none and foreign show a machine without one).

    Raises VirtualDeviceError when a real GPU was already opened by this
    process, or the vgpu serves another profile already.  Otherwise either
    returns (the vgpu is loaded: the profile is selected) or never returns
    (the interpreter is re-executed under the preload, with a line on
    stderr saying so)."""
    if profile not in PROFILES:
        raise VirtualDeviceError("unknown vgpu profile %r; profiles: %s"
                                 % (profile, ", ".join(PROFILES)))
    with core._state_lock:
        real = core._opened["real"]
        opened_profile = core._opened["virtual_profile"]
    if real:
        raise VirtualDeviceError("use_vgpu(%r): this process already opened a real GPU; "
                                 "call use_vgpu() before opening any device" % profile)
    if opened_profile and opened_profile != profile:
        raise VirtualDeviceError("use_vgpu(%r): this process already opened the virtual "
                                 "device with profile %r" % (profile, opened_profile))
    guard = os.environ.pop(REEXEC_GUARD, None)
    os.environ["AMDBARE_VGPU_PROFILE"] = profile
    _choose_instance(profile)
    if vgpu_loaded():
        return
    lib = find_vgpu_library()
    if guard == profile:
        raise VirtualDeviceError("the virtual device library %s was not loaded after "
                                 "re-executing with LD_PRELOAD (see ld.so's message above)"
                                 % lib)
    argv = list(getattr(sys, "orig_argv", []))
    if not argv or sys.flags.interactive or (len(argv) == 1) or argv[-1] == "-":
        raise VirtualDeviceError(
            "use_vgpu(%r): the virtual device is a preload library, so this interpreter "
            "must start with it, and an interactive session or a script read from stdin "
            "cannot be re-executed; start Python as: AMDBARE_VGPU_PROFILE=%s LD_PRELOAD=%s "
            "python3 ..." % (profile, profile, lib))
    old = os.environ.get("LD_PRELOAD")
    os.environ["LD_PRELOAD"] = lib + (":" + old if old else "")
    os.environ[REEXEC_GUARD] = profile
    if not quiet:
        sys.stderr.write("amdbare: no virtual device in this process: re-executing %s under "
                         "%s (vgpu profile %s; nothing here runs on a real GPU)\n"
                         % (sys.executable, lib, profile))
    sys.stderr.flush()
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable] + argv[1:])
