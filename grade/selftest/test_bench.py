"""grade/bench.py: the figures it reads from records and the table it prints."""
import unittest

import bench
from gradelib.records import Records


def records(*lines):
    return Records("".join("FLUKE n %s\n" % line for line in lines), "n")


class BenchTest(unittest.TestCase):
    def test_every_workload_runs_bare_and_at_every_depth_both_ways(self):
        runs = bench.configurations(quick=False)
        self.assertEqual(len(runs), len(bench.WORKLOADS) * 7)
        labels = {label for _, label, _ in runs}
        self.assertEqual(labels, {"bare", "1-forward", "1-direct", "2-forward", "2-direct",
                                  "4-forward", "4-direct"})
        deep = [b for name, label, b in runs if name == "memtest" and label == "4-direct"][0]
        self.assertIn("stack=nest:direct,nest:direct,nest:direct,nest:direct prog=memtest",
                      deep.cmdline("x", 1))

    def test_quick_runs_depth_one_only(self):
        labels = {label for _, label, _ in bench.configurations(quick=True)}
        self.assertEqual(labels, {"bare", "1-forward", "1-direct"})

    def test_the_figure_is_the_roots_stack_run_record(self):
        r = records("METRIC console-read calls=0",
                    "METRIC stack-run stack=nest prog=spin tsc=6100000")
        self.assertEqual(bench.stack_run(r), 6100000)
        with self.assertRaises(RuntimeError):
            bench.stack_run(records("METRIC other tsc=5"))
        self.assertEqual(bench.metrics(records("METRIC ipc_null_rpc_tsc=6067 x=y"))
                         ["ipc_null_rpc_tsc"], 6067)

    def test_the_programs_own_figure_is_its_prog_run_record(self):
        r = records("METRIC prog-run name=spin status=0 tsc=3900000",
                    "METRIC prog-run name=nest status=0 tsc=9000000")
        self.assertEqual(bench.prog_run(r, "spin"), 3900000)
        with self.assertRaises(RuntimeError):
            bench.prog_run(r, "memtest")

    def test_table_shows_overhead_against_bare_and_the_cost_per_level(self):
        results = {"spin": {"bare": 4000000, "1-forward": 5000000, "4-forward": 8000000}}
        lines = bench.table(results)
        spin = [line for line in lines if line.startswith("spin ")][0]
        self.assertIn("4.00M", spin)
        self.assertIn("5.00M +25.0%", spin)
        self.assertIn("8.00M +100.0%", spin)
        self.assertIn("-", [line for line in lines if line.startswith("hello")][0])
        self.assertTrue(any("spin" in line and "forward" in line and "1,000,000 per level"
                            in line for line in lines), lines)

    def test_the_pager_tables_show_each_primitive_and_the_overhead_against_nest(self):
        appel = {"nest": dict((k, 1000) for k in bench.APPEL),
                 "pager-d1": dict((k, 9000) for k in bench.APPEL)}
        memory = {"nest": 4000000, "pager-d1": 6000000}
        counts = {"pager-d1": {"faults": 257, "evict": 0, "swapin": 0, "swapout": 0}}
        lines = bench.pager_lines(appel, memory, counts)
        trap = [line for line in lines if line.split()[:1] == ["trap"]][0]
        self.assertEqual(trap.split()[1:], ["1,000", "9,000", "-"])
        row = [line for line in lines if line.split()[:1] == ["pager-d1"]][0]
        self.assertIn("6.00M", row)
        self.assertIn("+50.0%", row)
        self.assertIn("faults=257", row)
        self.assertFalse([line for line in lines if line.split()[:1] == ["pager-d2"]])

    def test_the_checkpoint_table_splits_each_phase_per_mib_and_per_object(self):
        # small: 1 MiB and 10 objects; large: 3 MiB; save costs 100 a MiB and 5 an object.
        def run(mib, save):
            return {"ckpt-save": {"bytes": mib << 20, "objects": 10, "save": save,
                                  "write": 1000 * mib},
                    "ckpt-restore": {"read": 2000 * mib, "rebuild": 7}}
        touched = {"ckpt-save": {"save": 40, "write": 30, "written": 9}}
        lines = bench.ckpt_lines({"small": run(1, 150), "large": run(3, 350),
                                  "touch8": touched})
        save = [line for line in lines if line.lstrip().startswith("save")][0]
        self.assertEqual(save.split()[-2:], ["100", "5"])
        write = [line for line in lines if line.lstrip().startswith("write")][0]
        self.assertEqual(write.split()[-2:], ["1,000", "0"])
        self.assertIn("  incremental after writing 8 of the large one's pages: save 40, "
                      "write 30, 9 pages written", lines)
        self.assertIn("CRIU", lines[-1])
        self.assertTrue(bench.parse(["--ckpt"]).ckpt)

    def test_micro_runs_no_configuration(self):
        self.assertTrue(bench.parse(["--micro"]).micro)
        self.assertFalse(bench.parse([]).no_breakdown)

    def test_breakdown_lists_parts_by_instructions_with_their_share(self):
        import collections
        lines = bench.breakdown_lines("One RPC", collections.Counter(
            {"ipc/fastpath.c": 300, "vm/uaccess.c": 100, "user: ipccheck": 600}))
        self.assertEqual(lines[0], "One RPC: 1,000 instructions")
        self.assertIn("60.0%  user: ipccheck", lines[1])
        self.assertIn("10.0%  vm/uaccess.c", lines[3])


if __name__ == "__main__":
    unittest.main()
