/*
 * void context_switch(uint32_t *save_esp, uint32_t new_esp)
 * Save the callee-saved registers on the current kernel stack, store its stack
 * pointer in *save_esp, switch to new_esp and restore the registers saved there.
 * The return lands wherever the new thread last called context_switch, or at the
 * entry address thread.c placed for a fresh thread.
 */
.text
.globl context_switch
context_switch:
	movl	4(%esp), %eax
	movl	8(%esp), %edx
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	%esp, (%eax)
	movl	%edx, %esp
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
