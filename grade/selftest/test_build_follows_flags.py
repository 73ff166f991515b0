"""Objects follow the compiler and its flags (GNUmakefile, BUILD_FLAGS): in a scratch copy of
the built tree, a make of the kernel with another compiler command line compiles its objects
again, a second one with the same command line compiles nothing, and going back to the
default compiles them once more."""
import os
import unittest

from selftest.scratch import make, scratch_tree


class BuildFollowsFlagsTest(unittest.TestCase):
    def setUp(self):
        self.tree = scratch_tree(self, "build.flags")

    def compiled(self, *settings):
        """The source files one make of the kernel compiled."""
        out = make(self, self.tree, "-j2", "obj/kern/kernel", *settings)
        return [line.split()[2] for line in out.splitlines() if line.startswith("+ cc ")]

    def test_a_changed_compiler_command_rebuilds(self):
        with open(os.path.join(self.tree, "obj", "build.flags")) as f:
            cc = f.readline().strip()
        probe = "CC=%s -DBUILD_FLAGS_PROBE=1" % cc
        self.assertIn("kern/init/main.c", self.compiled(probe),
                      "a make with another CC kept the kernel's objects")
        self.assertEqual(self.compiled(probe), [], "the same CC again compiled something")
        self.assertIn("kern/init/main.c", self.compiled(),
                      "going back to the default CC kept the probe's objects")


if __name__ == "__main__":
    unittest.main()
