/*
 * The kernel starts exactly one user task itself: the program named by init= on the
 * command line, from the boot file system. Its arguments are the words after
 * init=NAME; without init=, it is the root monitor and its arguments are the whole
 * command line (the root reads its stack= and prog= keys there). Either way every
 * nonce= word is left out: the nonce is the kernel's alone (debug/record.c).
 * Its space is built like any other, from regions and mappings: each area (ELF segment,
 * stack, the free memory, the boot file system) is a region over the physical
 * space mapped whole into the task; the program and stack take physical pages
 * from the bottom of the first task's memory (pmem_user_range), the free-memory
 * area is the rest. A struct fluke_boot_info at the top of the
 * stack holds those objects; the initial stack holds, for the C start-up code:
 *   [esp] = argc, [esp+4] = argv, [esp+8] = the boot info, [esp+12] =
 *   FLUKE_START_BOOT (<fluke/start.h>), then argv and strings.
 */
#include "init/roottask.h"
#include "vm/ioport.h"
#include "init/bootfs.h"
#include "init/cmdline.h"
#include "thread/thread.h"
#include "arch/trap.h"
#include "vm/region.h"
#include "vm/uaccess.h"
#include "object/ref.h"
#include "mm/pmem.h"
#include "debug/record.h"
#include "lib/printf.h"
#include <fluke/abi/boot.h>
#include <fluke/abi/elf.h>
#include <string.h>

#define STACK_TOP	USER_TOP
#define STACK_SIZE	(16 * PAGE_SIZE)
#define STACK_BASE	(STACK_TOP - STACK_SIZE)
#define MAX_ARGS	32
#define INFO_VA		((STACK_TOP - sizeof(struct fluke_boot_info)) & ~(FLUKE_OBJECT_SIZE - 1))

static struct space *root_space;
static struct fluke_boot_info info;	/* what goes to INFO_VA */
static paddr_t next_pa, user_hi;	/* the first task's physical pages not yet used */
static paddr_t stack_pa;

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kprintf("roottask: ");
	vkprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	record_end(END_TASK_FAILED);
}

/* size bytes of the first task's physical memory, zeroed. */
static paddr_t take(uint32_t size)
{
	if (user_hi - next_pa < size)
		fail("not enough memory for the first task");
	paddr_t pa = next_pa;
	memset(P2V(pa), 0, size);
	next_pa += size;
	return pa;
}

/* A new object of type in the boot info's field at user address va. */
static struct object *boot_object(fluke_type_t type, uint32_t va)
{
	struct object *ob = object_new(type, stack_pa + (va - STACK_BASE), 0, 0);
	if (!ob)
		fail("out of kernel memory building the first task");
	return ob;
}

#define INFO_FIELD_VA(field) (INFO_VA + (uint32_t)((char *)&(field) - (char *)&info))

/* Area i: a region over physical [pa, pa + size) mapped at va with prot. */
static void add_area(unsigned i, paddr_t pa, uint32_t size, uint32_t va, uint32_t prot)
{
	struct fluke_boot_area *a = &info.areas[i];
	struct region *r = (struct region *)boot_object(FLUKE_TYPE_REGION, INFO_FIELD_VA(a->region));
	struct mapping *m = (struct mapping *)boot_object(FLUKE_TYPE_MAPPING,
							  INFO_FIELD_VA(a->mapping));
	struct ref *ref = (struct ref *)boot_object(FLUKE_TYPE_REF, INFO_FIELD_VA(a->region_ref));
	region_setup(r, &phys_space, pa, size, prot);
	if (mapping_setup(m, r, root_space, 0, va, size, prot) != 0)
		fail("area %u at 0x%08x (0x%x bytes) overlaps another or is not user memory", i, va,
		     size);
	link_set(&ref->link, &r->ob);
	a->start_va = va;
	a->size = size;
	a->prot = prot;
	a->phys = pa;
	if (i >= info.nareas)
		info.nareas = i + 1;
}

static int load_elf(const struct bootfs_file *f, uint32_t *entry)
{
	const struct elf_header *eh = (const void *)f->data;
	if (f->size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->class != ELF_CLASS32 ||
	    eh->machine != EM_386 || eh->phoff > f->size ||
	    eh->phnum > (f->size - eh->phoff) / sizeof(struct elf_phdr))
		return -1;
	const struct elf_phdr *ph = (const void *)(f->data + eh->phoff);
	unsigned area = FLUKE_BOOT_SEGMENTS;
	for (int i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > f->size ||
		    ph->filesz > f->size - ph->offset || ph->vaddr >= STACK_BASE ||
		    ph->memsz > STACK_BASE - ph->vaddr || area == FLUKE_BOOT_AREAS)
			return -1;
		uint32_t va = PAGE_ROUND_DOWN(ph->vaddr);
		uint32_t size = PAGE_ROUND_UP(ph->vaddr + ph->memsz) - va;
		paddr_t pa = take(size);
		memcpy((uint8_t *)P2V(pa) + (ph->vaddr - va), f->data + ph->offset, ph->filesz);
		/* Writable data and bss may hold objects. */
		uint32_t prot = FLUKE_PROT_READ | (ph->flags & PF_X ? FLUKE_PROT_EXEC : 0) |
				(ph->flags & PF_W ? FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB : 0);
		add_area(area++, pa, size, va, prot);
	}
	*entry = eh->entry;
	return 0;
}

/* Build argc, argv and the boot info pointer below the boot info; returns esp. */
static uint32_t push_args(int argc, char *argv[])
{
	uint32_t sp = INFO_VA, uargv[MAX_ARGS + 1];
	for (int i = argc - 1; i >= 0; i--) {
		uint32_t len = strlen(argv[i]) + 1;
		sp -= len;
		copy_to_user(root_space, sp, argv[i], len);
		uargv[i] = sp;
	}
	uargv[argc] = 0;
	sp &= ~3u;
	sp -= (argc + 1) * 4;
	copy_to_user(root_space, sp, uargv, (argc + 1) * 4);
	uint32_t frame[4] = { argc, sp, INFO_VA, FLUKE_START_BOOT };
	sp -= sizeof(frame);
	copy_to_user(root_space, sp, frame, sizeof(frame));
	return sp;
}

/* The I/O ports the first task holds (<fluke/abi/io.h>): the devices a user-level
 * driver serves. It may pass them on (space_io_permit). */
static void grant_ports(void)
{
	static const uint16_t ranges[][2] = {
		{ FLUKE_IO_ATA0, 8 }, { FLUKE_IO_ATA0_CTL, 1 },
		{ FLUKE_IO_ATA1, 8 }, { FLUKE_IO_ATA1_CTL, 1 },
		{ FLUKE_IO_COM2, 8 },
	};
	for (uint32_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		ioport_permit(NULL, root_space, ranges[i][0], ranges[i][1], 1);
}

/* The first task's space, its stack and program, its free memory and the boot
 * file system; the boot info is written to INFO_VA. */
static void build_space(const struct bootfs_file *f, const char *name, uint32_t *entry)
{
	pmem_user_range(&next_pa, &user_hi);
	stack_pa = take(STACK_SIZE);
	root_space = (struct space *)boot_object(FLUKE_TYPE_SPACE, INFO_FIELD_VA(info.space));
	root_space->mem_limit = pmem_pool_pages() * PAGE_SIZE / 2;
	if (object_charge(&root_space->ob) != 0)	/* made before there was a space to charge */
		fail("out of kernel memory building the first task");
	struct ref *self = (struct ref *)boot_object(FLUKE_TYPE_REF, INFO_FIELD_VA(info.space_ref));
	link_set(&self->link, &root_space->ob);
	grant_ports();
	add_area(FLUKE_BOOT_STACK, stack_pa, STACK_SIZE, STACK_BASE,
		 FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB);
	if (load_elf(f, entry) < 0)
		fail("'%s' is not a valid i386 ELF program for user space", name);
	paddr_t bfs = PAGE_ROUND_DOWN(bootfs_start());
	add_area(FLUKE_BOOT_BOOTFS, bfs, PAGE_ROUND_UP(bootfs_end()) - bfs, FLUKE_BOOT_BOOTFS_VA,
		 FLUKE_PROT_READ);
	if (user_hi > next_pa)
		add_area(FLUKE_BOOT_FREE, next_pa, user_hi - next_pa, FLUKE_BOOT_FREE_VA,
			 FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB);
	copy_to_user(root_space, INFO_VA, &info, sizeof(info));
}

/* Split buf into words, argv from argv[first] on; modifies buf. */
static int split_args(char *buf, char *argv[], int first)
{
	int argc = first;
	for (char *p = buf; *p && argc < MAX_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

void roottask_start(const char *cmdline)
{
	static char args[CMDLINE_MAX];
	char *argv[MAX_ARGS + 1];
	const char *init = cmdline_find(cmdline, "init");
	/* No task may learn the nonce: it would let a program forge the kernel's records. */
	cmdline_without(init ? init + strlen("init=") : cmdline, "nonce", args, sizeof(args));
	static char root[] = "root";
	argv[0] = root;
	int argc = split_args(args, argv, init ? 0 : 1);
	if (argc == 0)
		fail("init= names no program; write e.g. init=hello");

	struct bootfs_file f;
	if (bootfs_find(argv[0], &f) < 0) {
		kprintf("roottask: the boot file system has no program '%s'; it holds:", argv[0]);
		for (uint32_t i = 0; bootfs_get(i, &f) == 0; i++)
			kprintf(" %s", f.name);
		kprintf("\n");
		fail("fix init= on the kernel command line");
	}
	uint32_t entry;
	build_space(&f, argv[0], &entry);
	uint32_t esp = push_args(argc, argv);
	struct thread *t = thread_of(boot_object(FLUKE_TYPE_THREAD, INFO_FIELD_VA(info.thread)));
	strlcpy(t->name, argv[0], sizeof(t->name));
	t->space = root_space;
	t->tf->eip = entry;
	t->tf->esp = esp;
	thread_resume(t);
}

struct space *roottask_space(void)
{
	return root_space;
}

int roottask_owns(const struct thread *t)
{
	return t->space && t->space == root_space;
}

void roottask_space_destroyed(const struct space *s)
{
	if (s == root_space) {
		kprintf("roottask: the first task's space was destroyed; stopping\n");
		record_end(END_TASK_FAILED);
	}
}

void roottask_thread_failed(const struct thread *t)
{
	if (roottask_owns(t)) {
		kprintf("roottask: the first task failed; stopping\n");
		record_end(END_TASK_FAILED);
	}
}
