/* Starting a program in a new space (<fluke/proc.h>). */
#include <fluke/proc.h>
#include <fluke/pages.h>
#include <fluke/start.h>
#include <fluke/abi/elf.h>
#include <fluke/ref.h>
#include <fluke/abi/error.h>
#include <string.h>

#define STACK_TOP	FLUKE_PROC_STACK_TOP
#define PAGE_DOWN(x)	((x) & ~(FLUKE_PAGE_SIZE - 1))
#define PAGE_UP(x)	PAGE_DOWN((x) + FLUKE_PAGE_SIZE - 1)

int fluke_proc_add_area(struct fluke_proc *p, unsigned i, uint32_t va, uint32_t size,
			uint32_t prot)
{
	struct fluke_proc_area *a = &p->areas[i];
	a->mem = fluke_pages_get(size / FLUKE_PAGE_SIZE);
	if (!a->mem)
		return FLUKE_NO_MEMORY;
	memset(a->mem, 0, size);
	a->size = size;
	a->va = va;
	a->prot = prot;
	fluke_region_state_t rs = { 0, (uint32_t)a->mem, size, FLUKE_PROT_ALL };
	fluke_mapping_state_t ms = { 0, 0, va, size, prot };
	fluke_region_create(&a->region);
	fluke_region_set_state(&a->region, &rs, fluke_self_space(), 0);
	fluke_ref_create(&a->region_ref);
	fluke_region_reference(&a->region, &a->region_ref);
	fluke_mapping_create(&a->mapping);
	fluke_mapping_set_state(&a->mapping, &ms, &a->region_ref, &p->space_ref);
	return FLUKE_SUCCESS;
}

int fluke_proc_valid(const void *elf, uint32_t size)
{
	const struct elf_header *eh = elf;
	return size >= sizeof(*eh) && eh->magic == ELF_MAGIC && eh->class == ELF_CLASS32 &&
	       eh->machine == EM_386 && eh->phoff <= size &&
	       eh->phnum <= (size - eh->phoff) / sizeof(struct elf_phdr);
}

uint32_t fluke_proc_image_size(const void *elf, uint32_t have, uint32_t file_size)
{
	const struct elf_header *eh = elf;
	if (!fluke_proc_valid(elf, have))
		return file_size;
	const struct elf_phdr *ph = (const void *)((const char *)elf + eh->phoff);
	uint32_t end = eh->phoff + eh->phnum * sizeof(*ph);
	for (unsigned i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		if (ph->offset > file_size || ph->filesz > file_size - ph->offset)
			return file_size;	/* load refuses it, as with the whole file */
		if (ph->offset + ph->filesz > end)
			end = ph->offset + ph->filesz;
	}
	return end;
}

static int load(struct fluke_proc *p, const char *elf, uint32_t size, uint32_t *entry)
{
	const struct elf_header *eh = (const void *)elf;
	if (!fluke_proc_valid(elf, size))
		return FLUKE_INVALID_ARGUMENT;
	const struct elf_phdr *ph = (const void *)(elf + eh->phoff);
	unsigned area = 1;		/* areas[0] is the stack */
	for (unsigned i = 0; i < eh->phnum; i++, ph++) {
		if (ph->type != PT_LOAD || ph->memsz == 0)
			continue;
		uint32_t limit = STACK_TOP - FLUKE_PROC_STACK;
		if (ph->filesz > ph->memsz || ph->offset > size || ph->filesz > size - ph->offset ||
		    ph->vaddr >= limit || ph->memsz > limit - ph->vaddr || area == FLUKE_PROC_AREAS)
			return FLUKE_INVALID_ARGUMENT;
		uint32_t va = PAGE_DOWN(ph->vaddr);
		uint32_t prot = FLUKE_PROT_READ | (ph->flags & PF_X ? FLUKE_PROT_EXEC : 0) |
				(ph->flags & PF_W ? FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB : 0);
		int rc = fluke_proc_add_area(p, area, va, PAGE_UP(ph->vaddr + ph->memsz) - va, prot);
		if (rc != FLUKE_SUCCESS)
			return rc;
		memcpy(p->areas[area++].mem + (ph->vaddr - va), elf + ph->offset, ph->filesz);
	}
	*entry = eh->entry;
	return FLUKE_SUCCESS;
}

/* Lay out the start info, the strings, argv and the initial frame at the top of
 * the stack area; returns the child's esp, or 0 if they do not fit. */
static uint32_t push_args(struct fluke_proc *p, int argc, char **argv, const fluke_ref_t *parent)
{
	struct fluke_proc_area *st = &p->areas[0];
	uint32_t base = STACK_TOP - st->size;	/* child address of st->mem */
	char *sp = st->mem + st->size - sizeof(struct fluke_start_info);
	struct fluke_start_info *info = (void *)sp;
	fluke_ref_create(&info->parent);
	fluke_ref_copy(&info->parent, parent);
	uint32_t uargv[argc + 1];
	for (int i = argc - 1; i >= 0; i--) {
		uint32_t len = strlen(argv[i]) + 1;
		if ((uint32_t)(sp - st->mem) < len + 1024)
			return 0;
		sp -= len;
		memcpy(sp, argv[i], len);
		uargv[i] = base + (sp - st->mem);
	}
	uargv[argc] = 0;
	sp = (char *)((uint32_t)sp & ~15u) - (argc + 1) * 4;
	memcpy(sp, uargv, (argc + 1) * 4);
	uint32_t frame[4] = { argc, base + (sp - st->mem), base + ((char *)info - st->mem),
			      FLUKE_START_CHILD };
	sp -= sizeof(frame);
	memcpy(sp, frame, sizeof(frame));
	return base + (sp - st->mem);
}

int fluke_proc_begin(struct fluke_proc *p, const fluke_ref_t *keeper)
{
	memset(p->areas, 0, sizeof(p->areas));
	fluke_space_create(&p->space);
	fluke_ref_create(&p->space_ref);
	fluke_space_reference(&p->space, &p->space_ref);
	if (keeper)
		fluke_space_set_state(&p->space, 0, keeper);
	fluke_thread_create(&p->thread);
	return FLUKE_SUCCESS;
}

int fluke_proc_start(struct fluke_proc *p, const void *elf, uint32_t size, int argc,
		     char **argv, const fluke_ref_t *parent, const fluke_ref_t *keeper)
{
	uint32_t entry = 0, esp = 0;
	int rc = fluke_proc_begin(p, keeper);
	if (rc == FLUKE_SUCCESS)
		rc = fluke_proc_add_area(p, 0, STACK_TOP - FLUKE_PROC_STACK, FLUKE_PROC_STACK,
					 FLUKE_PROT_READ | FLUKE_PROT_WRITE | FLUKE_PROT_CREATE_OB);
	if (rc == FLUKE_SUCCESS)
		rc = load(p, elf, size, &entry);
	if (rc == FLUKE_SUCCESS && !(esp = push_args(p, argc, argv, parent)))
		rc = FLUKE_INVALID_ARGUMENT;
	if (rc != FLUKE_SUCCESS) {
		fluke_proc_destroy(p);
		return rc;
	}
	fluke_thread_state_t ts = { .flags = p->flags, .priority = FLUKE_PRIO_DEFAULT,
				    .eip = entry, .esp = esp };
	fluke_thread_set_state(&p->thread, &ts, &p->space_ref, 0);
	return FLUKE_SUCCESS;
}

int fluke_is_program(const char *name)
{
	return strcmp(name, "root") != 0 && strcmp(name, "boot.conf") != 0;
}

void fluke_proc_destroy(struct fluke_proc *p)
{
	fluke_thread_destroy(&p->thread);
	fluke_space_destroy(&p->space);
	fluke_ref_destroy(&p->space_ref);
	for (unsigned i = 0; i < FLUKE_PROC_AREAS; i++) {
		struct fluke_proc_area *a = &p->areas[i];
		if (!a->size)
			continue;
		fluke_mapping_destroy(&a->mapping);
		fluke_region_destroy(&a->region);
		fluke_ref_destroy(&a->region_ref);
		fluke_pages_scrub(a->mem, a->size);
		fluke_pages_put(a->mem, a->size / FLUKE_PAGE_SIZE);
		a->size = 0;
	}
}
