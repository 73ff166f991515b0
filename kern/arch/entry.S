/*
 * Kernel entry. A Multiboot loader (our boot sector, QEMU's -kernel, GRUB) jumps to
 * _start in 32-bit protected mode with paging off, EAX = 0x2BADB002 and EBX = the
 * physical address of the Multiboot information. We map the first 4 MiB of physical
 * memory both at 0 and at KERNBASE, turn paging on, move to the high half and call
 * kmain(magic, info). kmain builds the real page tables (kern/mm/kvm.c).
 */
#include "arch/mmu.h"

#define MB_HEADER_MAGIC	0x1BADB002
#define MB_HEADER_FLAGS	0x00000003	/* page-align modules, provide memory information */

.section .multiboot, "a"
.p2align 2
	.long	MB_HEADER_MAGIC
	.long	MB_HEADER_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_HEADER_FLAGS)

.text
.globl _start
_start:
	cli
	movl	%eax, %esi		/* Multiboot magic */
	movl	%ebx, %edi		/* Multiboot information (physical) */

	/* boot_pt maps physical 0..4 MiB, writable, kernel only. */
	movl	$(boot_pt - KERNBASE), %edx
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$PAGE_SHIFT, %eax
	orl	$(PTE_P | PTE_W), %eax
	movl	%eax, (%edx, %ecx, 4)
	incl	%ecx
	cmpl	$PT_ENTRIES, %ecx
	jb	1b

	/* The same table at virtual 0 (so this code keeps running) and at KERNBASE. */
	orl	$(PTE_P | PTE_W), %edx
	movl	%edx, (boot_pgdir - KERNBASE)
	movl	%edx, (boot_pgdir - KERNBASE + (KERNBASE >> PD_SHIFT) * 4)
	movl	$(boot_pgdir - KERNBASE), %eax
	movl	%eax, %cr3
	movl	%cr0, %eax
	orl	$(CR0_PE | CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0

	movl	$high, %eax
	jmp	*%eax
high:
	movl	$(boot_stack + KSTACK_SIZE), %esp
	xorl	%ebp, %ebp		/* ends every backtrace */
	pushl	%edi
	pushl	%esi
	call	kmain
2:	hlt
	jmp	2b

.bss
.p2align PAGE_SHIFT
.globl boot_pgdir
boot_pgdir:
	.space	PAGE_SIZE
boot_pt:
	.space	PAGE_SIZE
.globl boot_stack
boot_stack:
	.space	KSTACK_SIZE
