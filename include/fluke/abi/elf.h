/* ELF32 file structures, as far as the boot sector, the kernel and loaders need them. */
#ifndef FLUKE_ELF_H
#define FLUKE_ELF_H

#include <stdint.h>

#define ELF_MAGIC	0x464C457Fu	/* "\x7fELF" read as a little-endian word */
#define ELF_CLASS32	1
#define EM_386		3
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf_header {
	uint32_t magic;
	uint8_t class, data, version0, osabi, pad[8];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#endif
