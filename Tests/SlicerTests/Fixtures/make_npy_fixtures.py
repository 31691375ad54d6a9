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
