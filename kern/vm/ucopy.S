/*
 * int uaccess_hw_copy(void *dst, const void *src, uint32_t n)
 * Copy n bytes with the CPU's own translation: the caller (vm/uaccess.c) has made
 * sure the user side lies in user memory of the page table loaded in CR3, whose
 * PTEs never grant more than the memory graph (vm/translate.c). A page fault in
 * the copy (a PTE not cached yet, or an access its PTE refuses) is no kernel bug:
 * trap.c asks uaccess_fixup, which resumes at uaccess_copy_fault, so the call
 * returns -1 and the caller takes the slow path, which walks the graph. Returns 0
 * when every byte was copied.
 */
.text
.globl uaccess_hw_copy
uaccess_hw_copy:
	pushl	%esi
	pushl	%edi
	movl	12(%esp), %edi
	movl	16(%esp), %esi
	movl	20(%esp), %edx
	movl	%edx, %ecx
	shrl	$2, %ecx
	andl	$3, %edx
	cld
.globl uaccess_copy_start
uaccess_copy_start:			/* a fault from here to uaccess_copy_end... */
	rep movsl
	movl	%edx, %ecx
	rep movsb
.globl uaccess_copy_end
uaccess_copy_end:
	xorl	%eax, %eax
	popl	%edi
	popl	%esi
	ret
.globl uaccess_copy_fault
uaccess_copy_fault:			/* ...resumes here */
	movl	$-1, %eax
	popl	%edi
	popl	%esi
	ret
