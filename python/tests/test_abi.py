import unittest

from tsp_ffi import _abi


class TestHeader(unittest.TestCase):
    """The constants of _abi are the macros of native/tsp.h, every one."""

    def test_macros(self):
        want = {
            "TSP_ABI_VERSION": _abi.ABI_VERSION,
            "TSP_OK": _abi.OK, "TSP_STOPPED": _abi.STOPPED, "TSP_INVALID": _abi.INVALID,
            "TSP_TOO_LARGE": _abi.TOO_LARGE, "TSP_NO_MEMORY": _abi.NO_MEMORY, "TSP_INTERNAL": _abi.INTERNAL,
            "TSP_EXHAUSTIVE": _abi.EXHAUSTIVE, "TSP_EXACT": _abi.EXACT, "TSP_NEAREST": _abi.NEAREST,
            "TSP_TWOOPT": _abi.TWOOPT, "TSP_ITERATED": _abi.ITERATED,
            "TSP_CHECKED": _abi.CHECKED, "TSP_DIRECTED": _abi.DIRECTED, "TSP_ALGORITHM_MASK": _abi.ALGORITHM_MASK,
            "TSP_MAX_EXHAUSTIVE": _abi.MAX_EXHAUSTIVE, "TSP_MAX_EXACT": _abi.MAX_EXACT,
            "TSP_MAX_HEURISTIC": _abi.MAX_HEURISTIC, "TSP_MAX_TOUR_LENGTH_LOG2": _abi.MAX_TOUR_LENGTH_LOG2,
            "TSP_KERNEL_C": _abi.KERNEL_C, "TSP_KERNEL_CPP": _abi.KERNEL_CPP, "TSP_KERNEL_GO": _abi.KERNEL_GO,
            "TSP_PROGRESS_TOUR": _abi.PROGRESS_TOUR, "TSP_PROGRESS_BOUND": _abi.PROGRESS_BOUND,
            "TSP_POINTS_HAVERSINE": _abi.POINTS_HAVERSINE, "TSP_POINTS_EUC_2D": _abi.POINTS_EUC_2D,
            "TSP_POINTS_CEIL_2D": _abi.POINTS_CEIL_2D, "TSP_POINTS_ATT": _abi.POINTS_ATT,
            "TSP_POINTS_GEO": _abi.POINTS_GEO, "TSP_MAX_POINTS": _abi.MAX_POINTS,
        }
        self.assertEqual(_abi.header_macros(), want)
        for code, name in _abi.CODE_NAMES.items():
            self.assertEqual(want[name], code)

    def test_functions(self):
        decls = _abi.header_functions()
        names = [d.split("(")[0].split()[-1] for d in decls]
        self.assertEqual(names, ["tsp_abi_version", "tsp_kernel_id", "tsp_noop", "tsp_haversine",
                                 "tsp_matrix", "tsp_solve", "tsp_solve_progress", "tsp_solve_points",
                                 "tsp_solve_points_progress"])
        self.assertIn("int32_t tsp_solve(const double *dist, int32_t n,", decls[-4])
        self.assertTrue(decls[-4].endswith("uint64_t *nodes);"))
        self.assertIn("tsp_progress_fn progress, uint64_t handle,", decls[-3])
        self.assertIn("int32_t tsp_solve_points(const double *x, const double *y, int32_t n, int32_t kind,", decls[-2])
        self.assertIn("tsp_progress_fn progress, uint64_t handle, int32_t *order,", decls[-1])


if __name__ == "__main__":
    unittest.main()
