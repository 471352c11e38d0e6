"""A minimal safetensors writer (numpy arrays -> one file), for tests,
examples and experiments: the loader itself is the C library's."""
import json
import struct

import numpy as np

_CODES = {
    np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.float64): "F64",
    np.dtype(np.int8): "I8", np.dtype(np.uint8): "U8", np.dtype(np.int16): "I16",
    np.dtype(np.uint16): "U16", np.dtype(np.int32): "I32", np.dtype(np.uint32): "U32",
    np.dtype(np.int64): "I64", np.dtype(np.uint64): "U64", np.dtype(np.bool_): "BOOL",
}


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: ndarray} to `path` in the safetensors format
    (little-endian, C order, tensors in the order given)."""
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dt = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
        if np.dtype(dt) not in _CODES:
            raise ValueError("safetensors: dtype %s of %s is not supported here" % (arr.dtype, name))
        data = arr.astype(dt, copy=False).tobytes()
        header[name] = {"dtype": _CODES[np.dtype(dt)], "shape": list(arr.shape),
                        "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
