#!/usr/bin/env python3
"""Writes examples/tiny.safetensors, the small model the README and
docs/python.md load: an f32 embedding and an f16 output matrix with
deterministic values (small multiples of 1/16, exact in f16).

    PYTHONPATH=python /usr/bin/python3 examples/make_tiny_model.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from amdbare.safetensors import write_safetensors  # noqa: E402


def values(shape, seed):
    i = np.arange(int(np.prod(shape)), dtype=np.uint64).reshape(shape)
    x = (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed)
    return ((x >> np.uint64(40)) % np.uint64(17)).astype(np.float32) / 16.0 - 0.5


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny.safetensors")
    write_safetensors(out, {
        "embed.weight": values((64, 32), 1),
        "lm_head.weight": values((64, 32), 2).astype(np.float16),
    }, metadata={"format": "pt", "what": "amdbare example model"})
    print(out)


if __name__ == "__main__":
    main()
