/*
 * Program entry (<fluke/start.h>). The loader leaves [esp] = argc, [esp+4] =
 * argv, [esp+8] = the start argument and [esp+12] = the start kind (first task:
 * its struct fluke_boot_info; a monitor's child: its struct fluke_start_info).
 * Save those two, argv[0] and the time-stamp counter, call main(argc, argv, arg)
 * and hand its result to exit().
 */
.section .text.start, "ax"
.globl _start
_start:
	xorl	%ebp, %ebp		/* ends backtraces */
	rdtsc
	movl	%eax, fluke_start_tsc
	movl	%edx, fluke_start_tsc+4
	xorl	%eax, %eax
	cmpl	$0, (%esp)		/* argc 0: no name */
	je	1f
	movl	4(%esp), %eax
	movl	(%eax), %eax
1:	movl	%eax, fluke_start_name
	movl	8(%esp), %ecx
	movl	%ecx, fluke_start_arg
	movl	12(%esp), %ecx
	movl	%ecx, fluke_start_kind
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
2:	jmp	2b
