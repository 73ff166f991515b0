/*
 * Program entry. The loader leaves [esp] = argc, [esp+4] = argv and, for the
 * first task, [esp+8] = its struct fluke_boot_info (<fluke/boot.h>); call
 * main(argc, argv, boot) and hand its result to exit().
 */
.section .text.start, "ax"
.globl _start
_start:
	xorl	%ebp, %ebp		/* ends backtraces */
	movl	(%esp), %eax
	movl	4(%esp), %edx
	movl	8(%esp), %ecx
	andl	$~15, %esp
	subl	$4, %esp
	pushl	%ecx
	pushl	%edx
	pushl	%eax
	call	main
	pushl	%eax
	call	exit
1:	jmp	1b
