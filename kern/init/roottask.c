/*
 * The kernel starts exactly one user task itself: the program named by init= on the
 * command line, from the boot file system. Its arguments are the words after
 * init=NAME. The initial stack holds argc and argv for the C start-up code:
 *   [esp] = argc, [esp+4] = argv, then the argv array and the strings.
 */
#include "init/roottask.h"
#include "init/bootfs.h"
#include "init/cmdline.h"
#include "thread/thread.h"
#include "vm/space.h"
#include "mm/kmem.h"
#include "debug/record.h"
#include "lib/printf.h"
#include <fluke/elf.h>
#include <string.h>

#define STACK_TOP	USER_TOP
#define STACK_PAGES	16
#define MAX_ARGS	32

static struct space *root_space;

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

/* Copy len bytes to user address va of s, whose pages exist already. */
static void poke(struct space *s, uint32_t va, const void *src, uint32_t len)
{
	const uint8_t *p = src;
	while (len > 0) {
		pte_t *pte = space_pte(s, va, 0);
		uint32_t off = va & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
		n = n < len ? n : len;
		memcpy((uint8_t *)P2V(PTE_ADDR(*pte)) + off, p, n);
		va += n;
		p += n;
		len -= n;
	}
}

static int load_elf(struct space *s, const struct bootfs_file *f, uint32_t *entry)
{
	const struct elf_header *eh = (const void *)f->data;
	if (f->size < sizeof(*eh) || eh->magic != ELF_MAGIC || eh->class != ELF_CLASS32 ||
	    eh->machine != EM_386 || eh->phoff > f->size ||
	    eh->phnum > (f->size - eh->phoff) / sizeof(struct elf_phdr))
		return -1;
	const struct elf_phdr *ph = (const void *)(f->data + eh->phoff);
	for (int i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > f->size ||
		    ph->filesz > f->size - ph->offset || ph->vaddr >= STACK_TOP - STACK_PAGES * PAGE_SIZE ||
		    ph->memsz > STACK_TOP - STACK_PAGES * PAGE_SIZE - ph->vaddr)
			return -1;
		/* Writable data and bss may hold objects (FLUKE_PROT_CREATE_OB). */
		uint32_t perm = PTE_U | (ph->flags & PF_W ? PTE_W | PTE_CREATE_OB : 0);
		for (uint32_t va = PAGE_ROUND_DOWN(ph->vaddr); va < ph->vaddr + ph->memsz; va += PAGE_SIZE)
			if (space_alloc_page(s, va, perm) < 0)
				return -1;
		poke(s, ph->vaddr, f->data + ph->offset, ph->filesz);
	}
	*entry = eh->entry;
	return 0;
}

/* Build argc/argv on the new stack; returns the initial esp. */
static uint32_t push_args(struct space *s, int argc, char *argv[])
{
	uint32_t sp = STACK_TOP, uargv[MAX_ARGS + 1];
	for (int i = argc - 1; i >= 0; i--) {
		uint32_t len = strlen(argv[i]) + 1;
		sp -= len;
		poke(s, sp, argv[i], len);
		uargv[i] = sp;
	}
	uargv[argc] = 0;
	sp &= ~3u;
	sp -= (argc + 1) * 4;
	poke(s, sp, uargv, (argc + 1) * 4);
	uint32_t frame[2] = { argc, sp };
	sp -= sizeof(frame);
	poke(s, sp, frame, sizeof(frame));
	return sp;
}

/* Split the words after init=NAME (NAME included) into argv; modifies buf. */
static int split_args(char *buf, char *argv[])
{
	int argc = 0;
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
	strlcpy(args, init ? init + strlen("init=") : "hello", sizeof(args));
	int argc = split_args(args, argv);
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
	root_space = kmem_alloc(sizeof(*root_space));
	if (!root_space || space_init(root_space) < 0)
		fail("out of memory creating the first task");
	uint32_t entry;
	if (load_elf(root_space, &f, &entry) < 0)
		fail("'%s' is not a valid i386 ELF program for user space", argv[0]);
	for (uint32_t va = STACK_TOP - STACK_PAGES * PAGE_SIZE; va < STACK_TOP; va += PAGE_SIZE)
		if (space_alloc_page(root_space, va, PTE_U | PTE_W | PTE_CREATE_OB) < 0)
			fail("out of memory for the stack of '%s'", argv[0]);
	uint32_t esp = push_args(root_space, argc, argv);
	if (!thread_create_user(root_space, argv[0], entry, esp, PRIO_DEFAULT))
		fail("out of memory for the first thread of '%s'", argv[0]);
}

int roottask_owns(const struct thread *t)
{
	return t->space && t->space == root_space;
}

void roottask_thread_failed(const struct thread *t)
{
	if (roottask_owns(t)) {
		kprintf("roottask: the first task failed; stopping\n");
		record_end(END_TASK_FAILED);
	}
}
