"""Regenerates the .npy fixtures with numpy itself: python3 make_npy_fixtures.py (run in this folder)."""
import numpy as np

points = (np.arange(12, dtype=np.float64).reshape(3, 4) - 5.5) / 8  # exact in every float format
np.save("points_f64.npy", points)
np.save("points_f32.npy", points.astype(np.float32))
np.save("points_f16.npy", points.astype(np.float16))
np.save("points_fortran.npy", np.asfortranarray(points))
np.save("points_bigendian.npy", points.astype(">f8"))
with open("points_f32_v2.npy", "wb") as f:
    np.lib.format.write_array(f, points.astype(np.float32), version=(2, 0))
np.save("labels_i64.npy", np.arange(3))

# A 3-D Fortran-order array whose values are their own C-order indices.
np.save("cube_fortran.npy", np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)))

# An LC frame as a notebook makes one: the rows of Qᵀ from a QR factorisation. numpy's Q is
# C-contiguous, so Qᵀ is Fortran-ordered and np.save writes it with fortran_order True.
q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((8, 3)))
assert q.T.flags.f_contiguous and not q.T.flags.c_contiguous
np.save("frame_qr_fortran.npy", q.T)
np.save("frame_qr_c.npy", np.ascontiguousarray(q.T))

# Every numeric dtype numpy writes, little- and big-endian: [[lowest, 0, 1], [highest, 7, 100]], with
# 64-bit integer extremes that float64 holds exactly (−2^63, 2^63 − 2^10 and 2^64 − 2^11).
def extremes(code):
    dtype = np.dtype(code)
    if code[1:] == "i8":
        return -2**63, 2**63 - 2**10
    if code[1:] == "u8":
        return 0, 2**64 - 2**11
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    return info.min, info.max

for kind in "fiu":
    for size in (1, 2, 4, 8):
        if kind == "f" and size == 1:
            continue
        orders = "|" if size == 1 else "<>"
        for order in orders:
            code = order + kind + str(size)
            low, high = extremes(code)
            array = np.array([[low, 0, 1], [high, 7, 100]], dtype=object).astype(code)
            name = {"|": "", "<": "le_", ">": "be_"}[order]
            np.save(f"dtype_{name}{kind}{size}.npy", array)
np.save("dtype_b1.npy", np.array([[True, False, True], [False, False, True]]))
# 64-bit integers float64 cannot hold: refused, not rounded.
np.save("int64_inexact.npy", np.array([1, 2**53 + 1], dtype="<i8"))
np.save("uint64_inexact.npy", np.array([2**64 - 1], dtype=">u8"))
# A grayscale image batch as uint8, [N, D] like MNIST rows.
np.save("images_u8.npy", np.array([[0, 128, 255, 3], [255, 254, 1, 0], [7, 7, 7, 7]], dtype=np.uint8))
# What tessera's writer must reproduce byte for byte.
np.save("numpy_written_2x3.npy", np.array([[0.1, -2, 3e300], [4, 5, -0.0]]))
np.save("numpy_written_3.npy", np.array([0.5, 1, -1]))
np.save("numpy_written_scalar.npy", np.array(7.0))
