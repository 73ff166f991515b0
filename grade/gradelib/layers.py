"""Reference layers (labs/README.md section 3): whose binary of each program and monitor a
test's stack runs.

An exported lab tree carries labs/ref/LAYERS, one line per layer a lab's students write:
`NAME LAB FOLDER ref` for a layer of an earlier lab, whose staff binary is labs/ref/NAME
(built into obj/ref/fluke.img in place of the student's), and `NAME LAB FOLDER own` for the
graded lab's own layers.  The graded lab's tests run on the reference image, so only the
layers of that lab are the student's; regressions (earlier labs' tests) run on the
student's own image; with MINE=1 (--mine) every test does.
"""
import copy
import os


def read(path):
    """{name: (lab, folder, kind)} from a LAYERS file; {} if there is none."""
    layers = {}
    if not path or not os.path.exists(path):
        return layers
    with open(path) as f:
        for number, line in enumerate(f, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) != 4 or not words[1].isdigit() or words[3] not in ("ref", "own"):
                raise ValueError("%s, line %d: %r is not `NAME LAB FOLDER ref|own`; the "
                                 "lab generator writes this file: export the lab again"
                                 % (path, number, line.strip()))
            layers[words[0]] = (int(words[1]), words[2], words[3])
    return layers


def _names(test):
    boot = test.boot
    names = [m.split(":")[0] for m in boot.monitors[1:]]
    return names + ([boot.program] if boot.program else [])


def assign(tests, config, path, graded_lab, mine, ref_image, ref_bootfs):
    """Choose each test's image: sets t.layer_config (None: the student's own) and
    t.layers [(name, whose)]; returns the lines that say which layers were whose."""
    layers = read(path)
    refs = sorted(n for n, (_, _, kind) in layers.items() if kind == "ref")
    if not layers:
        return []
    usable = bool(refs) and not mine and graded_lab is not None and ref_image and \
        os.path.exists(ref_image)
    ref_config = copy.copy(config)
    if usable:
        ref_config.image, ref_config.bootfs = os.path.abspath(ref_image), \
            os.path.abspath(ref_bootfs)
    on_ref = set()
    for t in tests:
        t.layer_config = ref_config if usable and t.lab == graded_lab else None
        names = _names(t) + ([n for n in refs if n not in _names(t)] if t.layer_config
                             else [])
        t.layers = [(n, "reference (labs/ref/%s)" % n if t.layer_config and
                     layers[n][2] == "ref" else "yours") for n in names if n in layers]
        if t.layer_config:
            on_ref.add(t.name)
    if not refs:
        return []
    if not usable:
        why = "MINE=1" if mine else "no obj/ref/fluke.img (run make)" \
            if graded_lab is not None else "no lab is graded"
        return ["layers: every test runs on your own layers (%s): %s are yours" % (
            why, ", ".join(sorted(layers)))]
    own = sorted(n for n, (_, _, kind) in layers.items() if kind == "own")
    out = ["layers: lab %d's tests run over the staff's reference layers %s (labs/ref/)%s; "
           "earlier labs' tests run on your own; MINE=1 runs every test on yours" % (
               graded_lab, ", ".join(refs), " with your " + ", ".join(own) if own else "")]
    for t in tests:
        if t.name in on_ref and t.layers:
            out.append("  %-24s %s" % (t.name, ", ".join("%s: %s" % w for w in t.layers)))
    return out


def config_for(test, config):
    """The configuration a test boots with: the reference image for the graded lab's
    tests (unless MINE=1), else the student's own."""
    return getattr(test, "layer_config", None) or config
