"""The ctypes structures match the C headers: every field's offset and every
structure's size, as the C compiler lays them out."""
import ctypes
import os
import shutil
import subprocess

import pytest

from amdbare import _lib as L
from conftest import TOP


def test_structs_match_headers(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.fail("no C compiler to check the ctypes layouts with")
    lines = ["#include <amdbare.h>", "#include <stddef.h>", "#include <stdio.h>",
             "int main(void) {"]
    expect = []
    for s in L.STRUCTS:
        lines.append('printf("%%zu\\n", sizeof(%s));' % s.c_name)
        expect.append(("sizeof " + s.c_name, ctypes.sizeof(s)))
        for name, _ in s._fields_:
            lines.append('printf("%%zu\\n", offsetof(%s, %s));' % (s.c_name, name))
            expect.append(("%s.%s" % (s.c_name, name), getattr(s, name).offset))
    lines += ["return 0;", "}"]
    src = tmp_path / "abi.c"
    src.write_text("\n".join(lines) + "\n")
    exe = tmp_path / "abi"
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    subprocess.run([cc, "-std=c11", "-I", os.path.join(TOP, "include"), "-o", str(exe),
                    str(src)], check=True, env=env)
    got = subprocess.run([str(exe)], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    assert len(got) == len(expect)
    wrong = [(what, py, int(c)) for (what, py), c in zip(expect, got) if py != int(c)]
    assert not wrong, wrong
