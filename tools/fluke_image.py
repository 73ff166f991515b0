#!/usr/bin/env python3
"""Build Fluke boot images and boot file systems (format: handouts/boot.md).

    fluke_image.py bootfs OUT FILE...            archive FILEs (stored under their base names)
    fluke_image.py disk OUT BOOTSECT KERNEL BOOTFS [CMDLINE]
    fluke_image.py setcmd IMAGE CMDLINE          rewrite the command line in place
    fluke_image.py getcmd IMAGE                  print the command line

Python 3 standard library only; importable (the grader uses set_cmdline).
"""
import os
import struct
import sys

SECTOR = 512
PAGE = 4096
BOOT_MAGIC = 0x424B4C46      # "FLKB"
BOOTFS_MAGIC = 0x53464246    # "FBFS"
BLOCK_ADDR = 0x7E00          # where the boot sector reads the boot block (sector 1)
MB_INFO_OFFSET = 20          # Multiboot information structure, inside the boot block
MB_MODULE_OFFSET = 48        # its one module entry
CMDLINE_OFFSET = 64
CMDLINE_MAX = SECTOR - CMDLINE_OFFSET - 1
NAME_MAX = 55                # name field is 56 bytes, NUL-terminated
ENTRY_SIZE = 64
CYLINDER = 16 * 63 * SECTOR


class ImageError(Exception):
    """A bad input to the image tools; the message names the problem and the fix."""


def _round_up(n, to):
    return (n + to - 1) // to * to


def make_bootfs(paths):
    """Return the bytes of a boot file system holding the files at paths."""
    files = sorted(((os.path.basename(p), p) for p in paths), key=lambda f: f[0])
    names = [n for n, _ in files]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ImageError("two files share the name %s; rename one" % ", ".join(sorted(dup)))
    for n in names:
        if len(n.encode()) > NAME_MAX:
            raise ImageError("file name %r is longer than %d bytes; shorten it" % (n, NAME_MAX))
    offset = _round_up(16 + ENTRY_SIZE * len(files), PAGE)
    table, blobs = b"", []
    for name, path in files:
        with open(path, "rb") as f:
            data = f.read()
        table += struct.pack("<56sII", name.encode(), offset, len(data))
        blobs.append((offset, data))
        offset = _round_up(offset + len(data), PAGE)
    out = bytearray(offset)
    out[0:16] = struct.pack("<IIII", BOOTFS_MAGIC, 1, len(files), offset)
    out[16:16 + len(table)] = table
    for off, data in blobs:
        out[off:off + len(data)] = data
    return bytes(out)


def _cmdline_bytes(cmdline):
    raw = cmdline.encode()
    if len(raw) > CMDLINE_MAX:
        raise ImageError("command line is %d bytes, the limit is %d; shorten it"
                         % (len(raw), CMDLINE_MAX))
    return raw + b"\0" * (SECTOR - CMDLINE_OFFSET - len(raw))


def kernel_top(kernel):
    """Return the first physical address above every loadable segment of an ELF32 kernel."""
    if kernel[:4] != b"\x7fELF" or kernel[4] != 1:
        raise ImageError("the kernel is not a 32-bit ELF file; rebuild it with 'make'")
    phoff, = struct.unpack_from("<I", kernel, 28)
    phentsize, phnum = struct.unpack_from("<HH", kernel, 42)
    if phoff + phentsize * phnum > 4096:
        raise ImageError("the kernel's program headers lie past its first page; "
                         "the boot sector reads only that page (see kern/kernel.ld)")
    top = 0
    for i in range(phnum):
        ptype, off, _, paddr, filesz, memsz = struct.unpack_from("<6I", kernel, phoff + i * phentsize)
        if ptype != 1:
            continue
        if off % PAGE or paddr % PAGE:
            raise ImageError("kernel segment at 0x%x is not page aligned; "
                             "the boot sector needs aligned segments (kern/kernel.ld)" % paddr)
        top = max(top, paddr + memsz)
    return top


def make_disk(bootsect, kernel, bootfs, cmdline=""):
    """Return the bytes of a bootable disk image."""
    if len(bootsect) != SECTOR or bootsect[510:512] != b"\x55\xaa":
        raise ImageError("boot sector must be exactly 512 bytes ending in 55 AA "
                         "(got %d bytes); check kern/boot/boot.ld" % len(bootsect))
    kern_lba, kern_n = 2, _round_up(len(kernel), SECTOR) // SECTOR
    bfs_lba, bfs_n = kern_lba + kern_n, _round_up(len(bootfs), SECTOR) // SECTOR
    bfs_addr = _round_up(kernel_top(kernel), PAGE)
    # Multiboot information: flags say cmdline (bit 2) and mods (bit 3) are valid.
    mb_info = struct.pack("<7I", (1 << 2) | (1 << 3), 0, 0, 0,
                          BLOCK_ADDR + CMDLINE_OFFSET, 1, BLOCK_ADDR + MB_MODULE_OFFSET)
    mb_module = struct.pack("<4I", bfs_addr, bfs_addr + len(bootfs), 0, 0)
    block = struct.pack("<5I", BOOT_MAGIC, kern_lba, kern_n, bfs_lba, bfs_n)
    block += mb_info + mb_module + _cmdline_bytes(cmdline)
    assert len(block) == SECTOR
    img = bytearray(bootsect + block)
    img += kernel + b"\0" * (kern_n * SECTOR - len(kernel))
    img += bootfs + b"\0" * (bfs_n * SECTOR - len(bootfs))
    # Whole cylinders of 16 heads x 63 sectors: Bochs derives a flat image's geometry
    # from its size and finds no disk in a smaller one.
    img += b"\0" * (_round_up(len(img), CYLINDER) - len(img))
    return bytes(img)


def _check_image(f, path):
    f.seek(SECTOR)
    magic, = struct.unpack("<I", f.read(4))
    if magic != BOOT_MAGIC:
        raise ImageError("%s is not a Fluke disk image (no boot block); run 'make'" % path)


def set_cmdline(path, cmdline):
    """Rewrite the kernel command line stored in the image at path."""
    with open(path, "r+b") as f:
        _check_image(f, path)
        f.seek(SECTOR + CMDLINE_OFFSET)
        f.write(_cmdline_bytes(cmdline))


def get_cmdline(path):
    with open(path, "rb") as f:
        _check_image(f, path)
        f.seek(SECTOR + CMDLINE_OFFSET)
        return f.read(CMDLINE_MAX + 1).split(b"\0", 1)[0].decode()


def _write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv):
    try:
        if len(argv) >= 2 and argv[0] == "bootfs":
            _write(argv[1], make_bootfs(argv[2:]))
        elif len(argv) in (5, 6) and argv[0] == "disk":
            parts = []
            for p in argv[2:5]:
                with open(p, "rb") as f:
                    parts.append(f.read())
            _write(argv[1], make_disk(*parts, cmdline=argv[5] if len(argv) == 6 else ""))
        elif len(argv) == 3 and argv[0] == "setcmd":
            set_cmdline(argv[1], argv[2])
        elif len(argv) == 2 and argv[0] == "getcmd":
            print(get_cmdline(argv[1]))
        else:
            sys.stderr.write(__doc__)
            return 2
    except (ImageError, OSError) as e:
        sys.stderr.write("fluke_image: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
